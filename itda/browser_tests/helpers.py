"""Helpers for browser tests: request recording, the no-external-request rule, screenshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"

# URL schemes that never reach a network: the browser resolves them itself.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}


@dataclass
class RequestLog:
    """Everything one page asked for, and what went wrong, as seen by Playwright's page events."""

    base_url: str
    urls: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def origin(self) -> tuple[str, str]:
        parts = urlsplit(self.base_url)
        return parts.scheme, parts.netloc

    def external(self) -> list[str]:
        """Requests to any host other than the live server."""
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if (parts.scheme, parts.netloc) != self.origin:
                out.append(url)
        return out


_LOGS: dict[int, RequestLog] = {}


def record_requests(page, base_url: str) -> RequestLog:
    """Start recording every request ``page`` makes (call before the first ``goto``)."""
    log = RequestLog(base_url=base_url.rstrip("/"))

    def on_response(response):
        if response.status >= 400:
            log.failed.append(f"{response.status} {response.url}")

    def on_console(message):
        # A failed load is also a "Failed to load resource" console error; log.failed has its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            log.console_errors.append(message.text)

    page.on("request", lambda request: log.urls.append(request.url))
    page.on("response", on_response)
    page.on("requestfailed", lambda r: log.failed.append(f"{r.failure} {r.url}"))
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    _LOGS[id(page)] = log
    return log


def forget(page) -> None:
    _LOGS.pop(id(page), None)


def request_log(page) -> RequestLog:
    """The log ``record_requests`` keeps for ``page`` (the page fixtures record from the start)."""
    try:
        return _LOGS[id(page)]
    except KeyError:
        raise AssertionError("this page is not recorded: call record_requests(page, url)") from None


def assert_no_external_requests(page) -> None:
    """Every request the page made went to the live server: nothing left the machine."""
    log = request_log(page)
    assert log.urls, "the page made no request at all"
    external = log.external()
    assert not external, "requests left the server:\n  " + "\n  ".join(external)


def assert_no_failed_requests(page, path_prefix: str = "") -> None:
    """No request (under ``path_prefix``, e.g. "/static/") failed or answered 4xx/5xx."""
    log = request_log(page)
    failed = [f for f in log.failed if urlsplit(f.split(" ", 1)[-1]).path.startswith(path_prefix)]
    assert not failed, "failed requests:\n  " + "\n  ".join(failed)


def assert_no_console_errors(page) -> None:
    """No JavaScript error and no console error (CSP violations are reported there)."""
    log = request_log(page)
    problems = log.page_errors + log.console_errors
    assert not problems, "console errors:\n  " + "\n  ".join(problems)


def wait_for_fonts(page) -> None:
    """Resolve ``document.fonts.ready``: every font the page uses so far has loaded (or failed)."""
    page.evaluate("() => document.fonts.ready.then(() => true)")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG under test-artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page, user) -> None:
    """Sign ``user`` in for ``page``'s browser context without the login form (session cookie).

    A confirmed TOTP device counts as verified, so staff pages open without the second step."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": request_log(page).base_url,
            }
        ]
    )


def login_only(page, user) -> None:
    """Sign ``page``'s browser context out of whoever it was and in as ``user``: one page can play
    several people in turn."""
    page.context.clear_cookies()
    login(page, user)
