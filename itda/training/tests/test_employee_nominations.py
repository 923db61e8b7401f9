"""재직자 추천: a company nominates its employees for a 재직자 course of its smart-factory level,
the staff running the cohort enrol them, and from there attendance and the certificate work as
for job seekers — while the allowance never counts them. Other companies and other regions'
staff see nothing of it."""

import datetime
from html import unescape

import pytest

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.payments.models import AllowanceLine
from itda.payments.services import allowance_compute, allowance_rule_create
from itda.programs.models import EmploymentStatus, Trainee
from itda.training import completion
from itda.training.enrolment import EnrolmentError, enrol
from itda.training.models import (
    Certificate,
    Cohort,
    EmployeeNomination,
    Enrollment,
    NominationStatus,
)
from itda.training.nominations import NominationError, nomination_create, nomination_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(regions):
    return factories.employee_cohort(group=regions["capital_group"])


FORM = {
    "name": "정재직",
    "phone": "010 2222 3333",
    "birth_date": "1990-04-05",
    "position": "대리",
    "department": "생산기술팀",
}


def _nominate(client, cohort, **extra):
    return client.post("/training/nominations/", {**FORM, "cohort": cohort.pk, **extra})


def test_nomination_enrolment_attendance_and_certificate_of_an_employee(
    client, login_as, company, company_a, seoul_staff, cohort
):
    login_as(company)
    response = _nominate(client, cohort)
    # Not a redirect: the page shows the employee's attendance code, once (test_checkin_codes).
    assert response.status_code == 200 and response.context["issued"]
    nomination = EmployeeNomination.objects.get()
    assert (nomination.company, nomination.phone) == (company_a, "010-2222-3333")
    assert nomination.status == NominationStatus.PENDING
    # The company sees its own nomination, masked.
    html = unescape(client.get("/training/nominations/").content.decode())
    assert "정*직" in html and "010-****-3333" in html and "검토 중" in html

    client.logout()
    login_as(seoul_staff)
    html = unescape(client.get("/training/nominations/review/").content.decode())
    assert "정*직" in html and company_a.name in html
    assert PersonalDataAccess.objects.filter(
        subject_type="training.employeenomination", action="list"
    ).exists()
    response = client.post(f"/training/nominations/{nomination.pk}/accept/")
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ACCEPTED
    enrollment = nomination.enrollment
    assert enrollment.cohort == cohort and enrollment.status == "enrolled"
    person = enrollment.trainee
    assert person.employment_status == EmploymentStatus.EMPLOYEE
    assert (person.employer, person.region) == (company_a, company_a.region)
    assert (person.position, person.department) == ("대리", "생산기술팀")
    assert person.bank_account == "" and person.email == ""

    # Attendance: the instructor's roll-call, as for any trainee.
    sessions = factories.sessions(cohort=cohort, days=[cohort.starts_on, cohort.ends_on])
    for session in sessions:
        response = client.post(
            f"/training/sessions/{session.pk}/roll-call/{enrollment.pk}/", {"status": "present"}
        )
        assert response.status_code == 302
    assert enrollment.attendances.filter(status="present").count() == 2

    after_end = datetime.datetime.combine(
        cohort.ends_on + datetime.timedelta(days=1), datetime.time(10), factories.KST
    )
    completion.completion_confirm(cohort=cohort, actor=seoul_staff, now=after_end)
    assert completion.certificates_allocate(cohort=cohort, now=after_end) == 1
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.attendance_rate == 1
    assert certificate.enrollment.trainee.name == "정재직"


def test_an_employee_never_gets_an_allowance_line(regions, company_a, seoul_staff, cohort):
    rule_day = cohort.starts_on
    allowance_rule_create(
        programme=regions["programme"],
        effective_from=rule_day,
        amount_krw=400_000,
        full_rate="0.800",
        note="test",
    )
    nomination = nomination_create(
        actor=company_a.managers.get(),
        company=company_a,
        cohort=cohort,
        name="정재직",
        phone="010-2222-3333",
        birth_date=datetime.date(1990, 4, 5),
    )
    nomination = nomination_decide(actor=seoul_staff, nomination=nomination, accept=True)
    (session,) = factories.sessions(cohort=cohort, days=[cohort.starts_on])
    factories.attendance(enrollment=nomination.enrollment, session=session, status="present")
    # A job seeker in a track cohort of the same programme is paid, in the same run.
    seeker = factories.TraineeFactory(region=regions["seoul"])
    track_cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        code="T1-X",
    )
    (track_session,) = factories.sessions(cohort=track_cohort, days=[cohort.starts_on])
    seeker_place = factories.enrollment(cohort=track_cohort, trainee=seeker)
    factories.attendance(enrollment=seeker_place, session=track_session, status="present")
    allowance_compute(as_of=track_session.ends_at + datetime.timedelta(days=3))
    assert not AllowanceLine.objects.filter(enrollment=nomination.enrollment).exists()
    assert AllowanceLine.objects.get(enrollment=seeker_place).amount_krw == 400_000


def test_the_course_must_match_the_company_level(client, login_as, company, company_a, regions):
    advanced = factories.employee_cohort(
        group=regions["capital_group"], level="advanced", code="EMP-ADV"
    )
    login_as(company)
    html = unescape(_nominate(client, advanced).content.decode())
    assert "이 과정은 스마트공장 '고도' 단계 기업의 재직자 과정입니다" in html
    assert "귀사의 구축 수준은 '중간1'입니다" in html
    assert "itda 기본값 — 운영지침 확인 필요" in html  # the rule is shown with its origin
    assert not EmployeeNomination.objects.exists()

    company_a.smart_factory_level = ""
    company_a.save(update_fields=["smart_factory_level"])
    html = unescape(_nominate(client, advanced).content.decode())
    assert "스마트공장 구축 수준이 등록되어 있지 않아" in html


def test_a_started_cohort_and_a_job_seeker_course_take_no_nomination(regions, company, company_a):
    started = factories.employee_cohort(group=regions["capital_group"], days=(0, 2))
    track_cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    for target, message in ((started, "이미 개강한 기수"), (track_cohort, "재직자 과정의 기수")):
        with pytest.raises(NominationError, match=message):
            nomination_create(
                actor=company,
                company=company_a,
                cohort=target,
                name="정재직",
                phone="010-2222-3333",
                birth_date=datetime.date(1990, 4, 5),
            )


def test_a_refusal_needs_a_reason_and_the_company_sees_it(
    client, login_as, company, company_a, seoul_staff, cohort
):
    nomination = nomination_create(
        actor=company,
        company=company_a,
        cohort=cohort,
        name="정재직",
        phone="010-2222-3333",
        birth_date=datetime.date(1990, 4, 5),
    )
    with pytest.raises(NominationError, match="반려 사유를 적어 주세요"):
        nomination_decide(actor=seoul_staff, nomination=nomination, accept=False)
    login_as(seoul_staff)
    client.post(f"/training/nominations/{nomination.pk}/refuse/", {"reason": "정원 초과"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_reason) == ("refused", "정원 초과")
    assert not Trainee.objects.filter(phone="010-2222-3333").exists()
    client.logout()
    login_as(company)
    html = unescape(client.get("/training/nominations/").content.decode())
    assert "반려" in html and "정원 초과" in html


def test_a_job_seekers_number_is_not_taken_over_and_routes_stay_apart(
    regions, company, company_a, seoul_staff, cohort
):
    seeker = factories.TraineeFactory(region=regions["seoul"], phone="010-2222-3333")
    nomination = nomination_create(
        actor=company,
        company=company_a,
        cohort=cohort,
        name="정재직",
        phone="010-2222-3333",
        birth_date=datetime.date(1990, 4, 5),
    )
    with pytest.raises(NominationError, match="이미 다른 교육생 명부에 있습니다"):
        nomination_decide(actor=seoul_staff, nomination=nomination, accept=True)
    seeker.refresh_from_db()
    assert seeker.employment_status == EmploymentStatus.JOB_SEEKER and seeker.employer is None
    # A job seeker cannot be put into a 재직자 course by hand, nor an employee into a track one.
    with pytest.raises(EnrolmentError, match="기업이 추천한 재직자만"):
        enrol(cohort, seeker, actor=seoul_staff)
    employee = factories.TraineeFactory(
        region=regions["seoul"],
        employment_status="employee",
        employer=company_a,
        bank_name="",
        bank_account="",
    )
    track_cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    with pytest.raises(EnrolmentError, match="재직자는 구직자 과정에 등록할 수 없습니다"):
        enrol(track_cohort, employee, actor=seoul_staff)


def test_another_company_neither_sees_nor_nominates_for_a_company(
    client, login_as, company, company_a, regions, cohort
):
    nomination_create(
        actor=company,
        company=company_a,
        cohort=cohort,
        name="정재직",
        phone="010-2222-3333",
        birth_date=datetime.date(1990, 4, 5),
    )
    other_user = factories.user(username="company_b", role=Role.COMPANY)
    other = factories.CompanyFactory(region=regions["seoul"], smart_factory_level="intermediate1")
    other.managers.add(other_user)
    login_as(other_user)
    html = unescape(client.get("/training/nominations/").content.decode())
    assert "정*직" not in html and "추천 내역이 없습니다" in html
    nomination = EmployeeNomination.objects.get()
    assert client.post(f"/training/nominations/{nomination.pk}/withdraw/").status_code == 404
    # Company B cannot file for company A: the service holds the manager to their company.
    with pytest.raises(NominationError, match="이 기업의 담당자만"):
        nomination_create(
            actor=other_user,
            company=company_a,
            cohort=cohort,
            name="박타사",
            phone="010-4444-5555",
            birth_date=datetime.date(1991, 1, 1),
        )
    # A company outside the running organisation's regions is refused with the reason.
    busan_firm = factories.CompanyFactory(
        region=regions["busan"], smart_factory_level="intermediate1"
    )
    busan_firm.managers.add(other_user)
    with pytest.raises(NominationError, match="부산광역시 소재 기업의 추천을 받지 않습니다"):
        nomination_create(
            actor=other_user,
            company=busan_firm,
            cohort=cohort,
            name="박타사",
            phone="010-4444-5555",
            birth_date=datetime.date(1991, 1, 1),
        )


def test_other_region_staff_get_404_and_cannot_decide(
    client, login_as, company, company_a, busan_staff, cohort
):
    nomination = nomination_create(
        actor=company,
        company=company_a,
        cohort=cohort,
        name="정재직",
        phone="010-2222-3333",
        birth_date=datetime.date(1990, 4, 5),
    )
    login_as(busan_staff)
    html = unescape(client.get("/training/nominations/review/").content.decode())
    assert "정*직" not in html and "추천이 없습니다" in html
    for action in ("accept", "refuse"):
        response = client.post(f"/training/nominations/{nomination.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 404
    with pytest.raises(NominationError, match="처리할 권한이 없습니다"):
        nomination_decide(actor=busan_staff, nomination=nomination, accept=True)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PENDING
    assert not Enrollment.objects.exists()


def test_the_review_list_runs_a_fixed_number_of_queries(
    client, login_as, company, company_a, seoul_staff, cohort, django_assert_max_num_queries
):
    for n in range(6):
        nomination_create(
            actor=company,
            company=company_a,
            cohort=cohort,
            name=f"재직{n}",
            phone=f"010-2222-{3330 + n}",
            birth_date=datetime.date(1990, 4, 5),
        )
    login_as(seoul_staff)
    with django_assert_max_num_queries(20):
        response = client.get("/training/nominations/review/")
    assert unescape(response.content.decode()).count('data-testid="nomination"') == 6
    assert Cohort.objects.count() == 1
