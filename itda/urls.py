"""Site URLs: public reference pages, accounts, role pages, the API, and the admin."""

from django.contrib import admin
from django.urls import include, path

from itda.accounts.admin import restrict_admin_to_superusers

restrict_admin_to_superusers(admin.site)

urlpatterns = [
    path("", include("itda.accounts.urls")),
    path("", include("itda.notifications.urls")),
    path("", include("itda.programs.urls")),
    path("", include("itda.programs.registry_urls")),
    path("", include("itda.programs.plan_urls")),
    path("", include("itda.programs.profile_urls")),
    path("", include("itda.recruitment.urls")),
    path("", include("itda.recruitment.excel_urls")),
    path("", include("itda.evaluation.urls")),
    path("", include("itda.evaluation.round_urls")),
    path("training/", include("itda.training.urls")),
    path("training/", include("itda.training.enrolment_urls")),
    path("training/", include("itda.training.attendance_urls")),
    path("training/", include("itda.training.nomination_urls")),
    path("", include("itda.training.completion_urls")),
    path("", include("itda.internships.urls")),
    path("", include("itda.matching.urls")),
    path("", include("itda.payments.urls")),
    path("", include("itda.outcomes.urls")),
    path("", include("itda.outcomes.report_urls")),
    path("", include("itda.privacy.urls")),
    path("api/", include("itda.api.urls")),
    path("admin/", admin.site.urls),
]
