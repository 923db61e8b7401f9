"""Reads for recruitment."""

from django.db.models import Count, Q, QuerySet

from itda.accounts.roles import Role
from itda.lib.search import search
from itda.programs.models import CompanyKind, CompanySize, Region
from itda.recruitment.models import Application, Call, CallKind
from itda.recruitment.services import YOUTH_MAX_AGE


def call_list() -> QuerySet[Call]:
    """Every published call, newest first, with its programme (public information)."""
    return (
        Call.objects.published()
        .select_related("programme", "track", "operating_group")
        .order_by("-opens_at", "pk")
    )


def call_drafts(user) -> QuerySet[Call]:
    """The unpublished calls ``user`` drafts (the call editor's own list)."""
    return (
        calls_run_by(user)
        .filter(published_at__isnull=True)
        .select_related("programme", "track")
        .order_by("-created_at", "pk")
    )


def calls_run_by(user) -> QuerySet[Call]:
    """The calls whose selection ``user`` runs (screening, committee, assignment, ranking,
    publication): every call for the national operator; for operating-group staff the calls
    their own groups run. A national call is visible to every group (its applications are
    shared out by region) but decided by the operator alone."""
    calls = Call.objects.visible_to(user)
    if user.role != Role.OPERATOR:
        calls = calls.filter(operating_group__isnull=False)
    return calls


def call_counts(call: Call, user) -> dict[str, int]:
    """A call's application counts by status and screening, over the applications the user
    may see: counts follow the same scope as the rows (a group sees its own share of a
    national call)."""
    return (
        Application.objects.visible_to(user)
        .filter(call=call)
        .aggregate(
            n_submitted=Count("pk", filter=Q(status="submitted")),
            n_draft=Count("pk", filter=Q(status="draft")),
            n_withdrawn=Count("pk", filter=Q(status="withdrawn")),
            n_eligible=Count("pk", filter=Q(screening="eligible")),
            n_ineligible=Count("pk", filter=Q(screening="ineligible")),
        )
    )


def applications_of(
    call: Call,
    *,
    q: str = "",
    region: Region | None = None,
    status: str = "",
    screening: str = "",
    result: str = "",
) -> QuerySet:
    """The applications of a call for list pages (scope them with visible_to), searched by
    the applicant's name, mobile number (trainees) or business registration number."""
    qs = Application.objects.filter(call=call).select_related("company", "trainee", "region")
    qs = search(
        qs,
        q,
        names=["trainee__name", "company__name", "organisation_name"],
        phones=["trainee__phone"],
        numbers=["company__business_number", "organisation_number"],
    )
    chosen = {"region": region, "status": status, "screening": screening, "result": result}
    qs = qs.filter(**{field: value for field, value in chosen.items() if value})
    return qs.order_by("submitted_at", "pk")


def own_applications(user) -> QuerySet:
    """The user's own applications (company manager or trainee), newest first."""
    return (
        Application.objects.visible_to(user)
        .select_related("call", "company", "trainee")
        .order_by("-created_at")
    )


def eligibility_labels(call: Call) -> dict:
    """The call's eligibility rules in words for its page, beside what screening checks
    (services.screening_reasons): who may apply by size, whether applicants must be job
    seekers, and the age limit with whether it is the 청년 default."""
    rules = call.eligibility or {}
    return {
        "sizes": "·".join(CompanySize(size).label for size in rules.get("company_sizes", [])),
        "size_exempt": "·".join(
            CompanyKind(kind).label for kind in rules.get("size_exempt_kinds", [])
        ),
        "job_seekers_only": call.kind == CallKind.TRAINEE,
        "age": rules.get("max_age") and f"만 {rules['max_age']}세 이하",
        "youth_default": rules.get("max_age") == YOUTH_MAX_AGE,
    }
