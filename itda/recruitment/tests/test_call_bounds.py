"""A call's window lies inside its programme's period, its numbers are plausible, and so is the
headcount a company gives: each refused in Korean where it is typed, nothing saved (issue 10,
item 11)."""

import pytest
from django.test import Client

from itda import factories
from itda.programs.models import Company
from itda.recruitment.models import Application, Call, DocumentRequirement
from itda.recruitment.tests.test_applying import _company_post

pytestmark = pytest.mark.django_db

PERIOD = "사업기간(2026-05-20~2026-12-31) 안에 있어야 합니다."


def _admin_call(client, regions, **overrides):
    data = {
        "programme": regions["programme"].pk,
        "kind": "company",
        "title": "참여기업 추가 모집",
        "description": "",
        "opens_at_0": "2026-12-08",
        "opens_at_1": "09:00:00",
        "closes_at_0": "2026-12-22",
        "closes_at_1": "18:00:00",
        "eligibility": "{}",
        "consent_text": "동의",
        "consent_version": "v1",
        "appeal_days": "7",
        "source_note": "",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-0-name": "사업계획서",
        "requirements-0-required": "on",
        "requirements-0-allowed_kinds": '["pdf"]',
        "requirements-0-max_size_mb": "10",
    }
    return client.post("/admin/recruitment/call/add/", data | overrides)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"opens_at_0": "2026-05-19"}, f"접수 시작은 {PERIOD}"),
        # 2027-01-01 00:00 KST is the first minute after the programme's last day.
        ({"closes_at_0": "2027-01-01", "closes_at_1": "00:00:00"}, f"접수 마감은 {PERIOD}"),
        ({"appeal_days": "0"}, "이의신청 기간은 1일에서 90일 사이여야 합니다."),
        ({"appeal_days": "365"}, "이의신청 기간은 1일에서 90일 사이여야 합니다."),
        ({"requirements-0-max_size_mb": "5000"}, "최대 크기는 1MB에서 100MB 사이여야"),
    ],
)
def test_the_admin_refuses_a_call_outside_its_bounds(cast, regions, login_as, overrides, message):
    client = login_as(cast["admin"], Client())
    response = _admin_call(client, regions, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Call.objects.exists() and not DocumentRequirement.objects.exists()


def test_the_last_minute_of_the_programme_is_inside(cast, regions, login_as):
    client = login_as(cast["admin"], Client())
    response = _admin_call(client, regions, closes_at_0="2026-12-31", closes_at_1="23:59:00")
    assert response.status_code == 302


@pytest.mark.parametrize("employees", ["100001", "9999999"])
def test_a_company_cannot_give_an_implausible_headcount(cast, regions, login_as, client, employees):
    call = factories.call(programme=regions["programme"])
    Company.objects.filter(managers=cast["company"]).delete()
    login_as(cast["company"])
    response = client.post(
        f"/calls/{call.pk}/apply/",
        _company_post(**{"profile-region": regions["seoul"].pk, "profile-employees": employees}),
    )
    assert response.status_code == 200
    assert "상시근로자 수는 0명에서 100,000명 사이여야 합니다." in response.content.decode()
    assert not Company.objects.filter(managers=cast["company"]).exists()
    assert not Application.objects.exists()
