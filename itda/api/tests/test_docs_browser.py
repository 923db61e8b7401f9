"""The docs page in Chromium under the site's strict CSP: Swagger UI renders every operation with
no CSP violation and no request leaving the server."""

import pytest

from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    _chromium_available,
    browser,
    live_url,
    page,
)
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    assert_no_failed_requests,
    login,
    screenshot,
)

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_under_the_strict_csp(page):  # noqa: F811
    response = page.goto("/api/v1/docs")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.wait_for_selector(".opblock-summary-path", state="attached")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/trainees/{trainee_id}" in [p.replace("\u200b", "") for p in paths]
    assert page.locator(".info .title").inner_text().startswith("itda API")
    assert_no_console_errors(page)
    assert_no_external_requests(page)
    assert_no_failed_requests(page)


def test_try_it_out_calls_the_api_with_the_browser_session(page, seoul_staff):  # noqa: F811
    login(page, seoul_staff)
    page.goto("/api/v1/docs#/계정")
    operation = page.locator(".opblock-get", has_text="/api/v1/me")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    body.wait_for()
    assert '"username": "seoul_staff"' in body.inner_text()
    screenshot(page, "api-docs-try-it-out.png")
    assert_no_console_errors(page)
    assert_no_external_requests(page)
