"""A batch's files through its pages: the transfer workbook once (its lines, total and text
cells), the bank's result file applied line by line (paid, failed to the retry list, a rerun
changing nothing), and the settlement of what was paid — each download logged."""

import hashlib
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.payments.batches import batch_approve, batch_draft
from itda.payments.models import LedgerEntry

from .batch_world import KIND, approved, budget, next_code, staff
from .test_bankfiles import HEADER_ROW, _result_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_batch(regions, cast, login_as):
    budget(regions, 10_000_000)
    paid = approved(
        regions,
        amount=2_000_000,
        trainee=factories.TraineeFactory(
            region=regions["seoul"], name="김지급", bank_name="국민은행", bank_account="123-45-6789"
        ),
    )
    failed = approved(
        regions,
        amount=1_234_560,
        trainee=factories.TraineeFactory(region=regions["seoul"], name="이실패"),
    )
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=paid.period_start,
        kind=KIND,
        actor=cast["seoul_staff"],
    )
    checker = staff(regions, "seoul_checker")
    batch_approve(batch=batch, actor=checker, token=next_code(checker))
    client = login_as(cast["seoul_staff"], Client())
    return batch, client, paid, failed


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_export_then_results_then_settlement_through_the_pages(approved_batch):
    batch, client, paid, failed = approved_batch
    base = f"/money/batches/{batch.pk}/"

    transfer = client.post(base + "export/")
    assert transfer.status_code == 200
    sheet = _sheet(transfer.content)
    lines = {
        row[0]: row
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[0] is not None
    }
    by_statement = {line.statement_id: line for line in batch.lines.all()}
    kb = lines[by_statement[paid.pk].pk]
    assert kb[1:4] == ("004", "123456789", 2_000_000)  # 국민은행, digits only, as text
    assert sheet.cell(row=HEADER_ROW + 1, column=2).data_type == "s"
    assert (sheet["B2"].value, sheet["B3"].value) == (2, 3_234_560)
    assert sum(row[3] for row in lines.values()) == sheet["B3"].value
    # Once only: a second transfer file could be uploaded to the bank twice.
    again = client.post(base + "export/", follow=True)
    assert "이미 이체 파일을 만든 배치입니다" in again.content.decode()

    result = _result_from(transfer.content, {by_statement[failed.pk].pk: ("오류", "해지 계좌")})
    upload = io.BytesIO(result)
    upload.name = "result.xlsx"
    response = client.post(base + "results/", {"file": upload}, follow=True)
    assert "지급 1건, 실패 1건" in response.content.decode()
    paid.refresh_from_db()
    failed.refresh_from_db()
    assert (paid.state, failed.state) == ("paid", "approved")
    pay = LedgerEntry.objects.filter(entry_type="pay")
    assert sum(pay.values_list("amount_krw", flat=True)) == 2_000_000
    # Every line has its result: the batch is closed, and the same file again changes nothing.
    upload = io.BytesIO(result)
    upload.name = "result.xlsx"
    rerun = client.post(base + "results/", {"file": upload}, follow=True)
    assert "이미 모든 결과를 반영해 완료된 배치입니다" in rerun.content.decode()
    assert LedgerEntry.objects.filter(entry_type="pay").count() == pay.count()

    settlement = client.post(base + "settlement/")
    assert settlement.status_code == 200
    rows = [r for r in _sheet(settlement.content).iter_rows(values_only=True) if any(r)]
    text = " ".join(str(c) for row in rows for c in row if c is not None)
    assert "김지급" in text and "이실패" not in text
    assert f"지급 명세 #{paid.pk}" in text
    logged = PersonalDataAccess.objects.filter(subject_type="payments.batchline", action="export")
    assert list(logged.values_list("reason", flat=True).order_by("pk")) == [
        "지급 배치 이체 파일",
        "지급 배치 집행 내역",
    ]


def test_a_result_file_that_is_not_a_bank_file_changes_nothing(approved_batch):
    batch, client, paid, _failed = approved_batch
    base = f"/money/batches/{batch.pk}/"
    client.post(base + "export/")
    upload = io.BytesIO(b"not a workbook at all")
    upload.name = "result.xlsx"
    response = client.post(base + "results/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "은행 결과를 반영했습니다" not in response.content.decode()
    paid.refresh_from_db()
    assert paid.state == "in_batch"
    assert not LedgerEntry.objects.filter(entry_type="pay").exists()
    # Nothing paid yet: no settlement.
    refused = client.post(base + "settlement/", follow=True)
    assert "지급 완료된 행이 없어" in refused.content.decode()


def test_the_stored_transfer_file_downloads_again_byte_for_byte_and_is_logged(approved_batch):
    batch, client, _paid, _failed = approved_batch
    base = f"/money/batches/{batch.pk}/"
    before = client.post(base + "transfer-file/", follow=True)
    assert "아직 이체 파일을 만들지 않은 배치입니다" in before.content.decode()

    first = client.post(base + "export/")
    stored = batch.files.get(kind="transfer")
    assert stored.sha256 == hashlib.sha256(first.content).hexdigest()
    assert stored.created_by == batch.maker
    again = client.post(base + "transfer-file/")
    assert again.status_code == 200
    assert again.content == first.content
    # Never a second, different export.
    refused = client.post(base + "export/", follow=True)
    assert "이미 이체 파일을 만든 배치입니다" in refused.content.decode()
    assert batch.files.filter(kind="transfer").count() == 1
    logged = PersonalDataAccess.objects.filter(subject_type="payments.batchline", action="export")
    assert list(logged.values_list("reason", flat=True).order_by("pk")) == [
        "지급 배치 이체 파일",
        "지급 배치 이체 파일 다시 받기",
    ]
    assert batch.events.filter(note__contains=stored.sha256).count() == 1
