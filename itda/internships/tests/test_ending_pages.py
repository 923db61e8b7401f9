"""The ending and hiring pages: staff end an internship (early, with evidence, or completed), the
company confirms its hire, the intern reports a job on a phone, staff verify or return; the
detail shows the ending and the outcome timeline; every new URL refuses another region's,
company's or intern's ids with 404; lists take constant queries.

The pages use the real clock (the end checkpoint of an internship ending 2026-10-31 is open from
that day): the dates below are in the past from the day these tests were written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.internships import ending, hiring
from itda.internships.models import HiringOutcome, Internship
from itda.internships.tests.conftest import make_position, place, propose
from itda.internships.tests.ojt_world import approve_every_month
from itda.internships.tests.test_ending import END, accept_all
from itda.outcomes.tests.test_step_bar import home_steps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def active(setup, seoul_staff, company, trainee):
    """Agreed by all three, every month's reports approved (completion needs them)."""
    internship = accept_all(propose(setup, seoul_staff), company, trainee, seoul_staff)
    approve_every_month(internship, trainee, setup["mentor"].user, seoul_staff)
    return internship


def _pdf(name, body=b"%PDF-1.4 x"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_staff_end_early_on_the_page_and_the_parties_download_the_evidence(
    active, login_as, seoul_staff, company, trainee
):
    staff = login_as(seoul_staff, Client())
    page = staff.get(f"/internships/{active.pk}/ending/").content.decode()
    assert "중도 종료 기록" in page
    response = staff.post(
        f"/internships/{active.pk}/ending/",
        {
            "kind": "intern_quit",
            "last_day": "2026-09-15",
            "reason": "개인 사정으로 퇴사",
            "evidence": _pdf("사직서.pdf", b"%PDF-1.4 letter"),
        },
    )
    assert response.status_code == 302
    active.refresh_from_db()
    assert (active.state, active.ends_on) == ("ended_early", datetime.date(2026, 9, 15))
    detail = staff.get(f"/internships/{active.pk}/").content.decode()
    assert "인턴 중도 포기" in detail and "협약 종료일 2026-10-31에서 당김" in detail
    assert "개인 사정으로 퇴사" in detail
    for user in (company, trainee):
        client = login_as(user, Client())
        download = client.get(f"/internships/{active.pk}/ending/evidence/")
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == b"%PDF-1.4 letter"
    logged = PersonalDataAccess.objects.filter(action="export", reason="중도 종료 증빙 열람")
    assert set(logged.values_list("actor__username", flat=True)) == {"company", "trainee"}
    mentor = Client()
    mentor.force_login(active.mentor.user)
    assert mentor.get(f"/internships/{active.pk}/ending/evidence/").status_code == 403


def test_a_bad_early_end_on_the_page_says_why_and_changes_nothing(active, login_as, seoul_staff):
    staff = login_as(seoul_staff, Client())
    response = staff.post(
        f"/internships/{active.pk}/ending/",
        {"kind": "other", "last_day": "2026-10-31", "reason": "착오"},
    )
    assert "기간 만료 완료입니다" in response.content.decode()
    active.refresh_from_db()
    assert active.state == "active"


def test_completion_hire_confirmation_and_verification_through_the_pages(
    active, login_as, seoul_staff, company, trainee
):
    staff = login_as(seoul_staff, Client())
    intern = login_as(trainee, Client())
    assert home_steps(intern)[4] == ("인턴십 중", "current", "")
    page = staff.get(f"/internships/{active.pk}/ending/").content.decode()
    assert "완료 처리" in page  # the end date has passed
    staff.post(f"/internships/{active.pk}/complete/")
    active.refresh_from_db()
    assert active.state == "completed"

    firm = login_as(company, Client())
    hires = firm.get("/company/hires/").content.decode()
    assert "채용 확인" in hires and "미입력" in hires
    form = firm.get(f"/company/hires/{active.pk}/").content.decode()
    assert 'name="wage_band"' in form and 'name="employer"' not in form
    response = firm.post(
        f"/company/hires/{active.pk}/",
        {
            "checkpoint": "end",
            "kind": "hired_host",
            "employment_type": "contract",
            "hired_on": "2026-11-02",
            "wage_band": "250to300",
            "insurance_acquired_on": "2026-11-02",
            "contract": _pdf("계약서.pdf"),
        },
    )
    assert response.status_code == 302
    outcome = HiringOutcome.objects.get()
    assert (outcome.kind, outcome.status, outcome.reported_by) == (
        "hired_host",
        "reported",
        company,
    )

    queue = staff.get("/internships/outcomes/").content.decode()
    assert "인턴 기업 채용" in queue and "근로계약서 사본" in queue
    staff.post(f"/internships/outcomes/{outcome.pk}/verify/", {"version": 1})
    outcome.refresh_from_db()
    assert (outcome.status, outcome.verified_by) == ("verified", seoul_staff)
    detail = firm.get(f"/internships/{active.pk}/").content.decode()
    assert "확인 완료 (버전 1)" in detail and "채용으로 셈" in detail
    assert firm.get(f"/internships/outcomes/{outcome.pk}/contract/").status_code == 200
    intern = login_as(trainee, Client())
    # A verified hire that counts completes the path: every step done.
    assert {state for _, state, _ in home_steps(intern)} == {"done"}


def test_the_intern_reports_a_job_on_a_phone_and_sees_it_returned(
    active, login_as, seoul_staff, trainee
):
    ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    intern = login_as(trainee, Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone)"))
    mine = intern.get("/me/internship/").content.decode()
    assert "다른 곳 취업·진학 알리기" in mine
    form = intern.get("/me/internship/outcome/").content.decode()
    assert 'value="hired_elsewhere"' in form and 'value="hired_host"' not in form
    assert 'name="wage_band"' not in form
    intern.post(
        "/me/internship/outcome/",
        {
            "checkpoint": "end",
            "kind": "hired_elsewhere",
            "employer": "다른정밀",
            "hired_on": "2026-11-16",
        },
    )
    outcome = HiringOutcome.objects.get()
    assert (outcome.reported_party, outcome.employer) == ("intern", "다른정밀")
    staff = login_as(seoul_staff, Client())
    staff.post(
        f"/internships/outcomes/{outcome.pk}/return/",
        {"version": 1, "reason": "고용보험 취득일을 적어 주세요"},
    )
    page = intern.get("/me/internship/outcome/").content.decode()
    assert "보완 요청: 고용보험 취득일을 적어 주세요" in page
    # The intern may not pass off a host hire as theirs to report.
    intern.post(
        "/me/internship/outcome/",
        {"checkpoint": "end", "kind": "hired_host", "hired_on": "2026-11-16"},
    )
    outcome.refresh_from_db()
    assert (outcome.kind, outcome.version) == ("hired_elsewhere", 1)


def test_every_new_url_refuses_another_region_company_and_intern(
    active, login_as, seoul_staff, busan_staff, regions, company
):
    ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    outcome = hiring.outcome_report(
        internship=active,
        actor=company,
        checkpoint="end",
        kind="hired_host",
        employment_type="regular",
        hired_on=datetime.date(2026, 11, 2),
        wage_band="ge300",
        contract=_pdf("계약서.pdf"),
    )
    other_company = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_company)
    other_intern = factories.user(username="other_intern", role="trainee")
    factories.TraineeFactory(user=other_intern, region=regions["seoul"])
    pk, opk = active.pk, outcome.pk
    by_internship = [
        f"/internships/{pk}/ending/",
        f"/internships/{pk}/complete/",
        f"/internships/{pk}/ending/evidence/",
        f"/internships/{pk}/outcome/",
        f"/company/hires/{pk}/",
    ]
    by_outcome = [
        f"/internships/outcomes/{opk}/verify/",
        f"/internships/outcomes/{opk}/return/",
        f"/internships/outcomes/{opk}/contract/",
    ]
    peers = {
        busan_staff: {0, 1, 3, 5, 6, 7, 2},  # staff pages: 404
        other_company: {2, 4, 7},  # the company's pages: 404
        other_intern: {2, 7},  # the intern's files: 404
    }
    for user, expected_404 in peers.items():
        client = login_as(user, Client())
        for i, url in enumerate(by_internship + by_outcome):
            for method in (client.get, client.post):
                status = method(url, {"version": 1, "reason": "남의 것"}).status_code
                if status == 405:
                    continue
                want = 404 if i in expected_404 else 403
                assert status == want, (user.username, method.__name__, url, status)
        for url in ("/company/hires/", "/me/internship/outcome/", "/internships/outcomes/"):
            page = client.get(url)
            assert page.status_code in (200, 403)
            assert "설비 운영 인턴" not in page.content.decode()
    outcome.refresh_from_db()
    assert (outcome.status, outcome.version) == ("reported", 1)
    active.refresh_from_db()
    assert active.state == "completed"


def _ended_internships(n, *, setup, company, admin, regions, seoul_staff):
    for i in range(n):
        person = factories.TraineeFactory(region=regions["seoul"])
        position = make_position(company, regions["seoul"], regions["track"], title=f"추가 {i}")
        placement = place(person, position, group=regions["capital_group"], actor=admin)
        internship = Internship.objects.create(
            placement=placement,
            programme=regions["programme"],
            wave=setup["position"].track.programme.start_waves.get(),
            starts_on=datetime.date(2026, 8, 3),
            ends_on=datetime.date(2026, 10, 30),
            workplace="-",
            payee="intern",
            state="completed",
            proposed_by=admin,
        )
        hiring.outcome_report(
            internship=internship,
            actor=company,
            checkpoint="end",
            kind="hired_host",
            employment_type="regular",
            hired_on=datetime.date(2026, 11, 2),
            wage_band="ge300",
        )


def test_the_hires_and_queue_pages_take_the_same_queries_for_one_or_many(
    active, login_as, seoul_staff, company, admin, regions, setup
):
    ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    world = {
        "setup": setup,
        "company": company,
        "admin": admin,
        "regions": regions,
        "seoul_staff": seoul_staff,
    }
    _ended_internships(1, **world)
    firm, staff = login_as(company, Client()), login_as(seoul_staff, Client())

    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count(firm, "/company/hires/"), count(staff, "/internships/outcomes/"))
    _ended_internships(3, **world)
    assert (count(firm, "/company/hires/"), count(staff, "/internships/outcomes/")) == before
