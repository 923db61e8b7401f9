from django.urls import path

from itda.payments import views

app_name = "payments"

urlpatterns = [
    path("allowances/", views.overview, name="overview"),
    path("allowances/me/", views.my_allowance, name="my_allowance"),
    path("allowances/cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("allowances/cohorts/<int:pk>/compute/", views.cohort_compute, name="cohort_compute"),
    path("allowances/cohorts/<int:pk>/export/", views.cohort_export, name="cohort_export"),
    # At the training URL it always had: the decision belongs to the correction's page, but
    # approving one recomputes the allowance, so the view lives here.
    path(
        "training/corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"
    ),
]
