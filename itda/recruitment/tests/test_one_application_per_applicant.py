"""One live application per applicant and call, held by the database on keys the applicant
cannot edit; a birth date must be a real one; two requests at once make one application."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.html import escape

from itda import factories
from itda.accounts.roles import Role
from itda.lib.dates import ERA_MESSAGE
from itda.programs.models import Company, Trainee
from itda.recruitment.models import Application


def _trainee_post(regions, **overrides) -> dict:
    data = {
        "profile-name": "박교육",
        "profile-birth_date": "2001-04-05",
        "profile-phone": "010-2345-6789",
        "profile-email": "park@example.kr",
        "profile-region": regions["seoul"].pk,
        "profile-address": "서울특별시 마포구 월드컵로 1",
        "profile-education": "college",
        "profile-major": "기계공학",
        "answers-motivation": "스마트공장 운영을 배우고 싶습니다",
        "answers-employment_status": "job_seeker",
        "answers-consent": "on",
        "submit": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def trainee_call(regions):
    return factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])


@pytest.mark.django_db
def test_another_birth_date_does_not_make_a_second_application(regions, login_as, trainee_call):
    user = factories.user(username="park2026", role=Role.TRAINEE)
    client = login_as(user, Client())
    url = f"/calls/{trainee_call.pk}/apply/"
    assert client.post(url, _trainee_post(regions)).status_code == 302
    again = client.post(url, _trainee_post(regions, **{"profile-birth_date": "1990-01-01"}))
    assert again.status_code == 302
    assert Application.objects.filter(call=trainee_call).count() == 1


@pytest.mark.django_db
# Past the era itda accepts at all (2999, 1899) the era's message answers; a future day inside it
# (2050) gets the birth-date rule's.
@pytest.mark.parametrize(
    "born, message",
    [
        ("2999-01-01", ERA_MESSAGE),
        ("1899-12-31", ERA_MESSAGE),
        ("2050-01-01", "날짜가 올바른 범위가 아닙니다"),
    ],
)
def test_a_birth_date_outside_1900_to_today_is_refused_on_the_web(
    regions, login_as, trainee_call, born, message
):
    user = factories.user(username="park2026", role=Role.TRAINEE)
    client = login_as(user, Client())
    response = client.post(
        f"/calls/{trainee_call.pk}/apply/", _trainee_post(regions, **{"profile-birth_date": born})
    )
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not Trainee.objects.filter(user=user).exists()
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_database_holds_one_live_application_per_trainee_and_company(regions, trainee_call):
    trainee = factories.TraineeFactory(region=regions["seoul"])
    factories.application(call=trainee_call, trainee=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.application(
            call=trainee_call, trainee=trainee, applicant_key="other", submitted=False
        )
    company_call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"])
    first = factories.application(call=company_call, company=company)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.application(
            call=company_call, company=company, applicant_key="other", submitted=False
        )
    # A withdrawn application is no longer live.
    Application.objects.filter(pk=first.pk).update(status="withdrawn")
    factories.application(
        call=company_call, company=company, applicant_key="other", submitted=False
    )


def _concurrent_posts(user, url, data, n=2) -> list[int]:
    """``n`` identical POSTs of one logged-in user released at once; their status codes."""
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    outcomes = factories.in_threads(n, lambda i: clients[i].post(url, data).status_code)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_trainee_requests_at_once_make_one_application(regions, trainee_call):
    user = factories.user(username="park2026", role=Role.TRAINEE)
    codes = _concurrent_posts(user, f"/calls/{trainee_call.pk}/apply/", _trainee_post(regions))
    assert 500 not in codes, codes
    assert Application.objects.filter(call=trainee_call).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_company_requests_at_once_make_one_application(regions):
    call = factories.call(programme=regions["programme"])
    user = factories.user(username="company2026", role=Role.COMPANY)
    company = factories.CompanyFactory(region=regions["seoul"])
    company.managers.add(user)
    data = {
        "profile-name": company.name,
        "profile-business_number": company.business_number,
        "profile-representative": "김대표",
        "profile-kind": "smart_factory",
        "profile-size": "small",
        "profile-industry": "자동차 부품",
        "profile-region": regions["seoul"].pk,
        "profile-address": "서울특별시 구로구 디지털로 10",
        "profile-employees": "35",
        "profile-phone": "02-555-1234",
        "answers-motivation": "스마트공장 고도화 중",
        "answers-internship_plan": "MES 운영 보조",
        "answers-interns_wanted": "2",
        "answers-hiring_plan": "우수 인턴 정규직 전환",
        "answers-consent": "on",
        "submit": "1",
    }
    codes = _concurrent_posts(user, f"/calls/{call.pk}/apply/", data, n=3)
    assert 500 not in codes, codes
    assert Application.objects.filter(call=call, company=company).count() == 1
    assert Company.objects.filter(managers=user).count() == 1
