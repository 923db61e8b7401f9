"""In a real browser: an agreed OJT internship (2026-08-03 ~ 10-31, past by now). The intern
writes August's work log on a phone and submits it; staff return it from the queue (htmx swaps
the row, no reload); the intern reads the reason on the phone and resubmits; the mentor files
August's report; staff approve both; the internship page shows August's amount and how it was
computed."""

import datetime

import pytest
from playwright.sync_api import expect

from itda.browser_tests.conftest import PHONE
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    record_requests,
    screenshot,
)
from itda.internships import agreements
from itda.internships.models import OjtReport, StartWave
from itda.internships.tests.conftest import make_position, place
from itda.programs.models import Company, Programme, Trainee

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def internship(regions, admin, company, trainee, seoul_staff):
    Programme.objects.filter(pk=regions["programme"].pk).update(
        internship_months_max=3, internship_allowance_monthly_krw=2_000_000
    )
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 8월 1차",
        first_start=datetime.date(2026, 8, 3),
        last_start=datetime.date(2026, 8, 14),
        created_by=admin,
    )
    position = make_position(company, regions["seoul"], regions["track"])
    placement = place(
        Trainee.objects.get(user=trainee), position, group=regions["capital_group"], actor=admin
    )
    mentor, _ = agreements.mentor_create(
        company=Company.objects.get(managers=company),
        username="mentor1",
        name="김멘토",
        actor=company,
    )
    internship = agreements.internship_propose(
        placement=placement,
        starts_on=datetime.date(2026, 8, 3),
        ends_on=datetime.date(2026, 10, 31),
        days_per_week=5,
        hours_per_week=40,
        mentor=mentor,
        actor=seoul_staff,
    )
    for person in (company, trainee, seoul_staff):
        agreements.internship_accept(internship=internship, version=1, actor=person)
    internship.refresh_from_db()
    return internship, mentor.user


def _context(browser, live_url, **extra):
    context = browser.new_context(
        base_url=live_url, locale="ko-KR", timezone_id="Asia/Seoul", **extra
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    record_requests(page, live_url)
    return context, page


def test_a_log_is_returned_fixed_approved_and_the_month_is_paid(
    browser, live_url, phone_page, cast, internship
):
    internship, mentor = internship
    phone = phone_page
    login(phone, cast["trainee"])
    phone.goto("/me/internship/")
    august = phone.locator('li[data-month="2026-08"]')
    august.get_by_role("link", name="업무일지 쓰기").click()
    phone.get_by_label("수행한 업무").fill("사출기 점검 보조, 불량 기록")
    phone.get_by_label("주당 근무시간(평균)").fill("40")
    phone.get_by_label("배운 점").fill("PLC")
    phone.get_by_role("button", name="제출").click()
    phone.wait_for_url("**/me/internship/")
    expect(phone.locator('li[data-month="2026-08"] [data-state]').first).to_have_text("제출")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)

    # Staff return it from the queue: only the row changes.
    staff_context, staff = _context(browser, live_url)
    login(staff, cast["seoul_staff"])
    staff.goto("/internships/ojt/review/")
    report = OjtReport.objects.get()
    row = staff.locator(f"#ojt-review-{report.pk}")
    staff.evaluate("window.itdaNotReloaded = true")
    row.get_by_label("보완 요청 사유").fill("배운 점을 더 구체적으로 적어 주세요")
    row.get_by_role("button", name="보완 요청").click()
    expect(staff.locator(f"#ojt-review-{report.pk}")).to_contain_text("보완 요청 처리했습니다.")
    assert staff.evaluate("window.itdaNotReloaded") is True

    # The intern reads the reason on the phone and resubmits.
    phone.goto("/me/internship/")
    expect(phone.get_by_test_id("returned-2026-08")).to_contain_text("배운 점을 더 구체적으로")
    screenshot(phone, "ojt-log-returned-phone.png")
    phone.get_by_role("link", name="고쳐서 제출").click()
    expect(phone.get_by_test_id("return-reason")).to_contain_text("배운 점을 더 구체적으로")
    phone.get_by_label("배운 점").fill("PLC 래더 도면을 읽고 센서 교체 순서를 익혔습니다")
    phone.get_by_role("button", name="고쳐서 다시 제출").click()
    phone.wait_for_url("**/me/internship/")
    assert OjtReport.objects.get(pk=report.pk).state == "resubmitted"

    # The mentor files August's report on a phone too.
    mentor_context, mentor_page = _context(
        browser, live_url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    login(mentor_page, mentor)
    mentor_page.goto("/mentor/interns/")
    mentor_page.locator('tr[data-month="2026-08"]').get_by_role(
        "link", name="멘토 보고서 쓰기"
    ).click()
    expect(mentor_page.get_by_test_id("scheduled")).to_contain_text("20일")
    mentor_page.get_by_label("출근일수").fill("19")
    for group in mentor_page.locator("fieldset").all():
        group.locator("label", has_text="4점").click()
    mentor_page.get_by_label("멘토 의견").fill("성실하고 안전 수칙을 잘 지킵니다.")
    mentor_page.get_by_role("button", name="제출").click()
    mentor_page.wait_for_url("**/mentor/interns/")
    assert mentor_page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(mentor_page, "ojt-mentor-interns-phone.png")

    # Staff approve both from the queue, then read the internship's months.
    staff.goto("/internships/ojt/review/")
    for r in OjtReport.objects.all():
        staff.locator(f"#ojt-review-{r.pk}").get_by_role("button", name="승인").click()
        expect(staff.locator(f"#ojt-review-{r.pk}")).to_contain_text("승인 처리했습니다.")
    assert set(OjtReport.objects.values_list("state", flat=True)) == {"approved"}
    staff.goto(f"/internships/{internship.pk}/")
    august = staff.locator('tr[data-month="2026-08"]')
    # August from Monday 3: 20 working days (광복절 substitute 17th off); 19 at work:
    # 2,000,000 × 19 ÷ 20 = 1,900,000.
    expect(august.get_by_test_id("amount-2026-08")).to_have_text("1,900,000원")
    august.get_by_text("계산 근거").click()
    expect(august.get_by_test_id("formula-2026-08")).to_contain_text("19일 ÷ 20일")
    screenshot(staff, "ojt-internship-months.png")
    for p in (phone, staff, mentor_page):
        assert_no_external_requests(p)
        assert_no_console_errors(p)
    staff_context.close()
    mentor_context.close()
