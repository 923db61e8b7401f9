"""Reads for internships."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from itda.internships.models import (
    OJT_DUE_DAYS_AFTER,
    OJT_NOT_REPORTING,
    Internship,
    InternshipAcceptance,
    InternshipState,
    OjtReport,
    OjtReportKind,
    OjtReportState,
    Party,
    Placement,
    PlacementState,
    Position,
    PositionStatus,
    StartWave,
)
from itda.lib.search import search
from itda.programs.models import PlacementKind


def company_positions(user) -> QuerySet:
    """The positions of the companies the user manages."""
    return (
        Position.objects.visible_to(user)
        .filter(company__managers=user)
        .select_related("company", "track", "region")
    )


def positions_for_review(user, *, status: str = PositionStatus.SUBMITTED, q: str = "") -> QuerySet:
    """Positions in the staff member's regions, by state (the review queue by default) and
    the company's name or BRN or the position's title."""
    rows = Position.objects.visible_to(user).select_related("company", "track", "region")
    rows = search(rows, q, names=["company__name", "title"], numbers=["company__business_number"])
    return (rows.filter(status=status) if status else rows).order_by("company__name", "pk")


_LIST_DETAILS = (
    "placement__trainee",
    "placement__position__company",
    "mentor__user",
    "wave",
    "programme",
)


def internship_rows(
    *, state: str = "", programme=None, wave=None, q: str = "", details: bool = True
) -> QuerySet:
    """Internships with what a list shows, in one query, optionally of one state, programme or
    start wave (ids or objects), or with ``q``: an intern's name or phone, a company's name or
    BRN. Not scoped: pass it through ``visible_to`` or
    ``personal_page``, which apply the scope rule and log the page. ``details=False`` leaves
    out the joined rows, for a page whose rows ``with_details`` fills afterwards."""
    rows = Internship.objects.select_related(*_LIST_DETAILS) if details else Internship.objects
    if state:
        rows = rows.filter(state=state)
    rows = search(
        rows,
        q,
        names=["placement__trainee__name", "placement__position__company__name"],
        phones=["placement__trainee__phone"],
        numbers=["placement__position__company__business_number"],
    )
    if programme:
        rows = rows.filter(programme=programme)
    if wave:
        rows = rows.filter(wave=wave)
    return rows.order_by("starts_on", "pk")


def with_details(rows) -> list[Internship]:
    """The internships of ``rows`` (a page) in their order, with what a list shows, in one
    query. A list page picks its rows with a lean scoped query and joins the details for those
    only: joining them over every internship in scope before the sort and limit took a group
    with 2,000 internships several times as long (bench/internship_list.py)."""
    full = Internship.objects.select_related(*_LIST_DETAILS).in_bulk([row.pk for row in rows])
    return [full[row.pk] for row in rows]


def internships_for(user, **filters) -> QuerySet:
    """The internships the user may see (a company's, a group's region's, all for the
    operator), filtered as ``internship_rows``."""
    return internship_rows(**filters).visible_to(user)


def accepted_by(party: Party) -> Exists:
    """Whether ``party`` has accepted the internship's current version (for annotate)."""
    return Exists(
        InternshipAcceptance.objects.filter(
            internship=OuterRef("pk"), party=party, terms_version=OuterRef("terms_version")
        )
    )


def company_interns(user) -> QuerySet:
    """우리 회사 인턴: the internships of the companies the user manages, each with whether the
    company has accepted its current version."""
    return (
        internships_for(user)
        .filter(placement__position__company__managers=user)
        .annotate(company_accepted=accepted_by(Party.COMPANY))
    )


def company_to_accept(user) -> QuerySet:
    """Proposed agreements of the user's companies the company has not accepted in their
    current version: what the manager must read and accept (or decline)."""
    return company_interns(user).filter(state=InternshipState.PROPOSED, company_accepted=False)


def company_placements_waiting(user) -> QuerySet:
    """The user's companies' placements whose agreement the operating group has not proposed."""
    return (
        Placement.objects.visible_to(user)
        .filter(
            position__company__managers=user,
            state=PlacementState.ASSIGNED,
            internship__isnull=True,
        )
        .select_related("trainee", "position")
        .order_by("created_at", "pk")
    )


def placements_to_propose(user) -> QuerySet:
    """Placements from published rounds the staff member manages that have no agreement yet."""
    return (
        Placement.objects.visible_to(user)
        .filter(state=PlacementState.ASSIGNED, internship__isnull=True)
        .select_related("trainee", "position__company", "position__track")
        .order_by("created_at", "pk")
    )


def open_waves(programme) -> QuerySet:
    """The programme's start waves, earliest first."""
    return StartWave.objects.filter(programme=programme).order_by("first_start", "pk")


# --- Track 1 (OJT): where every month's reports stand --------------------------------------------

OJT_MISSING = "missing"
OJT_MISSING_LABEL = "미작성"
# A report in one of these states leaves nothing for its writer to do (waiting for review, or
# approved): a month past its due date with anything else is overdue.
_OJT_HANDED_IN = [
    OjtReportState.SUBMITTED.value,
    OjtReportState.RESUBMITTED.value,
    OjtReportState.APPROVED.value,
]
_OJT_WRITABLE = (OJT_MISSING, OjtReportState.DRAFT.value, OjtReportState.RETURNED.value)


class OjtMonth(NamedTuple):
    """One month of one OJT internship: its days, due date, and where its two reports stand.
    (A named tuple: the reminder task makes one for every month of 100,000 internships, and a
    frozen dataclass took several times as long to build.)"""

    internship_id: int
    month: datetime.date
    first_day: datetime.date  # the internship's first and last day in the month
    last_day: datetime.date
    due_on: datetime.date
    log_state: str  # an OjtReportState value, or OJT_MISSING
    mentor_state: str
    log_open: bool  # the log may be written (the month's internship days have begun)
    mentor_open: bool  # the mentor report may be written (they are over)
    log_overdue: bool
    mentor_overdue: bool
    log_id: int | None
    mentor_id: int | None
    # What the operating group wrote when it returned the report ("" unless it is returned):
    # wherever a returned report is shown, so is why.
    log_return_reason: str
    mentor_return_reason: str

    @property
    def overdue(self) -> bool:
        return self.log_overdue or self.mentor_overdue

    @property
    def log_to_write(self) -> bool:
        """The intern may write or fix the log now."""
        return self.log_open and self.log_state in _OJT_WRITABLE

    @property
    def mentor_to_write(self) -> bool:
        """The mentor may write or fix the report now."""
        return self.mentor_open and self.mentor_state in _OJT_WRITABLE

    @property
    def log_state_label(self) -> str:
        return _ojt_label(self.log_state)

    @property
    def mentor_state_label(self) -> str:
        return _ojt_label(self.mentor_state)


def _ojt_label(state: str) -> str:
    return OJT_MISSING_LABEL if state == OJT_MISSING else OjtReportState(state).label


def ojt_months(
    internships: QuerySet, *, day: datetime.date, overdue_only: bool = False
) -> Iterator[OjtMonth]:
    """Every month of every OJT internship of ``internships`` that reports monthly (agreed,
    not void), with due date, the two reports' states and the overdue flags on ``day``: in one
    SQL statement (generate_series over each internship's months, the reports joined), read in
    chunks, so a reminder can walk 100,000 internships without a query per internship.
    Ordered by internship, then month."""
    chosen = (
        internships.filter(placement__position__track__placement_kind=PlacementKind.OJT)
        .exclude(state__in=OJT_NOT_REPORTING)
        .order_by()
        .values_list("pk", "starts_on", "ends_on")
    )
    try:
        inner, inner_params = chosen.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[] or .none(): no internship, no month
        return
    reports = OjtReport._meta.db_table
    sql = f"""
        WITH i(id, starts_on, ends_on) AS ({inner}),
        m AS (
            SELECT i.id AS internship_id, mo::date AS month,
                   GREATEST(mo::date, i.starts_on) AS first_day,
                   LEAST((mo + interval '1 month' - interval '1 day')::date, i.ends_on) AS last_day
            FROM i, generate_series(
                date_trunc('month', i.starts_on::timestamp), i.ends_on::timestamp,
                interval '1 month'
            ) AS mo
        ),
        s AS (
            SELECT m.*, m.last_day + %s AS due_on,
                   COALESCE(l.state, %s) AS log_state, COALESCE(r.state, %s) AS mentor_state,
                   l.id AS log_id, r.id AS mentor_id,
                   CASE WHEN l.state = %s THEN l.return_reason ELSE '' END AS log_return_reason,
                   CASE WHEN r.state = %s THEN r.return_reason ELSE '' END
                       AS mentor_return_reason
            FROM m
            LEFT JOIN {reports} l
              ON l.internship_id = m.internship_id AND l.month = m.month AND l.kind = %s
            LEFT JOIN {reports} r
              ON r.internship_id = m.internship_id AND r.month = m.month AND r.kind = %s
        ),
        f AS (
            SELECT s.*, %s::date >= s.first_day AS log_open, %s::date > s.last_day AS mentor_open,
                   %s::date > s.due_on AND s.log_state <> ALL(%s) AS log_overdue,
                   %s::date > s.due_on AND s.mentor_state <> ALL(%s) AS mentor_overdue
            FROM s
        )
        SELECT internship_id, month, first_day, last_day, due_on, log_state, mentor_state,
               log_open, mentor_open, log_overdue, mentor_overdue, log_id, mentor_id,
               log_return_reason, mentor_return_reason
        FROM f {"WHERE log_overdue OR mentor_overdue" if overdue_only else ""}
        ORDER BY internship_id, month
    """  # noqa: S608 - table names from the models, values as parameters
    params = [
        *inner_params,
        OJT_DUE_DAYS_AFTER,
        OJT_MISSING,
        OJT_MISSING,
        OjtReportState.RETURNED.value,
        OjtReportState.RETURNED.value,
        OjtReportKind.LOG.value,
        OjtReportKind.MENTOR.value,
        day,
        day,
        day,
        _OJT_HANDED_IN,
        day,
        _OJT_HANDED_IN,
    ]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from (OjtMonth(*row) for row in rows)
