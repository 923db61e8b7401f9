"""A trainee's own record (contact details, skills, bank account) and a company's account for
wage support, edited by the people themselves; the account number is encrypted at rest, shown
masked, changed only with the password, and every change is in the 접속기록."""

import pytest
from django.db import connection
from django.test import Client

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.programs.models import Company, EmploymentStatus, Trainee

pytestmark = pytest.mark.django_db


def _raw(model, pk, column="bank_account") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _record(user) -> Trainee:
    return Trainee.objects.get(user=user)


def _bank_post(**overrides) -> dict:
    data = {
        "bank": "004",
        "account": "123-456-7890123",
        "holder": "",
        "password": factories.PASSWORD,
    }
    return data | overrides


# --- contact and skills ------------------------------------------------------------------------


def test_a_trainee_changes_phone_and_email(trainee, login_as, client):
    login_as(trainee)
    response = client.post(
        "/me/trainee/",
        {"section": "contact", "phone": "010 2222 3333", "email": "new@example.kr"},
    )
    assert response.status_code == 302
    record = _record(trainee)
    assert (record.phone, record.email) == ("010-2222-3333", "new@example.kr")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "02-123-4567", "email": "a@example.kr"}, "010-0000-0000 형식"),
        ({"phone": "", "email": "a@example.kr"}, "휴대전화 번호를 입력하세요"),
        ({"phone": "010-2222-3333", "email": "not-mail"}, "이메일 주소 형식이 올바르지 않습니다"),
    ],
)
def test_bad_contact_details_are_refused_in_korean(trainee, login_as, client, data, message):
    before = _record(trainee)
    login_as(trainee)
    response = client.post("/me/trainee/", {"section": "contact", **data})
    assert response.status_code == 400 and message in response.content.decode()
    after = _record(trainee)
    assert (after.phone, after.email) == (before.phone, before.email)


def test_another_trainees_phone_is_refused(trainee, login_as, client, regions):
    factories.TraineeFactory(region=regions["seoul"], phone="010-4444-5555")
    before = _record(trainee).phone
    login_as(trainee)
    response = client.post(
        "/me/trainee/", {"section": "contact", "phone": "01044445555", "email": "a@example.kr"}
    )
    assert "같은 휴대전화 번호의 교육생이 이미 있습니다" in response.content.decode()
    assert _record(trainee).phone == before


def test_a_trainee_sets_skills_used_in_matching(trainee, login_as, client):
    login_as(trainee)
    client.post("/me/trainee/", {"section": "skills", "skills": "PLC, MES, PLC ,  Python"})
    assert _record(trainee).skills == ["PLC", "MES", "Python"]
    too_long = client.post("/me/trainee/", {"section": "skills", "skills": "가" * 51})
    assert "50자 이내" in too_long.content.decode()
    assert _record(trainee).skills == ["PLC", "MES", "Python"]


# --- the trainee's bank account ----------------------------------------------------------------


def test_the_account_is_stored_encrypted_shown_masked_and_logged(trainee, login_as, client):
    record = _record(trainee)
    login_as(trainee)
    response = client.post(
        "/me/trainee/bank/", _bank_post(account="123-456-7890123", holder=record.name)
    )
    assert response.status_code == 302 and response.url == "/me/trainee/"
    record.refresh_from_db()
    assert (record.bank_name, record.bank_account, record.bank_holder) == (
        "KB국민은행",
        "1234567890123",
        record.name,
    )
    raw = _raw(Trainee, record.pk)
    assert "1234567890123" not in raw and "7890123" not in raw
    page = client.get("/me/trainee/").content.decode()
    assert "123-****-0123" in page and "1234567890123" not in page
    change = PersonalDataAccess.objects.get(action="change")
    assert change.subject_type == "programs.trainee" and change.subject_ids == [record.pk]
    assert change.actor == trainee and "123-****-0123" in change.reason
    assert "1234567890123" not in change.reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "wrong-password"}, "비밀번호가 올바르지 않습니다"),
        ({"password": ""}, "현재 비밀번호를 입력하세요"),
        ({"bank": ""}, "은행을 고르세요"),
        ({"bank": "999"}, "목록에 있는 은행을 고르세요"),
        ({"account": "12-34"}, "숫자 10~16자리"),
        ({"account": "1234567890ab"}, "숫자와 하이픈(-)만"),
        ({"holder": ""}, "예금주 이름을 입력하세요"),
    ],
)
def test_a_bad_bank_change_is_refused_in_korean_and_changes_nothing(
    trainee, login_as, client, overrides, message
):
    before = _raw(Trainee, _record(trainee).pk)
    login_as(trainee)
    response = client.post("/me/trainee/bank/", _bank_post(**({"holder": "홍길동"} | overrides)))
    assert response.status_code == 200 and message in response.content.decode()
    assert _raw(Trainee, _record(trainee).pk) == before
    assert not PersonalDataAccess.objects.filter(action="change").exists()


def test_a_holder_other_than_the_trainee_is_saved_with_a_warning(trainee, login_as, client):
    login_as(trainee)
    response = client.post("/me/trainee/bank/", _bank_post(holder="다른사람"), follow=True)
    page = response.content.decode()
    assert "예금주(다른사람)가" in page and "다릅니다" in page
    assert _record(trainee).bank_holder == "다른사람"


def test_an_employee_has_no_account_form(regions, login_as, client):
    user = factories.user(username="employee", role=Role.TRAINEE)
    factories.TraineeFactory(
        user=user,
        region=regions["seoul"],
        employment_status=EmploymentStatus.EMPLOYEE,
        employer=factories.CompanyFactory(region=regions["seoul"]),
        bank_name="",
        bank_account="",
    )
    login_as(user)
    assert "계좌를 받지 않습니다" in client.get("/me/trainee/").content.decode()
    response = client.post("/me/trainee/bank/", _bank_post(holder="x"))
    assert response.status_code == 302 and _record(user).bank_account == ""


# --- a company's account -----------------------------------------------------------------------


def test_a_company_manager_sets_the_wage_support_account(company, login_as, client):
    firm = Company.objects.get(managers=company)
    login_as(company)
    listing = client.get("/me/companies/").content.decode()
    assert f"/me/companies/{firm.pk}/bank/" in listing
    response = client.post(
        f"/me/companies/{firm.pk}/bank/",
        _bank_post(bank="088", account="110-123-456789", holder=f"(주){firm.name}"),
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.bank_name, firm.bank_account) == ("신한은행", "110123456789")
    assert "110123456789" not in _raw(Company, firm.pk)
    page = client.get("/me/companies/").content.decode()
    assert "110-****-6789" in page and "110123456789" not in page
    assert "다릅니다" not in page  # "(주)" in the holder's name is the same company
    assert PersonalDataAccess.objects.filter(
        action="change", subject_type="programs.company", subject_ids=[firm.pk]
    ).exists()


def test_another_companys_account_is_a_404_and_unchanged(company, login_as, client, regions):
    other = factories.CompanyFactory(region=regions["seoul"], bank_account="")
    login_as(company)
    assert client.get(f"/me/companies/{other.pk}/bank/").status_code == 404
    response = client.post(f"/me/companies/{other.pk}/bank/", _bank_post(holder="x"))
    assert response.status_code == 404
    assert Company.objects.get(pk=other.pk).bank_account == ""
    assert other.name not in client.get("/me/companies/").content.decode()


def test_other_roles_cannot_use_the_company_or_trainee_pages(cast, login_as):
    firm = Company.objects.get(managers=cast["company"])
    staff = login_as(cast["seoul_staff"], Client())
    assert staff.get(f"/me/companies/{firm.pk}/bank/").status_code == 403
    assert staff.get("/me/trainee/").status_code == 403
    trainee = login_as(cast["trainee"], Client())
    assert trainee.get(f"/me/companies/{firm.pk}/bank/").status_code == 403
