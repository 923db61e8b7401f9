"""Statements: what each payee is owed for a month, computed from the training allowance lines
and the approved OJT mentor reports, with the engine's arithmetic stored beside the amount.

A computation of one (programme, month, kind) holds a PostgreSQL advisory lock for its
transaction, so two computations of the same key queue instead of interleaving; different keys
run side by side. Draft statements follow their facts; an approved statement is never
rewritten: a changed amount becomes a draft correction for the difference (negative: a
clawback), linked to the statement it corrects."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from itda.internships import ojt, workdays
from itda.internships.models import OjtReport, OjtReportKind, OjtReportState
from itda.lib.korean import josa
from itda.payments import engine
from itda.payments.models import (
    AllowanceLine,
    Statement,
    StatementKind,
    StatementState,
    StatementTransition,
)
from itda.programs.models import InternshipPayee, Programme

PAYEE_KIND = {
    InternshipPayee.INTERN: StatementKind.INTERNSHIP_ALLOWANCE,
    InternshipPayee.COMPANY: StatementKind.WAGE_SUPPORT,
}


class EngineMismatch(RuntimeError):
    """The stored allowance line and the engine disagree: nothing is written."""


@dataclass
class _Due:
    """One payee's amount for the month, and the records it sums."""

    group_id: int
    period_start: datetime.date
    period_end: datetime.date
    amount_krw: int = 0
    items: list[dict] = field(default_factory=list)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def month_periods(kind: str, month: datetime.date) -> dict:
    """The filter of a month's statements of ``kind``: a training month belongs to the month it
    ends in (it starts on any day of the cohort's calendar), internship money to its month."""
    if kind == StatementKind.TRAINING_ALLOWANCE:
        return {"period_end__gt": month, "period_end__lte": _next_month(month)}
    return {"period_start": month}


def lock_key(programme_id: int, month: datetime.date, kind: str) -> str:
    """The advisory lock's name for one computation."""
    return f"itda.statements:{programme_id}:{month:%Y-%m}:{kind}"


def _lock(programme_id: int, month: datetime.date, kind: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [lock_key(programme_id, month, kind)],
        )


def _training_dues(programme: Programme, month: datetime.date) -> dict[tuple, _Due]:
    """The training allowance of every unit period that ended in ``month`` with all its
    sessions held, one per person and period."""
    lines = (
        AllowanceLine.objects.filter(
            enrollment__cohort__course__operating_group__programme=programme,
            ended=F("planned"),
            period_end__gt=month,
            period_end__lte=_next_month(month),
        )
        .select_related("rule", "enrollment__cohort__course")
        .order_by("pk")
    )
    dues = {}
    for line in lines:
        by_rule = engine.training_allowance(
            amount_krw=line.rule.amount_krw,
            full_rate=line.rule.full_rate,
            shortfall=line.rule.shortfall,
            credited=line.credited,
            planned=line.planned,
            employed=line.ineligible == "employed",
        )
        capped = engine.apply_cap(
            by_rule.amount_krw, cap_krw=line.cap_krw, prior_krw=line.prior_krw
        )
        if (by_rule.amount_krw, capped.amount_krw) != (line.uncapped_krw, line.amount_krw):
            raise EngineMismatch(f"allowance line {line.pk}")
        result = engine.payable(by_rule, cap_krw=line.cap_krw, prior_krw=line.prior_krw)
        key = (line.enrollment.trainee_id, None, line.period_start)
        due = _Due(
            group_id=line.enrollment.cohort.course.operating_group_id,
            period_start=line.period_start,
            period_end=line.period_end,
        )
        due.amount_krw = result.amount_krw
        due.items.append({"allowance_line": line.pk, **result.as_record()})
        dues[key] = due
    return dues


def _internship_dues(programme: Programme, month: datetime.date, kind: str) -> dict[tuple, _Due]:
    """The month's internship money from approved mentor reports, to whoever each internship
    names (``Internship.payee``): the intern, or the company (one statement for all its
    interns). The per-person cap (internship months × the monthly amount) counts the person's
    earlier statements of the kind in the programme."""
    payee = next(p for p, k in PAYEE_KIND.items() if k == kind)
    reports = (
        OjtReport.objects.filter(
            internship__programme=programme,
            internship__payee=payee,
            kind=OjtReportKind.MENTOR,
            state=OjtReportState.APPROVED,
            month=month,
            internship__monthly_amount_krw__isnull=False,
        )
        .select_related("internship__placement__position")
        .order_by("internship__placement__trainee_id", "pk")
    )
    cap = None
    if programme.internship_months_max and programme.internship_allowance_monthly_krw:
        cap = programme.internship_months_max * programme.internship_allowance_monthly_krw
    prior = dict(
        Statement.objects.filter(
            programme=programme, kind=kind, period_start__lt=month, trainee__isnull=False
        )
        .values_list("trainee")
        .annotate(total=Sum("amount_krw"))
    )
    working = len(workdays.month_working_days(month))
    dues: dict[tuple, _Due] = {}
    for report in reports:
        internship = report.internship
        placement = internship.placement
        by_rule = engine.internship_month(
            monthly_krw=internship.monthly_amount_krw,
            attendance_days=report.attendance_days or 0,
            scheduled_days=len(ojt.scheduled(internship, month)),
            working_days=working,
        )
        person_prior = prior.get(placement.trainee_id, 0)
        result = engine.payable(by_rule, cap_krw=cap, prior_krw=person_prior)
        prior[placement.trainee_id] = person_prior + result.amount_krw
        if payee == InternshipPayee.INTERN:
            key = (placement.trainee_id, None, month)
        else:
            key = (None, placement.position.company_id, month)
        due = dues.setdefault(key, _Due(placement.operating_group_id, month, _next_month(month)))
        due.amount_krw += result.amount_krw
        due.items.append(
            {"ojt_report": report.pk, "internship": internship.pk, **result.as_record()}
        )
    return dues


@transaction.atomic
def statements_compute(
    *, programme: Programme, month: datetime.date, kind: str, now=None
) -> dict[str, int]:
    """Compute the month's statements of ``kind`` for the programme, under the computation's
    advisory lock. Returns counts: created, updated, corrections, removed, unchanged."""
    month = month.replace(day=1)
    now = now or timezone.now()
    _lock(programme.pk, month, kind)
    if kind == StatementKind.TRAINING_ALLOWANCE:
        dues = _training_dues(programme, month)
    else:
        dues = _internship_dues(programme, month, kind)
    existing = (
        Statement.objects.select_for_update()
        .filter(programme=programme, kind=kind, **month_periods(kind, month))
        .order_by("pk")
    )
    originals = {
        (s.trainee_id, s.company_id, s.period_start): s for s in existing if s.corrects_id is None
    }
    corrections = defaultdict(list)
    for s in existing:
        if s.corrects_id is not None:
            corrections[s.corrects_id].append(s)
    counts = dict.fromkeys(("created", "updated", "corrections", "removed", "unchanged"), 0)
    for key, due in dues.items():
        record = {
            "amount_krw": due.amount_krw,
            "rule_version": engine.RULE_VERSION,
            "items": due.items,
        }
        statement = originals.get(key)
        if statement is None:
            Statement.objects.create(
                programme=programme,
                kind=kind,
                trainee_id=key[0],
                company_id=key[1],
                period_start=due.period_start,
                period_end=due.period_end,
                operating_group_id=due.group_id,
                amount_krw=due.amount_krw,
                arithmetic=record,
                rule_version=engine.RULE_VERSION,
                computed_at=now,
            )
            counts["created"] += 1
        elif statement.state == StatementState.DRAFT:
            if (statement.amount_krw, statement.arithmetic) == (due.amount_krw, record):
                counts["unchanged"] += 1
                continue
            statement.amount_krw, statement.arithmetic = due.amount_krw, record
            statement.rule_version, statement.computed_at = engine.RULE_VERSION, now
            statement.save(
                update_fields=["amount_krw", "arithmetic", "rule_version", "computed_at"]
            )
            counts["updated"] += 1
        else:
            counts[_correct(statement, corrections[statement.pk], due, record, now)] += 1
    for key, statement in originals.items():
        if key not in dues and statement.state == StatementState.DRAFT:
            statement.delete()
            counts["removed"] += 1
    return counts


def _correct(statement, corrections, due, record, now) -> str:
    """An approved statement whose facts changed: a draft correction for the difference."""
    settled = statement.amount_krw + sum(
        c.amount_krw for c in corrections if c.state == StatementState.APPROVED
    )
    draft = next((c for c in corrections if c.state == StatementState.DRAFT), None)
    delta = due.amount_krw - settled
    if delta == 0:
        if draft is not None:
            draft.delete()
            return "removed"
        return "unchanged"
    record = {**record, "corrects": statement.pk, "settled_krw": settled, "delta_krw": delta}
    if draft is None:
        Statement.objects.create(
            programme_id=statement.programme_id,
            kind=statement.kind,
            trainee_id=statement.trainee_id,
            company_id=statement.company_id,
            period_start=statement.period_start,
            period_end=statement.period_end,
            operating_group_id=statement.operating_group_id,
            amount_krw=delta,
            arithmetic=record,
            rule_version=engine.RULE_VERSION,
            corrects=statement,
            computed_at=now,
        )
        return "corrections"
    if (draft.amount_krw, draft.arithmetic) == (delta, record):
        return "unchanged"
    draft.amount_krw, draft.arithmetic, draft.computed_at = delta, record, now
    draft.save(update_fields=["amount_krw", "arithmetic", "computed_at"])
    return "updated"


# Statement approval here; payment batches (payments.batches) move approved statements on.
MOVES = {StatementState.DRAFT: {StatementState.APPROVED}}


class StatementError(ValidationError):
    """A refused change of a statement, in Korean."""


@transaction.atomic
def statement_approve(*, statement: Statement, actor, note: str = "") -> Statement:
    """Approve a draft statement: its amount is final from now on (a later change of its facts
    becomes a correction). Only the national operator and the group managing it approve; the
    caller scopes ``statement`` through ``Statement.objects.visible_to(actor)``."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    target = StatementState.APPROVED
    if target not in MOVES.get(statement.state, ()):
        raise StatementError(
            f"'{statement.get_state_display()}' 상태의 지급 명세는 "
            f"{josa(StatementState(target).label, '으로/로')} 바꿀 수 없습니다."
        )
    StatementTransition.objects.create(
        statement=statement,
        from_state=statement.state,
        to_state=target,
        note=note.strip(),
        actor=actor,
    )
    statement.state = target
    statement.save(update_fields=["state"])
    return statement
