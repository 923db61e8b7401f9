"""In a real browser: the home page's reminder card. An agreed OJT internship (2026-08-03 ~
10-31, past by now): staff returned August's work log with a reason, September's log waits for
review. The intern, on a phone, sees the card on the home page with August's log first (the
oldest overdue), the masked name and the reason, and follows it to their internship page; staff
see the log to review and follow it to the internship."""

import pytest
from playwright.sync_api import expect

from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.browser_tests.test_ojt_reports import internship as agreed  # noqa: F401 - fixture
from itda.internships import ojt
from itda.internships.tests.ojt_world import AUG, SEP, log
from itda.lib.masking import mask_name

pytestmark = pytest.mark.browser
REASON = "배운 점을 더 구체적으로 적어 주세요"


def test_the_home_card_names_the_due_item_masked_and_leads_to_it(
    browser,
    live_url,
    phone_page,
    page,
    cast,
    agreed,  # noqa: F811 - the imported fixture
):
    internship, _mentor = agreed
    trainee, staff = cast["trainee"], cast["seoul_staff"]
    august = log(internship, AUG, trainee)
    ojt.ojt_report_review(report=august, approve=False, reason=REASON, actor=staff)
    log(internship, SEP, trainee)
    name = internship.placement.trainee.name

    login(phone_page, trainee)
    phone_page.goto("/trainee/")
    card = phone_page.get_by_test_id("internship-reminders")
    first = card.locator("li").first
    expect(first).to_contain_text("마감 지남")
    expect(first).to_contain_text(f"{mask_name(name)} · 2026-08 근무일지 보완")
    expect(first).to_contain_text(f"보완 요청 사유: {REASON}")
    expect(card).not_to_contain_text(name)
    screenshot(phone_page, "internship-reminders-phone.png")
    first.get_by_role("link").click()
    phone_page.wait_for_url("**/me/internship/")
    expect(phone_page.get_by_test_id("returned-2026-08")).to_contain_text(REASON)

    login(page, staff)
    page.goto("/group/")
    item = page.get_by_test_id("internship-reminders").locator("li", has_text="근무일지 검토")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"{mask_name(name)} · 2026-09 근무일지 검토")
    expect(item).not_to_contain_text(name)
    item.get_by_role("link").click()
    page.wait_for_url(f"**/internships/{internship.pk}/")
    expect(page.locator('tr[data-month="2026-08"]')).to_contain_text(REASON)
    for p in (phone_page, page):
        assert_no_external_requests(p)
        assert_no_console_errors(p)
