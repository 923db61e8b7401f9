from django.urls import path

from itda.training import views

app_name = "training"

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_edit, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/modules/", views.module_add, name="module_add"),
    path("modules/<int:pk>/delete/", views.module_delete, name="module_delete"),
    path("courses/<int:course_pk>/cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/<int:pk>/", views.venue_calendar, name="venue_calendar"),
    path("venues/<int:pk>/book/", views.venue_book, name="venue_book"),
    path("bookings/<int:pk>/cancel/", views.venue_booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/<str:action>/", views.booking_decide, name="booking_decide"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
]
