"""Reads for internships."""

from django.db.models import QuerySet

from itda.internships.models import (
    Internship,
    Placement,
    PlacementState,
    Position,
    PositionStatus,
    StartWave,
)


def company_positions(user) -> QuerySet:
    """The positions of the companies the user manages."""
    return (
        Position.objects.visible_to(user)
        .filter(company__managers=user)
        .select_related("company", "track", "region")
    )


def positions_for_review(user, *, status: str = PositionStatus.SUBMITTED) -> QuerySet:
    """Positions in the staff member's regions, by state (the review queue by default)."""
    rows = Position.objects.visible_to(user).select_related("company", "track", "region")
    return rows.filter(status=status) if status else rows


def internships_for(user) -> QuerySet:
    """The internships the user may see (a company's, a group's region's, all for the
    operator), with what a list shows, in one query."""
    return (
        Internship.objects.visible_to(user)
        .select_related(
            "placement__trainee", "placement__position__company", "mentor", "wave", "programme"
        )
        .order_by("starts_on", "pk")
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
