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
    Placement,
    PlacementState,
)
from itda.matching.models import MatchRound
from itda.programs.models import Programme, Trainee
from itda.recruitment.models import ApplicationStatus, Call, Result
from itda.training.models import Cohort, EnrollmentStatus

# The programme's path for a job seeker (교육 → 연계 → 채용), in the order it is walked.
TRAINEE_STAGES = ("신청", "선발", "교육", "수료", "연계", "인턴", "채용")


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def trainee_steps(trainee: Trainee) -> list[Step]:
    """The trainee's step bar: every stage up to the furthest the records show is done, that
    one is current. 채용 is reached by a verified hire that counts (after the subsidised
    period, internships.hiring); before a first application, 신청 is current as the step to
    take."""
    reached = [
        trainee.applications.filter(status=ApplicationStatus.SUBMITTED).exists(),
        trainee.applications.filter(
            status=ApplicationStatus.SUBMITTED, result=Result.SELECTED
        ).exists(),
        trainee.enrollments.filter(
            status__in=(
                EnrollmentStatus.ENROLLED,
                EnrollmentStatus.COMPLETED,
                EnrollmentStatus.NOT_COMPLETED,
                EnrollmentStatus.WITHDRAWN,
            )
        ).exists(),
        trainee.enrollments.filter(status=EnrollmentStatus.COMPLETED).exists(),
        Placement.objects.filter(trainee=trainee).exclude(state=PlacementState.CANCELLED).exists(),
        Placement.objects.filter(
            trainee=trainee,
            state__in=(PlacementState.STARTED, PlacementState.ENDED, PlacementState.ENDED_EARLY),
        ).exists(),
        counted_hires(
            HiringOutcome.objects.filter(internship__placement__trainee=trainee)
        ).exists(),
    ]
    furthest = max((i for i, done in enumerate(reached) if done), default=0)
    return [
        Step(label, "done" if i < furthest else "current" if i == furthest else "todo")
        for i, label in enumerate(TRAINEE_STAGES)
    ]


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
