"""Two checkers approve the same batch at the same moment: one approval, one clear refusal."""

import threading

import psycopg
import pytest
from django.db import connection

from itda.payments.batches import BatchError, batch_approve, batch_draft
from itda.payments.models import LedgerEntry, PaymentBatch

from .batch_world import AUG, KIND, approved, budget, code, staff


def _dsn():
    settings = connection.settings_dict
    return (
        f"dbname={settings['NAME']} user={settings['USER']} host={settings['HOST']} "
        f"port={settings['PORT'] or 5432}"
        + (f" password={settings['PASSWORD']}" if settings["PASSWORD"] else "")
    )


@pytest.mark.django_db(transaction=True)
def test_two_checkers_at_once_one_approves_the_other_is_told(regions, seoul_staff):
    budget(regions, 10_000_000)
    approved(regions)
    checkers = [staff(regions, "checker_a"), staff(regions, "checker_b")]
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=AUG,
        kind=KIND,
        actor=seoul_staff,
    )
    outcomes: dict[str, str] = {}

    def approve(checker, token):
        try:
            batch_approve(batch=batch, actor=checker, token=token)
            outcomes[checker.username] = "approved"
        except BatchError as refused:
            outcomes[checker.username] = refused.messages[0]
        finally:
            connection.close()

    # A third connection holds the batch row, so both checkers pass their codes and then
    # queue on the same lock: released together, they race for real.
    with psycopg.connect(_dsn()) as holder:
        holder.execute("SELECT 1 FROM payments_paymentbatch WHERE id = %s FOR UPDATE", [batch.pk])
        threads = [
            threading.Thread(target=approve, args=(checker, code(checker))) for checker in checkers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=1)
        assert all(thread.is_alive() for thread in threads) and not outcomes
        holder.commit()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes.values()) == [
        "approved",
        "이미 다른 승인자가 승인한 배치입니다. 새로 고쳐 확인하세요.",
    ]
    batch.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "approved")
    assert (batch.state, batch.checker.username) == ("approved", winner)
    assert list(LedgerEntry.objects.values_list("amount_krw", flat=True)) == [2_000_000]
    assert PaymentBatch.objects.get().events.count() == 2
