"""Public reference pages (no login)."""

from django.urls import path

from itda.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("reference/regions/", views.region_list, name="region_list"),
    path("reference/complexes/", views.complex_list, name="complex_list"),
    path("reference/complexes/<int:pk>/", views.complex_detail, name="complex_detail"),
    path("reference/plans/", views.plan_list, name="plan_list"),
    path("reference/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("reference/programmes/", views.programme_list, name="programme_list"),
    path("reference/programmes/<slug:code>/", views.programme_detail, name="programme_detail"),
]
