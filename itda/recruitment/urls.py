from django.urls import path

from itda.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/files/<int:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="application_receipt"),
    path(
        "applications/<int:pk>/receipt.pdf",
        views.application_receipt_pdf,
        name="application_receipt_pdf",
    ),
    path("receipts/verify/<str:token>/", views.receipt_verify, name="receipt_verify"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path(
        "applications/<int:pk>/documents/<int:requirement_id>/",
        views.document_upload,
        name="document_upload",
    ),
    path("applications/<int:pk>/screening/", views.screening_override, name="screening_override"),
    path(
        "recruitment/calls/<int:pk>/applications/",
        views.call_applications,
        name="call_applications",
    ),
    path("recruitment/calls/<int:pk>/screening/", views.screening_run, name="screening_run"),
    path("recruitment/calls/<int:pk>/close/", views.call_close_early, name="call_close_early"),
]
