"""Clawbacks by hand: an overpaid statement gets a negative correction with its arithmetic (paid,
due, difference), never an edit; the payee's next batch nets it (the bank line sends the net,
the ledger carries both sides); when the payee is owed no more than they owe, nothing is sent
and the clawback waits (환수 대기) for a later batch; a failed or cancelled line frees it."""

import datetime
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.payments import ledger
from itda.payments.batches import (
    batch_approve,
    batch_cancel,
    batch_draft,
    batch_export,
    batch_results_apply,
)
from itda.payments.clawbacks import Due, netting_plan
from itda.payments.models import (
    AllowanceLine,
    BatchOffset,
    LedgerEntry,
    Statement,
)
from itda.payments.services import allowance_compute
from itda.payments.statements import statements_compute
from itda.training.models import Attendance

from .batch_world import AUG, KIND, approved, budget, code, result, staff
from .conftest import AFTER, prorate_rule, record

pytestmark = pytest.mark.django_db

SEP = datetime.date(2026, 9, 1)
OCT = datetime.date(2026, 10, 1)
JULY = datetime.date(2026, 7, 1)


# --- the netting rule, pure ----------------------------------------------------------------------


def test_a_clawback_nets_whole_against_the_payees_largest_line():
    kim, lee = ("kim",), ("lee",)
    plan = netting_plan(
        [
            Due(1, kim, 800_000),
            Due(2, kim, 2_000_000),
            Due(3, kim, -500_000),
            Due(4, lee, 2_000_000),
        ]
    )
    assert plan.offsets == {2: [Due(3, kim, -500_000)]}
    assert plan.held == set()
    assert plan.sent(Due(2, kim, 2_000_000)) == 1_500_000


def test_a_payee_owed_no_more_than_they_owe_is_sent_nothing():
    kim = ("kim",)
    # 800,000 − 800,000 = 0: nothing sent, the clawback waits.
    plan = netting_plan([Due(1, kim, 800_000), Due(2, kim, -800_000)])
    assert (plan.offsets, plan.held) == ({}, {1})
    # Two clawbacks of 300,000 and 400,000 against 1,000,000 and 200,000: both from the larger
    # line (700,000 → 300,000 left there), the smaller one sent whole.
    plan = netting_plan(
        [Due(5, kim, 1_000_000), Due(6, kim, 200_000), Due(7, kim, -300_000), Due(8, kim, -400_000)]
    )
    assert plan.offsets == {5: [Due(7, kim, -300_000), Due(8, kim, -400_000)]}
    # A clawback no single line can take whole (net still positive) waits; the lines go out.
    plan = netting_plan([Due(1, kim, 600_000), Due(2, kim, 600_000), Due(3, kim, -700_000)])
    assert (plan.offsets, plan.held) == ({}, set())


# --- recomputation makes the negative statement --------------------------------------------------


def _paid(statement):
    Statement.objects.filter(pk=statement.pk).update(state="paid")


def test_an_overpaid_month_gets_a_negative_correction_with_paid_due_and_difference(
    regions, cast, login_as
):
    prorate_rule(regions, note="비례")
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    sessions = factories.sessions(cohort=cohort, days=[JULY.replace(day=d) for d in range(1, 21)])
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 16)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    statements_compute(programme=regions["programme"], month=JULY, kind="training_allowance")
    (original,) = Statement.objects.filter(trainee=enrollment.trainee)
    assert original.amount_krw == 400_000
    _paid(original)
    # Attendance corrected after payment: two of the sixteen days were absences. 14/20 < 80%
    # pro-rated: 400,000 × 14 / 20 = 280,000 due; 400,000 paid; −120,000 to claw back.
    Attendance.objects.filter(enrollment=enrollment, session__in=sessions[:2]).update(
        status="absent"
    )
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    counts = statements_compute(
        programme=regions["programme"], month=JULY, kind="training_allowance"
    )
    assert counts["corrections"] == 1
    original_again, clawback = Statement.objects.filter(trainee=enrollment.trainee).order_by("pk")
    assert (original_again.amount_krw, original_again.state) == (400_000, "paid")
    assert (clawback.amount_krw, clawback.corrects_id, clawback.state) == (
        -120_000,
        original.pk,
        "draft",
    )
    record_ = clawback.arithmetic
    assert (record_["amount_krw"], record_["settled_krw"], record_["paid_krw"]) == (
        280_000,
        400_000,
        400_000,
    )
    assert record_["delta_krw"] == -120_000
    page = login_as(cast["seoul_staff"], Client()).get(f"/money/statements/{clawback.pk}/")
    assert (
        "정정: 새 산정액 280,000원 − 앞서 확정된 400,000원(그중 지급 완료 400,000원) = "
        "-120,000원 (환수: 다음 지급 배치에서 받을 금액과 상계)"
    ) in unescape(page.content.decode())
    # A second open correction of the same statement is refused by the database.
    copy = {
        f.name: getattr(clawback, f.name)
        for f in Statement._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }
    with pytest.raises(IntegrityError, match="statement_one_open_correction"), transaction.atomic():
        Statement.objects.create(**copy)


def test_a_period_no_longer_due_at_all_is_clawed_back_in_full(regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 20)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    statements_compute(programme=regions["programme"], month=JULY, kind="training_allowance")
    (original,) = Statement.objects.filter(trainee=enrollment.trainee)
    _paid(original)
    # The period's allowance is gone (a dropout backdated before the month).
    AllowanceLine.objects.filter(enrollment=enrollment).delete()
    counts = statements_compute(
        programme=regions["programme"], month=JULY, kind="training_allowance"
    )
    assert counts["corrections"] == 1
    clawback = Statement.objects.get(corrects=original)
    assert clawback.amount_krw == -400_000
    assert (clawback.arithmetic["amount_krw"], clawback.arithmetic["paid_krw"]) == (0, 400_000)


# --- the next batch nets it ----------------------------------------------------------------------


@pytest.fixture
def people(regions, seoul_staff):
    return {"maker": seoul_staff}


def _pay(regions, people, month, fail=()):
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=month,
        kind=KIND,
        actor=people["maker"],
    )
    # A checker of their own per batch: a code is good for one approval.
    checker = staff(regions, f"checker_{batch.pk}")
    batch_approve(batch=batch, actor=checker, token=code(checker))
    batch_export(batch=batch, actor=people["maker"])
    rows = [
        result(line, ok=line.statement_id not in fail, reason="계좌 해지")
        for line in batch.lines.order_by("pk")
    ]
    batch_results_apply(batch=batch, rows=rows, actor=people["maker"])
    return batch


def _clawback(of: Statement, amount: int) -> Statement:
    return Statement.objects.create(
        programme=of.programme,
        kind=of.kind,
        period_start=of.period_start,
        period_end=of.period_end,
        trainee=of.trainee,
        operating_group=of.operating_group,
        amount_krw=amount,
        arithmetic={"amount_krw": of.amount_krw + amount, "delta_krw": amount},
        rule_version="test",
        state="approved",
        corrects=of,
        computed_at=timezone.now(),
    )


def _sum(**filters):
    return LedgerEntry.objects.filter(**filters).aggregate(s=Sum("amount_krw", default=0))["s"]


def test_the_next_batch_sends_the_net_and_the_ledger_sums_to_the_bank_file(regions, people):
    budget(regions, 10_000_000)
    august = approved(regions)
    _pay(regions, people, AUG)
    clawback = _clawback(august, -500_000)
    september = approved(regions, month=SEP, trainee=august.trainee)
    other = approved(regions, month=SEP, amount=1_000_000)

    batch = _pay(regions, people, SEP)
    lines = dict(batch.lines.values_list("statement_id", "amount_krw"))
    # 2,000,000 − 500,000 = 1,500,000 to the overpaid intern; the other intern untouched.
    assert lines == {september.pk: 1_500_000, other.pk: 1_000_000}
    offset = BatchOffset.objects.get()
    assert (offset.statement_id, offset.amount_krw, offset.line.statement_id) == (
        clawback.pk,
        -500_000,
        september.pk,
    )
    clawback.refresh_from_db()
    assert clawback.state == "paid"
    assert list(clawback.transitions.values_list("to_state", flat=True)) == ["in_batch", "paid"]
    # Both sides in the ledger: the clawback a negative commitment and payment of its own.
    assert (_sum(statement=clawback, entry_type="commit"), _sum(statement=clawback)) == (
        -500_000,
        -1_000_000,
    )
    september_ids = [september.pk, other.pk, clawback.pk]
    assert _sum(statement__in=september_ids, entry_type="pay") == 2_500_000 == sum(lines.values())
    # Paid to the intern over both months: 2,000,000 + 1,500,000 = 3,500,000.
    assert _sum(statement__trainee=august.trainee, entry_type="pay") == 3_500_000
    (line,) = ledger.budget_status(regions["programme"])
    assert (line.committed_krw, line.paid_krw, line.remaining_krw) == (
        4_500_000,
        4_500_000,
        5_500_000,
    )


def test_when_the_net_is_not_positive_nothing_is_sent_and_the_clawback_waits(
    regions, people, cast, login_as
):
    budget(regions, 10_000_000)
    august = approved(regions)
    _pay(regions, people, AUG)
    clawback = _clawback(august, -1_000_000)
    september = approved(regions, month=SEP, amount=800_000, trainee=august.trainee)
    other = approved(regions, month=SEP, amount=1_000_000)

    batch = _pay(regions, people, SEP)
    # 800,000 owed to the intern, 1,000,000 owed back: nothing sent to them this month.
    assert list(batch.lines.values_list("statement_id", flat=True)) == [other.pk]
    assert [Statement.objects.get(pk=s.pk).state for s in (september, clawback)] == [
        "approved",
        "approved",
    ]
    # 환수 대기 lists it with the amount owed, masked; another region's staff see nothing.
    page = login_as(cast["seoul_staff"], Client()).get("/money/clawbacks/").content.decode()
    assert f'data-clawback="{clawback.pk}"' in page
    assert "환수 대기 합계 <strong>1,000,000원</strong>" in page
    assert august.trainee.name not in page
    elsewhere = login_as(cast["busan_staff"], Client()).get("/money/clawbacks/").content.decode()
    assert f'data-clawback="{clawback.pk}"' not in elsewhere

    # October: 2,000,000 more. The clawback nets against it whole; September's 800,000 goes out.
    october = approved(regions, month=OCT, trainee=august.trainee)
    batch = _pay(regions, people, OCT)
    assert dict(batch.lines.values_list("statement_id", "amount_krw")) == {
        september.pk: 800_000,
        october.pk: 1_000_000,
    }
    assert _sum(statement__trainee=august.trainee, entry_type="pay") == 2_000_000 + 1_800_000
    assert Statement.objects.get(pk=clawback.pk).state == "paid"


def test_a_failed_or_cancelled_line_frees_its_clawback_for_a_later_batch(regions, people, admin):
    budget(regions, 10_000_000)
    august = approved(regions)
    _pay(regions, people, AUG)
    clawback = _clawback(august, -500_000)
    september = approved(regions, month=SEP, trainee=august.trainee)
    _pay(regions, people, SEP, fail={september.pk})
    clawback.refresh_from_db()
    assert clawback.state == "approved"
    # Its commitment reversed with the line's: the ledger holds nothing for it.
    assert _sum(statement=clawback) == 0
    assert _sum(statement=september) == 0
    # The retry batch nets it again; cancelled before export, it waits once more.
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=SEP,
        kind=KIND,
        actor=people["maker"],
    )
    assert batch.lines.get().amount_krw == 1_500_000
    batch_approve(batch=batch, actor=admin, token=code(admin))
    assert _sum(statement=clawback, entry_type="commit") == -500_000
    batch_cancel(batch=batch, actor=people["maker"], note="계좌 재확인")
    assert Statement.objects.get(pk=clawback.pk).state == "approved"
    assert _sum(statement=clawback) == 0
