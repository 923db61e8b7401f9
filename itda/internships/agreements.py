"""Writes for internship agreements (협약): proposal, terms, the three parties' acceptance,
decline and cancellation; the company's mentors; the operator's start waves and mentor ceiling.

State machine: proposed → active (when company, intern and operating group have accepted the
current version), proposed → declined (company or intern, with a reason: the seat is freed for
the next round), proposed → cancelled (staff, with a reason). Every move is an event row; a move
the table does not hold is refused in Korean and changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from itda.accounts.models import User
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import user_create
from itda.internships.models import (
    VOID_INTERNSHIP,
    Internship,
    InternshipAcceptance,
    InternshipState,
    InternshipTransition,
    Mentor,
    Party,
    Placement,
    PlacementState,
    StartWave,
)
from itda.lib.korean import josa
from itda.programs.models import Company, Programme

# The edition of the agreement form (templates/internships/agreement.txt): change it with the
# template, so an acceptance names the wording its party saw.
AGREEMENT_FORM = "itda 인턴십 협약서 2026-1"

# How the release's "3개월 이내" is counted for a person with more than one internship; the
# same measure as training's (training.enrolment.MONTH_MEASURE).
MONTH_MEASURE = (
    "인턴십별 기간(시작일~종료일) 합산을 첫 시작일부터의 달력 개월과 비교 — itda 기본값 — "
    "운영지침 확인 필요"
)

# Who may move an internship from one state to another; anything else is refused.
_MOVES = {
    (InternshipState.PROPOSED, InternshipState.ACTIVE): frozenset(),  # by acceptance only
    (InternshipState.PROPOSED, InternshipState.DECLINED): frozenset({Party.COMPANY, Party.INTERN}),
    (InternshipState.PROPOSED, InternshipState.CANCELLED): frozenset({Party.GROUP}),
    # The end (internships.ending): staff of the managing group record it.
    (InternshipState.ACTIVE, InternshipState.COMPLETED): frozenset({Party.GROUP}),
    (InternshipState.ACTIVE, InternshipState.ENDED_EARLY): frozenset({Party.GROUP}),
}
# Where an internship's state takes its placement: a void internship frees its seat (the
# placement no longer counts), an active one starts it, a completed one keeps its seat used
# and an early-ended one frees it for the next round.
_PLACEMENT_STATE = {
    InternshipState.DECLINED: PlacementState.CANCELLED,
    InternshipState.CANCELLED: PlacementState.CANCELLED,
    InternshipState.ACTIVE: PlacementState.STARTED,
    InternshipState.COMPLETED: PlacementState.ENDED,
    InternshipState.ENDED_EARLY: PlacementState.ENDED_EARLY,
}
_TERMS = ("starts_on", "ends_on", "workplace", "days_per_week", "hours_per_week", "mentor")


class AgreementError(ValidationError):
    """A request about an internship that the rules refuse; the message is Korean."""


# --- the agreement text --------------------------------------------------------------------------


def agreement_text(internship: Internship) -> str:
    """The agreement as its parties read and accept it."""
    return render_to_string("internships/agreement.txt", {"internship": internship}).strip()


def agreement_version(internship: Internship) -> str:
    """The version string an acceptance records: the form's edition and the terms' version."""
    return f"{AGREEMENT_FORM} · 버전 {internship.terms_version}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- who is acting -------------------------------------------------------------------------------


def party_of(internship: Internship, actor: User) -> Party | None:
    """The party ``actor`` accepts for, or None: the company's manager, the intern, or staff
    of the group that manages the internship (the operator for any)."""
    if actor.role == Role.COMPANY:
        company = internship.placement.position.company
        return Party.COMPANY if company.managers.filter(pk=actor.pk).exists() else None
    if actor.role == Role.TRAINEE:
        return Party.INTERN if internship.placement.trainee.user_id == actor.pk else None
    if actor.role in PROGRAMME_STAFF:
        visible = Internship.objects.visible_to(actor).filter(pk=internship.pk).exists()
        return Party.GROUP if visible else None
    return None


def _lock(internship: Internship) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related("placement__position__company", "placement__trainee", "programme")
        .get(pk=internship.pk)
    )


def _move(internship: Internship, to: InternshipState, *, actor: User, note: str = "") -> None:
    """Change state, write the event row, and keep the placement in step (``_PLACEMENT_STATE``)."""
    old = internship.state
    internship.state = to
    internship.save(update_fields=["state", "updated_at"])
    InternshipTransition.objects.create(
        internship=internship,
        actor=actor,
        old=old,
        new=to,
        terms_version=internship.terms_version,
        note=note,
    )
    placement = internship.placement
    placement.state = _PLACEMENT_STATE[to]
    placement.save(update_fields=["state"])


def _require_move(internship: Internship, to: InternshipState, party: Party | None) -> None:
    allowed = _MOVES.get((internship.state, to))
    if allowed is None or party not in allowed:
        raise AgreementError(
            f"'{internship.get_state_display()}' 상태의 인턴십은 "
            f"{josa(to.label, '으로/로')} 바꿀 수 없습니다."
        )


# --- the rules on terms --------------------------------------------------------------------------


def wave_for(programme: Programme, day: datetime.date) -> StartWave | None:
    """The programme's start wave that admits ``day`` as a start date, if any."""
    return (
        StartWave.objects.filter(programme=programme, first_start__lte=day, last_start__gte=day)
        .order_by("first_start", "pk")
        .first()
    )


def _days(internship: Internship) -> int:
    return (internship.ends_on - internship.starts_on).days + 1


def _months_error(internship: Internship) -> str | None:
    """Why the person's internships in the programme would exceed its months, or None."""
    months = internship.programme.internship_months_max
    if not months:
        return None
    others = list(
        Internship.objects.filter(
            placement__trainee=internship.placement.trainee_id, programme=internship.programme_id
        )
        .exclude(pk=internship.pk)
        .exclude(state__in=VOID_INTERNSHIP)
        .select_related("placement__position__company")
        .order_by("starts_on", "pk")
    )
    first = min([internship.starts_on, *(o.starts_on for o in others)])
    allowed = (first + relativedelta(months=months) - first).days
    this = _days(internship)
    total = this + sum(_days(o) for o in others)
    if total <= allowed:
        return None
    before = ", ".join(
        f"{o.placement.position.company.name} · {o.placement.position.title}"
        f"({o.starts_on:%Y-%m-%d}~{o.ends_on:%Y-%m-%d}, {o.get_state_display()}) {_days(o)}일"
        for o in others
    )
    head = f"인턴십은 1인당 {months}개월 이내입니다. "
    if others:
        head += f"이미 {before}이 있어, 이 인턴십 {this}일을 더하면 {total}일로 "
    else:
        head += f"이 인턴십은 {this}일로 "
    return f"{head}{months}개월({allowed}일)을 넘습니다. 계산: {MONTH_MEASURE}"


def _terms_errors(internship: Internship) -> list[str]:
    """Every rule the terms break, in Korean (empty when they hold)."""
    programme = internship.programme
    errors = []
    if internship.ends_on < internship.starts_on:
        errors.append("종료일은 시작일 이후여야 합니다.")
    if not (
        programme.starts_on <= internship.starts_on and internship.ends_on <= programme.ends_on
    ):
        errors.append(
            f"인턴십 기간은 사업기간({programme.starts_on:%Y-%m-%d}~{programme.ends_on:%Y-%m-%d}) "
            "안에 있어야 합니다."
        )
    wave = wave_for(programme, internship.starts_on)
    if wave is None:
        opened = ", ".join(str(w) for w in StartWave.objects.filter(programme=programme))
        errors.append(
            "시작일은 전담기관이 연 시작 차수 안이어야 합니다"
            + (f" (열린 차수: {opened})." if opened else " (아직 열린 차수가 없습니다).")
        )
    else:
        internship.wave = wave
    if internship.ends_on >= internship.starts_on and (problem := _months_error(internship)):
        errors.append(problem)
    if internship.mentor_id is not None and (problem := _mentor_error(internship)):
        errors.append(problem)
    return errors


def _mentor_error(internship: Internship) -> str | None:
    """Why the internship's mentor cannot take it: another company's, or at the ceiling. The
    ceiling is on interns at once: those whose days overlap this one's (an early-ended
    internship's end date is its last working day, so it stops loading the mentor then)."""
    mentor = Mentor.objects.select_for_update().get(pk=internship.mentor_id)
    if mentor.company_id != internship.placement.position.company_id:
        return "이 기업의 멘토만 지정할 수 있습니다."
    ceiling = internship.programme.mentor_interns_max
    load = (
        mentor.internships.exclude(state__in=VOID_INTERNSHIP)
        .exclude(pk=internship.pk)
        .filter(starts_on__lte=internship.ends_on, ends_on__gte=internship.starts_on)
        .count()
    )
    if load >= ceiling:
        return (
            f"{mentor.name} 멘토는 이미 인턴 {load}명을 맡고 있어 더 맡을 수 없습니다 "
            f"(멘토 1인당 최대 {ceiling}명)."
        )
    return None


def _check_terms(internship: Internship) -> None:
    if errors := _terms_errors(internship):
        raise AgreementError(errors)
    internship.full_clean()


# --- proposal and terms --------------------------------------------------------------------------


@transaction.atomic
def internship_propose(
    *,
    placement: Placement,
    starts_on: datetime.date,
    ends_on: datetime.date,
    days_per_week: int,
    hours_per_week: int,
    workplace: str = "",
    mentor: Mentor | None = None,
    actor: User,
) -> Internship:
    """Staff of the group that manages a placement propose its agreement: dates, workplace (the
    position's site unless given), weekly time and the programme's support model as it is now."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if actor.role not in PROGRAMME_STAFF or not (
        Placement.objects.visible_to(actor).filter(pk=placement.pk).exists()
    ):
        raise AgreementError("이 배정을 관리하는 사업단 담당자만 협약을 제안할 수 있습니다.")
    if placement.state != PlacementState.ASSIGNED or hasattr(placement, "internship"):
        raise AgreementError("이미 협약을 제안했거나 취소된 배정입니다.")
    programme = placement.position.track.programme
    internship = Internship(
        placement=placement,
        programme=programme,
        starts_on=starts_on,
        ends_on=ends_on,
        workplace=workplace.strip() or placement.position.site_address,
        days_per_week=days_per_week,
        hours_per_week=hours_per_week,
        mentor=mentor,
        payee=programme.internship_allowance_payee,
        monthly_amount_krw=programme.internship_allowance_monthly_krw,
        proposed_by=actor,
    )
    _check_terms(internship)
    internship.save()
    InternshipTransition.objects.create(
        internship=internship,
        actor=actor,
        new=InternshipState.PROPOSED,
        terms_version=1,
        note="협약 제안",
    )
    return internship


@transaction.atomic
def internship_terms_change(*, internship: Internship, actor: User, **terms) -> Internship:
    """Change terms of a proposed agreement: staff change dates, workplace and weekly time; the
    company names the mentor. Any change is a new version: earlier acceptances stop counting."""
    internship = _lock(internship)
    party = party_of(internship, actor)
    mine = {"mentor"} if party == Party.COMPANY else set(_TERMS) if party == Party.GROUP else set()
    if not mine or not set(terms) <= mine:
        raise AgreementError("이 협약 조건을 바꿀 권한이 없습니다.")
    if internship.state == InternshipState.ACTIVE and party == Party.COMPANY:
        return _mentor_reassign(internship, terms["mentor"], actor=actor)
    if internship.state != InternshipState.PROPOSED:
        raise AgreementError(
            f"'{internship.get_state_display()}' 상태의 인턴십은 조건을 바꿀 수 없습니다."
        )
    changed = [name for name, value in terms.items() if getattr(internship, name) != value]
    if not changed:
        return internship
    for name in changed:
        setattr(internship, name, terms[name])
    if "workplace" in changed:
        internship.workplace = internship.workplace.strip()
    _check_terms(internship)
    old_version = internship.terms_version
    internship.terms_version += 1
    internship.save(update_fields=[*changed, "wave", "terms_version", "updated_at"])
    labels = ", ".join(str(Internship._meta.get_field(n).verbose_name) for n in changed)
    InternshipTransition.objects.create(
        internship=internship,
        actor=actor,
        old=internship.state,
        new=internship.state,
        terms_version=internship.terms_version,
        note=f"조건 변경({labels}): 버전 {old_version} → {internship.terms_version}, 수락 초기화",
    )
    return internship


# --- acceptance, decline, cancellation -----------------------------------------------------------


def current_acceptances(internship: Internship) -> dict[str, InternshipAcceptance]:
    """The acceptances of the current version, by party."""
    rows = internship.acceptances.filter(terms_version=internship.terms_version)
    return {a.party: a for a in rows.select_related("user")}


@transaction.atomic
def internship_accept(*, internship: Internship, version: int, actor: User) -> Internship:
    """One party accepts the version of the agreement it read; the third acceptance makes the
    internship active. The row lock makes concurrent acceptances take turns, so exactly one of
    them sees all three and moves the state."""
    internship = _lock(internship)
    party = party_of(internship, actor)
    if party is None:
        raise AgreementError("이 협약의 당사자가 아닙니다.")
    if internship.state != InternshipState.PROPOSED:
        raise AgreementError(
            f"'{internship.get_state_display()}' 상태의 인턴십은 수락할 수 없습니다."
        )
    if version != internship.terms_version:
        raise AgreementError("협약 내용이 바뀌었습니다. 바뀐 내용을 읽고 다시 수락하세요.")
    if internship.mentor_id is None:
        raise AgreementError("기업이 멘토를 정한 뒤에 수락할 수 있습니다.")
    accepted = current_acceptances(internship)
    if party in accepted:
        raise AgreementError("이 협약 버전은 이미 수락했습니다.")
    text = agreement_text(internship)
    InternshipAcceptance.objects.create(
        internship=internship,
        party=party,
        user=actor,
        terms_version=internship.terms_version,
        text_version=agreement_version(internship),
        text_sha256=_sha256(text),
    )
    if set(accepted) | {party} == set(Party.values):
        _move(internship, InternshipState.ACTIVE, actor=actor, note="기업·인턴·사업단 모두 수락")
    return internship


def _with_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 2:
        raise AgreementError("사유를 적어야 합니다.")
    return reason


@transaction.atomic
def internship_decline(*, internship: Internship, reason: str, actor: User) -> Internship:
    """The company or the intern declines a proposed agreement, with a reason; the placement is
    cancelled, so the seat and the trainee are free for the next round."""
    internship = _lock(internship)
    party = party_of(internship, actor)
    _require_move(internship, InternshipState.DECLINED, party)
    reason = _with_reason(reason)
    _move(internship, InternshipState.DECLINED, actor=actor, note=f"{party.label} 거절: {reason}")
    return internship


@transaction.atomic
def internship_cancel(*, internship: Internship, reason: str, actor: User) -> Internship:
    """Staff withdraw a proposed agreement, with a reason; the seat is freed as on a decline."""
    internship = _lock(internship)
    _require_move(internship, InternshipState.CANCELLED, party_of(internship, actor))
    reason = _with_reason(reason)
    _move(internship, InternshipState.CANCELLED, actor=actor, note=reason)
    return internship


# --- mentors -------------------------------------------------------------------------------------


@transaction.atomic
def mentor_create(
    *, company: Company, username: str, name: str, title: str = "", actor: User
) -> tuple[Mentor, str]:
    """A company manager names a mentor: a new mentor account of the company and its first
    password, returned once for the manager to hand over (only its hash is kept)."""
    if actor.role != Role.COMPANY or not company.managers.filter(pk=actor.pk).exists():
        raise AgreementError("이 기업의 담당자만 멘토를 지정할 수 있습니다.")
    password = secrets.token_urlsafe(12)
    user = user_create(
        username=username.strip(), password=password, role=Role.MENTOR, display_name=name.strip()
    )
    mentor = Mentor(
        user=user, company=company, name=name.strip(), title=title.strip(), created_by=actor
    )
    mentor.full_clean()
    mentor.save()
    return mentor, password


@transaction.atomic
def mentor_deactivate(*, mentor: Mentor, reason: str, actor: User) -> Mentor:
    """A company manager deactivates a mentor's account (the mentor left): it no longer signs
    in; its interns show "멘토 없음 — 지정 필요" and the company's managers write their mentor
    reports until a new mentor is named (ojt.may_write). Each internship in force gets an event
    row (who, when, why)."""
    mentor = Mentor.objects.select_for_update().select_related("user", "company").get(pk=mentor.pk)
    if actor.role != Role.COMPANY or not mentor.company.managers.filter(pk=actor.pk).exists():
        raise AgreementError("이 기업의 담당자만 멘토 계정을 비활성화할 수 있습니다.")
    if not mentor.user.is_active:
        raise AgreementError(f"{mentor.name} 멘토 계정은 이미 비활성화되어 있습니다.")
    reason = _with_reason(reason)
    User.objects.filter(pk=mentor.user_id).update(is_active=False)
    InternshipTransition.objects.bulk_create(
        InternshipTransition(
            internship=internship,
            actor=actor,
            old=internship.state,
            new=internship.state,
            terms_version=internship.terms_version,
            note=f"멘토 계정 비활성화({mentor.name}): {reason}"[:300],
        )
        for internship in mentor.internships.filter(state=InternshipState.ACTIVE)
    )
    mentor.user.is_active = False
    return mentor


def _mentor_reassign(internship: Internship, mentor: Mentor | None, *, actor: User) -> Internship:
    """The company names a new mentor for an internship in force (its mentor left): an active
    account of the company, under the operator's ceiling; the agreement's version stays (the
    mentor is the company's to name) and an event row records the change."""
    if mentor is None:
        raise AgreementError("새 멘토를 고르세요.")
    if not User.objects.filter(pk=mentor.user_id, is_active=True).exists():
        raise AgreementError(f"{mentor.name} 멘토 계정은 비활성화되어 지정할 수 없습니다.")
    if internship.mentor_id == mentor.pk:
        return internship
    old = internship.mentor
    internship.mentor = mentor
    if error := _mentor_error(internship):
        raise AgreementError(error)
    internship.save(update_fields=["mentor", "updated_at"])
    InternshipTransition.objects.create(
        internship=internship,
        actor=actor,
        old=internship.state,
        new=internship.state,
        terms_version=internship.terms_version,
        note=f"멘토 변경: {old.name if old else '없음'} → {mentor.name}"[:300],
    )
    return internship


# --- the operator's settings ---------------------------------------------------------------------


def _require_operator(actor: User) -> None:
    if actor.role != Role.OPERATOR:
        raise AgreementError("전담기관 운영자만 할 수 있습니다.")


@transaction.atomic
def start_wave_create(
    *,
    programme: Programme,
    label: str,
    first_start: datetime.date,
    last_start: datetime.date,
    actor: User,
) -> StartWave:
    """Open a start wave: internships of the programme may start on its days."""
    _require_operator(actor)
    wave = StartWave(
        programme=programme,
        label=label.strip(),
        first_start=first_start,
        last_start=last_start,
        created_by=actor,
    )
    if not (programme.starts_on <= first_start and last_start <= programme.ends_on):
        raise AgreementError(
            f"시작 차수는 사업기간({programme.starts_on:%Y-%m-%d}~{programme.ends_on:%Y-%m-%d}) "
            "안에 있어야 합니다."
        )
    wave.full_clean()
    try:
        with transaction.atomic():
            wave.save()
    except IntegrityError as exc:
        raise AgreementError("이 사업에 같은 이름의 시작 차수가 이미 있습니다.") from exc
    return wave


@transaction.atomic
def mentor_ceiling_set(*, programme: Programme, ceiling: int, actor: User) -> Programme:
    """The operator sets the most interns one mentor may have at once."""
    _require_operator(actor)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.mentor_interns_max = ceiling
    programme.full_clean()
    programme.save(update_fields=["mentor_interns_max"])
    return programme
