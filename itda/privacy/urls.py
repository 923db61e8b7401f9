from django.urls import path

from itda.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/retention/", views.retention, name="retention"),
    path("privacy/retention/run/", views.retention_run, name="retention_run"),
    path("privacy/access-review/", views.access_review, name="access_review"),
]
