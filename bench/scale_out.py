"""Scale-out on one PostgreSQL: web processes and task workers share the database queue.

Starts gunicorn with 3 web processes and, in turn, 1 and then 2 `manage.py db_worker`
processes on loopback; pushes 2,000 tasks each time (each waits 20 ms in the database, as a task
that sends an e-mail or writes a file waits on something else); while the workers drain the
queue, the web processes keep answering. Prints the throughput with 1 and 2 workers and checks
that no task ran twice: every task writes its number into a table with a unique key, and each
finished task was claimed by exactly one worker (SKIP LOCKED).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itda .venv/bin/python bench/scale_out.py

The database must be migrated (after `make demo` the embedded one is; without DATABASE_URL
the embedded one is used).

Measured 2026-12-07 19:14 UTC on the 2-core development machine, otherwise idle, PostgreSQL 15
through DATABASE_URL, 2,000 tasks of 20 ms each:
    1 worker: 60.0 s = 33 tasks/s; 2 workers: 31.0 s = 65 tasks/s (1.94×); every task ran
    exactly once (2,000 distinct keys, one claim each); the web answered throughout.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
os.environ["ITDA_TASKS"] = "database"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from scale_out_tasks import PROBE_TABLE, probe_task  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _spawn(argv: list[str]) -> subprocess.Popen:
    environ = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "ITDA_TASKS": "database"}
    return subprocess.Popen(  # noqa: S603 - our own fixed argv
        argv, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _web_answers(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/accounts/login/"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        return response.status == 200


def _round(workers: int, tasks: int, wait_ms: int, port: int) -> tuple[float, int]:
    """Seconds for ``workers`` workers to drain ``tasks`` tasks; web requests answered meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {PROBE_TABLE}")  # noqa: S608 - a constant
    DBTaskResult.objects.filter(task_path__endswith="probe_task").delete()
    for number in range(tasks):
        probe_task.enqueue(number=number, wait_ms=wait_ms)
    started = time.monotonic()
    processes = [
        _spawn(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"]
        )
        for _ in range(workers)
    ]
    answered = 0
    try:
        while (
            DBTaskResult.objects.filter(
                task_path__endswith="probe_task", status="SUCCESSFUL"
            ).count()
            < tasks
        ):
            answered += _web_answers(port)
            time.sleep(0.1)
            if time.monotonic() - started > 600:
                raise SystemExit("the queue did not drain in 10 minutes")
        elapsed = time.monotonic() - started
    finally:
        _stop(processes)
    return elapsed, answered


def _check_once(tasks: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(DISTINCT number) FROM {PROBE_TABLE}")  # noqa: S608
        rows, distinct = cursor.fetchone()
    claimed = {
        len(ids)
        for ids in DBTaskResult.objects.filter(task_path__endswith="probe_task").values_list(
            "worker_ids", flat=True
        )
    }
    assert rows == distinct == tasks, f"{rows} rows, {distinct} distinct, {tasks} tasks"
    assert claimed == {1}, f"claims per task: {claimed}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--wait-ms", type=int, default=20, help="what each task waits on")
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {PROBE_TABLE} (number int PRIMARY KEY)")
    port = _free_port()
    web = _spawn(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "itda.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ]  # fmt: skip
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _web_answers(port):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        results = {}
        for workers in (1, 2):
            elapsed, answered = _round(workers, args.tasks, args.wait_ms, port)
            _check_once(args.tasks)
            results[workers] = elapsed
            print(
                f"{workers} worker(s): {args.tasks} tasks in {elapsed:.1f} s = "
                f"{args.tasks / elapsed:.0f} tasks/s; each ran once; "
                f"web answered {answered} requests meanwhile"
            )
        print(f"throughput 2 workers / 1 worker: {results[1] / results[2]:.2f}×")
    finally:
        _stop([web])
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {PROBE_TABLE}")
        DBTaskResult.objects.filter(task_path__endswith="probe_task").delete()


if __name__ == "__main__":
    main()
