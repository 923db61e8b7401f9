"""Reads across stages: the pages that tell a person's whole story, and what of every stage a
programme's period must keep inside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from itda.internships.hiring import counted_hires
from itda.internships.models import (
    VOID_INTERNSHIP,
    HiringOutcome,
    Internship,
    InternshipState,
    Placement,
    PlacementState,
)
from itda.matching.models import MatchRound
from itda.outcomes.models import KpiSnapshot
from itda.programs.models import Programme, Trainee
from itda.recruitment.models import ApplicationStatus, Call, Result
from itda.training.models import Cohort, EnrollmentStatus

# The programme's path for a job seeker (교육 → 연계 → 채용), in the order it is walked.
TRAINEE_STAGES = ("지원", "선발", "교육", "연계(배정)", "인턴십", "채용")
_APPLY, _SELECT, _TRAIN, _LINK, _INTERN, _HIRE = range(len(TRAINEE_STAGES))

# When a person has several records of a stage, the one that went furthest speaks for it.
_RESULT_RANK = (Result.SELECTED, Result.WAITLISTED, Result.PENDING, Result.NOT_SELECTED)
_TRAINING_RANK = (
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.NOT_COMPLETED,
    EnrollmentStatus.WITHDRAWN,
)
_RESULT_NOTE = {
    Result.PENDING: "선발 결과 대기",
    Result.WAITLISTED: "예비 선발",
    Result.NOT_SELECTED: "선발되지 않음",
}
_TRAINING_NOTE = {
    EnrollmentStatus.ENROLLED: "교육 중",
    EnrollmentStatus.WAITLISTED: "수강 대기",
    EnrollmentStatus.NOT_COMPLETED: "미수료",
    EnrollmentStatus.WITHDRAWN: "중도포기",
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"
    note: str = ""  # where the trainee stands in this step, in a few words


@dataclass(frozen=True)
class TraineeProgress:
    """What a trainee's records say, stage by stage: the step bar's input."""

    applied: bool = False  # a submitted application
    result: str = ""  # its best result (Result), "" when none was submitted
    training: str = ""  # the furthest enrolment (EnrollmentStatus), "" when none
    placement: str = ""  # the placement that holds (PlacementState), "" when none
    internship: str = ""  # that placement's internship (InternshipState), "" when none
    # A verified hire that counts (after the subsidised period: internships.hiring).
    hired: bool = False


def _first(values: set[str], rank: tuple) -> str:
    return next((value for value in rank if value in values), "")


def trainee_progress(trainee: Trainee) -> TraineeProgress:
    """Read a trainee's progress from their records, in four queries."""
    results = set(
        trainee.applications.filter(status=ApplicationStatus.SUBMITTED).values_list(
            "result", flat=True
        )
    )
    training = set(trainee.enrollments.values_list("status", flat=True))
    # A declined or cancelled agreement cancels its placement: what holds is the latest other.
    placement = (
        Placement.objects.filter(trainee=trainee)
        .exclude(state=PlacementState.CANCELLED)
        .select_related("internship")
        .order_by("-created_at", "-pk")
        .first()
    )
    internship = getattr(placement, "internship", None) if placement else None
    return TraineeProgress(
        applied=bool(results),
        result=_first(results, _RESULT_RANK),
        training=_first(training, _TRAINING_RANK),
        placement=placement.state if placement else "",
        internship=internship.state if internship else "",
        hired=counted_hires(
            HiringOutcome.objects.filter(internship__placement__trainee=trainee)
        ).exists(),
    )


def _internship_step(progress: TraineeProgress) -> tuple[str, bool] | None:
    """The internship step's label and whether it is over, or None before a placement."""
    state, placement = progress.internship, progress.placement
    if state == InternshipState.ACTIVE or (not state and placement == PlacementState.STARTED):
        return "인턴십 중", False
    if state == InternshipState.PROPOSED or (not state and placement == PlacementState.ASSIGNED):
        return "인턴십 협약 대기", False
    if state or placement in (PlacementState.ENDED, PlacementState.ENDED_EARLY):
        # A state after active (the ending stage adds them): the internship is over.
        return "인턴십 종료", True
    return None


def step_bar(progress: TraineeProgress) -> list[Step]:
    """The trainee's step bar, 지원 → 선발 → 교육 → 연계(배정) → 인턴십 → 채용: the furthest stage
    the records reach is the current one (every earlier stage done), with a note on where the
    trainee stands in it. 채용 is done only on a recorded hiring outcome."""
    labels = list(TRAINEE_STAGES)
    notes = [""] * len(labels)
    internship = _internship_step(progress)
    if progress.hired:
        current = len(labels)  # every step done
    elif internship is not None:
        labels[_INTERN], over = internship
        current = _HIRE if over else _INTERN
    elif progress.training == EnrollmentStatus.COMPLETED:
        current, notes[_LINK] = _LINK, "배정 대기"
    elif progress.training:
        current, notes[_TRAIN] = _TRAIN, _TRAINING_NOTE[progress.training]
    elif progress.result == Result.SELECTED:
        current, notes[_TRAIN] = _TRAIN, "교육 시작 전"
    elif progress.applied:
        current, notes[_SELECT] = _SELECT, _RESULT_NOTE.get(progress.result, "선발 결과 대기")
    else:
        current, notes[_APPLY] = _APPLY, "공모에 지원하세요"
    steps = [
        Step(label, "done" if i < current else "current" if i == current else "todo", notes[i])
        for i, label in enumerate(labels)
    ]
    if not progress.hired and current >= _INTERN:
        # Until a hiring outcome is recorded, 채용 is what comes next, never reached.
        steps[_HIRE] = Step(labels[_HIRE], "todo", "다음 단계")
    return steps


def trainee_steps(trainee: Trainee) -> list[Step]:
    """The step bar of ``trainee``, from their records."""
    return step_bar(trainee_progress(trainee))


def _kst(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def period_strandings(
    programme: Programme, starts_on: datetime.date, ends_on: datetime.date
) -> list[str]:
    """Each call window, cohort, match round deadline and internship of ``programme`` that
    would fall outside the period ``starts_on``..``ends_on``, named in Korean: the same days
    (KST) the calls' and rounds' own checks use."""
    since, until = Programme(starts_on=starts_on, ends_on=ends_on).period_span
    calls = Call.objects.filter(programme=programme).filter(
        Q(opens_at__lt=since) | Q(closes_at__gte=until)
    )
    cohorts = (
        Cohort.objects.filter(rule__programme=programme)
        .filter(Q(starts_on__lt=starts_on) | Q(ends_on__gt=ends_on))
        .select_related("course")
    )
    rounds = MatchRound.objects.filter(programme=programme).filter(
        Q(trainee_deadline__lt=since) | Q(company_deadline__gte=until)
    )
    internships = (
        Internship.objects.filter(programme=programme)
        .exclude(state__in=VOID_INTERNSHIP)
        .filter(Q(starts_on__lt=starts_on) | Q(ends_on__gt=ends_on))
    )
    return [
        *(
            f"공모 「{c.title}」(접수 {_kst(c.opens_at)}~{_kst(c.closes_at)})"
            for c in calls.order_by("opens_at", "pk")
        ),
        *(
            f"기수 「{c.course.title} {c.number}기」({c.starts_on:%Y-%m-%d}~{c.ends_on:%Y-%m-%d})"
            for c in cohorts.order_by("starts_on", "pk")
        ),
        *(
            f"연계 차수 「{r.title}」(마감 {_kst(r.trainee_deadline)}·{_kst(r.company_deadline)})"
            for r in rounds.order_by("trainee_deadline", "pk")
        ),
        *(
            f"인턴십 「{i.workplace}」({i.starts_on:%Y-%m-%d}~{i.ends_on:%Y-%m-%d})"
            for i in internships.order_by("starts_on", "pk")
        ),
    ]


# --- the published monthly series (lib.suppression.series_suppressed) --------------------------

# A snapshot row that is a total: not split by track, company kind or complex.
_TOTAL_ROW = {"track": None, "company_kind": "", "complex": None}


def snapshot_days(programme: Programme, until: datetime.date) -> list[datetime.date]:
    """The stored snapshot days of ``programme`` up to ``until``, oldest first, read from the
    national rows alone (a partial index: a dozen rows a day, not every cell's)."""
    return sorted(
        KpiSnapshot.objects.filter(
            programme=programme, day__lte=until, operating_group=None, region=None, **_TOTAL_ROW
        )
        .values_list("day", flat=True)
        .distinct()
    )


def month_ends(days: list[datetime.date]) -> list[datetime.date]:
    """The last of ``days`` in each month, oldest first: a month's published point."""
    ends = {(d.year, d.month): d for d in sorted(days)}
    return sorted(ends.values())


def total_cells(
    programme: Programme, days: list[datetime.date], *, regions: bool = False
) -> dict[datetime.date, dict[tuple, dict[str, int]]]:
    """The total cells of each stored day of ``days`` that a viewer may see, in one query:
    national and each operating group's as (group, None, None), with ``regions`` each 시·도's
    as (None, None, 시·도); a day with no rows maps to {}."""
    rows = KpiSnapshot.objects.filter(programme=programme, day__in=days, **_TOTAL_ROW).filter(
        Q(operating_group=None) | Q(region=None) if regions else Q(region=None)
    )
    by_day: dict[datetime.date, dict[tuple, dict[str, int]]] = {d: {} for d in days}
    for day, group, region, stage, value in rows.values_list(
        "day", "operating_group", "region", "stage", "value"
    ):
        by_day[day].setdefault((group, None, region), {})[stage] = value
    return by_day
