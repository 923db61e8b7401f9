"""Statements as the computation leaves them (the engine's record beside the amount), in a
chosen state, for the tests of the pages, the PDF, the API and the URL sweep that read them."""

import datetime

from django.utils import timezone

from itda.payments import engine
from itda.payments.models import Statement, StatementKind, StatementState, StatementTransition

JULY = datetime.date(2026, 7, 1)
AUGUST = datetime.date(2026, 8, 1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def training_record(credited: int = 16, planned: int = 20) -> tuple[int, list[dict]]:
    """A training month by the rule (400,000원 in full at 80%, pro-rated below), as
    ``statements_compute`` keeps it."""
    result = engine.payable(
        engine.training_allowance(
            amount_krw=400_000,
            full_rate="0.800",
            shortfall="prorate",
            credited=credited,
            planned=planned,
        )
    )
    return result.amount_krw, [{"allowance_line": 1, **result.as_record()}]


def internship_record(attendance_days: int, internship_id: int = 1) -> tuple[int, list[dict]]:
    """An internship month of 2,000,000원 over 21 working days, attended ``attendance_days``."""
    result = engine.payable(
        engine.internship_month(
            monthly_krw=2_000_000,
            attendance_days=attendance_days,
            scheduled_days=21,
            working_days=21,
        )
    )
    return result.amount_krw, [{"internship": internship_id, **result.as_record()}]


def statement(
    *,
    group,
    trainee=None,
    company=None,
    kind: str = StatementKind.TRAINING_ALLOWANCE,
    month: datetime.date = JULY,
    state: str = StatementState.DRAFT,
    record: tuple[int, list[dict]] | None = None,
    actor=None,
) -> Statement:
    """One statement of ``group``'s programme for the month; a state past draft comes with the
    transitions that led to it (by ``actor``)."""
    amount, items = record or training_record()
    made = Statement.objects.create(
        programme=group.programme,
        kind=kind,
        period_start=month,
        period_end=_next_month(month),
        trainee=trainee,
        company=company,
        operating_group=group,
        amount_krw=amount,
        arithmetic={"amount_krw": amount, "rule_version": engine.RULE_VERSION, "items": items},
        rule_version=engine.RULE_VERSION,
        state=state,
        computed_at=timezone.now(),
    )
    path = [StatementState.DRAFT, StatementState.APPROVED, StatementState.IN_BATCH]
    path += [StatementState.PAID]
    for before, after in zip(path, path[1:], strict=False):
        if path.index(state) < path.index(after):
            break
        StatementTransition.objects.create(
            statement=made, from_state=before, to_state=after, actor=actor
        )
    return made
