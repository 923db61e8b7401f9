"""Clawbacks: an overpaid statement is corrected by a negative statement (``statements``), and
the next batch of the payee nets it against what the payee is owed, so the bank line sends the
difference; what cannot be netted waits (환수 대기) with the amount owed.

Netting rule (itda 기본값 — 운영지침 확인 필요): within one batch (programme, kind, group), a
payee's clawbacks are taken oldest first, each whole against the payee's line with the most left
to send, as long as that line stays above zero; a clawback is never split, so it is settled in
exactly one batch. When everything the payee is owed in the batch does not exceed what the
payee owes back, nothing is sent to the payee and every clawback waits.

Ledger rule (itda 기본값 — 운영지침 확인 필요): a netted clawback is a negative commitment (and,
when the line is paid, a negative payment) of its own statement, giving the budget back in the
reverse of the charging order (민간 → 지방비 → 국비), each source at most what it has committed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from itda.payments.models import BatchOffset, Statement, StatementState

NETTING_RULE = (
    "환수 상계: 받는 사람의 환수액을 오래된 것부터 한 건씩 통째로, 그 사람의 보낼 금액이 가장 큰 "
    "명세에서 빼고(0원 이하가 되면 빼지 않음), 받을 돈이 환수액보다 크지 않으면 이번 배치에서 "
    "보내지 않고 환수를 다음 배치로 넘깁니다 — itda 기본값, 운영지침 확인 필요"
)


@dataclass(frozen=True)
class Due:
    """A statement as netting sees it: its id, payee and amount (negative: a clawback)."""

    pk: int
    payee: tuple
    amount_krw: int


@dataclass
class Netting:
    """The plan: the clawbacks netted against each positive statement, and the positive
    statements held back because their payee owes at least as much as the batch would send."""

    offsets: dict[int, list[Due]] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)

    def sent(self, statement: Due) -> int:
        return statement.amount_krw + sum(c.amount_krw for c in self.offsets.get(statement.pk, []))


def netting_plan(dues: list[Due]) -> Netting:
    """Apply the netting rule (module docstring) to a batch's candidates: positive statements
    and the clawbacks waiting for the same payees. Pure: no database."""
    by_payee: dict[tuple, list[Due]] = defaultdict(list)
    for due in dues:
        by_payee[due.payee].append(due)
    plan = Netting()
    for rows in by_payee.values():
        owed = sorted((d for d in rows if d.amount_krw < 0), key=lambda d: d.pk)
        if not owed:
            continue
        positives = sorted((d for d in rows if d.amount_krw > 0), key=lambda d: d.pk)
        if sum(d.amount_krw for d in rows) <= 0:
            plan.held.update(d.pk for d in positives)
            continue
        left = {d.pk: d.amount_krw for d in positives}
        for clawback in owed:
            # The most left to send; of equals, the oldest statement.
            target = min(positives, key=lambda d: (-left[d.pk], d.pk))
            if left[target.pk] + clawback.amount_krw > 0:
                left[target.pk] += clawback.amount_krw
                plan.offsets.setdefault(target.pk, []).append(clawback)
    return plan


def waiting(rows: QuerySet) -> QuerySet:
    """Of ``rows`` (statements), the approved clawbacks not yet netted: 환수 대기."""
    return rows.filter(state=StatementState.APPROVED, amount_krw__lt=0)


def waiting_rows() -> QuerySet:
    """환수 대기, oldest first, with payee and programme (scope it with ``visible_to``)."""
    return (
        waiting(Statement.objects.all())
        .select_related("programme", "trainee", "company", "operating_group")
        .order_by("pk")
    )


def netted_statements(line_ids) -> list[int]:
    """The clawbacks netted against the batch lines ``line_ids``, in primary-key order: they
    are settled (paid, failed, cancelled) with their lines."""
    return list(
        BatchOffset.objects.filter(line_id__in=line_ids)
        .order_by("statement_id")
        .values_list("statement_id", flat=True)
    )
