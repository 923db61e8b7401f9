"""Reads for training. ``attendance_tally`` is the one definition of how attendance counts;
completion, the allowance and every page that shows a rate use it."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from itda.training.models import (
    ATTENDED,
    INCIDENTS,
    Attendance,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Session,
    TrainingRule,
)


def rule_in_force(programme, on: datetime.date) -> TrainingRule | None:
    """The version of the programme's training rule in force on a date."""
    return (
        TrainingRule.objects.filter(programme=programme, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def _count(subquery: QuerySet, group_by: str, value) -> Subquery:
    return Coalesce(
        Subquery(
            subquery.order_by().values(group_by).annotate(n=value).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def attendance_tally(
    rows: QuerySet,
    *,
    as_of: datetime.datetime,
    enrollment: str = "pk",
    since=None,
    until=None,
) -> QuerySet:
    """Annotate enrolments (or rows with an ``enrollment`` path) with their attendance so far.

    - ``scheduled``: the cohort's sessions that ended by ``as_of`` (and start in [since, until));
    - ``attended``: those with a status that counts as attending (excused included);
    - ``incidents``: lateness and early leaves (지각·조퇴 together count twice);
    - ``credited``: attended minus one for every ``incidents_per_absence`` incidents.

    A session that ended with no record is an absence. ``since``/``until`` may be values or
    expressions of the outer row (a unit period's bounds). One SQL statement, any number of rows.
    """
    prefix = "" if enrollment == "pk" else f"{enrollment}__"
    sessions = Session.objects.filter(cohort=OuterRef(f"{prefix}cohort"), ends_at__lte=as_of)
    records = Attendance.objects.filter(
        enrollment=OuterRef(enrollment), session__ends_at__lte=as_of, status__in=ATTENDED
    )
    if since is not None:
        sessions = sessions.filter(starts_at__gte=since)
        records = records.filter(session__starts_at__gte=since)
    if until is not None:
        sessions = sessions.filter(starts_at__lt=until)
        records = records.filter(session__starts_at__lt=until)
    incident_weight = Case(
        *(When(status=status, then=Value(weight)) for status, weight in INCIDENTS.items()),
        default=Value(0),
    )
    return rows.annotate(
        scheduled=_count(sessions, "cohort", Count("*")),
        attended=_count(records, "enrollment", Count("*")),
        incidents=_count(records, "enrollment", Sum(incident_weight)),
    ).annotate(
        credited=Greatest(
            Value(0),
            # Integer division in SQL: 1–2 incidents cost nothing, 3 cost one session.
            F("attended") - F("incidents") / F(f"{prefix}cohort__rule__incidents_per_absence"),
        ),
    )


def enrollments_at_risk(rows: QuerySet, *, now: datetime.datetime) -> QuerySet:
    """Enrolments of ``rows`` in running cohorts whose attendance over the sessions held so far
    is below their cohort's completion rate (sessions still to come are not absences): the
    group home's cohorts at risk and the trainee's attendance notice."""
    today = timezone.localdate(now)
    running = rows.filter(
        status=EnrollmentStatus.ENROLLED,
        cohort__starts_on__lte=today,
        cohort__ends_on__gte=today,
        cohort__completed_at__isnull=True,
    )
    return attendance_tally(running, as_of=now).filter(
        scheduled__gt=0, credited__lt=F("scheduled") * F("cohort__rule__completion_min_rate")
    )


def rate_meets(credited: int, scheduled: int, min_rate: Decimal) -> bool:
    """Whether credited/scheduled reaches the rate, compared exactly (no float): 79.9% fails and
    80.0% passes an 80% rule."""
    return scheduled > 0 and Decimal(credited) >= min_rate * scheduled


def attendance_rate(credited: int, scheduled: int) -> Decimal:
    """The rate shown to people, to four decimals (0.8000 = 80.00%)."""
    if scheduled == 0:
        return Decimal("0.0000")
    return (Decimal(credited) / scheduled).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Progress:
    """Attendance while sessions remain: the rate over the sessions held so far, and what
    attending every remaining one would make of it. Sessions not yet held are not absences."""

    credited: int
    held: int
    planned: int
    min_rate: Decimal

    @property
    def remaining(self) -> int:
        return self.planned - self.held

    @property
    def rate(self) -> Decimal:
        """Credited over the sessions held so far."""
        return attendance_rate(self.credited, self.held)

    @property
    def best(self) -> int:
        """Credited sessions at the end if every remaining one is attended."""
        return self.credited + self.remaining

    @property
    def best_rate(self) -> Decimal:
        return attendance_rate(self.best, self.planned)

    @property
    def reachable(self) -> bool:
        """Whether attending every remaining session still reaches the rate."""
        return rate_meets(self.best, self.planned, self.min_rate)

    @property
    def spare(self) -> int:
        """How many more sessions may be missed and still reach the rate (negative: none)."""
        return self.best - math.ceil(self.min_rate * self.planned)


def trainee_enrollments(user) -> QuerySet:
    """The user's own enrolments, newest cohort first, each with its attendance so far and
    ``planned``, the cohort's sessions in all (held or not)."""
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(trainee__user=user)
        .select_related("cohort__course__operating_group", "cohort__rule")
        .order_by("-cohort__starts_on", "-pk")
        .annotate(
            planned=_count(Session.objects.filter(cohort=OuterRef("cohort")), "cohort", Count("*"))
        )
    )
    return attendance_tally(rows, as_of=timezone.now())


def enrollment_schedule(enrollment: Enrollment) -> QuerySet:
    """The cohort's sessions in order, each with this trainee's record (status, times) if any."""
    mine = Attendance.objects.filter(enrollment=enrollment, session=OuterRef("pk"))
    return (
        Session.objects.filter(cohort_id=enrollment.cohort_id)
        .select_related("booking__room__venue")
        .annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_checked_in_at=Subquery(mine.values("checked_in_at")[:1]),
            my_checked_out_at=Subquery(mine.values("checked_out_at")[:1]),
        )
        .order_by("starts_at", "number")
    )


def cohorts_run_by(user) -> QuerySet:
    """Cohorts whose rosters the user manages: all for the national operator, their own
    groups' for group staff, none for anyone else; with their places, waitlist and (once
    finished) outcomes counted in the same query."""
    return (
        Cohort.objects.visible_to(user)
        .select_related("course__operating_group__programme", "course__track", "rule")
        .annotate(
            n_enrolled=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)
            ),
            n_waiting=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)
            ),
            # A finished cohort reads "18명 중 16명 수료 · 2명 중도탈락": everyone who held a
            # place, those who completed and those who left.
            n_completed=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.COMPLETED)
            ),
            n_withdrawn=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WITHDRAWN)
            ),
            n_finished=Count(
                "enrollments",
                filter=Q(
                    enrollments__status__in=[
                        EnrollmentStatus.COMPLETED,
                        EnrollmentStatus.NOT_COMPLETED,
                        EnrollmentStatus.WITHDRAWN,
                    ]
                ),
            ),
        )
    )


def cohorts_search(
    cohorts: QuerySet, *, today: datetime.date, q: str = "", state: str = ""
) -> QuerySet:
    """``cohorts`` whose course title or code holds ``q`` and that stand where ``state`` says
    on ``today``: upcoming (not started), running, or finished (ended or completed)."""
    if q := q.strip():
        cohorts = cohorts.filter(Q(course__title__icontains=q) | Q(course__code__icontains=q))
    finished = Q(completed_at__isnull=False) | Q(ends_on__lt=today)
    if state == "upcoming":
        cohorts = cohorts.filter(starts_on__gt=today, completed_at__isnull=True)
    elif state == "running":
        cohorts = cohorts.filter(starts_on__lte=today).exclude(finished)
    elif state == "finished":
        cohorts = cohorts.filter(finished)
    return cohorts


def cohort_roster(cohort: Cohort) -> QuerySet:
    """The cohort's enrolments: places, then the waitlist in order, then those who left."""
    order = Case(
        When(status=EnrollmentStatus.ENROLLED, then=Value(0)),
        When(status=EnrollmentStatus.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    return (
        Enrollment.objects.filter(cohort=cohort)
        .select_related("trainee__region", "application")
        .order_by(order, "waitlist_position", "trainee__name", "pk")
    )


@dataclass(frozen=True)
class Mark:
    """How one attendance state reads in the heat map: a colour class, and a symbol and a
    word so that it reads without colour."""

    key: str
    label: str
    symbol: str


# Every state of AttendanceStatus, then a session not yet held; 결석 with no record is the same
# absence as a recorded one (a session that ended with no row is an absence).
MARKS = {
    "present": Mark("present", "출석", "○"),
    "late": Mark("late", "지각", "△"),
    "left_early": Mark("left_early", "조퇴", "▽"),
    "late_left_early": Mark("late_left_early", "지각·조퇴", "◇"),
    "absent": Mark("absent", "결석", "✕"),
    "excused": Mark("excused", "공결", "☆"),
    "upcoming": Mark("upcoming", "예정", "·"),
}


@dataclass(frozen=True)
class HeatRow:
    """One trainee's row: each session with its mark, and the rate over the sessions held so
    far."""

    enrollment: Enrollment
    cells: list[tuple[Session, Mark]]
    held: int
    credited: int
    rate: Decimal
    meets: bool


def attendance_heatmap(
    cohort: Cohort, enrollments: QuerySet, *, as_of: datetime.datetime
) -> tuple[list[Session], list[HeatRow]]:
    """The cohort's sessions × the given enrolments (already scoped by the caller), each cell
    the trainee's state for the session; rows carry the one tally's rate against the cohort's
    completion rate, over the sessions held by ``as_of``. Three queries, any size."""
    sessions = list(Session.objects.filter(cohort=cohort).order_by("starts_at", "number"))
    rows = list(attendance_tally(enrollments.select_related("trainee"), as_of=as_of))
    records = {
        (enrollment, session): status
        for enrollment, session, status in Attendance.objects.filter(
            enrollment__in=[r.pk for r in rows], session__cohort=cohort
        ).values_list("enrollment_id", "session_id", "status")
    }
    min_rate = cohort.rule.completion_min_rate

    def mark(row, session) -> Mark:
        status = records.get((row.pk, session.pk))
        if status:
            return MARKS[status]
        return MARKS["absent"] if session.ends_at <= as_of else MARKS["upcoming"]

    return sessions, [
        HeatRow(
            enrollment=row,
            cells=[(s, mark(row, s)) for s in sessions],
            held=row.scheduled,
            credited=row.credited,
            rate=attendance_rate(row.credited, row.scheduled),
            meets=rate_meets(row.credited, row.scheduled, min_rate),
        )
        for row in rows
    ]
