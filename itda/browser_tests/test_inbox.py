"""In a real browser on a 390px phone: a trainee sees the unread count in the header, opens the
inbox and a notification, and follows its link; the header still fits the phone."""

import pytest
from playwright.sync_api import expect

from itda.browser_tests.helpers import assert_no_console_errors, login, screenshot
from itda.notifications.models import Kind
from itda.notifications.services import notify

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_trainee_opens_a_notification_from_the_header_on_a_phone(phone_page, trainee):
    page = phone_page
    for n, subject in enumerate(["[잇다] 서울 1차 연계 지망 마감 안내", "[잇다] 면접 안내"]):
        notify(
            recipient=trainee,
            kind=Kind.DEADLINE,
            key=f"browser:{n}",
            subject=subject,
            body="마감 전에 지망을 내야 연계 대상이 됩니다.",
            link="/trainee/training/",
        )
    login(page, trainee)
    page.goto("/home/")
    badge = page.get_by_test_id("unread-badge")
    expect(badge).to_contain_text("2")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "inbox-header-390.png", full_page=False)
    page.get_by_test_id("inbox-link").click()
    page.get_by_role("link", name="[잇다] 면접 안내").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("[잇다] 면접 안내")
    expect(page.get_by_test_id("unread-badge")).to_contain_text("1")
    page.get_by_test_id("notification-link").click()
    page.wait_for_url("**/trainee/training/")
    assert_no_console_errors(page)
