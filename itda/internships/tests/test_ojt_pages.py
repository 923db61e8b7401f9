"""The OJT monthly-report pages: the intern writes the log on the phone page, the mentor sees
what is due and files the report, staff approve or return from the queue (htmx), and the
internship shows each month's state and amount with its arithmetic and origins. Strangers get
404 (another region, company or intern), roles without the job 403."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.internships import ojt
from itda.internships.models import OjtReport
from itda.internships.tests.ojt_world import AUG, SEP, log, mentor_report
from itda.programs.models import RuleOrigin

pytestmark = pytest.mark.django_db
D = datetime.date
OJT_KEYS = (
    "working_days",
    "part_week",
    "proration",
    "rounding",
    "report_due",
    "criteria",
)


def _edit(internship, month, kind):
    return f"/internships/{internship.pk}/ojt/{month.year}-{month.month}/{kind}/"


def _htmx(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


@pytest.fixture
def origins(regions):
    """The MSS programme's OJT rule origins, registered for the test programme."""
    path = Path(__file__).resolve().parents[2] / "programs/reference_data/rule_origins.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = {r["key"].rsplit(".", 1)[1]: r for r in data["origins"] if ".internship." in r["key"]}
    for name in OJT_KEYS:
        row = rows[name]
        origin = RuleOrigin(
            key=f"{regions['programme'].code}.internship.{name}",
            label=row["label"],
            kind=row["kind"],
            document=data["documents"].get(row.get("document", ""), ""),
            quote=row.get("quote", ""),
            place=row.get("place", ""),
            precedent=row.get("precedent", ""),
        )
        origin.full_clean()
        origin.save()


def test_the_intern_writes_submits_and_fixes_the_log_on_the_phone_page(
    ojt_internship, clock, login_as, trainee, seoul_staff
):
    clock(D(2026, 9, 7))
    intern = login_as(trainee, Client())
    page = intern.get("/me/internship/").content.decode()
    assert "월간 업무일지" in page and "업무일지 쓰기" in page
    assert "10월 1일부터 쓸 수 있습니다." in page  # October has not begun
    assert 'data-overdue="1"' in page  # August was due 9/5
    form = {"tasks": "설비 점검 보조", "hours_per_week": "40", "learnt": ""}
    response = intern.post(_edit(ojt_internship, AUG, "log"), form | {"submit": "1"})
    assert response.status_code == 200 and "배운 점을 입력하세요." in response.content.decode()
    assert not OjtReport.objects.exists()
    response = intern.post(_edit(ojt_internship, AUG, "log"), form | {"save": "1"})
    assert response.status_code == 302
    report = OjtReport.objects.get()
    assert report.state == "draft"
    intern.post(_edit(ojt_internship, AUG, "log"), form | {"learnt": "PLC", "submit": "1"})
    report.refresh_from_db()
    assert report.state == "submitted"

    staff = login_as(seoul_staff, Client())
    staff.post(
        f"/internships/ojt/reports/{report.pk}/review/",
        {"decision": "return", "reason": "배운 점을 더 자세히 적어 주세요"},
    )
    page = intern.get("/me/internship/").content.decode()
    assert "보완 요청: 배운 점을 더 자세히 적어 주세요" in page and "고쳐서 제출" in page
    form_page = intern.get(_edit(ojt_internship, AUG, "log")).content.decode()
    assert "보완 요청 사유: 배운 점을 더 자세히 적어 주세요" in form_page
    assert "설비 점검 보조" in form_page  # the saved text comes back into the form
    intern.post(
        _edit(ojt_internship, AUG, "log"), form | {"learnt": "PLC 래더 읽기", "submit": "1"}
    )
    report.refresh_from_db()
    assert (report.state, report.learnt) == ("resubmitted", "PLC 래더 읽기")


def test_the_mentor_sees_what_is_due_and_files_the_report(
    ojt_internship, clock, login_as, mentor, trainee
):
    clock(D(2026, 10, 4))
    client = login_as(mentor, Client())
    assert client.get("/").status_code in (200, 302)
    page = client.get("/mentor/interns/").content.decode()
    name = ojt_internship.placement.trainee.name
    assert name not in page and name[0] in page  # masked in the list
    rows = dict(re.findall(r'data-month="(\d{4}-\d\d)">(.*?)</tr>', page, flags=re.S))
    assert "멘토 보고서 쓰기" in rows["2026-08"] and 'data-overdue="1"' in rows["2026-08"]
    assert "멘토 보고서 쓰기" in rows["2026-09"] and "data-overdue" not in rows["2026-09"]
    assert "멘토 보고서 쓰기" not in rows["2026-10"]

    url = _edit(ojt_internship, SEP, "mentor")
    form_page = client.get(url).content.decode()
    assert re.search(r'data-testid="scheduled">20일 \(그 달 근무일 20일\)', form_page)
    assert "추석 전날" in form_page and "직무 수행" in form_page
    criteria = ojt.criteria_for(ojt_internship.programme)
    scores = {f"score_{c.pk}": "4" for c in criteria}
    data = {"attendance_days": "21", "comment": "성실함", "submit": "1"} | scores
    response = client.post(url, data)
    assert "출근일수는 이 달 예정 근무일 20일 이하여야 합니다." in response.content.decode()
    assert not OjtReport.objects.exists()
    response = client.post(url, data | {"attendance_days": "19"})
    assert response.status_code == 302 and response.url == "/mentor/interns/"
    report = OjtReport.objects.get()
    assert (report.kind, report.state, report.attendance_days) == ("mentor", "submitted", 19)
    assert sorted(report.scores.values_list("score", flat=True)) == [4] * len(criteria)
    # The intern sees the mentor's report only once it is approved.
    detail = login_as(trainee, Client()).get(f"/internships/ojt/reports/{report.pk}/")
    assert "사업단이 승인한 뒤에" in detail.content.decode()
    assert "성실함" not in detail.content.decode()


def test_staff_approve_and_return_from_the_queue_in_place(
    ojt_internship, clock, login_as, trainee, mentor, seoul_staff
):
    submitted = log(ojt_internship, AUG, trainee)
    report = mentor_report(ojt_internship, AUG, mentor, attendance=20)
    staff = login_as(seoul_staff, Client())
    queue = staff.get("/internships/ojt/review/").content.decode()
    assert f'id="ojt-review-{report.pk}"' in queue and "출근 20일 / 예정 20일" in queue
    url = f"/internships/ojt/reports/{report.pk}/review/"
    row = _htmx(staff, url, {"decision": "return", "reason": ""}).content.decode()
    # Only the row comes back (htmx swaps it in place), with the refusal in it.
    assert row.strip().startswith(f'<tr id="ojt-review-{report.pk}"') and "<html" not in row
    assert "보완 요청 사유를 적어야 합니다." in row
    report.refresh_from_db()
    assert report.state == "submitted"
    row = _htmx(staff, url, {"decision": "approve", "reason": ""}).content.decode()
    assert "승인 처리했습니다." in row and "<html" not in row
    report.refresh_from_db()
    assert report.state == "approved"
    response = staff.post(
        f"/internships/ojt/reports/{submitted.pk}/review/",
        {"decision": "return", "reason": "업무를 더 자세히"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.return_reason) == ("returned", "업무를 더 자세히")
    queue = staff.get("/internships/ojt/review/").content.decode()
    assert "검토할 월간 보고가 없습니다." in queue


def test_the_queue_reads_a_constant_number_of_queries(
    setup, ojt_internship, clock, login_as, trainee, seoul_staff
):
    staff = login_as(seoul_staff, Client())

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get("/internships/ojt/review/").status_code == 200
        return len(ctx.captured_queries)

    log(ojt_internship, AUG, trainee)
    few = queries()
    log(ojt_internship, SEP, trainee)
    log(ojt_internship, D(2026, 10, 1), trainee)
    assert queries() == few


def test_the_internship_shows_each_month_with_its_amount_arithmetic_and_origins(
    ojt_internship, clock, login_as, trainee, mentor, seoul_staff, company, origins
):
    log(ojt_internship, AUG, trainee)
    report = mentor_report(ojt_internship, AUG, mentor, attendance=19)
    mentor_report(ojt_internship, SEP, mentor, attendance=18)
    ojt.ojt_report_review(report=report, approve=True, reason="", actor=seoul_staff)
    page = login_as(company, Client()).get(f"/internships/{ojt_internship.pk}/").content.decode()
    rows = dict(re.findall(r'<tr data-month="(\d{4}-\d\d)">(.*?)</tr>', page, flags=re.S))
    # August from Monday 3: 20 scheduled of the month's 20 (광복절 substitute 17th off);
    # 19 at work: 2,000,000 × 19 ÷ 20 = 1,900,000.
    assert "예정 20일 / 그 달 20일" in rows["2026-08"]
    assert "1,900,000원" in rows["2026-08"] and "광복절 대체 휴일" in rows["2026-08"]
    assert 'data-state="approved"' in rows["2026-08"]
    # September's report is submitted, not approved: no amount yet.
    assert "멘토 보고서 승인 후 확정" in rows["2026-09"]
    assert 'data-state="submitted"' in rows["2026-09"]
    assert 'data-rule="test-programme.internship.proration"' in rows["2026-08"]
    for name in ("working_days", "part_week", "proration", "rounding", "report_due"):
        assert f'data-origin-key="test-programme.internship.{name}"' in page, name
    kinds = dict(re.findall(r'data-origin-key="[^"]+\.(\w+)".*?data-origin-kind="(\w+)"', page))
    assert kinds["rounding"] == "source" and kinds["proration"] == "default"
    assert "itda 기본값 — 운영지침 확인 필요" in page and "국고금 관리법" in page


def test_strangers_get_404_and_roles_without_the_job_403(
    setup, ojt_internship, clock, login_as, trainee, mentor, busan_staff, company, regions
):
    report = log(ojt_internship, AUG, trainee)
    other_company = factories.user(username="other_company", role="company")
    other = factories.CompanyFactory(region=regions["seoul"])
    other.managers.add(other_company)
    other_mentor = factories.user(username="other_mentor", role="mentor")
    other.mentors.create(user=other_mentor, name="남멘토", created_by=other_company)
    other_trainee = factories.user(username="other_trainee", role="trainee")
    factories.TraineeFactory(user=other_trainee, region=regions["seoul"])
    urls = [
        _edit(ojt_internship, AUG, "log"),
        _edit(ojt_internship, AUG, "mentor"),
        f"/internships/ojt/reports/{report.pk}/",
        f"/internships/ojt/reports/{report.pk}/review/",
    ]
    for user in (busan_staff, other_company, other_mentor, other_trainee):
        client = login_as(user, Client())
        for url in urls:
            for method in (client.get, client.post):
                response = method(url, {"decision": "approve"})
                # Reviewing is staff's job: other roles are refused it outright (403).
                refused = {404} if user == busan_staff or "review" not in url else {403}
                if "review" in url:
                    refused.add(405)  # GET
                assert response.status_code in refused, (user.username, url, response.status_code)
    report.refresh_from_db()
    assert report.state == "submitted"
    # A colleague mentor of the same company sees the internship but does not write its report.
    colleague = factories.user(username="colleague", role="mentor")
    setup["mentor"].company.mentors.create(user=colleague, name="이멘토", created_by=company)
    client = login_as(colleague, Client())
    assert client.get(_edit(ojt_internship, AUG, "mentor")).status_code == 403
    assert client.get("/mentor/interns/").content.decode().count("data-internship=") == 0
    # Months outside the internship, an unknown kind: 404.
    intern = login_as(trainee, Client())
    assert intern.get(_edit(ojt_internship, D(2026, 11, 1), "log")).status_code == 404
    assert intern.get(f"/internships/{ojt_internship.pk}/ojt/2026-13/log/").status_code == 404
    assert intern.get(f"/internships/{ojt_internship.pk}/ojt/2026-8/memo/").status_code == 404
    assert intern.get("/mentor/interns/").status_code == 403
    assert intern.get("/internships/ojt/review/").status_code == 403
    assert login_as(mentor, Client()).get("/internships/ojt/review/").status_code == 403
