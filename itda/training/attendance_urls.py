"""Attendance URLs, mounted under /training/. The QR link is short: a phone camera reads it."""

from django.urls import path

from itda.training import attendance_views as views

app_name = "attendance"

urlpatterns = [
    path("c/<int:pk>/<str:token>/", views.checkin, name="checkin"),
    path("sessions/<int:pk>/qr/", views.qr_display, name="qr_display"),
    path("sessions/<int:pk>/qr/code/", views.qr_code, name="qr_code"),
    path("sessions/<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path(
        "sessions/<int:pk>/roll-call/<int:enrollment_id>/",
        views.roll_call_mark,
        name="roll_call_mark",
    ),
    path("sessions/<int:pk>/correction/", views.correction_request, name="correction_request"),
    path("cohorts/<int:pk>/attendance/", views.cohort_attendance, name="cohort_attendance"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/evidence/", views.correction_evidence, name="correction_evidence"),
]
