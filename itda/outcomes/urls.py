from django.urls import path

from itda.outcomes import home_views, plans, views

app_name = "outcomes"

urlpatterns = [
    path("operator/", views.operator_home, name="operator_home"),
    path("group/", home_views.group_home, name="group_home"),
    path("company/", home_views.company_home, name="company_home"),
    path("viewer/", home_views.viewer_home, name="viewer_home"),
    path("registry/trainees/<int:pk>/story/", home_views.trainee_story, name="trainee_story"),
    path("kpis/", views.kpi_dashboard, name="kpi_dashboard"),
    path("trainee/", views.trainee_home, name="trainee_home"),
    path("trainee/training/", views.my_training, name="my_training"),
    path("programmes/<slug:code>/settings/", views.programme_settings, name="programme_settings"),
    path("plans/outcomes/", plans.plan_overview, name="plan_overview"),
    path("plans/<int:pk>/outcomes/", plans.plan_outcomes, name="plan_outcomes"),
]
