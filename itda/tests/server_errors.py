"""A pytest plugin: every 500 the server logs during the suite fails the run.

Django logs each response of status 500 or more on ``django.request`` (and the development server
on ``django.server``), whether the test client or the browser tests' live server thread made the
request. A test whose request is answered 500 fails at teardown, even when the test itself caught
the error or never looked at the status; a 500 logged outside any test (a fixture of wider scope,
a late request to the live server) fails the session. A test that provokes a 500 on purpose says
so with ``@pytest.mark.server_error``.

Loaded with ``-p itda.tests.server_errors`` (pyproject's addopts), before Django is set up, so it
imports nothing from Django or itda.
"""

import logging

import pytest

SERVER_LOGGERS = ("django.request", "django.server")
MARKER = "server_error"


class ServerErrors(logging.Handler):
    """Keeps every log record of a response with status 500 or more."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if (getattr(record, "status_code", None) or 0) >= 500:
            self.records.append(record)

    def take(self, start: int = 0) -> list[logging.LogRecord]:
        """The records from ``start`` on, which no later check will see again."""
        taken = self.records[start:]
        del self.records[start : start + len(taken)]
        return taken


SEEN = ServerErrors()


def _describe(records) -> str:
    return "\n".join(f"  {r.status_code}: {r.getMessage()}" for r in records)


def _listen() -> None:
    # Again before each test: Django's logging set-up (a second django.setup(), as importing
    # itda.wsgi does) drops every handler it did not configure itself.
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if SEEN not in logger.handlers:
            logger.addHandler(SEEN)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}: the test provokes a server error (500) on purpose"
    )
    _listen()


def pytest_unconfigure(config):
    for name in SERVER_LOGGERS:
        logging.getLogger(name).removeHandler(SEEN)


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """Fail the test when the server answered 500 while it ran (unless it is marked)."""
    _listen()
    start = len(SEEN.records)
    yield
    records = SEEN.take(start)
    if records and request.node.get_closest_marker(MARKER) is None:
        pytest.fail(
            f"the server answered 500 during this test:\n{_describe(records)}\n"
            f"(a test that provokes a 500 on purpose is marked @pytest.mark.{MARKER})",
            pytrace=False,
        )


def pytest_sessionfinish(session, exitstatus):
    records = SEEN.take()
    if records:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "500s logged outside any test", red=True)
            reporter.write_line(_describe(records))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
