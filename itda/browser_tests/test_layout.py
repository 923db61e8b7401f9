"""base.html in a real browser: strict CSP holds, keyboard users can skip to the content, the phone
menu opens and closes, error pages look like the rest of the site, nothing leaves the server."""

import pytest
from django.urls import reverse

from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    assert_no_failed_requests,
    login,
    screenshot,
    wait_for_fonts,
)
from itda.browser_tests.styleguide import STYLEGUIDE_PATH

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_pages_are_served_under_a_strict_content_security_policy(page):
    response = page.goto(reverse("accounts:login"))
    policy = response.headers.get("content-security-policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in policy, policy
    assert "unsafe-inline" not in policy
    wait_for_fonts(page)
    assert_no_console_errors(page)  # a CSP violation would be reported here


@pytest.mark.urls("itda.browser_tests.styleguide")
def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto(STYLEGUIDE_PATH)  # the login page autofocuses its first field; this page does not
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), "
        "document.activeElement.getBoundingClientRect().height]"
    )
    assert focused[0] == "본문 바로가기"
    assert focused[1] > 0, "the skip link must become visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


@pytest.mark.urls("itda.browser_tests.styleguide")
def test_styleguide_renders_every_component_without_csp_errors(page, trainee):
    login(page, trainee)
    page.goto(STYLEGUIDE_PATH)
    wait_for_fonts(page)
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart'))")

    header = page.locator("#krds-header")
    assert header.get_by_text(str(trainee), exact=True).is_visible()
    assert header.get_by_role("button", name="로그아웃").is_visible()
    assert page.locator(".itda-alert-error[role=alert]").count() == 1
    assert page.locator(".itda-alert-success[role=status]").count() == 1
    name = page.get_by_label("성명")
    assert name.get_attribute("aria-invalid") == "true"
    assert name.get_attribute("aria-describedby") == "id_name_helptext id_name_error"
    assert page.locator("#id_name_error").is_visible()

    screenshot(page, "styleguide-desktop.png")
    assert_no_external_requests(page)
    assert_no_failed_requests(page)
    assert_no_console_errors(page)


@pytest.mark.urls("itda.browser_tests.styleguide")
def test_styleguide_fits_a_phone(phone_page):
    phone_page.goto(STYLEGUIDE_PATH)
    wait_for_fonts(phone_page)
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(phone_page, "styleguide-phone.png")
    assert_no_external_requests(phone_page)
    assert_no_failed_requests(phone_page)
    assert_no_console_errors(phone_page)


def test_phone_menu_opens_and_closes_with_the_keyboard(phone_page):
    phone_page.goto(reverse("accounts:login"))
    toggle = phone_page.get_by_role("button", name="전체메뉴")
    nav = phone_page.locator("#itda-nav")
    assert toggle.is_visible()
    assert nav.is_hidden()
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    screenshot(phone_page, "menu-phone.png", full_page=False)
    phone_page.keyboard.press("Escape")
    assert nav.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert_no_external_requests(phone_page)


def test_not_found_page_is_friendly_and_korean(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).text_content() == "페이지를 찾을 수 없습니다"
    assert page.get_by_role("link", name="처음으로").is_visible()
    wait_for_fonts(page)
    screenshot(page, "error-404.png")
    assert_no_external_requests(page)
    assert_no_failed_requests(page, "/static/")
    assert_no_console_errors(page)


def test_every_header_button_has_its_own_icon(phone_page, trainee):
    """KRDS draws each header button's icon as a mask on ::before; a button without one of its
    own shows a black square (the 2단계 인증 link, now 내 정보, did)."""
    login(phone_page, trainee)
    phone_page.goto(reverse("outcomes:trainee_home"))
    icons = phone_page.evaluate(
        """() => [...document.querySelectorAll('#krds-header .btn-navi')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => {
              const style = getComputedStyle(el, '::before');
              return [el.textContent.trim(), style.maskImage || style.webkitMaskImage];
            })"""
    )
    assert {name for name, _ in icons} >= {"내 정보", "로그아웃"}
    assert [name for name, mask in icons if not mask or mask == "none"] == []
