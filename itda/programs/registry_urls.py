from django.urls import path

from itda.programs import allocation_views
from itda.programs import registry_views as views

app_name = "registry"

urlpatterns = [
    path("group/", views.group_home, name="group_home"),
    path("company/", views.company_home, name="company_home"),
    path("trainee/", views.trainee_home, name="trainee_home"),
    path("viewer/", views.viewer_home, name="viewer_home"),
    path("registry/companies/", views.company_list, name="company_list"),
    path("registry/companies/export/", views.company_export, name="company_export"),
    path("registry/companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("registry/trainees/", views.trainee_list, name="trainee_list"),
    path("registry/trainees/export/", views.trainee_export, name="trainee_export"),
    path("registry/trainees/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("registry/trainees/<int:pk>/reveal/", views.trainee_reveal, name="trainee_reveal"),
    path(
        "programmes/<slug:code>/allocations/",
        allocation_views.allocations,
        name="allocations",
    ),
    path(
        "registry/trainees/<int:pk>/region/",
        views.trainee_region_change,
        name="trainee_region_change",
    ),
]
