from django.urls import path

from itda.matching import views

app_name = "matching"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/dry-run/", views.round_dry_run, name="round_dry_run"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/result/", views.round_result, name="round_result"),
    path("rounds/<int:pk>/result/export/", views.round_result_export, name="round_result_export"),
    path("rounds/<int:pk>/input.json", views.round_input_json, name="round_input_json"),
    path("rounds/<int:pk>/input.xlsx", views.round_input_xlsx, name="round_input_xlsx"),
    path("trainee/rounds/<int:pk>/result/", views.trainee_result, name="trainee_result"),
    path("company/rounds/<int:pk>/result/", views.company_result, name="company_result"),
    path("trainee/rounds/", views.trainee_rounds, name="trainee_rounds"),
    path("trainee/rounds/<int:pk>/positions/", views.round_positions, name="round_positions"),
    path("trainee/rounds/<int:pk>/choices/", views.my_choices, name="my_choices"),
    path("trainee/rounds/<int:pk>/choices/change/", views.choice_change, name="choice_change"),
    path("company/rounds/", views.company_rounds, name="company_rounds"),
    path(
        "company/rounds/<int:pk>/positions/<int:position_pk>/",
        views.position_applicants,
        name="position_applicants",
    ),
    path(
        "company/rounds/<int:pk>/positions/<int:position_pk>/interviews/<int:trainee_pk>/",
        views.interview_schedule,
        name="interview_schedule",
    ),
    path(
        "company/rounds/<int:pk>/positions/<int:position_pk>/ranking/",
        views.ranking_save,
        name="ranking_save",
    ),
]
