"""The ledger is append-only in the database itself; a correction is a reversing entry; the
budget's committed, paid and remaining figures come from it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, connection, transaction

from itda.payments.ledger import budget_status, ledger_post, ledger_reverse
from itda.payments.models import Budget, LedgerEntry

pytestmark = pytest.mark.django_db

KIND = "training_allowance"


def _post(regions, entry_type, amount, source="national"):
    return ledger_post(
        programme=regions["programme"],
        source=source,
        kind=KIND,
        entry_type=entry_type,
        amount_krw=amount,
        memo="테스트",
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payments_ledgerentry SET amount_krw = 1 WHERE id = %s",
        "DELETE FROM payments_ledgerentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(regions, sql):
    entry = _post(regions, "commit", 400_000)
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.amount_krw == 400_000


def test_a_correction_is_a_reversing_entry_and_only_once(regions):
    entry = _post(regions, "commit", 400_000)
    reversal = ledger_reverse(entry=entry, memo="잘못 기록")
    assert (reversal.amount_krw, reversal.reverses_id) == (-400_000, entry.pk)
    with pytest.raises(ValidationError, match="이미 취소된 기록입니다"):
        ledger_reverse(entry=entry, memo="다시")
    with pytest.raises(ValidationError, match="취소 기록은 다시 취소할 수 없습니다"):
        ledger_reverse(entry=reversal, memo="다시")
    assert LedgerEntry.objects.count() == 2


def test_budget_figures_come_from_the_ledger(regions):
    Budget.objects.create(
        programme=regions["programme"], source="national", kind=KIND, amount_krw=1_000_000
    )
    Budget.objects.create(
        programme=regions["programme"], source="local", kind=KIND, amount_krw=500_000
    )
    _post(regions, "commit", 400_000)
    _post(regions, "commit", 247_610)
    wrong = _post(regions, "commit", 100_000)
    ledger_reverse(entry=wrong, memo="중복")
    _post(regions, "pay", 400_000)
    _post(regions, "commit", 30_000, source="local")
    figures = {
        row.source: (row.budget_krw, row.committed_krw, row.paid_krw, row.remaining_krw)
        for row in budget_status(regions["programme"])
    }
    assert figures == {
        "national": (1_000_000, 647_610, 400_000, 352_390),
        "local": (500_000, 30_000, 0, 470_000),
    }
