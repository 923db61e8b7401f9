"""지급 확인서: the PDF of a paid statement carries the Hangul name, the amount and the
arithmetic in Pretendard GOV only; the payee's look and staff's download are logged; an unpaid
statement has no confirmation."""

import io

import pypdf
import pytest
from django.test import Client

from itda.accounts.models import PersonalDataAccess
from itda.payments.tests.money_world import AUGUST, internship_record, statement
from itda.programs.models import Company, Trainee
from itda.training.tests.conftest import certificate_pdfs  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def _page(response) -> pypdf.PageObject:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content)).pages[0]


def _text(page) -> str:
    return "".join(page.extract_text().split())


@pytest.fixture
def paid(cast, regions):
    me = Trainee.objects.get(user=cast["trainee"])
    me.name = "김쀍챱"  # outside the web font's subset
    me.save(update_fields=["name"])
    return statement(
        group=regions["capital_group"],
        trainee=me,
        kind="internship_allowance",
        month=AUGUST,
        state="paid",
        record=internship_record(15),
        actor=cast["admin"],
    )


def test_the_payees_pdf_holds_the_hangul_name_amount_and_steps(
    certificate_pdfs,  # noqa: F811
    cast,
    login_as,
    paid,
):
    page = _page(login_as(cast["trainee"], Client()).get(f"/money/statements/{paid.pk}/pdf/"))
    text = _text(page)
    assert "김쀍챱" in text and "지급확인서" in text and "1,428,570원" in text
    assert "인턴수당" in text and "2026년8월" in text and "수도권사업단장" in text
    assert "2,000,000원×15일÷21일(그달근무일)=1,428,571.42…원→원미만버림1,428,571원" in text
    assert "10원미만버림(국고금관리법제47조)→1,428,570원" in text
    fonts = {f["/BaseFont"].split("+", 1)[-1] for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(font.startswith("Pretendard-GOV") for font in fonts), fonts
    log = PersonalDataAccess.objects.get(subject_type="payments.statement")
    assert (log.actor, log.action, log.subject_ids) == (cast["trainee"], "view", [paid.pk])


def test_staff_download_is_logged_as_an_export_with_its_reason(
    certificate_pdfs,  # noqa: F811
    cast,
    login_as,
    paid,
):
    page = _page(login_as(cast["seoul_staff"], Client()).get(f"/money/statements/{paid.pk}/pdf/"))
    assert "김쀍챱" in _text(page)
    log = PersonalDataAccess.objects.get(subject_type="payments.statement")
    assert (log.actor, log.action, log.reason) == (
        cast["seoul_staff"],
        "export",
        "지급 확인서 PDF 내려받기",
    )


def test_the_company_gets_its_wage_support_confirmation(
    certificate_pdfs,  # noqa: F811
    cast,
    login_as,
    regions,
):
    firm = Company.objects.get(managers=cast["company"])
    made = statement(
        group=regions["capital_group"],
        company=firm,
        kind="wage_support",
        month=AUGUST,
        state="paid",
        record=internship_record(21),
        actor=cast["admin"],
    )
    text = _text(
        _page(login_as(cast["company"], Client()).get(f"/money/statements/{made.pk}/pdf/"))
    )
    assert "".join(firm.name.split()) in text and "기업인건비지원" in text and "2,000,000원" in text


def test_an_unpaid_statement_has_no_confirmation(cast, login_as, regions):
    me = Trainee.objects.get(user=cast["trainee"])
    for month, state in zip((8, 9, 10), ("draft", "approved", "in_batch"), strict=True):
        made = statement(
            group=regions["capital_group"],
            trainee=me,
            month=AUGUST.replace(month=month),
            state=state,
            actor=cast["admin"],
        )
        assert (
            login_as(cast["trainee"], Client()).get(f"/money/statements/{made.pk}/pdf/").status_code
            == 404
        )
