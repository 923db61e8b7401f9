"""Statements: what each payee is owed for a month, computed from the training allowance lines
and the approved OJT mentor reports, with the engine's arithmetic stored beside the amount.

A computation of one (programme, month, kind) holds a PostgreSQL advisory lock for its
transaction, so two computations of the same key queue instead of interleaving; different keys
run side by side. Draft statements follow their facts; an approved statement is never
rewritten: a changed amount becomes a draft correction for the difference (negative: a
clawback), linked to the statement it corrects."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from itda.accounts.roles import PROGRAMME_STAFF
from itda.internships import workdays
from itda.internships.models import OjtReport, OjtReportKind, OjtReportState
from itda.lib.dates import next_month
from itda.lib.korean import josa
from itda.payments import engine
from itda.payments.models import (
    AllowanceLine,
    Statement,
    StatementKind,
    StatementState,
    StatementTransition,
)
from itda.payments.services import allowance_compute
from itda.programs.models import InternshipPayee, Programme
from itda.programs.selectors import covering_group
from itda.training.models import Cohort

PAYEE_KIND = {
    InternshipPayee.INTERN: StatementKind.INTERNSHIP_ALLOWANCE,
    InternshipPayee.COMPANY: StatementKind.WAGE_SUPPORT,
}


class EngineMismatch(RuntimeError):
    """The stored allowance line and the engine disagree: nothing is written."""


@dataclass
class _Due:
    """One payee's amount for the month, and the records it sums. The records are kept as JSON
    text: a hundred thousand statements share a few distinct records, each encoded once."""

    group_id: int
    period_start: datetime.date
    period_end: datetime.date
    amount_krw: int = 0
    gross_krw: int = 0
    items: list[str] = field(default_factory=list)

    def add(self, result: engine.Result, record: str, **refs) -> None:
        """Add one engine result and its record (``_encoded(result)``) with what it came from."""
        self.amount_krw += result.amount_krw
        self.gross_krw += result.gross_krw
        self.items.append(_encoded(refs)[:-1] + ", " + record[1:])

    def record(self) -> str:
        """The statement's arithmetic: its amounts, the rule version and every item."""
        return (
            f'{{"amount_krw": {self.amount_krw}, "gross_krw": {self.gross_krw}, '
            f'"rule_version": {_RULE_VERSION}, "items": [{", ".join(self.items)}]}}'
        )


# One encoder for the whole computation (json.dumps with a class makes one per call).
_encoded = DjangoJSONEncoder(ensure_ascii=False).encode
_RULE_VERSION = _encoded(engine.RULE_VERSION)


def month_periods(kind: str, month: datetime.date) -> dict:
    """The filter of a month's statements of ``kind``: a training month belongs to the month it
    ends in (it starts on any day of the cohort's calendar), internship money to its month."""
    if kind == StatementKind.TRAINING_ALLOWANCE:
        return {"period_end__gt": month, "period_end__lte": next_month(month)}
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
    sessions held, one per person and period (one query; the engine recomputes each line and
    must agree with it)."""
    lines = (
        AllowanceLine.objects.filter(
            enrollment__cohort__course__operating_group__programme=programme,
            ended=F("planned"),
            period_end__gt=month,
            period_end__lte=next_month(month),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "rule__amount_krw",
            "rule__full_rate",
            "rule__shortfall",
            "credited",
            "planned",
            "ineligible",
            "uncapped_krw",
            "cap_krw",
            "prior_krw",
            "amount_krw",
            "enrollment__trainee_id",
            "enrollment__cohort__course__operating_group_id",
            "period_start",
            "period_end",
        )
    )
    dues = {}
    for (pk, rate_amount, full_rate, shortfall, credited, planned, ineligible, uncapped, cap,
         prior, amount, trainee_id, group_id, start, end) in lines:  # fmt: skip
        by_rule = engine.training_allowance(
            amount_krw=rate_amount,
            full_rate=full_rate,
            shortfall=shortfall,
            credited=credited,
            planned=planned,
            employed=ineligible == "employed",
        )
        capped = engine.apply_cap(by_rule.amount_krw, cap_krw=cap, prior_krw=prior)
        if (by_rule.amount_krw, capped.amount_krw) != (uncapped, amount):
            raise EngineMismatch(f"allowance line {pk}")
        result = engine.payable(
            by_rule, cap_krw=cap, prior_krw=prior, income_class=programme.income_class
        )
        due = dues[(trainee_id, None, start)] = _Due(group_id, start, end)
        due.add(result, _encoded(result.as_record()), allowance_line=pk)
    return dues


def _internship_dues(programme: Programme, month: datetime.date, kind: str) -> dict[tuple, _Due]:
    """The month's internship money from approved mentor reports, to whoever each internship
    names (``Internship.payee``): the intern, or the company (one statement for all its
    interns). The per-person cap (internship months × the monthly amount) counts the gross of
    the person's earlier statements of the kind in the programme. Two queries."""
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
        # A national round's placement has no group: the group covering the workplace's
        # region manages it, as its scope says.
        .annotate(
            group_id=Coalesce(
                "internship__placement__operating_group_id",
                covering_group(programme, "internship__placement__position__region"),
            )
        )
        .order_by("internship__placement__trainee_id", "pk")
        .values_list(
            "pk",
            "attendance_days",
            "internship_id",
            "internship__monthly_amount_krw",
            "internship__starts_on",
            "internship__ends_on",
            "internship__days_per_week",
            "internship__placement__trainee_id",
            "internship__placement__position__company_id",
            "group_id",
        )
    )
    cap = None
    if programme.internship_months_max and programme.internship_allowance_monthly_krw:
        cap = programme.internship_months_max * programme.internship_allowance_monthly_krw
    prior = dict(
        Statement.objects.filter(
            programme=programme, kind=kind, period_start__lt=month, trainee__isnull=False
        )
        .values_list("trainee")
        .annotate(total=Sum("gross_krw"))
    )
    working = len(workdays.month_working_days(month))
    period_end = next_month(month)

    # Interns of one intake share their facts: each distinct case is worked out once.
    @functools.cache
    def pay(monthly, attendance, scheduled, prior_krw):
        by_rule = engine.internship_month(
            monthly_krw=monthly,
            attendance_days=attendance,
            scheduled_days=scheduled,
            working_days=working,
        )
        result = engine.payable(
            by_rule, cap_krw=cap, prior_krw=prior_krw, income_class=programme.income_class
        )
        return result, _encoded(result.as_record())

    intern = payee == InternshipPayee.INTERN
    dues: dict[tuple, _Due] = {}
    for (pk, attendance, internship_id, monthly, starts_on, ends_on, per_week, trainee_id,
         company_id, group_id) in reports:  # fmt: skip
        scheduled = workdays.scheduled_count(
            month, starts_on=starts_on, ends_on=ends_on, days_per_week=per_week
        )
        person_prior = prior.get(trainee_id, 0)
        result, record = pay(monthly, attendance or 0, scheduled, person_prior)
        prior[trainee_id] = person_prior + result.gross_krw
        key = (trainee_id, None, month) if intern else (None, company_id, month)
        due = dues.get(key) or dues.setdefault(key, _Due(group_id, month, period_end))
        due.add(result, record, ojt_report=pk, internship=internship_id)
    return dues


# The rows travel as one JSON document: a single parameter the driver quotes at once, where
# arrays of 100,000 JSON texts took it longer than the database took to write them.
_INSERT = """
INSERT INTO payments_statement (programme_id, kind, state, rule_version, computed_at, created_at,
                                trainee_id, company_id, period_start, period_end,
                                operating_group_id, amount_krw, gross_krw, arithmetic)
SELECT %s, %s, %s, %s, %s, %s, v.*
FROM jsonb_to_recordset(%s::jsonb) AS v(trainee_id bigint, company_id bigint, period_start date,
                                        period_end date, operating_group_id bigint,
                                        amount_krw int, gross_krw int, arithmetic jsonb)
"""
# Only drafts whose amount or arithmetic changed are written (and counted).
_UPDATE = """
UPDATE payments_statement s
SET amount_krw = v.amount_krw, gross_krw = v.gross_krw, arithmetic = v.arithmetic,
    rule_version = %s, computed_at = %s
FROM jsonb_to_recordset(%s::jsonb) AS v(id bigint, amount_krw int, gross_krw int, arithmetic jsonb)
WHERE s.id = v.id
  AND (s.amount_krw, s.gross_krw, s.arithmetic)
      IS DISTINCT FROM (v.amount_krw, v.gross_krw, v.arithmetic)
"""


# Rows per statement sent: few round trips, and no message of hundreds of megabytes.
CHUNK = 10_000


def _chunks(rows: list[str]):
    """``rows`` (JSON objects) as JSON arrays of at most CHUNK rows each."""
    for start in range(0, len(rows), CHUNK):
        yield "[" + ", ".join(rows[start : start + CHUNK]) + "]"


def _row(fields: dict, due: _Due) -> str:
    """One row to write: ``fields``, the amounts and the arithmetic, as a JSON object."""
    head = _encoded(fields | {"amount_krw": due.amount_krw, "gross_krw": due.gross_krw})
    return f'{head[:-1]}, "arithmetic": {due.record()}}}'


@transaction.atomic
def statements_compute(
    *, programme: Programme, month: datetime.date, kind: str, now=None
) -> dict[str, int]:
    """Compute the month's statements of ``kind`` for the programme, under the computation's
    advisory lock, set-based: the facts in one or two queries, the engine per payee in memory,
    then one INSERT for the new statements, one UPDATE for the changed drafts and one DELETE
    for the drafts no longer due. Returns counts: created, updated, corrections, removed,
    unchanged."""
    month = month.replace(day=1)
    now = now or timezone.now()
    _lock(programme.pk, month, kind)
    if kind == StatementKind.TRAINING_ALLOWANCE:
        dues = _training_dues(programme, month)
    else:
        dues = _internship_dues(programme, month, kind)
    existing = list(
        Statement.objects.select_for_update()
        .filter(programme=programme, kind=kind, **month_periods(kind, month))
        .order_by("pk")
        .values_list(
            "pk", "trainee_id", "company_id", "period_start", "state", "corrects_id",
            "amount_krw", "gross_krw",
        )
    )  # fmt: skip
    originals = {
        (t, c, p): (pk, state, (amount, gross))
        for pk, t, c, p, state, corrects, amount, gross in existing
        if not corrects
    }
    corrected = {row[5] for row in existing if row[5]}
    counts = dict.fromkeys(("created", "updated", "corrections", "removed", "unchanged"), 0)
    new, drafts = [], []
    for key, due in dues.items():
        pk, state, amounts = originals.get(key, (None, None, None))
        if pk is None:
            payee = {"trainee_id": key[0], "company_id": key[1]}
            period = {"period_start": due.period_start, "period_end": due.period_end}
            new.append(_row(payee | period | {"operating_group_id": due.group_id}, due))
        elif state == StatementState.DRAFT:
            drafts.append(_row({"id": pk}, due))
        elif pk in corrected or (due.amount_krw, due.gross_krw) != amounts:
            counts[_correct(pk, due, now)] += 1
        else:
            counts["unchanged"] += 1
    gone, pending = [], _pending_training(programme, month, kind)
    for key, (pk, state, _amounts) in originals.items():
        if key in dues or key in pending:
            continue
        if state == StatementState.DRAFT:
            gone.append(pk)
        else:
            # No longer due at all (a dropout backdated, a report withdrawn): what was
            # settled is clawed back in full.
            counts[_correct(pk, _Due(0, key[2], key[2]), now)] += 1
    with connection.cursor() as cursor:
        if new:
            head = [programme.pk, kind, StatementState.DRAFT, engine.RULE_VERSION, now, now]
            for chunk in _chunks(new):
                cursor.execute(_INSERT, [*head, chunk])
        if drafts:
            for chunk in _chunks(drafts):
                cursor.execute(_UPDATE, [engine.RULE_VERSION, now, chunk])
                counts["updated"] += cursor.rowcount
        if gone:
            Statement.objects.filter(pk__in=gone, state=StatementState.DRAFT).delete()
    counts["created"] = len(new)
    counts["unchanged"] += len(drafts) - counts["updated"]
    counts["removed"] += len(gone)
    return counts


def _pending_training(programme: Programme, month: datetime.date, kind: str) -> set[tuple]:
    """The (trainee, None, period start) keys of the month's training periods with sessions
    still to come: no verdict yet, so no clawback either."""
    if kind != StatementKind.TRAINING_ALLOWANCE:
        return set()
    return {
        (trainee, None, start)
        for trainee, start in AllowanceLine.objects.filter(
            enrollment__cohort__course__operating_group__programme=programme,
            ended__lt=F("planned"),
            period_end__gt=month,
            period_end__lte=next_month(month),
        ).values_list("enrollment__trainee_id", "period_start")
    }


@transaction.atomic
def programme_month_compute(
    *, programme: Programme, month: datetime.date, actor=None, now=None
) -> dict[str, dict[str, int]]:
    """A whole programme-month in one action: the training allowance lines of every cohort of
    the programme running in the month refreshed from attendance, then the month's statements
    of every kind (each under its own lock), all in one transaction: nothing changes unless
    every kind is computed. Returns each kind's counts."""
    month = month.replace(day=1)
    # A month's margin before: a cohort's last training month may run past its last day.
    cohorts = list(
        Cohort.objects.filter(
            course__operating_group__programme=programme,
            starts_on__lt=next_month(month),
            ends_on__gte=month - datetime.timedelta(days=31),
        ).values_list("pk", flat=True)
    )
    if cohorts:
        allowance_compute(actor=actor, cohorts=cohorts, as_of=now)
    return {
        kind: statements_compute(programme=programme, month=month, kind=kind, now=now)
        for kind in StatementKind.values
    }


def _settled(pk: int) -> tuple[int, int, int]:
    """What an approved statement and its approved (or paid) corrections come to: net, gross,
    and the net of those of them already paid."""
    rows = Statement.objects.filter(Q(pk=pk) | Q(corrects_id=pk)).exclude(
        state=StatementState.DRAFT, corrects_id=pk
    )
    totals = rows.aggregate(
        net=Sum("amount_krw"),
        gross=Sum("gross_krw"),
        paid=Sum("amount_krw", filter=Q(state=StatementState.PAID), default=0),
    )
    return totals["net"], totals["gross"], totals["paid"]


def _correct(pk: int, due: _Due, now) -> str:
    """An approved statement whose facts changed (or that has a correction): a draft correction
    for the difference, kept in step with the facts."""
    statement = Statement.objects.get(pk=pk)
    settled, settled_gross, paid = _settled(pk)
    draft = statement.corrections.filter(state=StatementState.DRAFT).first()
    delta, gross_delta = due.amount_krw - settled, due.gross_krw - settled_gross
    if delta == 0:
        if draft is not None:
            draft.delete()
            return "removed"
        return "unchanged"
    record = json.loads(due.record()) | {
        "corrects": pk,
        "settled_krw": settled,
        "paid_krw": paid,
        "delta_krw": delta,
    }
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
            gross_krw=gross_delta,
            arithmetic=record,
            rule_version=engine.RULE_VERSION,
            corrects=statement,
            computed_at=now,
        )
        return "corrections"
    if (draft.amount_krw, draft.gross_krw, draft.arithmetic) == (delta, gross_delta, record):
        return "unchanged"
    draft.amount_krw, draft.gross_krw, draft.arithmetic = delta, gross_delta, record
    draft.computed_at = now
    draft.save(update_fields=["amount_krw", "gross_krw", "arithmetic", "computed_at"])
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


# The ids travel as one comma-separated text: one parameter, quoted at once.
_MOVE = """
WITH moved AS (
    UPDATE payments_statement SET state = %(to)s
    WHERE state = %(from)s AND id = ANY(string_to_array(%(ids)s, ',')::bigint[])
    RETURNING id
)
INSERT INTO payments_statementtransition (statement_id, from_state, to_state, note, actor_id,
                                          created_at)
SELECT id, %(from)s, %(to)s, %(note)s, %(actor)s, %(now)s FROM moved
"""


def statements_move(ids, *, from_state: str, to_state: str, actor, note: str = "") -> int:
    """Move the statements of ``ids`` that are in ``from_state`` to ``to_state``, one transition
    row each: one UPDATE and one INSERT. Returns how many moved (the caller decides whether a
    statement no longer in ``from_state`` is an error)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MOVE,
            {
                "to": to_state,
                "from": from_state,
                "ids": ",".join(map(str, ids)),
                "note": note.strip(),
                "actor": actor.pk,
                "now": timezone.now(),
            },
        )
        return cursor.rowcount


@transaction.atomic
def statements_approve(
    *, programme: Programme, month: datetime.date, kind: str, actor, ids=None, note: str = ""
) -> int:
    """Approve the month's draft statements of ``kind`` that ``actor`` may see (the national
    operator: all; a group's staff: its own), or only ``ids`` of them: one UPDATE and one
    INSERT of their transitions, under the computation's advisory lock so a computation of
    the same month cannot interleave. Any of ``ids`` not such a draft refuses the lot.
    Returns how many were approved."""
    if actor.role not in PROGRAMME_STAFF:
        raise PermissionDenied
    month = month.replace(day=1)
    _lock(programme.pk, month, kind)
    drafts = Statement.objects.visible_to(actor).filter(
        programme=programme, kind=kind, state=StatementState.DRAFT, **month_periods(kind, month)
    )
    if ids is not None:
        drafts = drafts.filter(pk__in=ids)
    if ids is not None and (missing := len(set(ids)) - drafts.count()):
        raise StatementError(
            f"승인할 수 없는 지급 명세가 {missing:,}건 있어(산정 상태가 아니거나 다른 "
            "기간·구분·사업단의 명세) 아무것도 승인하지 않았습니다."
        )
    # No row locks before: the UPDATE approves only what is still a draft, and the advisory
    # lock keeps a computation of the month out meanwhile.
    return statements_move(
        drafts.values_list("pk", flat=True),
        from_state=StatementState.DRAFT,
        to_state=StatementState.APPROVED,
        actor=actor,
        note=note,
    )
