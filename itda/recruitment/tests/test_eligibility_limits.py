"""Eligibility the release states, screened with the reason: companies are SMEs (or AI-solution
suppliers of any size), trainees are job seekers, and a call may take only 청년 by age."""

import datetime

import pytest
from django.test import Client

from itda import factories
from itda.evaluation.seed import CALLS
from itda.recruitment.models import Application, Call
from itda.recruitment.services import screening_reasons, screening_run

pytestmark = pytest.mark.django_db

KST = factories.KST


def _company_call(regions):
    """The company call with the seed's eligibility rules, closed so that screening may run."""
    (spec,) = [s for s in CALLS if s["kind"] == "company"]
    call = factories.call(programme=regions["programme"], eligibility=spec["eligibility"])
    return factories.call_closed(call)


def test_a_mid_sized_company_is_screened_out_with_the_reason(regions, admin):
    call = _company_call(regions)
    small = factories.CompanyFactory(region=regions["seoul"], size="small")
    mid = factories.CompanyFactory(region=regions["seoul"], size="mid")
    large = factories.CompanyFactory(region=regions["seoul"], size="large")
    mid_ai = factories.CompanyFactory(
        region=regions["seoul"], size="mid", kind="ai_supplier", ai_solution="품질검사 AI"
    )
    apps = {c: factories.application(call=call, company=c) for c in (small, mid, large, mid_ai)}

    assert screening_run(call=call, actor=admin) == {"eligible": 2, "ineligible": 2, "kept": 0}
    for company in (small, mid_ai):
        apps[company].refresh_from_db()
        assert apps[company].screening == "eligible"
    apps[mid].refresh_from_db()
    assert apps[mid].screening == "ineligible"
    assert apps[mid].screening_reasons == [
        "신청 가능한 기업 규모가 아닙니다 (현재 중견기업, 신청 가능: 소기업·중기업). "
        "제조AI 솔루션 공급기업은 규모와 관계없이 신청할 수 있습니다."
    ]
    assert (
        apps[mid]
        .transitions.get(field="screening")
        .note.startswith("신청 가능한 기업 규모가 아닙니다 (현재 중견기업")
    )
    apps[large].refresh_from_db()
    assert "현재 대기업" in apps[large].screening_reasons[0]


def _trainee_call(regions, **eligibility):
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        eligibility=eligibility,
    )
    # Closes at 18:00 KST on 12 June 2026: the age is counted on that day.
    Call.objects.filter(pk=call.pk).update(
        opens_at=datetime.datetime(2026, 5, 20, 9, 0, tzinfo=KST),
        closes_at=datetime.datetime(2026, 6, 12, 18, 0, tzinfo=KST),
    )
    call.refresh_from_db()
    return call


def _applicant(call, regions, born, **extra):
    trainee = factories.TraineeFactory(region=regions["seoul"], birth_date=born)
    return factories.application(call=call, trainee=trainee, **extra)


def test_a_youth_call_takes_34_on_the_closing_day_and_not_35(regions):
    call = _trainee_call(regions, max_age=34)
    turns_35_after = _applicant(call, regions, datetime.date(1991, 6, 13))  # 34 on 6/12
    turns_35_on = _applicant(call, regions, datetime.date(1991, 6, 12))  # 35 on 6/12
    assert screening_reasons(turns_35_after) == []
    assert screening_reasons(turns_35_on) == [
        "접수 마감일(2026-06-12) 기준 만 34세 이하만 신청할 수 있습니다 (만 35세). "
        "근거: itda 기본값 — 운영지침 확인 필요 (청년고용촉진 특별법 시행령의 청년 연령)"
    ]


def test_a_call_setting_its_own_age_limit_says_so(regions):
    call = _trainee_call(regions, max_age=29)
    app = _applicant(call, regions, datetime.date(1990, 1, 1))
    assert screening_reasons(app) == [
        "접수 마감일(2026-06-12) 기준 만 29세 이하만 신청할 수 있습니다 (만 36세). "
        "근거: 공고에서 정한 연령 상한"
    ]


def test_an_employee_applying_to_a_trainee_call_is_screened_out(regions):
    call = _trainee_call(regions)
    employed = _applicant(call, regions, datetime.date(2000, 1, 1), employment_status="employee")
    seeking = _applicant(call, regions, datetime.date(2000, 1, 2), employment_status="job_seeker")
    assert screening_reasons(seeking) == []
    assert screening_reasons(employed) == [
        "구직자만 신청할 수 있습니다 (신청 시 재직자). 근거: 보도자료 지원대상 "
        "「(구직자) 스마트제조기업 분야 취업 희망 청년 등」"
    ]


def test_the_apply_form_asks_and_records_the_employment_status(regions, trainee, login_as):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    client = login_as(trainee, Client())
    form = {
        "profile-name": "김재직",
        "profile-birth_date": "1999-04-05",
        "profile-phone": "010-3456-7890",
        "profile-email": "kim@example.kr",
        "profile-region": regions["seoul"].pk,
        "profile-address": "서울특별시 마포구 월드컵로 1",
        "profile-education": "college",
        "answers-motivation": "배우고 싶습니다",
        "answers-consent": "on",
    }
    page = client.post(f"/calls/{call.pk}/apply/", form).content.decode()
    assert "현재 고용 상태(구직자·재직자)를 고르세요." in page
    assert not Application.objects.exists()
    response = client.post(
        f"/calls/{call.pk}/apply/", {**form, "answers-employment_status": "employee"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.employment_status == "employee"
    # Shown again on the form as recorded, and on the application.
    page = client.get(f"/calls/{call.pk}/apply/").content.decode()
    assert 'value="employee" selected' in page
    assert "신청 시 고용 상태" in client.get(response.url).content.decode()


def test_staff_set_the_youth_age_on_a_trainee_call(cast, regions, login_as):
    client = login_as(cast["seoul_staff"], Client())
    page = client.get("/recruitment/calls/new/").content.decode()
    assert "itda 기본값 — 운영지침 확인 필요" in page
    response = client.post(
        "/recruitment/calls/new/",
        {
            "title": "수도권 Track1 청년 교육생 모집",
            "track": regions["track"].pk,
            "opens_at": "2026-12-08T09:00",
            "closes_at": "2026-12-18T18:00",
            "appeal_days": "7",
            "consent_text": "개인정보 수집·이용에 동의합니다.",
            "consent_version": "v1",
            "max_age": "34",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Call.objects.get().eligibility == {"max_age": 34}
