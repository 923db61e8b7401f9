"""Reads for internships."""

from django.db.models import QuerySet

from itda.internships.models import Position, PositionStatus


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
