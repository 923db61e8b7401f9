"""Searching a call's applications: by applicant name, phone, BRN, region and status, inside
the user's scope, and the application's history in Korean."""

import pytest

from itda import factories
from itda.recruitment import services
from itda.recruitment.models import CallKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee_call(regions):
    """A national trainee call (no group runs it) with applicants from Seoul and Busan."""
    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    people = {
        "hong": factories.TraineeFactory(
            name="홍길동", phone="010-1234-5678", region=regions["seoul"]
        ),
        "kim": factories.TraineeFactory(
            name="김영희", phone="01098765432", region=regions["seoul"]
        ),
        "busan": factories.TraineeFactory(
            name="부산사람", phone="010-1234-9999", region=regions["busan"]
        ),
    }
    for person in people.values():
        factories.application(call=call, trainee=person)
    factories.application(
        call=call,
        trainee=factories.TraineeFactory(name="작성중", region=regions["seoul"]),
        submitted=False,
    )
    return call


def _shown(client, call, **params) -> str:
    response = client.get(f"/recruitment/calls/{call.pk}/applications/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_applications_are_found_by_name_and_phone(client, login_as, admin, trainee_call):
    login_as(admin)
    html = _shown(client, trainee_call, q="영희")
    assert "김*희" in html and "홍*동" not in html
    for typed in ("010-1234-5678", "01012345678", "1234-5678"):
        html = _shown(client, trainee_call, q=typed)
        assert "홍*동" in html and "김*희" not in html and "부**람" not in html
    html = _shown(client, trainee_call, q="010-9876-5432")
    assert "김*희" in html and "홍*동" not in html


def test_applications_are_filtered_by_region_and_status(client, login_as, admin, trainee_call):
    login_as(admin)
    html = _shown(client, trainee_call, region="26")
    assert "부**람" in html and "홍*동" not in html
    html = _shown(client, trainee_call, status="draft")
    assert "작*중" in html and "홍*동" not in html


def test_group_staff_search_only_their_own_share(client, login_as, busan_staff, trainee_call):
    login_as(busan_staff)
    assert "부**람" in _shown(client, trainee_call, q="1234-9999")
    assert "홍*동" not in _shown(client, trainee_call, q="1234-5678")
    assert "홍*동" not in _shown(client, trainee_call, q="홍길동")


def test_companies_applications_are_found_by_brn(client, login_as, admin, regions):
    call = factories.call(programme=regions["programme"])
    own = factories.CompanyFactory(
        name="잇다정밀", business_number="1208212345", region=regions["seoul"]
    )
    factories.application(call=call, company=own)
    factories.application(call=call, company=factories.CompanyFactory(region=regions["seoul"]))
    login_as(admin)
    html = _shown(client, call, q="120-82-12345")
    assert "잇다정밀" in html and "볼 수 있는 신청 1건" in html


def test_the_history_of_an_application_reads_in_korean(client, login_as, trainee, regions):
    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    me = trainee.trainee
    application = factories.application(call=call, trainee=me, submitted=False)
    services.application_submit(application=application, actor=trainee)
    login_as(trainee)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "상태: 작성 중 → 제출" in html
    assert "draft" not in html and "status:" not in html
