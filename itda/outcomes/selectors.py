"""Reads across stages for the pages that tell a person's whole story."""

from __future__ import annotations

from dataclasses import dataclass

from itda.internships.models import Placement, PlacementState
from itda.programs.models import Trainee
from itda.recruitment.models import ApplicationStatus, Result
from itda.training.models import EnrollmentStatus

# The programme's path for a job seeker (교육 → 연계 → 채용), in the order it is walked.
TRAINEE_STAGES = ("신청", "선발", "교육", "수료", "연계", "인턴", "채용")


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def trainee_steps(trainee: Trainee) -> list[Step]:
    """The trainee's step bar: every stage up to the furthest the records show is done, that
    one is current. 채용 has no records yet (hiring outcomes are not kept), so it is never
    reached; before a first application, 신청 is current as the step to take."""
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
            trainee=trainee, state__in=(PlacementState.STARTED, PlacementState.ENDED)
        ).exists(),
        False,
    ]
    furthest = max((i for i, done in enumerate(reached) if done), default=0)
    return [
        Step(label, "done" if i < furthest else "current" if i == furthest else "todo")
        for i, label in enumerate(TRAINEE_STAGES)
    ]
