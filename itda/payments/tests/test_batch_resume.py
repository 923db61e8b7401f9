"""A batch's files kept with it: the transfer workbook stored in the export's transaction, and
the bank's result file stored before it is applied, so that applying it twice, or again after
an interruption part-way, pays nothing twice."""

import base64
import hashlib

import pytest
from django.db import connection
from django.db.models import Sum

from itda.payments import batches
from itda.payments.bankfiles import parse_result_file
from itda.payments.batches import (
    BatchError,
    batch_approve,
    batch_draft,
    batch_export,
    batch_result_file_apply,
    batch_results_apply,
    batch_results_upload,
    batch_transfer_file,
)
from itda.payments.models import BatchFile, BatchLine, LedgerEntry, PaymentBatch, Statement

from .batch_world import AUG, KIND, approved, budget, code, staff

pytestmark = pytest.mark.django_db


def _result_csv(batch, failed=()) -> bytes:
    rows = ["순번,계좌번호,금액,처리결과,사유"]
    for line in batch.lines.order_by("pk"):
        ok = line.statement_id not in failed
        reason = "" if ok else "해지 계좌"
        rows.append(
            f"{line.pk},{line.bank_account},{line.amount_krw},{'정상' if ok else '오류'},{reason}"
        )
    return "\n".join(rows).encode()


@pytest.fixture
def exported(regions, seoul_staff):
    budget(regions, 100_000_000)
    statements = [approved(regions, amount=100_000 * (n + 1)) for n in range(5)]
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=AUG,
        kind=KIND,
        actor=seoul_staff,
    )
    checker = staff(regions, "seoul_checker")
    batch_approve(batch=batch, actor=checker, token=code(checker))
    workbook, _ids = batch_export(batch=batch, actor=seoul_staff)
    return batch, statements, workbook, seoul_staff


def _pay_total():
    return LedgerEntry.objects.filter(entry_type="pay").aggregate(s=Sum("amount_krw"))["s"] or 0


def test_the_export_stores_its_file_and_a_second_export_is_refused(exported):
    batch, _statements, workbook, maker = exported
    stored = BatchFile.objects.get(batch=batch)
    assert (stored.kind, stored.data) == ("transfer", workbook)
    with connection.cursor() as cursor:  # at rest, the file is encrypted as accounts are
        cursor.execute("SELECT content FROM payments_batchfile WHERE id = %s", [stored.pk])
        raw = cursor.fetchone()[0]
    assert raw.split("$")[0] and not raw.startswith(stored.content[:8])
    assert stored.sha256 == hashlib.sha256(workbook).hexdigest()
    again, line_ids = batch_transfer_file(batch=batch, actor=maker)
    assert again == workbook
    assert line_ids == list(batch.lines.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(BatchError, match="이미 이체 파일을 만든 배치입니다"):
        batch_export(batch=batch, actor=maker)
    assert BatchFile.objects.filter(batch=batch).count() == 1


def test_a_result_file_applied_twice_pays_once(exported):
    batch, statements, _workbook, maker = exported
    data = _result_csv(batch, failed={statements[0].pk})
    assert batch_results_upload(batch=batch, data=data, actor=maker) == {
        "paid": 4,
        "failed": 1,
        "skipped": 0,
    }
    stored = BatchFile.objects.get(batch=batch, kind="result")
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.applied_at
    # The stored file again (a task rerun): everything is skipped, nothing is paid twice.
    assert batch_result_file_apply(stored=stored, actor=maker) == {
        "paid": 0,
        "failed": 0,
        "skipped": 5,
    }
    with pytest.raises(BatchError, match="이미 모든 결과를 반영해 완료된 배치입니다"):
        batch_results_upload(batch=batch, data=data, actor=maker)
    assert _pay_total() == sum(s.amount_krw for s in statements[1:]) == 1_400_000
    assert BatchFile.objects.filter(batch=batch, kind="result").count() == 1
    assert list(Statement.objects.order_by("pk").values_list("state", flat=True)) == [
        "approved",
        "paid",
        "paid",
        "paid",
        "paid",
    ]


def test_an_application_interrupted_part_way_resumes_and_pays_each_line_once(exported, monkeypatch):
    batch, statements, _workbook, maker = exported
    monkeypatch.setattr(batches, "RESULT_CHUNK", 2)
    data = _result_csv(batch)
    # As the first chunk's transaction left it when the worker died: two lines settled, the
    # file kept, the batch still exported.
    rows = parse_result_file(data)
    batch_results_apply(batch=batch, rows=rows[:2], actor=maker)
    stored = BatchFile.objects.create(
        batch=batch,
        kind="result",
        content=base64.b64encode(data).decode(),
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=maker,
    )
    assert PaymentBatch.objects.get(pk=batch.pk).state == "exported"
    assert _pay_total() == 300_000
    counts = batch_result_file_apply(stored=stored, actor=maker)
    assert counts == {"paid": 3, "failed": 0, "skipped": 2}
    assert PaymentBatch.objects.get(pk=batch.pk).state == "closed"
    assert _pay_total() == sum(s.amount_krw for s in statements) == 1_500_000
    per_statement = LedgerEntry.objects.filter(entry_type="pay").values("statement")
    assert {row["n"] for row in per_statement.annotate(n=Sum("amount_krw"))} == {
        s.amount_krw for s in statements
    }
    assert BatchLine.objects.filter(result="paid").count() == 5
