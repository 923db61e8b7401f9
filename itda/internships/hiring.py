"""Writes and reads for the hiring outcome (채용, issue 12 §5): where each intern stands at the
end of the internship and 3 and 6 months after it, with the evidence, who reported it and who
verified it.

Who reports what: the company confirms its own hires (인턴 기업 채용: 정규직/계약직, start date,
monthly wage band); the intern reports a job found elsewhere or further education; staff of the
managing group record any outcome and verify (or return) what the others reported. One outcome
per internship and checkpoint (a database constraint); a correction is a new version of that
row, each version kept as an event row with its values and contract copy.

Decisions the issue left open (RuleOrigins "<programme>.hiring.*", itda 기본값):
- Checkpoints count from the internship's actual end date (an early end's last working day):
  기준일 = the end date, +3 months, +6 months (calendar months, the same in Python and SQL);
  each is open for recording from its 기준일 and due ``OUTCOME_DUE_DAYS`` days after it.
- The subsidised period: a hire is recorded with its real start date, but it counts as hired
  only from the day after the internship's end (``counts_from``): an intern employed while
  still subsidised is not a hire yet. An outcome counts as a hire at its checkpoint when it is
  verified, is a hire (host or elsewhere) and counts from a day no later than the checkpoint's
  due date.
- Staff record outcomes they verified themselves (a phone call, the insurance database): their
  report is verified at once, with both steps in the trail.
- Correcting a verified outcome needs a reason and sends it back for verification (unless staff
  correct it).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from itda.accounts.models import User
from itda.internships.agreements import AgreementError, _lock, party_of
from itda.internships.models import (
    CHECKPOINT_MONTHS,
    ENDED_INTERNSHIP,
    HIRED_OUTCOMES,
    Checkpoint,
    HiringOutcome,
    HiringOutcomeTransition,
    Internship,
    OutcomeAction,
    OutcomeKind,
    OutcomeStatus,
    Party,
)
from itda.lib.korean import josa
from itda.recruitment.services import ApplicationError, upload_checked
from itda.training.attendance import EVIDENCE_KINDS, EVIDENCE_MAX_MB

# Days after a checkpoint's 기준일 by which its outcome should be recorded and verified
# (RuleOrigin "<programme>.hiring.checkpoints", itda 기본값).
OUTCOME_DUE_DAYS = 30

# Which outcomes each party may report.
KINDS_BY_PARTY = {
    Party.COMPANY: (OutcomeKind.HIRED_HOST,),
    Party.INTERN: (OutcomeKind.HIRED_ELSEWHERE, OutcomeKind.EDUCATION),
    Party.GROUP: tuple(OutcomeKind),
}

# The fields of a report, in the order the trail lists them.
_VALUES = (
    "kind",
    "employer",
    "employment_type",
    "hired_on",
    "wage_band",
    "insurance_acquired_on",
    "note",
)
# Fields that mean something only for some outcomes: cleared for the others.
_HIRE_ONLY = ("hired_on", "insurance_acquired_on")
_HOST_ONLY = ("employment_type", "wage_band")


class OutcomeError(AgreementError):
    """A request about a hiring outcome that the rules refuse; the message is Korean."""


# --- the dates -----------------------------------------------------------------------------------


def checkpoint_on(internship: Internship, checkpoint: str) -> datetime.date:
    """The checkpoint's 기준일: the actual end date, plus its months."""
    return internship.ends_on + relativedelta(months=CHECKPOINT_MONTHS[Checkpoint(checkpoint)])


def due_on(internship: Internship, checkpoint: str) -> datetime.date:
    """The day by which the checkpoint's outcome should be recorded and verified."""
    return checkpoint_on(internship, checkpoint) + datetime.timedelta(days=OUTCOME_DUE_DAYS)


def counts_from(outcome: HiringOutcome) -> datetime.date | None:
    """The first day a hire counts as one: its start, but never inside the subsidised period
    (not before the day after the internship's end); None for an outcome that is no hire."""
    if outcome.kind not in HIRED_OUTCOMES or outcome.hired_on is None:
        return None
    return max(outcome.hired_on, outcome.internship.ends_on + datetime.timedelta(days=1))


def counts_as_hired(outcome: HiringOutcome) -> bool:
    """Whether the outcome is a verified hire that counts at its checkpoint."""
    start = counts_from(outcome)
    return (
        outcome.status == OutcomeStatus.VERIFIED
        and outcome.internship.state in ENDED_INTERNSHIP
        and start is not None
        and start <= due_on(outcome.internship, outcome.checkpoint)
    )


# --- reporting -----------------------------------------------------------------------------------


def _clean_values(internship: Internship, values: dict) -> dict:
    """The report's values with the fields its outcome does not use cleared; Korean errors for
    what it lacks."""
    kind = values["kind"]
    cleaned = {name: values.get(name) for name in _VALUES}
    for name in ("employer", "employment_type", "wage_band", "note"):
        cleaned[name] = (cleaned[name] or "").strip()
    if kind not in HIRED_OUTCOMES:
        cleaned.update(dict.fromkeys(_HIRE_ONLY))
    if kind != OutcomeKind.HIRED_HOST:
        cleaned.update(dict.fromkeys(_HOST_ONLY, ""))
    else:
        cleaned["employer"] = internship.placement.position.company.name
    errors = []
    if kind in HIRED_OUTCOMES and cleaned["hired_on"] is None:
        errors.append("입사일을 입력하세요.")
    if kind == OutcomeKind.HIRED_HOST and not (cleaned["employment_type"] and cleaned["wage_band"]):
        errors.append("인턴 기업 채용은 고용 형태(정규직/계약직)와 월 임금 구간을 고르세요.")
    if kind in (OutcomeKind.HIRED_ELSEWHERE, OutcomeKind.EDUCATION) and not cleaned["employer"]:
        errors.append("취업한 곳이나 진학한 곳의 이름을 입력하세요.")
    hired_on = cleaned["hired_on"]
    if hired_on is not None and hired_on < internship.starts_on:
        errors.append(f"입사일은 인턴십 시작일({internship.starts_on:%Y-%m-%d}) 이후여야 합니다.")
    if errors:
        raise OutcomeError(errors)
    return cleaned


def _snapshot(outcome: HiringOutcome) -> dict:
    """The version's values as the trail keeps them (dates as ISO strings)."""
    values = {}
    for name in _VALUES:
        value = getattr(outcome, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    values["contract_name"] = outcome.contract_name
    return values


def _event(outcome, action, *, actor, party, note="", with_values=False) -> HiringOutcomeTransition:
    return HiringOutcomeTransition.objects.create(
        outcome=outcome,
        version=outcome.version,
        action=action,
        actor=actor,
        party=party,
        values=_snapshot(outcome) if with_values else {},
        contract=outcome.contract.name if with_values else "",
        note=note[:300],
    )


def _require_open(internship: Internship, checkpoint: str, today: datetime.date) -> None:
    if internship.state not in ENDED_INTERNSHIP:
        raise OutcomeError(
            "채용 결과는 인턴십이 끝난 뒤(완료 또는 중도 종료)에 기록할 수 있습니다."
        )
    opens = checkpoint_on(internship, checkpoint)
    if today < opens:
        label = Checkpoint(checkpoint).label
        raise OutcomeError(f"{label} 결과는 {opens:%Y-%m-%d}부터 기록할 수 있습니다.")


@transaction.atomic
def outcome_report(
    *,
    internship: Internship,
    checkpoint: str,
    kind: str,
    actor: User,
    employer: str = "",
    employment_type: str = "",
    hired_on: datetime.date | None = None,
    wage_band: str = "",
    insurance_acquired_on: datetime.date | None = None,
    note: str = "",
    contract=None,
    now: datetime.datetime | None = None,
) -> HiringOutcome:
    """Report (or correct) the outcome of one checkpoint: the company its hire, the intern a
    job elsewhere or further education, staff anything (verified at once). A correction is a
    new version; the earlier ones stay in the trail with their contract copies."""
    now = now or timezone.now()
    internship = _lock(internship)  # reports of one internship take turns
    party = party_of(internship, actor)
    if party is None:
        raise OutcomeError("이 인턴십의 채용 결과를 보고할 수 없습니다.")
    if checkpoint not in Checkpoint.values or kind not in OutcomeKind.values:
        raise OutcomeError("알 수 없는 시점이나 결과입니다.")
    if kind not in KINDS_BY_PARTY[party]:
        allowed = ", ".join(OutcomeKind(k).label for k in KINDS_BY_PARTY[party])
        raise OutcomeError(f"{josa(party.label, '은/는')} {allowed}만 보고할 수 있습니다.")
    _require_open(internship, checkpoint, timezone.localdate(now))
    values = _clean_values(
        internship,
        {
            "kind": kind,
            "employer": employer,
            "employment_type": employment_type,
            "hired_on": hired_on,
            "wage_band": wage_band,
            "insurance_acquired_on": insurance_acquired_on,
            "note": note,
        },
    )
    outcome = (
        HiringOutcome.objects.select_for_update()
        .filter(internship=internship, checkpoint=checkpoint)
        .first()
    )
    if outcome is None:
        outcome = HiringOutcome(internship=internship, checkpoint=checkpoint)
        action = OutcomeAction.REPORTED
    else:
        if outcome.status == OutcomeStatus.VERIFIED and len(values["note"]) < 2:
            raise OutcomeError("확인된 결과를 정정하려면 메모에 정정 사유를 적으세요.")
        outcome.version += 1
        action = OutcomeAction.CORRECTED
    for name, value in values.items():
        setattr(outcome, name, value)
    if kind not in HIRED_OUTCOMES:
        outcome.contract, outcome.contract_name = "", ""
    if contract is not None:
        if kind not in HIRED_OUTCOMES:
            raise OutcomeError("근로계약서 사본은 채용·취업 결과에만 올릴 수 있습니다.")
        try:
            sha256 = upload_checked(
                contract, kinds=EVIDENCE_KINDS, max_size_mb=EVIDENCE_MAX_MB, label="근로계약서"
            )
        except ApplicationError as exc:
            raise OutcomeError(exc.messages) from exc
        outcome.contract_name = contract.name[:200]
        outcome.contract.save(sha256, contract, save=False)
    outcome.internship = internship
    outcome.reported_by, outcome.reported_party, outcome.reported_at = actor, party, now
    outcome.status = OutcomeStatus.REPORTED
    outcome.verified_by = outcome.verified_at = None
    outcome.return_note = ""
    outcome.full_clean(validate_constraints=False)
    outcome.save()
    _event(outcome, action, actor=actor, party=party, note=values["note"], with_values=True)
    if party == Party.GROUP:
        _verify(outcome, actor=actor, now=now)
    return outcome


# --- verification --------------------------------------------------------------------------------


def _lock_outcome(outcome: HiringOutcome, version: int, actor: User) -> HiringOutcome:
    outcome = (
        HiringOutcome.objects.select_for_update(of=("self",))
        .select_related("internship__placement__position__company", "internship__placement")
        .get(pk=outcome.pk)
    )
    if party_of(outcome.internship, actor) != Party.GROUP:
        raise OutcomeError("이 인턴십을 관리하는 사업단 담당자만 확인할 수 있습니다.")
    if outcome.status != OutcomeStatus.REPORTED:
        raise OutcomeError(
            f"'{outcome.get_status_display()}' 상태의 채용 결과는 확인하거나 보완 요청할 수 "
            "없습니다."
        )
    if version != outcome.version:
        raise OutcomeError("채용 결과가 정정되었습니다. 바뀐 내용을 보고 다시 처리하세요.")
    return outcome


def _verify(outcome: HiringOutcome, *, actor: User, now: datetime.datetime) -> None:
    outcome.status = OutcomeStatus.VERIFIED
    outcome.verified_by, outcome.verified_at = actor, now
    outcome.save(update_fields=["status", "verified_by", "verified_at"])
    _event(outcome, OutcomeAction.VERIFIED, actor=actor, party=Party.GROUP)


@transaction.atomic
def outcome_verify(
    *, outcome: HiringOutcome, version: int, actor: User, now: datetime.datetime | None = None
) -> HiringOutcome:
    """Staff of the managing group verify the version of a reported outcome they read."""
    outcome = _lock_outcome(outcome, version, actor)
    _verify(outcome, actor=actor, now=now or timezone.now())
    return outcome


@transaction.atomic
def outcome_return(
    *, outcome: HiringOutcome, version: int, reason: str, actor: User
) -> HiringOutcome:
    """Staff return a reported outcome to its reporter, with what to fix."""
    outcome = _lock_outcome(outcome, version, actor)
    reason = reason.strip()
    if len(reason) < 2:
        raise OutcomeError("보완 요청 사유를 적어야 합니다.")
    outcome.status = OutcomeStatus.RETURNED
    outcome.return_note = reason[:300]
    outcome.save(update_fields=["status", "return_note"])
    _event(outcome, OutcomeAction.RETURNED, actor=actor, party=Party.GROUP, note=reason)
    return outcome


# --- reads ---------------------------------------------------------------------------------------


def _end_plus(months: int, days: int = 0, *, end: str = "ends_on") -> Func:
    """SQL: an internship's end date (at the path ``end``) plus calendar months and days, as a
    date (PostgreSQL clamps to the month's last day like ``relativedelta``)."""
    return Func(
        F(end),
        template=f"((%(expressions)s + interval '{int(months)} months')::date + {int(days)})",
        output_field=DateField(),
    )


def outcomes_due(internships: QuerySet, day: datetime.date) -> dict[str, QuerySet]:
    """For each checkpoint, the ended internships of ``internships`` whose outcome is open on
    ``day`` and not verified yet — one set-based query per checkpoint, no per-row work. Each
    row carries ``checkpoint_on``, ``due_on``, ``overdue`` (past the due date) and
    ``outcome_status`` (None: nothing reported; reported: staff to verify; returned: the
    reporter to fix) with ``outcome_return_note``, staff's reason when returned."""
    result = {}
    for checkpoint, months in CHECKPOINT_MONTHS.items():
        outcome = HiringOutcome.objects.filter(
            internship=OuterRef("pk"), checkpoint=checkpoint
        ).order_by()
        result[checkpoint] = (
            internships.filter(state__in=ENDED_INTERNSHIP)
            .annotate(checkpoint_on=_end_plus(months), due_on=_end_plus(months, OUTCOME_DUE_DAYS))
            .filter(checkpoint_on__lte=day)
            .exclude(Exists(outcome.filter(status=OutcomeStatus.VERIFIED)))
            .annotate(
                overdue=ExpressionWrapper(Q(due_on__lt=day), output_field=BooleanField()),
                outcome_status=Subquery(outcome.values("status")[:1]),
                outcome_return_note=Subquery(outcome.values("return_note")[:1]),
            )
        )
    return result


def counted_hires(outcomes: QuerySet) -> QuerySet:
    """The outcomes of ``outcomes`` that count as hires at their checkpoints (see
    ``counts_as_hired``), set-based, each with its ``counts_from``. An outcome of an internship
    that has not ended never counts: its intern is still inside the subsidised period."""
    end = "internship__ends_on"
    rows = outcomes.filter(
        status=OutcomeStatus.VERIFIED,
        kind__in=HIRED_OUTCOMES,
        internship__state__in=ENDED_INTERNSHIP,
    ).annotate(
        counts_from=Greatest(F("hired_on"), _end_plus(0, 1, end=end), output_field=DateField())
    )
    counted = Q(pk__in=[])
    for checkpoint, months in CHECKPOINT_MONTHS.items():
        rows = rows.alias(**{f"due_{checkpoint}": _end_plus(months, OUTCOME_DUE_DAYS, end=end)})
        counted |= Q(checkpoint=checkpoint, counts_from__lte=F(f"due_{checkpoint}"))
    return rows.filter(counted)


def timeline(internship: Internship) -> list[dict]:
    """The internship's checkpoints in order, each with its dates, outcome (if any), whether it
    counts as a hire and its trail; empty before the internship has ended."""
    if internship.state not in ENDED_INTERNSHIP:
        return []
    outcomes = {
        o.checkpoint: o
        for o in internship.outcomes.select_related("reported_by", "verified_by").prefetch_related(
            "transitions__actor"
        )
    }
    rows = []
    for checkpoint in Checkpoint:
        outcome = outcomes.get(checkpoint.value)
        if outcome is not None:
            outcome.internship = internship
            for step in outcome.transitions.all():
                kind = step.values.get("kind")
                step.kind_label = OutcomeKind(kind).label if kind else ""
        rows.append(
            {
                "checkpoint": checkpoint,
                "on": checkpoint_on(internship, checkpoint),
                "due": due_on(internship, checkpoint),
                "outcome": outcome,
                "counts_from": counts_from(outcome) if outcome else None,
                "counts": counts_as_hired(outcome) if outcome else False,
            }
        )
    return rows
