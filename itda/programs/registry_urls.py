from django.urls import path

from itda.programs import registry_views as views

app_name = "registry"

urlpatterns = [
    path("registry/companies/", views.company_list, name="company_list"),
    path("registry/companies/export/", views.company_export, name="company_export"),
    path("registry/companies/<int:pk>/", views.company_detail, name="company_detail"),
    path(
        "registry/companies/<int:pk>/region/",
        views.company_region_change,
        name="company_region_change",
    ),
    path("registry/trainees/", views.trainee_list, name="trainee_list"),
    path("registry/trainees/export/", views.trainee_export, name="trainee_export"),
    path("registry/trainees/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("registry/trainees/<int:pk>/reveal/", views.trainee_reveal, name="trainee_reveal"),
    path("rules/origins/", views.rule_origins, name="rule_origins"),
    path("rules/origins/<int:pk>/confirm/", views.rule_origin_confirm, name="rule_origin_confirm"),
    path(
        "registry/trainees/<int:pk>/region/",
        views.trainee_region_change,
        name="trainee_region_change",
    ),
]
