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
    path("payments/batches/", views.batch_list, name="batch_list"),
    path("payments/batches/new/", views.batch_new, name="batch_new"),
    path("payments/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("payments/batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("payments/batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("payments/batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("payments/batches/<int:pk>/results/", views.batch_results, name="batch_results"),
]
