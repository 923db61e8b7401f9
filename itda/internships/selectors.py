"""Reads for internships."""

from django.db.models import Exists, OuterRef, QuerySet

from itda.internships.models import (
    Internship,
    InternshipAcceptance,
    InternshipState,
    Party,
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


def internship_rows(*, state: str = "", programme=None, wave=None) -> QuerySet:
    """Internships with what a list shows, in one query, optionally of one state, programme or
    start wave (ids or objects). Not scoped: pass it through ``visible_to`` or
    ``personal_page``, which apply the scope rule and log the page."""
    rows = Internship.objects.select_related(
        "placement__trainee", "placement__position__company", "mentor", "wave", "programme"
    )
    if state:
        rows = rows.filter(state=state)
    if programme:
        rows = rows.filter(programme=programme)
    if wave:
        rows = rows.filter(wave=wave)
    return rows.order_by("starts_on", "pk")


def internships_for(user, **filters) -> QuerySet:
    """The internships the user may see (a company's, a group's region's, all for the
    operator), filtered as ``internship_rows``."""
    return internship_rows(**filters).visible_to(user)


def _accepted_by(party: Party) -> Exists:
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
        .annotate(company_accepted=_accepted_by(Party.COMPANY))
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
