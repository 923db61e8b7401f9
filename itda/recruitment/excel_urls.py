from django.urls import path

from itda.recruitment import excel_views as views

app_name = "recruitment_excel"

urlpatterns = [
    path(
        "recruitment/calls/<int:call_id>/excel/template/",
        views.template_download,
        name="template",
    ),
    path("recruitment/calls/<int:call_id>/excel/import/", views.import_upload, name="import"),
    path(
        "recruitment/calls/<int:call_id>/excel/import/<str:token>/commit/",
        views.import_confirm,
        name="import_commit",
    ),
    path(
        "recruitment/calls/<int:call_id>/excel/import/jobs/<int:job_id>/",
        views.import_job,
        name="import_job",
    ),
    path("recruitment/calls/<int:call_id>/excel/export/", views.export, name="export"),
]
