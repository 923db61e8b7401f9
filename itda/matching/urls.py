from django.urls import path

from itda.matching import views

app_name = "matching"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
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
