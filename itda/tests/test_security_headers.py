"""The browser security headers every answer carries (CSP, nosniff, referrer and opener policy,
no framing), the session cookie's flags, and what production adds (HSTS for a year with
subdomains, cookies over HTTPS only): the items of docs/asvs.md's V3 that settings decide."""

import subprocess
import sys

import pytest

from itda.tests.test_settings_env import _BASE, _PRODUCTION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/regions", "/api/v1/nothing"])
def test_every_answer_carries_the_browser_security_headers(client, path):
    response = client.get(path)
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if response["Content-Type"].startswith("text/html"):
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_same_site(client, login_as, trainee):
    login_as(trainee)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_adds_hsts_for_a_year_with_subdomains_and_https_only_cookies():
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import itda.settings as s; print(s.SECURE_HSTS_SECONDS,"
            " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
            " s.SECURE_SSL_REDIRECT, s.DEBUG)",
        ],
        env={**_BASE, **_PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    seconds, *flags, debug = run.stdout.split()
    assert int(seconds) >= 365 * 24 * 60 * 60
    assert flags == ["True"] * 4
    assert debug == "False"
