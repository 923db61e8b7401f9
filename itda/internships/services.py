"""Writes for internships: positions (draft → review → published) and placements."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.internships.ending import replacements_link
from itda.internships.models import (
    Placement,
    Position,
    PositionStatus,
    PositionTransition,
)
from itda.lib.korean import josa
from itda.programs.models import Company, PlacementKind
from itda.recruitment.models import CallKind, Result


class PositionError(ValidationError):
    """A request about a position that the rules refuse; the message is Korean."""


# Who may move a position from one state to another.
_COMPANY_MOVES = {
    (PositionStatus.DRAFT, PositionStatus.SUBMITTED),
    (PositionStatus.RETURNED, PositionStatus.SUBMITTED),
    (PositionStatus.PUBLISHED, PositionStatus.CLOSED),
}
_STAFF_MOVES = {
    (PositionStatus.SUBMITTED, PositionStatus.PUBLISHED),
    (PositionStatus.SUBMITTED, PositionStatus.RETURNED),
    (PositionStatus.PUBLISHED, PositionStatus.CLOSED),
}
_EDITABLE = (PositionStatus.DRAFT, PositionStatus.RETURNED)


def company_is_selected(company: Company, programme) -> bool:
    """Whether the company was selected in one of the programme's company calls."""
    return company.applications.filter(
        call__programme=programme, call__kind=CallKind.COMPANY, result=Result.SELECTED
    ).exists()


def _clean_skills(skills: list[str]) -> list[str]:
    seen: list[str] = []
    for skill in (s.strip() for s in skills):
        if skill and skill not in seen:
            seen.append(skill)
    return seen


@transaction.atomic
def position_save(*, actor: User, company: Company, fields: dict, position=None) -> Position:
    """Create or edit a company's position while it is a draft or returned for changes."""
    if not company.managers.filter(pk=actor.pk).exists():
        raise PositionError("이 기업의 담당자만 인턴 자리를 작성할 수 있습니다.")
    track = fields["track"]
    if not company_is_selected(company, track.programme):
        raise PositionError("선정된 참여기업만 인턴 자리를 등록할 수 있습니다.")
    if position is None:
        position = Position(company=company, created_by=actor)
    else:
        position = Position.objects.select_for_update().get(pk=position.pk, company=company)
        if position.status not in _EDITABLE:
            raise PositionError(
                f"'{position.get_status_display()}' 상태의 인턴 자리는 수정할 수 없습니다."
            )
    for name, value in fields.items():
        setattr(position, name, value)
    position.required_skills = _clean_skills(position.required_skills)
    position.preferred_skills = _clean_skills(position.preferred_skills)
    if track.placement_kind == PlacementKind.PBL and not position.problem_statement.strip():
        raise PositionError("Track 2(PBL) 인턴 자리는 해결할 과제(PBL 과제)를 적어야 합니다.")
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_move(*, actor: User, position: Position, to: str, note: str = "") -> Position:
    """Move a position along its workflow (submit, publish, return, close), with a trail row."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    move = (position.status, to)
    if actor.role == Role.COMPANY:
        allowed = move in _COMPANY_MOVES and position.company.managers.filter(pk=actor.pk).exists()
    else:
        allowed = move in _STAFF_MOVES and actor.role in (Role.OPERATOR, Role.GROUP_STAFF)
    if not allowed:
        raise PositionError(
            f"'{position.get_status_display()}'에서 {josa(PositionStatus(to).label, '으로/로')} "
            "바꿀 수 없습니다."
        )
    if to == PositionStatus.RETURNED and not note.strip():
        raise PositionError("보완 요청에는 사유를 적어야 합니다.")
    old = position.status
    position.status = to
    if actor.role != Role.COMPANY:
        position.review_note = note.strip()
    position.save(update_fields=["status", "review_note", "updated_at"])
    PositionTransition.objects.create(
        position=position, actor=actor, old=old, new=to, note=note.strip()
    )
    return position


def placements_create(
    *, actor: User, pairs: list[tuple[int, int]], origin: str, operating_group=None
) -> list:
    """Place many trainees at once, (trainee id, position id) each: one INSERT, all or none.
    ``operating_group``: the group that ran the linkage (None for a national round). A
    placement on the seat of an early-ended internship is linked as its replacement."""
    placements = [
        Placement(
            trainee_id=t,
            position_id=p,
            origin=origin,
            operating_group=operating_group,
            created_by=actor,
        )
        for t, p in pairs
    ]
    try:
        with transaction.atomic():
            created = Placement.objects.bulk_create(placements)
            replacements_link(created)
            return created
    except IntegrityError as exc:
        raise PositionError("이미 진행 중인 인턴십 배정이 있는 교육생이 있습니다.") from exc
