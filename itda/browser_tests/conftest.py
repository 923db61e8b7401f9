"""Browser-test fixtures: Debian's Chromium, driven by Playwright, against the live server.

Chromium comes from apt (`chromium`), never from `playwright install`: there is no network for
browser downloads. Without /usr/bin/chromium every test here is skipped, unless
ITDA_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from itda.browser_tests import helpers

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "Chromium not installed (/usr/bin/chromium): browser tests skipped"
# Playwright's launch() gives every browser a fresh, temporary user-data dir of its own (it refuses
# a --user-data-dir argument), so no profile, cache or cookie survives between runs.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _browser_required() -> bool:
    return os.environ.get("ITDA_REQUIRE_BROWSER") == "1"


def _require_browser() -> None:
    if not CHROMIUM.exists():
        if _browser_required():
            pytest.fail(
                "Chromium not installed (/usr/bin/chromium) and ITDA_REQUIRE_BROWSER=1",
                pytrace=False,
            )
        pytest.skip(SKIP_REASON)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if _browser_required():
            pytest.fail("playwright is not installed and ITDA_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip("playwright not installed: browser tests skipped")


@pytest.fixture(autouse=True)
def _chromium_available():
    """Skip (or, with ITDA_REQUIRE_BROWSER=1, fail) every test here when there is no browser."""
    _require_browser()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so page fixtures can screenshot failures."""
    report = yield
    setattr(item, f"_itda_report_{report.when}", report)
    return report


# Tests elsewhere may import these fixtures into their module, which makes pytest create a second
# session fixture; Playwright's sync API cannot start twice per thread, so they share one browser.
_SHARED: dict = {}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    _require_browser()
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running on this thread; Django would then refuse
    # ORM calls from the test (and pytest-django's database teardown) as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        _SHARED["browser"] = chromium
        try:
            yield chromium
        finally:
            _SHARED.clear()
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_url(live_server, transactional_db) -> str:
    """The live server's base URL. The server thread sees the test's data: the test database is
    transactional (flushed after each test), as pytest-django requires for live_server."""
    return live_server.url


def _open_page(browser, live_url: str, request, *, viewport: dict, mobile: bool):
    context = browser.new_context(
        base_url=live_url,
        viewport=viewport,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else 1,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    helpers.record_requests(page, live_url)
    return context, page


def _close_page(context, page, request, suffix: str) -> None:
    report = getattr(request.node, "_itda_report_call", None)
    try:
        if report is not None and report.failed and not page.is_closed():
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            helpers.screenshot(page, f"FAILED-{name}{suffix}.png")
    finally:
        helpers.forget(page)
        context.close()


@pytest.fixture
def page(browser, live_url, request):
    """A desktop page (1280×900, ko-KR, Asia/Seoul) in a fresh browser context, recording requests.

    ``page.goto("/accounts/login/")`` resolves against the live server."""
    context, page = _open_page(browser, live_url, request, viewport=DESKTOP, mobile=False)
    yield page
    _close_page(context, page, request, "")


@pytest.fixture
def phone_page(browser, live_url, request):
    """A phone-sized page (390×844, touch, ko-KR, Asia/Seoul) in a fresh context, recording."""
    context, page = _open_page(browser, live_url, request, viewport=PHONE, mobile=True)
    yield page
    _close_page(context, page, request, "-phone")


@pytest.fixture(name="assert_no_external_requests")
def assert_no_external_requests_fixture():
    """The assertion as a fixture: ``assert_no_external_requests(page)``."""
    return helpers.assert_no_external_requests
