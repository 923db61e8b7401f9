"""The money ledger: append-only entries against a programme's budget by funding source and
kind (the database refuses UPDATE and DELETE), corrections as reversing entries, and the budget
figures read from it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from itda.payments.models import Budget, EntryType, LedgerEntry, StatementKind
from itda.programs.models import FundingSource, Programme


@transaction.atomic
def ledger_post(
    *,
    programme: Programme,
    source: str,
    kind: str,
    entry_type: str,
    amount_krw: int,
    memo: str,
    statement=None,
    actor=None,
) -> LedgerEntry:
    """Append one movement. A zero amount records nothing and is refused."""
    if amount_krw == 0:
        raise ValidationError("0원은 원장에 기록하지 않습니다.")
    entry = LedgerEntry(
        programme=programme,
        source=source,
        kind=kind,
        entry_type=entry_type,
        amount_krw=amount_krw,
        statement=statement,
        memo=memo,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def ledger_reverse(*, entry: LedgerEntry, memo: str, actor=None) -> LedgerEntry:
    """Cancel an entry by appending its opposite; an entry is reversed at most once (the
    database holds it too) and a reversal is never reversed (post a new entry instead)."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError("취소 기록은 다시 취소할 수 없습니다. 새 기록을 남기세요.")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("이미 취소된 기록입니다.")
    reversal = _reversal(entry, memo, actor)
    reversal.full_clean()
    reversal.save()
    return reversal


def _following(
    entry: LedgerEntry, *, entry_type: str, amount_krw: int, memo: str, actor, reverses=None
):
    """A new entry on the same budget line and statement as ``entry``."""
    return LedgerEntry(
        programme_id=entry.programme_id,
        source=entry.source,
        kind=entry.kind,
        entry_type=entry_type,
        amount_krw=amount_krw,
        statement_id=entry.statement_id,
        reverses=reverses,
        memo=memo,
        created_by=actor,
    )


def _reversal(entry: LedgerEntry, memo: str, actor) -> LedgerEntry:
    return _following(
        entry,
        entry_type=entry.entry_type,
        amount_krw=-entry.amount_krw,
        memo=memo,
        actor=actor,
        reverses=entry,
    )


def live_commits(statement_ids) -> list[LedgerEntry]:
    """The commitments that hold the statements' money now: commit entries neither reversed
    nor themselves reversals, locked, in primary-key order."""
    return list(
        LedgerEntry.objects.select_for_update(of=("self",))
        .filter(
            statement_id__in=statement_ids,
            entry_type=EntryType.COMMIT,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .order_by("pk")
    )


def ledger_reverse_many(*, entries: list[LedgerEntry], memo: str, actor=None) -> int:
    """Reverse many live entries at once (the caller holds them locked, e.g. from
    ``live_commits``); the database refuses a second reversal of any of them."""
    return len(LedgerEntry.objects.bulk_create([_reversal(e, memo, actor) for e in entries]))


def ledger_pay_committed(*, entries: list[LedgerEntry], memo: str, actor=None) -> int:
    """The money of live commitments has left the account: a PAY entry for each, on the same
    funding source."""
    return len(
        LedgerEntry.objects.bulk_create(
            [
                _following(
                    e, entry_type=EntryType.PAY, amount_krw=e.amount_krw, memo=memo, actor=actor
                )
                for e in entries
            ]
        )
    )


@dataclass(frozen=True)
class BudgetStatus:
    """One budget line's figures: committed is what approved statements hold (paid or not),
    paid what has left the account, remaining the budget less what is committed."""

    source: str
    kind: str
    budget_krw: int
    committed_krw: int
    paid_krw: int

    @property
    def remaining_krw(self) -> int:
        return self.budget_krw - self.committed_krw

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.kind)

    @property
    def source_label(self) -> str:
        return FundingSource(self.source).label

    @property
    def kind_label(self) -> str:
        return StatementKind(self.kind).label


def budget_status(programme: Programme, *, groups=None) -> list[BudgetStatus]:
    """Every budget line of the programme with its figures from the ledger (one query each for
    budgets and sums); with ``groups``, committed and paid count only the money of those
    operating groups' statements (their share of the programme's budget)."""
    entries = LedgerEntry.objects.filter(programme=programme)
    if groups is not None:
        entries = entries.filter(statement__operating_group__in=groups)
    sums = {
        (row["source"], row["kind"]): row
        for row in entries.values("source", "kind")
        .annotate(
            committed=Sum("amount_krw", filter=Q(entry_type=EntryType.COMMIT), default=0),
            paid=Sum("amount_krw", filter=Q(entry_type=EntryType.PAY), default=0),
        )
        .order_by()
    }
    out = []
    for budget in Budget.objects.filter(programme=programme).order_by("source", "kind"):
        row = sums.get((budget.source, budget.kind), {"committed": 0, "paid": 0})
        out.append(
            BudgetStatus(
                source=budget.source,
                kind=budget.kind,
                budget_krw=budget.amount_krw,
                committed_krw=row["committed"],
                paid_krw=row["paid"],
            )
        )
    return out


@dataclass(frozen=True)
class BudgetTotal:
    """Budget lines summed by one key: a funding source, a kind, or the whole programme."""

    label: str
    budget_krw: int
    committed_krw: int
    paid_krw: int

    @property
    def remaining_krw(self) -> int:
        return self.budget_krw - self.committed_krw


def budget_totals(lines: list[BudgetStatus], key) -> list[BudgetTotal]:
    """``lines`` summed by ``key`` (a function of a line giving its label), in first-seen
    order; ``lambda line: "합계"`` gives the programme's total."""
    totals: dict[str, list[int]] = {}
    for line in lines:
        row = totals.setdefault(key(line), [0, 0, 0])
        row[0] += line.budget_krw
        row[1] += line.committed_krw
        row[2] += line.paid_krw
    return [BudgetTotal(label, *figures) for label, figures in totals.items()]
