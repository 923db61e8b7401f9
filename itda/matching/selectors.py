"""Reads for linkage: who may take part in a round, what they may choose, and skills fit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from itda.internships.models import ACTIVE_PLACEMENT, Placement, Position, PositionStatus
from itda.matching.models import MatchRound
from itda.programs.models import Trainee
from itda.training.models import Enrollment, EnrollmentStatus

# A trainee whose cohort ends within this many days may rank positions before completing.
ABOUT_TO_COMPLETE_DAYS = 14


def _round_regions(round_: MatchRound) -> Q:
    if round_.operating_group_id is None:
        return Q()
    return Q(region__in=round_.operating_group.regions.all())


def round_trainees(round_: MatchRound, *, today: datetime.date) -> QuerySet:
    """Trainees who may rank in the round: completed (or about to complete) training of the
    round's programme, in its regions, and not already placed."""
    horizon = today + datetime.timedelta(days=ABOUT_TO_COMPLETE_DAYS)
    trained = Enrollment.objects.filter(
        trainee=OuterRef("pk"), cohort__course__operating_group__programme=round_.programme_id
    ).filter(
        Q(status=EnrollmentStatus.COMPLETED)
        | Q(status=EnrollmentStatus.ENROLLED, cohort__ends_on__lte=horizon)
    )
    placed = Placement.objects.filter(trainee=OuterRef("pk"), state__in=ACTIVE_PLACEMENT)
    return (
        Trainee.objects.filter(_round_regions(round_))
        .filter(Exists(trained))
        .exclude(Exists(placed))
    )


def round_positions(round_: MatchRound) -> QuerySet:
    """Published positions of the round's programme in its regions."""
    return (
        Position.objects.filter(status=PositionStatus.PUBLISHED, track__programme=round_.programme)
        .filter(_round_regions(round_))
        .select_related("company", "track", "region")
    )


@dataclass(frozen=True)
class SkillsFit:
    """How a trainee's skills meet a position's: what matches and what is missing."""

    matched_required: list[str]
    missing_required: list[str]
    matched_preferred: list[str]


def skills_fit(trainee_skills: list[str], position: Position) -> SkillsFit:
    """Compare case-insensitively; the position's spelling is shown."""
    have = {s.casefold() for s in trainee_skills}
    return SkillsFit(
        matched_required=[s for s in position.required_skills if s.casefold() in have],
        missing_required=[s for s in position.required_skills if s.casefold() not in have],
        matched_preferred=[s for s in position.preferred_skills if s.casefold() in have],
    )
