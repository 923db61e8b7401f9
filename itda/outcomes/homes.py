"""The work queues of the role homes: what each person must decide or do now, read across every
stage through the scope rule. Each function runs a fixed number of queries whatever the size of
the queue (lists are cut at ``LIMIT`` rows with the full count beside them), so a home stays fast
on the first day of a programme and its last."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from itda.evaluation.models import Appeal, AppealStatus, Ranking, RankingStatus
from itda.internships.models import InternshipState
from itda.internships.selectors import company_interns, company_positions, positions_for_review
from itda.matching.models import Interview, InterviewStatus, RoundStatus, TraineeChoice
from itda.matching.selectors import rounds_for
from itda.outcomes.dashboards import kpi_board
from itda.outcomes.kpis import FUNNEL, STAGE
from itda.payments.models import BatchState, PaymentBatch, Statement, StatementState
from itda.programs.models import Programme
from itda.recruitment.models import Application, ApplicationStatus, Call, Screening
from itda.recruitment.selectors import own_applications
from itda.training.models import (
    AttendanceCorrection,
    BookingStatus,
    Certificate,
    CorrectionStatus,
    Enrollment,
    EnrollmentStatus,
    RoomBooking,
    Session,
)
from itda.training.selectors import enrollments_at_risk

# A call, a round deadline or a scoring due date this close is on the home's "now" list.
SOON = datetime.timedelta(days=7)
# How many rows of one queue a home lists; the count beside it says how many there are.
LIMIT = 10


@dataclass
class Queue:
    """One list of a home: its first rows and how many there are in all."""

    rows: list
    total: int

    @classmethod
    def of(cls, rows: QuerySet, *, total: int | None = None) -> Queue:
        first = list(rows[:LIMIT])
        if total is None:
            total = len(first) if len(first) < LIMIT else rows.count()
        return cls(rows=first, total=total)

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class StripCell:
    label: str
    count: int | str


@dataclass(frozen=True)
class Strip:
    """The programme's funnel today against its targets (outcomes.kpis), as the user may see it."""

    programme: Programme
    cells: list[StripCell]
    target_trainees: int | None
    target_companies: int | None
    companies: int | str
    live: bool


def current_programme(today: datetime.date) -> Programme | None:
    """The programme running today, else the one that started last."""
    rows = Programme.objects.order_by("-starts_on", "pk")
    return rows.filter(starts_on__lte=today, ends_on__gte=today).first() or rows.first()


def progress_strip(user, today: datetime.date) -> Strip | None:
    """The funnel of the current programme against its targets, through the KPI board (the same
    counts, snapshots and small-count suppression as the dashboard)."""
    programme = current_programme(today)
    if programme is None:
        return None
    board = kpi_board(user=user, programme=programme, day=today)
    totals = next((s for s in board.sections if s.key == "totals"), None)
    if totals is None:
        return None
    unit = totals.units[0]  # the national row, or the group's own
    return Strip(
        programme=programme,
        cells=[StripCell(STAGE[key].label, n) for key, n in zip(FUNNEL, unit.counts, strict=True)],
        target_trainees=unit.target,
        target_companies=programme.target_companies if not board.own_groups_only else None,
        companies=unit.companies,
        live=board.live,
    )


def _day_start(now: datetime.datetime) -> datetime.datetime:
    """Midnight (KST) of ``now``'s day: today's earlier interviews still show."""
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _calls_closing(user, now: datetime.datetime) -> QuerySet:
    return (
        Call.objects.visible_to(user)
        .filter(closes_at__gte=now, closes_at__lt=now + SOON)
        .select_related("operating_group")
        .order_by("closes_at", "pk")
    )


def _rounds_due(user, now: datetime.datetime) -> QuerySet:
    """Open rounds whose trainee or company deadline falls within a week."""
    window = Q(trainee_deadline__gte=now, trainee_deadline__lt=now + SOON) | Q(
        company_deadline__gte=now, company_deadline__lt=now + SOON
    )
    return rounds_for(user).filter(window, status=RoundStatus.OPEN).order_by("trainee_deadline")


@dataclass
class OperatorQueue:
    calls_closing: Queue
    rankings_to_confirm: Queue
    appeals_to_decide: Queue
    positions_to_review: Queue
    batches_to_approve: Queue


def operator_queue(user, now: datetime.datetime) -> OperatorQueue:
    """전담기관: decisions waiting on the operator (or anyone they oversee)."""
    # The latest computed ranking of each call that has no confirmed one yet.
    newer = Ranking.objects.filter(call=OuterRef("call"), computed_at__gt=OuterRef("computed_at"))
    decided = Ranking.objects.filter(
        call=OuterRef("call"), status__in=[RankingStatus.CONFIRMED, RankingStatus.PUBLISHED]
    )
    rankings = (
        Ranking.objects.visible_to(user)
        .filter(status=RankingStatus.DRAFT)
        .exclude(Exists(newer))
        .exclude(Exists(decided))
        .select_related("call")
        .order_by("computed_at", "pk")
    )
    appeals = (
        Appeal.objects.filter(
            status=AppealStatus.FILED,
            application__in=Application.objects.visible_to(user).values("pk"),
        )
        .select_related("application__call", "ranking")
        .order_by("filed_at", "pk")
    )
    batches = (
        PaymentBatch.objects.visible_to(user)
        .filter(state=BatchState.DRAFT)
        .select_related("operating_group", "programme")
        .order_by("created_at", "pk")
    )
    return OperatorQueue(
        calls_closing=Queue.of(_calls_closing(user, now)),
        rankings_to_confirm=Queue.of(rankings),
        appeals_to_decide=Queue.of(appeals),
        positions_to_review=Queue.of(positions_for_review(user).order_by("updated_at", "pk")),
        batches_to_approve=Queue.of(batches),
    )


def deadlines_this_week(user, now: datetime.datetime) -> list[tuple[datetime.datetime, str]]:
    """Calls closing and round deadlines within a week that the user runs or follows, in time
    order, each as (moment, what closes then)."""
    items = [(c.closes_at, f"「{c.title}」 접수 마감") for c in _calls_closing(user, now)[:LIMIT]]
    for r in _rounds_due(user, now)[:LIMIT]:
        for moment, what in (
            (r.trainee_deadline, "교육생 지망"),
            (r.company_deadline, "기업 순위"),
        ):
            if now <= moment < now + SOON:
                items.append((moment, f"「{r.title}」 {what} 마감"))
    return sorted(items, key=lambda item: item[0])


def cohorts_at_risk(user, now: datetime.datetime) -> list[dict]:
    """Running cohorts the user runs with trainees whose attendance over the sessions held so
    far is below the cohort's completion rate (sessions still to come are not absences), with
    how many, in one query."""
    below = enrollments_at_risk(Enrollment.objects.visible_to(user), now=now)
    return list(
        below.values(
            "cohort",
            "cohort__number",
            "cohort__course__title",
            "cohort__rule__completion_min_rate",
        )
        .annotate(n_below=Count("pk"))
        .order_by("-n_below", "cohort")[:LIMIT]
    )


@dataclass
class GroupQueue:
    sessions_today: list
    corrections: Queue
    positions_to_review: Queue
    calls_to_screen: list
    cohorts_at_risk: list
    deadlines: list = field(default_factory=list)


def group_queue(user, now: datetime.datetime) -> GroupQueue:
    """사업단 담당자: today's sessions and what waits on the group's staff, in their scope."""
    today = timezone.localdate(now)
    sessions = (
        Session.objects.visible_to(user)
        .filter(starts_at__date=today)
        .select_related("cohort__course", "booking__room__venue")
        .order_by("starts_at", "pk")
    )
    corrections = (
        AttendanceCorrection.objects.visible_to(user)
        .filter(status=CorrectionStatus.PENDING)
        .select_related("session__cohort__course")
        .order_by("requested_at", "pk")
    )
    to_screen = Q(
        applications__status=ApplicationStatus.SUBMITTED,
        applications__screening=Screening.PENDING,
    )
    calls = (
        Call.objects.visible_to(user)
        .filter(operating_group__staff=user)
        .annotate(n_to_screen=Count("applications", filter=to_screen))
        .filter(n_to_screen__gt=0)
        .order_by("closes_at", "pk")
    )
    return GroupQueue(
        sessions_today=list(sessions[: LIMIT * 2]),
        corrections=Queue.of(corrections),
        positions_to_review=Queue.of(positions_for_review(user).order_by("updated_at", "pk")),
        calls_to_screen=list(calls[:LIMIT]),
        cohorts_at_risk=cohorts_at_risk(user, now),
        deadlines=deadlines_this_week(user, now),
    )


@dataclass
class CompanyQueue:
    applications: Queue
    positions: Queue
    rounds: list
    interviews: Queue
    interns: Queue
    bookings: Queue


def company_queue(user, now: datetime.datetime) -> CompanyQueue:
    """기업 담당자: its applications, positions, rounds, interviews, interns and bookings."""
    interviews = (
        Interview.objects.visible_to(user)
        .filter(status=InterviewStatus.SCHEDULED, scheduled_at__gte=_day_start(now))
        .select_related("position", "trainee", "round")
        .order_by("scheduled_at", "pk")
    )
    bookings = (
        RoomBooking.objects.visible_to(user)
        .filter(during__endswith__gte=now)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("room__venue")
        .order_by("during")
    )
    rounds = rounds_for(user).filter(status=RoundStatus.OPEN, company_deadline__gte=now)
    return CompanyQueue(
        applications=Queue.of(own_applications(user)),
        positions=Queue.of(company_positions(user).order_by("-updated_at", "pk")),
        rounds=list(rounds.order_by("company_deadline")[:LIMIT]),
        interviews=Queue.of(interviews),
        interns=Queue.of(
            company_interns(user).filter(state=InternshipState.ACTIVE).order_by("ends_on", "pk")
        ),
        bookings=Queue.of(bookings),
    )


@dataclass
class TraineeDesk:
    sessions_today: list
    interviews: list
    choices: list
    paid_krw: int
    approved_krw: int
    certificates: list


def trainee_desk(user, now: datetime.datetime) -> TraineeDesk:
    """교육생: today's session, interviews set with them, choices, allowance so far and
    certificates — their own rows only."""
    today = timezone.localdate(now)
    mine = Enrollment.objects.visible_to(user).filter(
        trainee__user=user, status=EnrollmentStatus.ENROLLED
    )
    sessions = (
        Session.objects.filter(cohort__in=mine.values("cohort"), starts_at__date=today)
        .select_related("cohort__course", "booking__room__venue")
        .order_by("starts_at")
    )
    interviews = (
        Interview.objects.visible_to(user)
        .filter(
            trainee__user=user,
            status=InterviewStatus.SCHEDULED,
            scheduled_at__gte=_day_start(now),
        )
        .select_related("position__company")
        .order_by("scheduled_at", "pk")
    )
    choices = (
        TraineeChoice.objects.visible_to(user)
        .filter(trainee__user=user, round__status=RoundStatus.OPEN)
        .select_related("round", "position__company")
        .order_by("round__trainee_deadline", "round_id", "rank")
    )
    money = (
        Statement.objects.visible_to(user)
        .filter(trainee__user=user)
        .aggregate(
            paid=Sum("amount_krw", filter=Q(state=StatementState.PAID)),
            approved=Sum(
                "amount_krw", filter=Q(state__in=[StatementState.APPROVED, StatementState.IN_BATCH])
            ),
        )
    )
    certificates = (
        Certificate.objects.visible_to(user)
        .filter(revoked_at__isnull=True)
        .exclude(pdf="")
        .select_related("enrollment__cohort__course")
        .order_by("-issued_at")
    )
    return TraineeDesk(
        sessions_today=list(sessions),
        interviews=list(interviews[:LIMIT]),
        choices=list(choices[: LIMIT * 3]),
        paid_krw=money["paid"] or 0,
        approved_krw=money["approved"] or 0,
        certificates=list(certificates),
    )
