from django.urls import path

from itda.training import completion_views as views

app_name = "completion"

urlpatterns = [
    path("training/cohorts/<int:pk>/completion/", views.cohort_completion, name="cohort"),
    path(
        "training/cohorts/<int:pk>/completion/assessment/",
        views.assessment_save,
        name="assessment",
    ),
    path("training/cohorts/<int:pk>/completion/confirm/", views.completion_confirm, name="confirm"),
    path(
        "training/cohorts/<int:pk>/completion/certificates/",
        views.certificates_issue,
        name="certificates_issue",
    ),
    path(
        "training/cohorts/<int:pk>/completion/certificates/progress/",
        views.certificates_progress,
        name="certificates_progress",
    ),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="verify"),
]
