from django.urls import path

from itda.evaluation import allocation_views, call_views, plan_round_views
from itda.evaluation import round_views as views

app_name = "rounds"

urlpatterns = [
    # The operator shares the programme's national targets among the groups (their selections).
    path("programmes/<slug:code>/allocations/", allocation_views.allocations, name="allocations"),
    path("evaluation/plan-rounds/", plan_round_views.plan_rounds, name="plan_rounds"),
    path(
        "evaluation/plan-rounds/<int:pk>/plans/",
        plan_round_views.plan_register,
        name="plan_register",
    ),
    # The call editor: call and documents, scheme and criteria, preview, publication.
    path("recruitment/calls/new/", call_views.call_new, name="call_new"),
    path("recruitment/calls/<int:pk>/edit/", call_views.call_edit, name="call_edit"),
    path("recruitment/calls/<int:pk>/scheme/", call_views.scheme_edit, name="scheme_edit"),
    path("recruitment/calls/<int:pk>/preview/", call_views.call_preview, name="call_preview"),
    path("recruitment/calls/<int:pk>/publish/", call_views.call_publish, name="call_publish"),
    path("evaluation/calls/<int:pk>/", views.round_detail, name="round_detail"),
    path("evaluation/calls/<int:pk>/panel/", views.panel_save, name="panel_save"),
    path("evaluation/calls/<int:pk>/assign/", views.assign, name="assign"),
    path("evaluation/calls/<int:pk>/rank/", views.rank, name="rank"),
    path("evaluation/rankings/<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("evaluation/rankings/<int:pk>/export/", views.ranking_export, name="ranking_export"),
    path("evaluation/rankings/<int:pk>/confirm/", views.ranking_confirm, name="ranking_confirm"),
    path("evaluation/rankings/<int:pk>/publish/", views.ranking_publish, name="ranking_publish"),
    path("applications/<int:pk>/result/", views.application_result, name="application_result"),
    path("applications/<int:pk>/appeal/", views.appeal_file, name="appeal_file"),
    path("evaluation/appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
