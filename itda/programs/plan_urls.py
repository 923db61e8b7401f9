"""Staff pages of 산단 대개조 as a process (programs.plan_views)."""

from django.urls import path

from itda.programs import plan_views as views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_manage, name="plan_manage"),
    path("plans/<int:pk>/transition/", views.plan_transition, name="plan_transition"),
    path("plans/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("plans/subprojects/<int:pk>/", views.subproject_edit, name="subproject_edit"),
]
