from django.urls import path

from itda.outcomes import opendata, report_views

app_name = "outcome_reports"

urlpatterns = [
    path("kpis/reports/", report_views.report_list, name="list"),
    path(
        "kpis/reports/<slug:code>/<str:month>/<str:scope>.<str:fmt>",
        report_views.report_download,
        name="download",
    ),
    path("open-data/kpis.csv", opendata.kpi_csv, name="open_data_csv"),
]
