"""Every 500 in the server log fails the run: a suite of its own, run in a subprocess, shows it."""

from pathlib import Path

import pytest

import itda

pytest_plugins = ["pytester"]

CONFTEST = """
import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF="probe_urls", ALLOWED_HOSTS=["testserver"], SECRET_KEY="probe", DEBUG=False
)
django.setup()
"""
URLS = """
from django.http import HttpResponse
from django.urls import path


def boom(request):
    raise RuntimeError("boom")


def unavailable(request):
    return HttpResponse("잠시 후 다시 시도하세요", status=503)


urlpatterns = [path("boom/", boom), path("unavailable/", unavailable)]
"""
TESTS = """
import pytest
from django.test import Client


def get(path):
    return Client(raise_request_exception=False).get(path)


def test_a_500_the_test_never_looks_at():
    get("/boom/")


def test_a_500_answered_without_an_exception():
    assert get("/unavailable/").status_code == 503


def test_a_raise_the_test_catches():
    with pytest.raises(RuntimeError):
        Client().get("/boom/")


@pytest.mark.server_error
def test_a_500_on_purpose():
    assert get("/boom/").status_code == 500


def test_a_404_is_no_error():
    assert get("/nowhere/").status_code == 404
"""


@pytest.fixture
def probe(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(itda.__file__).parent.parent))
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(probe_urls=URLS)
    return pytester


def _run(pytester, *files):
    return pytester.runpytest_subprocess(
        "-p", "no:django", "-p", "no:cacheprovider", "-p", "itda.tests.server_errors", *files
    )


def test_each_500_fails_its_test_unless_marked(probe):
    probe.makepyfile(test_probe=TESTS)
    result = _run(probe)
    result.assert_outcomes(passed=5, errors=3)
    result.stdout.fnmatch_lines(["*the server answered 500 during this test:*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_500_outside_any_test_fails_the_session(probe):
    probe.makepyfile(
        test_probe="""
import pytest
from django.test import Client


@pytest.fixture(scope="module")
def warmed():
    Client(raise_request_exception=False).get("/boom/")


def test_passes(warmed):
    pass
"""
    )
    result = _run(probe)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*500s logged outside any test*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


@pytest.mark.server_error
@pytest.mark.urls("itda.tests.probe_urls")
def test_a_500_of_the_live_server_is_seen(live_server):
    """The browser tests' server runs in a thread of this process: its 500s reach the check."""
    import urllib.error
    import urllib.request

    from itda.tests.server_errors import SEEN

    before = len(SEEN.records)
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{live_server.url}/broken/")  # noqa: S310 - the test's own server
    assert error.value.code == 500
    assert [r.status_code for r in SEEN.records[before:]] == [500]
