"""The one scope rule: which rows of people's, companies' and staff-owned data a user may see.

Every query of personal or company data, and of the things staff run (calls, courses, cohorts,
sessions, rounds, rankings, venues), starts from ``Model.objects.visible_to(user)``. A model opts
in by declaring ``scope = ScopePaths(...)``: the lookup paths from its rows to the operating group
that runs them, to a region, to a company, and to the person the row is about. The rule per role:

- national operator: everything;
- operating-group staff: rows of what their groups run (a cohort's attendance belongs to the
  group that runs the cohort, a call's applications to the group that runs the call), never
  decided by a field the person edits; where nothing runs a row (a national call or round), rows
  whose region one of their groups covers, or every group when the row has no region;
- company manager: rows of the companies they manage;
- mentor: rows of the company they mentor for (internships.Mentor, followed by name only);
- evaluator: rows assigned to them that they have no conflict with, and rows about themselves;
- trainee: rows about themselves;
- ministry viewer and anonymous visitors: nothing (they get aggregates elsewhere).

This lives in ``accounts`` (not ``programs``) because accounts' own models use it too and
accounts comes first in the import order; the region path is followed by name only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from itda.accounts.roles import Role


@dataclass(frozen=True)
class ScopePaths:
    """Lookup paths from a model's rows to what scoping needs; None where there is none."""

    group: str | None = None  # to the programs.OperatingGroup that runs the row (null: national)
    region: str | None = None  # to a programs.Region
    company: str | None = None  # to a programs.Company
    person: str | None = None  # to the accounts.User the row is about
    assigned: str | None = None  # to the evaluator's User, through an assignment
    conflicted: str | None = None  # to an evaluator's User with a conflict of interest
    filer: str | None = None  # to the User who filed a row that has no company (organisations)
    # To-many paths to groups that serve the person (their applications, enrolments): the
    # staff of those groups see the row too, whatever region the person lives in.
    served_by: tuple[str, ...] = ()


_NOTHING = Q(pk__in=[])

# Field names that mark a model as holding personal or company data: such a model is scoped
# (the permission matrix holds it) and the admin logs and masks what it shows of it.
PERSONAL_FIELDS = frozenset(
    {
        "phone",
        "email",
        "birth_date",
        "address",
        "bank_account",
        "business_number",
        "representative",
        "ip_address",
        "subject_ids",
        "organisation_number",
        "answers",
    }
)


def scope_filter(model: type[models.Model], user) -> Q:
    """The Q that limits ``model`` to what ``user`` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    paths: ScopePaths = model.scope
    role = user.role
    if role == Role.OPERATOR:
        return Q()
    if role == Role.GROUP_STAFF and (paths.group or paths.region or paths.served_by):
        return _group_staff_filter(model, paths, user)
    if role == Role.COMPANY and paths.company:
        mine = Q(**{f"{paths.company}__in": user.companies.values("pk")})
        if paths.filer:
            # An organisation (a would-be operating group) applies through its manager's account.
            mine |= Q(**{paths.filer: user.pk, f"{paths.company}__isnull": True})
        return mine
    if role == Role.MENTOR and paths.company:
        # A lazy subquery through the reverse one-to-one, so accounts imports no later app.
        company = user._meta.model._base_manager.filter(pk=user.pk).values(
            "mentor_profile__company"
        )
        return Q(**{f"{paths.company}__in": company})
    if role == Role.EVALUATOR and paths.assigned:
        # Assigned and not conflicted: a conflict declared after assignment closes the door too.
        rows = model._base_manager
        assigned = rows.filter(**{paths.assigned: user.pk}).values("pk")
        conflicted = rows.filter(**{paths.conflicted: user.pk}).values("pk")
        return Q(pk__in=assigned) & ~Q(pk__in=conflicted)
    if role != Role.VIEWER and paths.person:
        return Q(**{paths.person: user.pk})
    return _NOTHING


def _group_staff_filter(model: type[models.Model], paths: ScopePaths, user) -> Q:
    groups = user.operating_groups.values("pk")
    regions = user.operating_groups.values("regions")
    q = _NOTHING
    if paths.group:
        q = Q(**{f"{paths.group}__in": groups})
        national = Q(**{f"{paths.group}__isnull": True})
        if paths.region:
            q |= national & Q(**{f"{paths.region}__in": regions})
        else:
            q |= national
    elif paths.region:
        q = Q(**{f"{paths.region}__in": regions})
    for path in paths.served_by:
        # A subquery, not a join: a person with many enrolments must come back once.
        q |= Q(pk__in=model._base_manager.filter(**{f"{path}__in": groups}).values("pk"))
    return q


def require_role(request, *roles) -> None:
    """403 unless the user has one of ``roles``: for a kind of page the role may never use.
    (An object of the right kind that is not yours is a 404, from ``visible_to``.)"""
    if request.user.role not in roles:
        raise PermissionDenied


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the scope rule."""

    def visible_to(self, user) -> ScopedQuerySet:
        """Rows of this queryset that ``user`` may see."""
        q = scope_filter(self.model, user)
        return self.none() if q == _NOTHING else self.filter(q)


def personal_detail(
    request,
    queryset: ScopedQuerySet,
    pk: int,
    *,
    action: str = "view",
    reason: str = "",
):
    """One row of personal data the user may see, logged; otherwise 404 (and a 'denied' log
    row when the row exists), so another region's record looks like a missing one."""
    from django.http import Http404

    from itda.accounts.services import personal_data_access_record

    subject_type = queryset.model._meta.label_lower
    obj = queryset.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        if queryset.model._default_manager.filter(pk=pk).exists():
            personal_data_access_record(
                request=request, subject_type=subject_type, subject_ids=[pk], action="denied"
            )
        raise Http404
    personal_data_access_record(
        request=request,
        subject_type=subject_type,
        subject_ids=[obj.pk],
        action=action,
        reason=reason,
    )
    return obj


def personal_page(request, queryset: ScopedQuerySet, *, per_page: int = 50):
    """One page of a list of personal data the user may see; the rows shown are logged."""
    from django.core.paginator import Paginator

    from itda.accounts.services import personal_data_access_record

    page = Paginator(queryset.visible_to(request.user), per_page).get_page(request.GET.get("page"))
    if page.object_list:
        personal_data_access_record(
            request=request,
            subject_type=queryset.model._meta.label_lower,
            subject_ids=[row.pk for row in page.object_list],
            action="list",
        )
    return page


def personal_export(request, queryset: ScopedQuerySet, *, reason: str) -> list:
    """Every row of personal data the user may see, for a download; logged with its reason
    (PIPA 제8조②: the reason for a download is recorded)."""
    from itda.accounts.services import personal_data_access_record

    rows = list(queryset.visible_to(request.user))
    personal_data_access_record(
        request=request,
        subject_type=queryset.model._meta.label_lower,
        subject_ids=[row.pk for row in rows],
        action="export",
        reason=reason,
    )
    return rows
