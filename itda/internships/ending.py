"""Writes and reads for the end of an internship (issue 12 §4): completion at the end date, an
early end (who ended it, the last working day, why, evidence), and the replacement chain of the
seats that early ends free.

The agreement's state machine (``agreements._MOVES``) goes on: active → completed (staff of the
managing group, once nothing in ``completion_blockers`` stands), active → ended_early (staff,
with the kind, last working day and reason). Each writes an ``InternshipEnding`` and an event
row; the placement follows (completed → ended: the seat stays used; ended early → ended_early:
the seat is free for rounds published after it). Anything else is refused in Korean.

Decisions the issue left open:
- An early end cuts the internship's end date to its last working day (the agreed date stays on
  the ending). So ended_early is not a void state: the per-person months count the days it ran,
  and the mentor is loaded only while it ran; a second internship can use what is left.
- The last working day lies between the start and the day before the agreed end, and not after
  today (an end is recorded when it has happened). An intern who never came is an early end on
  the first day.
- A placement made on a position that has an early-ended internship without a replacement is
  that internship's replacement, oldest end first; a chain forms when a replacement ends early
  too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from itda.accounts.models import User
from itda.internships import hiring
from itda.internships.agreements import (
    AgreementError,
    _lock,
    _move,
    _require_move,
    _with_reason,
    party_of,
)
from itda.internships.models import (
    EARLY_ENDINGS,
    ENDED_INTERNSHIP,
    EndingKind,
    FinalReview,
    Internship,
    InternshipEnding,
    InternshipState,
    OjtReportState,
    Party,
    Placement,
    Replacement,
)
from itda.internships.selectors import ojt_months
from itda.programs.models import PlacementKind
from itda.recruitment.services import ApplicationError, upload_checked
from itda.training.attendance import EVIDENCE_KINDS, EVIDENCE_MAX_MB

# --- completion ----------------------------------------------------------------------------------


def _end_date_reached(internship: Internship, today: datetime.date) -> str | None:
    if today < internship.ends_on:
        return f"종료일({internship.ends_on:%Y-%m-%d})이 되어야 완료할 수 있습니다."
    return None


def _final_reports_approved(internship: Internship, today: datetime.date) -> str | None:
    """Track 1 (OJT): every month's work log and mentor report approved (the months up to the
    internship's end date, from the set-based month selector); Track 2 (PBL): the final
    review given."""
    kind = internship.placement.position.track.placement_kind
    if kind == PlacementKind.PBL:
        if not FinalReview.objects.filter(internship=internship).exists():
            return "기업의 최종 평가가 있어야 완료할 수 있습니다."
        return None
    approved = OjtReportState.APPROVED.value
    open_months = [
        f"{row.month:%Y-%m}"
        for row in ojt_months(Internship.objects.filter(pk=internship.pk), day=today)
        if row.log_state != approved or row.mentor_state != approved
    ]
    if open_months:
        return (
            "모든 달의 근무일지와 멘토 보고서가 승인되어야 완료할 수 있습니다 "
            f"(승인 전: {', '.join(open_months)})."
        )
    return None


# What must hold before an internship is completed, each a check returning a Korean reason or
# None: the end date, and the final reports (honest completion: "final reports approved").
COMPLETION_CHECKS: list[Callable[[Internship, datetime.date], str | None]] = [
    _end_date_reached,
    _final_reports_approved,
]


def completion_blockers(internship: Internship, *, today: datetime.date | None = None) -> list[str]:
    """Why the internship cannot be completed yet, in Korean (empty when it can)."""
    today = today or timezone.localdate()
    return [reason for check in COMPLETION_CHECKS if (reason := check(internship, today))]


@transaction.atomic
def internship_complete(
    *, internship: Internship, actor: User, today: datetime.date | None = None
) -> Internship:
    """Staff of the managing group complete an active internship at its end date; its seat
    stays used and its hiring outcomes fall due."""
    internship = _lock(internship)
    _require_move(internship, InternshipState.COMPLETED, party_of(internship, actor))
    if blockers := completion_blockers(internship, today=today):
        raise AgreementError(blockers)
    InternshipEnding.objects.create(
        internship=internship,
        kind=EndingKind.COMPLETED,
        last_day=internship.ends_on,
        agreed_ends_on=internship.ends_on,
        recorded_by=actor,
    )
    _move(internship, InternshipState.COMPLETED, actor=actor, note="기간 만료 완료")
    return internship


# --- early end -----------------------------------------------------------------------------------


def _last_day_errors(internship: Internship, last_day: datetime.date, today: datetime.date):
    errors = []
    if last_day < internship.starts_on:
        errors.append(
            f"마지막 근무일은 시작일({internship.starts_on:%Y-%m-%d}) 이후여야 합니다. "
            "시작하지 않은 인턴십은 시작일을 마지막 근무일로 적습니다."
        )
    if last_day >= internship.ends_on:
        errors.append(
            f"마지막 근무일이 종료일({internship.ends_on:%Y-%m-%d}) 이후이면 중도 종료가 "
            "아니라 기간 만료 완료입니다."
        )
    if last_day > today:
        errors.append("중도 종료는 마지막 근무일이 지난 뒤(오늘까지)에 기록합니다.")
    return errors


@transaction.atomic
def internship_end_early(
    *,
    internship: Internship,
    kind: str,
    last_day: datetime.date,
    reason: str,
    evidence=None,
    actor: User,
    today: datetime.date | None = None,
) -> Internship:
    """Staff record that an active internship ended early: who ended it (the intern, the
    company, other), the last working day, the reason and optional evidence. The end date is
    cut to the last working day and the seat is freed for the next round."""
    today = today or timezone.localdate()
    internship = _lock(internship)
    _require_move(internship, InternshipState.ENDED_EARLY, party_of(internship, actor))
    if kind not in EARLY_ENDINGS:
        raise AgreementError("중도 종료 구분을 고르세요 (인턴 중도 포기, 기업 사정, 기타).")
    reason = _with_reason(reason)
    if errors := _last_day_errors(internship, last_day, today):
        raise AgreementError(errors)
    agreed = internship.ends_on
    ending = InternshipEnding(
        internship=internship,
        kind=kind,
        last_day=last_day,
        agreed_ends_on=agreed,
        reason=reason,
        recorded_by=actor,
    )
    if evidence is not None:
        try:
            sha256 = upload_checked(
                evidence, kinds=EVIDENCE_KINDS, max_size_mb=EVIDENCE_MAX_MB, label="증빙"
            )
        except ApplicationError as exc:
            raise AgreementError(exc.messages) from exc
        ending.evidence_sha256 = sha256
        ending.evidence_name = evidence.name[:200]
        ending.evidence.save(sha256, evidence, save=False)
    ending.full_clean()
    ending.save()
    internship.ends_on = last_day
    internship.save(update_fields=["ends_on", "updated_at"])
    _move(
        internship,
        InternshipState.ENDED_EARLY,
        actor=actor,
        note=(
            f"{EndingKind(kind).label}: {reason} "
            f"(마지막 근무일 {last_day:%Y-%m-%d}, 종료일 {agreed:%Y-%m-%d} → {last_day:%Y-%m-%d})"
        )[:300],
    )
    return internship


# --- replacement ---------------------------------------------------------------------------------


def replacements_link(placements: list[Placement]) -> list[Replacement]:
    """Make each new placement the replacement of an early-ended internship of its position
    that has none yet, oldest end first; placements beyond those fill ordinary seats. Called
    inside the transaction that creates the placements (a published round)."""
    by_position: dict[int, list[Placement]] = defaultdict(list)
    for placement in sorted(placements, key=lambda p: p.pk):
        by_position[placement.position_id].append(placement)
    if not by_position:
        return []
    # Locked in primary-key order, so two rounds placing on one position take turns.
    ended = list(
        Internship.objects.select_for_update(of=("self",))
        .filter(
            state=InternshipState.ENDED_EARLY,
            placement__position__in=list(by_position),
            replacement__isnull=True,
        )
        .select_related("placement")
        .order_by("pk")
    )
    waiting: dict[int, list[Internship]] = defaultdict(list)
    for internship in sorted(ended, key=lambda i: (i.ends_on, i.pk)):
        waiting[internship.placement.position_id].append(internship)
    links = [
        Replacement(ended=internship, placement=placement)
        for position, news in by_position.items()
        for internship, placement in zip(waiting[position], news, strict=False)
    ]
    return Replacement.objects.bulk_create(links)


@dataclass(frozen=True)
class ChainLink:
    """One seat-holder of a replacement chain: the placement and its internship, if agreed."""

    placement: Placement
    internship: Internship | None


def _internship_of(placement: Placement) -> Internship | None:
    return getattr(placement, "internship", None)


_CHAIN_RELATED = ("trainee", "position__company", "internship__ending")


def replacement_chain_from(placement: Placement) -> list[ChainLink]:
    """The seat's holders in order, ``placement`` among them: whom it replaced (back to the
    first), then who replaced it (on to the latest). Two queries per link; chains are short."""
    links = [ChainLink(placement, _internship_of(placement))]
    current = placement
    while (back := Replacement.objects.filter(placement=current).first()) is not None:
        current = Placement.objects.select_related(*_CHAIN_RELATED).get(internship=back.ended_id)
        links.insert(0, ChainLink(current, _internship_of(current)))
    internship = _internship_of(placement)
    while (
        internship is not None
        and (ahead := Replacement.objects.filter(ended=internship).first()) is not None
    ):
        current = Placement.objects.select_related(*_CHAIN_RELATED).get(pk=ahead.placement_id)
        internship = _internship_of(current)
        links.append(ChainLink(current, internship))
    return links


def replacement_chain(internship: Internship) -> list[ChainLink]:
    """The replacement chain through ``internship``'s seat (see ``replacement_chain_from``)."""
    return replacement_chain_from(internship.placement)


def replacements_for(user) -> QuerySet:
    """The replacement links the user may see, with both seat-holders, by position."""
    return (
        Replacement.objects.visible_to(user)
        .select_related(
            "ended__placement__trainee",
            "ended__placement__position__company",
            "ended__ending",
            "placement__trainee",
            "placement__internship",
        )
        .order_by("placement__position", "created_at", "pk")
    )


def waiting_for_replacement(user) -> QuerySet:
    """Early-ended internships the user may see whose seat no later round has filled yet."""
    return (
        Internship.objects.visible_to(user)
        .filter(state=InternshipState.ENDED_EARLY, replacement__isnull=True)
        .select_related("placement__trainee", "placement__position__company", "ending")
        .order_by("ends_on", "pk")
    )


# --- what the internship's pages show of its end -------------------------------------------------


def story(internship: Internship, *, party: Party | None) -> dict:
    """The end of ``internship`` as its pages show it to ``party``: the ending, the replacement
    chain (staff and the company: a chain names other interns), the hiring-outcome timeline,
    and what the user may do next."""
    record = InternshipEnding.objects.filter(internship=internship).first()
    ended = internship.state in ENDED_INTERNSHIP
    sees_chain = party in (Party.GROUP, Party.COMPANY)
    return {
        "ending_record": record,
        "chain": replacement_chain(internship) if sees_chain else [],
        "timeline": hiring.timeline(internship),
        "may_end": party == Party.GROUP and internship.state == InternshipState.ACTIVE,
        "may_record_outcome": party == Party.GROUP and ended,
        "may_confirm_hire": party == Party.COMPANY and ended,
        "may_report_job": party == Party.INTERN and ended,
    }
