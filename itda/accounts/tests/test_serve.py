"""`manage.py serve` (what `make demo` ends with) serves as production does: gunicorn answers
pages and static files, and a database task worker beside it runs what a request enqueued."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    """The test database as a URL, so the served processes use the rows this test sees."""
    parts = connection.settings_dict
    host = quote(parts["HOST"] or "localhost", safe="")
    password = f":{quote(parts['PASSWORD'], safe='')}" if parts.get("PASSWORD") else ""
    port = f":{parts['PORT']}" if parts.get("PORT") else ""
    return f"postgres://{parts['USER']}{password}@{host}{port}/{parts['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


def _wait_for(check, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if found := check():
                return found
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_serve_answers_pages_and_static_files_and_its_worker_runs_queued_tasks():
    port = _free_port()
    environ = {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, page = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/accounts/login/"), 60)
        assert status == 200 and "로그인".encode() in page
        status, css = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/static/itda/itda.css"), 10)
        assert status == 200 and len(css) > 100

        # A task enqueued on the database queue by another process, as a web request would.
        enqueue = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from itda.internships.tasks import internship_reminders_send_task as t; "
                "print(t.enqueue(day='2026-12-07').id)",
            ],
            cwd=ROOT,
            env={**environ, "ITDA_TASKS": "database"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert enqueue.returncode == 0, enqueue.stderr
        task_id = enqueue.stdout.strip().splitlines()[-1]
        done = _wait_for(
            lambda: DBTaskResult.objects.filter(id=task_id, status="SUCCESSFUL").first(), 30
        )
        assert done.return_value == 0  # no internships in this database: no e-mail to send
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert "gunicorn" in output.lower() or "Listening at" in output
    assert server.returncode == 0, output
