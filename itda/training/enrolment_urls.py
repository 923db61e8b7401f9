from django.urls import path

from itda.training import enrolment_views as views

app_name = "enrolment"

urlpatterns = [
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/roster/", views.roster, name="roster"),
    path("cohorts/<int:pk>/roster/selected/", views.enrol_selected, name="enrol_selected"),
    path("cohorts/<int:pk>/roster/add/", views.enrol_one, name="enrol_one"),
    path("enrollments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
