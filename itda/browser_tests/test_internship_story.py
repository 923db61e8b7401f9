"""The whole story of one OJT internship in a real browser, every step on its real page: staff
propose the agreement; the company (naming the mentor), the intern on a phone and staff accept it;
two months of reports (the intern's work log and the mentor's report each month), one returned
with a reason, fixed and approved; staff complete it after its end date; at the 3-month checkpoint
the company confirms the hire and staff verify it; the intern's home shows every step done.

The pages run on the real clock (2026-12): the internship, 2026-08-03 ~ 09-04, is over, and its
3-month checkpoint (12-04) is open. The world before the story (programme, start wave, placement,
mentor account) comes from the internships tests' ``setup``."""

import datetime

import pytest
from playwright.sync_api import expect

from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    login_only,
    screenshot,
)
from itda.internships.models import HiringOutcome, Internship, OjtReport
from itda.internships.tests.conftest import setup  # noqa: F401  (the world before the story)

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
STARTS, ENDS = datetime.date(2026, 8, 3), datetime.date(2026, 9, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The hire's contract goes to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path


def _accept(page, state_after: str) -> None:
    page.get_by_role("button", name="동의하고 수락").click()
    expect(page.get_by_test_id("state")).to_have_text(state_after)


def _write_log(phone, month: str, learned: str) -> None:
    phone.goto("/me/internship/")
    phone.locator(f'li[data-month="{month}"]').get_by_role("link", name="업무일지 쓰기").click()
    phone.get_by_label("수행한 업무").fill("사출기 점검 보조, 불량 기록")
    phone.get_by_label("주당 근무시간(평균)").fill("40")
    phone.get_by_label("배운 점").fill(learned)
    phone.get_by_role("button", name="제출").click()
    phone.wait_for_url("**/me/internship/")
    expect(phone.locator(f'li[data-month="{month}"] [data-state]').first).to_have_text("제출")


def _write_mentor_report(page, month: str, scheduled: str, attended: str) -> None:
    page.goto("/mentor/interns/")
    page.locator(f'tr[data-month="{month}"]').get_by_role("link", name="멘토 보고서 쓰기").click()
    expect(page.get_by_test_id("scheduled")).to_contain_text(scheduled)
    page.get_by_label("출근일수").fill(attended)
    for group in page.locator("fieldset").all():
        group.locator("label", has_text="4점").click()
    page.get_by_label("멘토 의견").fill("성실하고 안전 수칙을 잘 지킵니다.")
    page.get_by_role("button", name="제출").click()
    page.wait_for_url("**/mentor/interns/")


def _review(page, report: OjtReport, *, reason: str = "") -> None:
    row = page.locator(f"#ojt-review-{report.pk}")
    if reason:
        row.get_by_label("보완 요청 사유").fill(reason)
        row.get_by_role("button", name="보완 요청").click()
        expect(page.locator(f"#ojt-review-{report.pk}")).to_contain_text("보완 요청 처리했습니다.")
    else:
        row.get_by_role("button", name="승인").click()
        expect(page.locator(f"#ojt-review-{report.pk}")).to_contain_text("승인 처리했습니다.")


def test_agreed_reported_returned_completed_and_hired(
    page,
    phone_page,
    setup,  # noqa: F811
    company,
    trainee,
    seoul_staff,  # noqa: F811
):
    mentor = setup["mentor"]
    phone = phone_page
    login(phone, trainee)

    # Staff propose the agreement from the placements waiting for one.
    login_only(page, seoul_staff)
    page.goto("/internships/placements/")
    page.get_by_role("link", name="협약 제안").click()
    page.get_by_label("시작일").fill(STARTS.isoformat())
    page.get_by_label("종료일").fill(ENDS.isoformat())
    page.get_by_label("주 근무일수").fill("5")
    page.get_by_label("주 근무시간").fill("40")
    page.get_by_role("button", name="협약 제안").click()
    expect(page.locator("main")).to_contain_text("협약을 제안했습니다.")
    expect(page.get_by_test_id("state")).to_have_text("협약 대기")
    internship = Internship.objects.get()
    detail = f"/internships/{internship.pk}/"

    # The company names the mentor (a new version), then accepts.
    login_only(page, company)
    page.goto(detail)
    page.get_by_label("멘토").select_option(str(mentor.pk))
    page.get_by_role("button", name="멘토 정하기").click()
    expect(page.locator("main")).to_contain_text("수락 현황 (버전 2)")
    _accept(page, "협약 대기")
    expect(page.locator('li[data-party="company"]')).to_contain_text("수락")
    expect(page.locator('li[data-party="intern"]')).to_contain_text("대기")

    # The intern reads the agreement on the phone and accepts.
    phone.goto("/me/internship/")
    expect(phone.get_by_test_id("agreement")).to_contain_text("김멘토")
    _accept(phone, "협약 대기")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)

    # Staff accept last: the agreement is in force.
    login_only(page, seoul_staff)
    page.goto(detail)
    _accept(page, "협약 체결")
    internship.refresh_from_db()
    assert (internship.state, internship.terms_version, internship.mentor) == (
        "active",
        2,
        mentor,
    )

    # Two months of reports: the intern's work logs on the phone, the mentor's reports.
    _write_log(phone, "2026-08", "PLC 래더 도면 읽기")
    _write_log(phone, "2026-09", "센서 교체 순서")
    login_only(page, mentor.user)
    # August from Monday 3: 20 working days (광복절 substitute 17th off); September 1~4: 4.
    _write_mentor_report(page, "2026-08", "20일", "19")
    _write_mentor_report(page, "2026-09", "4일", "3")
    expect(page.locator('tr[data-month="2026-09"] [data-state]').first).to_have_text("제출")

    # Staff approve August and September's log, and return September's mentor report.
    login_only(page, seoul_staff)
    page.goto("/internships/ojt/review/")
    reports = {(r.month.month, r.kind): r for r in OjtReport.objects.all()}
    assert len(reports) == 4
    for key in ((8, "log"), (8, "mentor"), (9, "log")):
        _review(page, reports[key])
    reason = "9월 출근일수를 출근부와 다시 맞춰 주세요"
    _review(page, reports[(9, "mentor")], reason=reason)

    # The mentor sees it returned, reads the reason, fixes the days and resubmits.
    login_only(page, mentor.user)
    page.goto("/mentor/interns/")
    september = page.locator('tr[data-month="2026-09"]')
    expect(september.locator("[data-state]").first).to_have_text("보완 요청")
    september.get_by_role("link", name="멘토 보고서 쓰기").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text(reason)
    page.get_by_label("출근일수").fill("4")
    page.get_by_role("button", name="고쳐서 다시 제출").click()
    page.wait_for_url("**/mentor/interns/")
    expect(page.locator('tr[data-month="2026-09"] [data-state]').first).to_have_text("재제출")

    # Staff approve the fix; the internship page shows each month's amount and its formula.
    login_only(page, seoul_staff)
    page.goto("/internships/ojt/review/")
    _review(page, reports[(9, "mentor")])
    assert set(OjtReport.objects.values_list("state", flat=True)) == {"approved"}
    page.goto(detail)
    # August: 2,000,000 × 19 ÷ 20 = 1,900,000. September: the four days worked over the month's
    # 20 working days (추석 24~25 off, outside the internship): 2,000,000 × 4 ÷ 20 = 400,000.
    august = page.locator('tr[data-month="2026-08"]')
    expect(august.get_by_test_id("amount-2026-08")).to_have_text("1,900,000원")
    august.get_by_text("계산 근거").click()
    expect(august.get_by_test_id("formula-2026-08")).to_contain_text("19일 ÷ 20일")
    september = page.locator('tr[data-month="2026-09"]')
    expect(september.get_by_test_id("amount-2026-09")).to_have_text("400,000원")
    september.get_by_text("계산 근거").click()
    expect(september.get_by_test_id("formula-2026-09")).to_contain_text("4일 ÷ 20일")
    screenshot(page, "story-months.png")

    # The intern sees both months approved.
    phone.goto("/me/internship/")
    for month in ("2026-08", "2026-09"):
        states = phone.locator(f'li[data-month="{month}"] [data-state]')
        expect(states.nth(0)).to_have_text("승인")
        expect(states.nth(1)).to_have_text("승인")

    # After the end date staff complete it.
    page.get_by_role("link", name="종료 처리").click()
    page.get_by_role("button", name="완료 처리").click()
    expect(page.locator("main")).to_contain_text("인턴십을 완료로 처리했습니다.")
    expect(page.get_by_test_id("state")).to_have_text("완료")

    # At the 3-month checkpoint the company confirms its hire, with the contract.
    login_only(page, company)
    page.goto("/company/hires/")
    page.get_by_role("link", name="채용 확인").click()
    page.locator('select[name="checkpoint"]').select_option("month_3")
    page.locator('select[name="kind"]').select_option("hired_host")
    page.get_by_label("고용 형태").select_option("regular")
    page.get_by_label("입사일").fill("2026-09-07")
    page.get_by_label("월 임금 구간").select_option("250to300")
    page.get_by_label("고용보험 취득일").fill("2026-09-07")
    page.get_by_label("근로계약서 사본").set_input_files(
        {"name": "계약서.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 contract"}
    )
    page.get_by_role("button", name="보고").click()
    page.goto("/company/hires/")
    expect(page.locator('td[data-checkpoint="month_3"]')).to_have_text("인턴 기업 채용 · 확인 대기")

    # Staff verify it from the queue; it counts as a hire.
    login_only(page, seoul_staff)
    page.goto("/internships/outcomes/")
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text("인턴 기업 채용")
    with page.expect_navigation():
        queue.get_by_role("button", name="확인", exact=True).click()
    page.goto(detail)
    row = page.locator('tr[data-checkpoint="month_3"]')
    expect(row).to_contain_text("인턴 기업 채용")
    expect(row).to_contain_text("확인 완료 (버전 1) · 채용으로 셈")
    outcome = HiringOutcome.objects.get()
    assert (outcome.checkpoint, outcome.status) == ("month_3", "verified")

    # The intern's home: every step of the path done.
    phone.goto("/trainee/")
    steps = phone.get_by_test_id("steps").locator("li")
    assert steps.count() >= 5
    for i in range(steps.count()):
        expect(steps.nth(i)).to_have_class("is-done")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(phone, "story-home-phone.png")
    for p in (page, phone):
        assert_no_external_requests(p)
        assert_no_console_errors(p)
