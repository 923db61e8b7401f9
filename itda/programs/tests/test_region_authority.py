"""Authority over a person's records follows the group that runs the call or the cohort, not a
region the person types: a trainee cannot move their records into another region, and a move
of region is a staff action with a reason, logged."""

import datetime

import pytest
from django.test import Client

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee, TraineeRegionChange
from itda.recruitment.models import Application
from itda.training.models import AttendanceCorrection, CorrectionStatus

pytestmark = pytest.mark.django_db

KST = factories.KST


def _profile(region) -> dict:
    return {
        "profile-name": "홍길동",
        "profile-birth_date": "2000-03-01",
        "profile-phone": "010-2345-6789",
        "profile-email": "hong@example.kr",
        "profile-region": region.pk,
        "profile-address": "서울특별시 강남구 테헤란로 1",
        "profile-education": "university",
        "answers-motivation": "스마트공장 운영을 배우고 싶습니다",
        "answers-employment_status": "job_seeker",
        "answers-consent": "on",
        "submit": "1",
    }


@pytest.fixture
def seoul_call(regions):
    """A trainee call run by the capital group."""
    return factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )


def test_a_trainee_cannot_move_into_another_region_by_applying(
    regions, seoul_call, trainee, seoul_staff, busan_staff, login_as
):
    person = Trainee.objects.get(user=trainee)
    response = login_as(trainee).post(f"/calls/{seoul_call.pk}/apply/", _profile(regions["busan"]))
    assert response.status_code == 302
    person.refresh_from_db()
    application = Application.objects.get(call=seoul_call, trainee=person)
    assert person.region == regions["seoul"] and application.region == regions["seoul"]
    assert not TraineeRegionChange.objects.exists()
    busan = login_as(busan_staff, Client())
    for url in (f"/applications/{application.pk}/", f"/registry/trainees/{person.pk}/"):
        assert busan.get(url).status_code == 404, url
    seoul = login_as(seoul_staff, Client())
    for url in (f"/applications/{application.pk}/", f"/registry/trainees/{person.pk}/"):
        assert seoul.get(url).status_code == 200, url


def test_a_call_s_applications_belong_to_the_group_running_it(
    regions, seoul_call, trainee, seoul_staff, busan_staff, login_as
):
    """Even a person registered in Busan who applies to Seoul's call is Seoul's to decide."""
    person = Trainee.objects.get(user=trainee)
    Trainee.objects.filter(pk=person.pk).update(region=regions["busan"])
    application = factories.application(call=seoul_call, trainee=Trainee.objects.get(pk=person.pk))
    assert login_as(busan_staff).get(f"/applications/{application.pk}/").status_code == 404
    seoul = login_as(seoul_staff, Client())
    assert seoul.get(f"/applications/{application.pk}/").status_code == 200
    assert seoul.get(f"/registry/trainees/{person.pk}/").status_code == 200


def test_a_cohort_s_corrections_belong_to_the_group_running_it(
    regions, trainee, seoul_staff, busan_staff, login_as
):
    person = Trainee.objects.get(user=trainee)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, 1)])
    enrollment = factories.enrollment(cohort=cohort, trainee=person)
    correction = AttendanceCorrection.objects.create(
        enrollment=enrollment,
        session=session,
        status_before="absent",
        requested_status="excused",
        reason="illness",
        explanation="병원 진료",
        requested_by=trainee,
    )
    # The person's region says Busan (however it came to): the cohort is still Seoul's.
    Trainee.objects.filter(pk=person.pk).update(region=regions["busan"])
    busan = login_as(busan_staff)
    assert busan.get(f"/training/corrections/{correction.pk}/").status_code == 404
    response = busan.post(f"/training/corrections/{correction.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert PersonalDataAccess.objects.filter(actor_username="busan_staff", action="denied").exists()
    seoul = login_as(seoul_staff, Client())
    assert seoul.get(f"/training/corrections/{correction.pk}/").status_code == 200
    assert seoul.get(f"/registry/trainees/{person.pk}/").status_code == 200


def test_staff_move_a_person_to_another_region_with_a_logged_reason(
    regions, trainee, seoul_staff, busan_staff, login_as
):
    person = Trainee.objects.get(user=trainee)
    url = f"/registry/trainees/{person.pk}/region/"
    move = {"region": regions["busan"].pk, "reason": "부산으로 이사하여 관할 변경"}
    # Not theirs: Busan cannot take a Seoul person over; the trainee cannot move themselves.
    busan = login_as(busan_staff)
    assert busan.post(url, move).status_code == 404
    assert login_as(trainee, Client()).post(url, move).status_code == 403
    seoul = login_as(seoul_staff, Client())
    page = seoul.get(f"/registry/trainees/{person.pk}/").content.decode()
    assert "거주지 변경" in page
    bad = seoul.post(url, {"region": regions["busan"].pk, "reason": ""})
    assert bad.status_code == 400 and "변경 사유를 입력하세요." in bad.content.decode()
    same = seoul.post(url, {"region": regions["seoul"].pk, "reason": "같은 곳으로 변경"})
    assert same.status_code == 400 and "새 거주지가 지금과 같습니다." in same.content.decode()
    person.refresh_from_db()
    assert person.region == regions["seoul"] and not TraineeRegionChange.objects.exists()

    assert seoul.post(url, move).status_code == 302
    person.refresh_from_db()
    change = TraineeRegionChange.objects.get()
    assert person.region == regions["busan"]
    assert (change.old_region, change.new_region, change.actor, change.reason) == (
        regions["seoul"],
        regions["busan"],
        seoul_staff,
        "부산으로 이사하여 관할 변경",
    )
    # Now Busan's person: Busan sees them, Seoul no longer does, and may not move them back.
    assert busan.get(f"/registry/trainees/{person.pk}/").status_code == 200
    assert seoul.post(url, move).status_code == 404


def test_a_company_cannot_move_its_region_by_applying(regions, company, busan_staff, login_as):
    from itda.programs.models import Company

    mine = Company.objects.get(managers=company)
    call = factories.call(programme=regions["programme"])
    client = login_as(company)
    page = client.get(f"/calls/{call.pk}/apply/").content.decode()
    form = {
        f"profile-{name}": value
        for name, value in {
            "name": mine.name,
            "business_number": mine.business_number,
            "representative": mine.representative,
            "kind": mine.kind,
            "size": mine.size,
            "industry": mine.industry,
            "region": regions["busan"].pk,
            "address": mine.address,
            "employees": mine.employees,
            "phone": mine.phone,
        }.items()
    }
    assert "시·도 변경은 담당 사업단에 요청하세요." in page
    form.update(
        {
            "answers-motivation": "역량",
            "answers-internship_plan": "계획",
            "answers-interns_wanted": "2",
            "answers-hiring_plan": "채용",
            "answers-consent": "on",
        }
    )
    assert client.post(f"/calls/{call.pk}/apply/", form).status_code == 302
    mine.refresh_from_db()
    application = Application.objects.get(call=call, company=mine)
    assert mine.region == regions["seoul"] and application.region == regions["seoul"]
    assert (
        login_as(busan_staff, Client()).get(f"/applications/{application.pk}/").status_code == 404
    )
