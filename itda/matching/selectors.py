"""Reads for linkage: who may take part in a round, what they may choose, and skills fit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from itda.accounts.roles import Role
from itda.internships.models import ACTIVE_PLACEMENT, Placement, Position, PositionStatus
from itda.matching.models import (
    CompanyRanking,
    Interview,
    MatchRound,
    RoundStatus,
    TraineeChoice,
)
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


def open_rounds_for_trainee(trainee: Trainee, *, now: datetime.datetime) -> list[MatchRound]:
    """Open rounds the trainee may rank in now."""
    rounds = MatchRound.objects.filter(status=RoundStatus.OPEN, trainee_deadline__gt=now)
    today = now.date()
    return [r for r in rounds if round_trainees(r, today=today).filter(pk=trainee.pk).exists()]


def position_search(
    round_: MatchRound, *, region: str = "", track: str = "", skill: str = ""
) -> QuerySet:
    """The round's positions filtered by region code, track code and one skill (as listed)."""
    rows = round_positions(round_)
    if region:
        rows = rows.filter(region__code=region)
    if track:
        rows = rows.filter(track__code=track)
    if skill:
        rows = rows.filter(
            Q(required_skills__contains=[skill]) | Q(preferred_skills__contains=[skill])
        )
    return rows.order_by("company__name", "pk")


def trainee_choice_list(round_: MatchRound, trainee: Trainee) -> list[Position]:
    """The trainee's choices in the round, best first."""
    return [
        c.position
        for c in round_.choices.filter(trainee=trainee)
        .select_related("position__company", "position__region", "position__track")
        .order_by("rank")
    ]


def round_skills(round_: MatchRound) -> list[str]:
    """Every skill the round's positions name, for the filter."""
    skills: set[str] = set()
    for required, preferred in round_positions(round_).values_list(
        "required_skills", "preferred_skills"
    ):
        skills.update(required, preferred)
    return sorted(skills)


def company_round_positions(round_: MatchRound, user) -> QuerySet:
    """The round's positions of the companies the user manages."""
    return round_positions(round_).filter(company__managers=user)


def position_applicants(round_: MatchRound, position: Position) -> list[dict]:
    """Trainees who chose the position, with their choice rank, the company's rank, and
    whether an interview is scheduled (which opens their contact details)."""
    choices = (
        TraineeChoice.objects.filter(round=round_, position=position)
        .select_related("trainee")
        .order_by("trainee__name", "trainee_id")
    )
    ranks = dict(
        CompanyRanking.objects.filter(round=round_, position=position).values_list(
            "trainee_id", "rank"
        )
    )
    interviews = {
        i.trainee_id: i for i in Interview.objects.filter(round=round_, position=position)
    }
    return [
        {
            "trainee": c.trainee,
            "choice_rank": c.rank,
            "company_rank": ranks.get(c.trainee_id),
            "interview": interviews.get(c.trainee_id),
            "fit": skills_fit(c.trainee.skills, position),
        }
        for c in choices
    ]


def round_visible_to(user) -> QuerySet:
    """Rounds a staff member follows: the operator all, group staff their groups' and national."""
    rounds = MatchRound.objects.select_related("operating_group", "programme")
    if user.role == Role.OPERATOR:
        return rounds
    if user.role == Role.GROUP_STAFF:
        return rounds.filter(
            Q(operating_group__in=user.operating_groups.all()) | Q(operating_group__isnull=True)
        )
    return rounds.none()


def round_progress(round_: MatchRound, *, today: datetime.date) -> dict:
    """How far the round has come: who may rank, who did, seats, and positions ranked."""
    positions = round_positions(round_)
    return {
        "eligible": round_trainees(round_, today=today).count(),
        "ranked": round_.choices.values("trainee").distinct().count(),
        "positions": positions.count(),
        "seats": sum(positions.values_list("seats", flat=True)),
        "positions_ranked": round_.rankings.values("position").distinct().count(),
    }


def round_input(round_: MatchRound, *, today: datetime.date) -> dict:
    """The engine's input for the round, in the CLI's format: trainees' choices and positions'
    rankings best first, ids "T<pk>"/"P<pk>", sorted so the same rows give the same bytes."""
    trainees = set(round_trainees(round_, today=today).values_list("pk", flat=True))
    positions = dict(round_positions(round_).values_list("pk", "seats"))
    choices: dict[int, list[str]] = {}
    for trainee_id, position_id in round_.choices.order_by("trainee_id", "rank").values_list(
        "trainee_id", "position_id"
    ):
        if trainee_id in trainees and position_id in positions:
            choices.setdefault(trainee_id, []).append(f"P{position_id}")
    rankings: dict[int, list[str]] = {pk: [] for pk in positions}
    for position_id, trainee_id in round_.rankings.order_by("position_id", "rank").values_list(
        "position_id", "trainee_id"
    ):
        if position_id in positions and trainee_id in trainees:
            rankings[position_id].append(f"T{trainee_id}")
    return {
        "trainees": [{"id": f"T{pk}", "ranking": choices.get(pk, [])} for pk in sorted(trainees)],
        "positions": [
            {"id": f"P{pk}", "capacity": seats, "ranking": rankings[pk]}
            for pk, seats in sorted(positions.items())
        ],
    }
