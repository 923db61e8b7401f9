"""The batch pages: drafted and approved through the forms (the approval asks for the code
again), lines masked with the holder check, another region's batch a 404 everywhere."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.conftest import totp_now
from itda.payments.batches import batch_draft
from itda.payments.models import BatchLine, PaymentBatch

from .batch_world import KIND, approved, budget, next_code, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(regions, cast, login_as):
    budget(regions, 10_000_000)
    trainee = factories.TraineeFactory(
        region=regions["seoul"], name="김지급", bank_account="110-999-123456", bank_holder="박타인"
    )
    approved(regions, trainee=trainee)
    # The holder on file is the payee (the factory's default): no warning.
    approved(regions, trainee=factories.TraineeFactory(region=regions["seoul"], name="이맞음"))
    client = login_as(cast["seoul_staff"], Client())
    response = client.post(
        "/money/batches/new/",
        {
            "programme": regions["programme"].pk,
            "group": regions["capital_group"].pk,
            "month": "2026-08",
            "kind": KIND,
        },
    )
    batch = PaymentBatch.objects.get()
    assert response.url == f"/money/batches/{batch.pk}/"
    return batch, client


def test_the_batch_page_masks_payees_and_accounts_and_warns_on_the_holder(drafted):
    batch, client = drafted
    page = client.get(f"/money/batches/{batch.pk}/").content.decode()
    assert "김*급" in page and "김지급" not in page
    assert "110-****-3456" in page and "123456" not in page
    differs, matches = batch.lines.order_by("pk")
    assert f'data-testid="holder-warning-{differs.pk}"' in page
    assert f'data-testid="holder-warning-{matches.pk}"' not in page
    assert "itda 기본값" in page
    assert "#" + str(batch.pk) in client.get("/money/batches/").content.decode()


def test_the_checker_approves_with_a_fresh_code_and_the_login_code_is_refused(
    drafted, regions, login_as
):
    batch, _maker = drafted
    url = f"/money/batches/{batch.pk}/approve/"
    checker = staff(regions, "seoul_checker")
    client = login_as(checker, Client())
    assert "인증번호" in client.get(url).content.decode()
    # The code typed at login a moment ago is not fresh.
    response = client.post(url, {"token": totp_now(checker.totpdevice_set.get())})
    assert "이미 사용되었습니다" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "draft"
    time.sleep(1.1)  # django-otp holds the next try back a second after a wrong code
    response = client.post(url, {"token": next_code(checker)})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.checker, batch.totp_verified) == ("approved", checker, True)


def test_the_maker_is_told_they_cannot_approve(drafted, cast):
    batch, client = drafted
    response = client.post(
        f"/money/batches/{batch.pk}/approve/", {"token": next_code(cast["seoul_staff"])}
    )
    assert "배치를 작성한 사람은 승인할 수 없습니다" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_another_regions_staff_get_404_on_every_batch_url_and_others_403(drafted, cast, login_as):
    batch, _ = drafted
    busan = login_as(cast["busan_staff"], Client())
    assert "김*급" not in busan.get("/money/batches/").content.decode()
    base = f"/money/batches/{batch.pk}/"
    for suffix in ("", "approve/"):
        assert busan.get(base + suffix).status_code == 404, suffix
    for suffix in ("approve/", "cancel/", "export/", "transfer-file/", "results/", "settlement/"):
        assert busan.post(base + suffix, {"note": "x", "token": "123456"}).status_code == 404
    trainee = login_as(cast["trainee"], Client())
    assert trainee.get(base).status_code == 403
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_cancel_through_the_page(drafted):
    batch, client = drafted
    client.post(f"/money/batches/{batch.pk}/cancel/", {"note": "금액 재확인"})
    batch.refresh_from_db()
    assert batch.state == "cancelled"
    assert {line.statement.state for line in batch.lines.all()} == {"approved"}


def test_the_batch_pages_run_a_constant_number_of_queries(drafted, regions, cast, admin):
    batch, client = drafted
    with CaptureQueriesContext(connection) as few:
        client.get(f"/money/batches/{batch.pk}/")
        client.get("/money/batches/")
    company = factories.CompanyFactory(
        region=regions["seoul"], bank_name="기업은행", bank_account="010-1234-5678"
    )
    approved(regions, company=company)
    approved(regions, trainee=factories.TraineeFactory(region=regions["seoul"]))
    more, _ = batch_draft(
        programme=regions["programme"],
        group=None,
        month=batch.month,
        kind=KIND,
        actor=admin,
    )
    assert more.lines.count() == 2
    BatchLine.objects.filter(batch=more).update(batch=batch)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/money/batches/{batch.pk}/")
        client.get("/money/batches/")
    assert len(many) == len(few)
