from django.urls import path

from itda.programs import profile_views as views

app_name = "profile"

urlpatterns = [
    path("me/trainee/", views.trainee_profile, name="trainee"),
    path("me/trainee/bank/", views.trainee_bank, name="trainee_bank"),
    path("me/companies/", views.companies, name="companies"),
    path("me/companies/<int:pk>/bank/", views.company_bank, name="company_bank"),
]
