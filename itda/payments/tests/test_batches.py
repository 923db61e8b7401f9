"""Payment batches: drafted from the month's approved statements, approved by a second person
with a fresh authenticator code within the budget, exported once, settled from the bank's result
rows; a failed transfer comes back on the retry list and the next batch pays it; nothing is ever
paid twice."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from itda import factories
from itda.payments.batches import (
    BatchError,
    batch_approve,
    batch_cancel,
    batch_draft,
    batch_export,
    batch_results_apply,
    holder_differs,
    retry_list,
)
from itda.payments.models import (
    BatchEvent,
    BatchLine,
    LedgerEntry,
    PaymentBatch,
    Statement,
)

from .batch_world import AUG, KIND, approved, budget, code, result, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(regions, seoul_staff):
    return {"maker": seoul_staff, "checker": staff(regions, "seoul_checker")}


def _draft(regions, maker, group="capital_group", month=AUG):
    return batch_draft(
        programme=regions["programme"],
        group=regions[group] if group else None,
        month=month,
        kind=KIND,
        actor=maker,
    )


def _ledger(**filters):
    return LedgerEntry.objects.filter(**filters).aggregate(s=Sum("amount_krw", default=0))["s"]


def _states(*statements):
    return [Statement.objects.get(pk=s.pk).state for s in statements]


def test_a_draft_takes_the_months_approved_statements_with_the_payees_bank_details(regions, people):
    mine = approved(regions)
    trainee = mine.trainee
    trainee.bank_holder = "김 지급"
    trainee.save()
    company = factories.CompanyFactory(
        region=regions["seoul"],
        name="(주)가나정밀",
        bank_name="기업은행",
        bank_account="010-1234-5678",
        bank_holder="가나정밀 주식회사",
    )
    for_company = approved(regions, amount=1_500_000, company=company)
    no_account = approved(
        regions, trainee=factories.TraineeFactory(region=regions["seoul"], bank_account="")
    )
    later = approved(regions, month=datetime.date(2026, 9, 1))
    other_group = approved(regions, group="dongnam_group")
    draft = approved(regions)
    Statement.objects.filter(pk=draft.pk).update(state="draft")

    batch, left_out = _draft(regions, people["maker"])

    assert left_out == 1
    lines = list(batch.lines.order_by("pk"))
    assert [(line.statement_id, line.amount_krw) for line in lines] == [
        (mine.pk, 2_000_000),
        (for_company.pk, 1_500_000),
    ]
    assert (lines[0].bank_name, lines[0].bank_account, lines[0].bank_holder) == (
        "신한은행",
        "110-999-123456",
        "김 지급",
    )
    assert lines[1].bank_account == "010-1234-5678"
    assert _states(mine, for_company, no_account, later, other_group, draft) == [
        "in_batch",
        "in_batch",
        "approved",
        "approved",
        "approved",
        "draft",
    ]
    assert list(mine.transitions.values_list("from_state", "to_state", "actor")) == [
        ("approved", "in_batch", people["maker"].pk)
    ]
    assert list(batch.events.values_list("from_state", "to_state", "actor")) == [
        ("", "draft", people["maker"].pk)
    ]
    # The account is stored encrypted, like the trainee's.
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM payments_batchline WHERE id = %s", [lines[0].pk])
        assert "123456" not in cursor.fetchone()[0]
    # The holder check ignores spaces and the corporate marks.
    assert not holder_differs("김 지급", "김지급")
    assert not holder_differs("가나정밀 주식회사", "(주)가나정밀")
    assert holder_differs("박타인", "김지급")
    # Nothing left to draft: refused, nothing written.
    with pytest.raises(BatchError, match="지급할 승인 명세가 없습니다. 계좌가 등록되지 않은"):
        _draft(regions, people["maker"])
    assert PaymentBatch.objects.count() == 1


def test_the_maker_cannot_approve_their_own_batch(regions, people):
    budget(regions, 10_000_000)
    approved(regions)
    batch, _ = _draft(regions, people["maker"])
    with pytest.raises(BatchError, match="배치를 작성한 사람은 승인할 수 없습니다"):
        batch_approve(batch=batch, actor=people["maker"], token=code(people["maker"]))
    batch.refresh_from_db()
    assert (batch.state, batch.checker) == ("draft", None)
    assert LedgerEntry.objects.count() == 0
    # The database holds it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(checker=people["maker"])


def test_an_approval_without_a_valid_fresh_code_is_refused(regions, people):
    budget(regions, 10_000_000)
    approved(regions)
    batch, _ = _draft(regions, people["maker"])
    checker = people["checker"]
    # A code already used (at login, say) is not fresh.
    used = code(checker)
    assert checker.totpdevice_set.get().verify_token(used)
    with pytest.raises(BatchError, match="이미 사용되었습니다"):
        batch_approve(batch=batch, actor=checker, token=used)
    for token in ("", "12345", "000000" if used != "000000" else "111111"):
        with pytest.raises(BatchError, match="인증번호가 올바르지 않거나"):
            batch_approve(batch=batch, actor=checker, token=token)
    batch.refresh_from_db()
    assert (batch.state, batch.totp_verified) == ("draft", False)
    assert LedgerEntry.objects.count() == 0


def test_approval_commits_the_money_national_first_then_local(regions, people):
    budget(regions, 3_000_000)
    budget(regions, 2_000_000, source="local")
    first, second = approved(regions), approved(regions)
    batch, _ = _draft(regions, people["maker"])
    batch = batch_approve(batch=batch, actor=people["checker"], token=code(people["checker"]))
    assert (batch.state, batch.checker, batch.totp_verified) == (
        "approved",
        people["checker"],
        True,
    )
    commits = list(
        LedgerEntry.objects.filter(entry_type="commit")
        .order_by("pk")
        .values_list("statement", "source", "amount_krw")
    )
    # The second statement takes the 1,000,000 national money left, then the local.
    assert commits == [
        (first.pk, "national", 2_000_000),
        (second.pk, "national", 1_000_000),
        (second.pk, "local", 1_000_000),
    ]
    assert list(batch.events.values_list("from_state", "to_state")) == [
        ("", "draft"),
        ("draft", "approved"),
    ]


def test_a_batch_over_the_remaining_budget_is_refused_with_the_figures(regions, people):
    budget(regions, 3_000_000)
    budget(regions, 500_000, source="local")
    approved(regions), approved(regions)
    batch, _ = _draft(regions, people["maker"])
    with pytest.raises(BatchError) as refused:
        batch_approve(batch=batch, actor=people["checker"], token=code(people["checker"]))
    message = refused.value.messages[0]
    assert "배치 합계 4,000,000원" in message
    assert "남은 예산 3,500,000원(국비 3,000,000원, 지방비 500,000원, 민간 0원)" in message
    assert "부족액 500,000원" in message
    assert "itda 기본값" in message
    batch.refresh_from_db()
    assert (batch.state, batch.checker) == ("draft", None)
    assert LedgerEntry.objects.count() == 0
    assert BatchEvent.objects.filter(batch=batch).count() == 1


def test_a_statement_is_never_in_two_waiting_or_paid_lines(regions, people):
    statement = approved(regions)
    batch, _ = _draft(regions, people["maker"])
    line = batch.lines.get()
    other = PaymentBatch.objects.create(
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        month=AUG,
        kind=KIND,
        maker=people["maker"],
    )
    twice = {"batch": other, "statement": statement, "amount_krw": statement.amount_krw}
    with pytest.raises(IntegrityError, match="batch_line_statement_once"), transaction.atomic():
        BatchLine.objects.create(**twice)
    # Paid is as final as waiting.
    BatchLine.objects.filter(pk=line.pk).update(result="paid")
    with pytest.raises(IntegrityError, match="batch_line_statement_once"), transaction.atomic():
        BatchLine.objects.create(**twice)
    # A failed line frees the statement for the next batch.
    BatchLine.objects.filter(pk=line.pk).update(result="failed", failure_reason="계좌 해지")
    BatchLine.objects.create(**twice)


def _approved_exported(regions, people, checker="checker"):
    batch, _ = _draft(regions, people["maker"])
    batch_approve(batch=batch, actor=people[checker], token=code(people[checker]))
    batch_export(batch=batch, actor=people["maker"])
    batch.refresh_from_db()
    return batch


def test_a_failed_line_comes_back_on_the_retry_list_and_the_next_batch_pays_it(
    regions, people, admin
):
    budget(regions, 10_000_000)
    good, bad = approved(regions), approved(regions, amount=1_000_000)
    batch = _approved_exported(regions, people)
    good_line, bad_line = batch.lines.order_by("pk")
    counts = batch_results_apply(
        batch=batch,
        rows=[result(good_line), result(bad_line, ok=False, reason="계좌 해지")],
        actor=people["maker"],
    )
    assert counts == {"paid": 1, "failed": 1, "skipped": 0}
    batch.refresh_from_db()
    bad_line.refresh_from_db()
    assert batch.state == "closed"
    assert (bad_line.result, bad_line.failure_reason) == ("failed", "계좌 해지")
    assert _states(good, bad) == ["paid", "approved"]
    assert list(
        retry_list(programme=regions["programme"], group=regions["capital_group"], kind=KIND)
    ) == [Statement.objects.get(pk=bad.pk)]
    # The ledger: the paid line's money committed and paid, the failed one's commitment undone.
    assert (_ledger(statement=good, entry_type="pay"), _ledger(statement=good)) == (
        2_000_000,
        4_000_000,
    )
    assert (_ledger(statement=bad, entry_type="commit"), _ledger(statement=bad)) == (0, 0)
    # The next month's batch takes the retry list with the new month's statements.
    september = approved(regions, month=datetime.date(2026, 9, 1), amount=500_000)
    again, _ = _draft(regions, people["maker"], month=datetime.date(2026, 9, 1))
    assert set(again.lines.values_list("statement", flat=True)) == {bad.pk, september.pk}
    batch_approve(batch=again, actor=admin, token=code(admin))
    batch_export(batch=again, actor=people["maker"])
    batch_results_apply(
        batch=again, rows=[result(line) for line in again.lines.all()], actor=people["maker"]
    )
    assert _states(good, bad, september) == ["paid", "paid", "paid"]
    assert _ledger(statement=bad, entry_type="pay") == 1_000_000
    assert _ledger(entry_type="pay") == 3_500_000
    assert _ledger(entry_type="commit") == 3_500_000
    # The statement's trail: in, back, in again, paid.
    assert list(bad.transitions.order_by("pk").values_list("to_state", flat=True)) == [
        "in_batch",
        "approved",
        "in_batch",
        "paid",
    ]


def test_result_rows_that_do_not_match_refuse_the_whole_file_and_a_rerun_changes_nothing(
    regions, people
):
    budget(regions, 10_000_000)
    approved(regions), approved(regions)
    batch = _approved_exported(regions, people)
    first, second = batch.lines.order_by("pk")
    for bad_rows, message in (
        ([result(first), result(second, amount_krw=1)], "금액 1원이 배치의 2,000,000원과 다릅니다"),
        ([result(first, account="999-999")], "계좌번호가 배치의 계좌와 다릅니다"),
        ([result(first, line_id=first.pk + 999)], "이 배치에 없는 행입니다"),
        ([result(first), result(first)], "결과가 두 번 있습니다"),
    ):
        with pytest.raises(BatchError, match=message):
            batch_results_apply(batch=batch, rows=bad_rows, actor=people["maker"])
    assert LedgerEntry.objects.filter(entry_type="pay").count() == 0
    assert set(BatchLine.objects.values_list("result", flat=True)) == {"pending"}
    # One row now, then the whole file: the first row is skipped the second time.
    batch_results_apply(batch=batch, rows=[result(first)], actor=people["maker"])
    counts = batch_results_apply(
        batch=batch, rows=[result(first), result(second)], actor=people["maker"]
    )
    assert counts == {"paid": 1, "failed": 0, "skipped": 1}
    assert _ledger(entry_type="pay") == 4_000_000
    with pytest.raises(BatchError, match="이미 모든 결과를 반영해 완료된 배치입니다"):
        batch_results_apply(batch=batch, rows=[result(first)], actor=people["maker"])


def test_a_second_export_and_a_cancel_after_export_are_refused(regions, people):
    budget(regions, 10_000_000)
    statement = approved(regions)
    batch = _approved_exported(regions, people)
    with pytest.raises(BatchError, match="이미 이체 파일을 만든 배치입니다"):
        batch_export(batch=batch, actor=people["maker"])
    with pytest.raises(BatchError, match="'이체 파일 생성' 상태의 배치는 취소할 수 없습니다"):
        batch_cancel(batch=batch, actor=people["maker"], note="실수")
    batch_results_apply(batch=batch, rows=[result(batch.lines.get())], actor=people["maker"])
    with pytest.raises(BatchError, match="이미 이체 파일을 만든 배치입니다"):
        batch_export(batch=batch, actor=people["maker"])
    assert _states(statement) == ["paid"]
    assert list(batch.events.values_list("to_state", flat=True)) == [
        "draft",
        "approved",
        "exported",
        "closed",
    ]


def test_a_cancel_before_export_returns_the_statements_and_undoes_the_commitment(regions, people):
    budget(regions, 10_000_000)
    statement = approved(regions)
    batch, _ = _draft(regions, people["maker"])
    batch_approve(batch=batch, actor=people["checker"], token=code(people["checker"]))
    with pytest.raises(BatchError, match="취소 사유를 입력하세요"):
        batch_cancel(batch=batch, actor=people["maker"], note=" ")
    batch = batch_cancel(batch=batch, actor=people["maker"], note="금액 재확인")
    assert batch.state == "cancelled"
    assert _states(statement) == ["approved"]
    assert batch.lines.get().result == "cancelled"
    assert _ledger() == 0 and LedgerEntry.objects.count() == 2
    assert batch.events.last().note == "금액 재확인"
    # Back in the next draft.
    again, _ = _draft(regions, people["maker"])
    assert again.lines.get().statement_id == statement.pk


def test_only_the_operator_acts_on_a_national_batch_and_staff_only_on_their_group(
    regions, people, admin, busan_staff
):
    approved(regions)
    with pytest.raises(BatchError, match="전국 지급 배치는 전담기관 운영자만"):
        _draft(regions, people["maker"], group=None)
    with pytest.raises(BatchError, match="이 사업단의 지급 배치를 처리할 권한이 없습니다"):
        _draft(regions, busan_staff)
    national, _ = _draft(regions, admin, group=None)
    assert national.lines.count() == 1
    with pytest.raises(BatchError, match="전국 지급 배치는 전담기관 운영자만"):
        batch_approve(batch=national, actor=people["checker"], token=code(people["checker"]))
