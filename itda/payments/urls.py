from django.urls import path

from itda.payments import statement_views, views

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
    path("money/me/", statement_views.my_money, name="my_money"),
    path("money/statements/", statement_views.statement_list, name="statement_list"),
    path("money/statements/compute/", statement_views.statement_compute, name="statement_compute"),
    path("money/statements/<int:pk>/", statement_views.statement_detail, name="statement_detail"),
    path(
        "money/statements/<int:pk>/approve/",
        statement_views.statement_approve_view,
        name="statement_approve",
    ),
    path("money/statements/<int:pk>/pdf/", statement_views.statement_pdf, name="statement_pdf"),
    path("money/totals/", statement_views.money_totals, name="money_totals"),
    path("money/batches/", views.batch_list, name="batch_list"),
    path("money/clawbacks/", views.clawback_list, name="clawback_list"),
    path("money/batches/new/", views.batch_new, name="batch_new"),
    path("money/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("money/batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("money/batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("money/batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path(
        "money/batches/<int:pk>/transfer-file/",
        views.batch_transfer_file,
        name="batch_transfer_file",
    ),
    path("money/batches/<int:pk>/results/", views.batch_results, name="batch_results"),
    path("money/batches/<int:pk>/settlement/", views.batch_settlement, name="batch_settlement"),
]
