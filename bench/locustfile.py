"""Load: 50 concurrent users on the main pages of every role, a batch job running (issue 16).

    DATABASE_URL=postgres://... .venv/bin/python bench/locustfile.py [--users 50] [--seconds 60]
        [--scale 1] [--keep]

Run as a script, it creates a fresh database (``bench_load_<name>`` on DATABASE_URL's server,
dropped at the end; ``--keep`` keeps and reuses it) with production settings, loads the
reference data and the demo (``generate_demo --seed 1 --scale 1`` by default), serves itda as
production does (``manage.py serve``: gunicorn sync ×2 and the database task worker), the
bare project of bench/bare/ (gunicorn sync ×2) on loopback, recomputes every cohort's allowances
(``compute_allowances``) over and over while the load runs, and runs locust headless on this
file for ``--seconds`` with ``--users`` users.

Each role's demo account logs in once through the login form (password, then the TOTP code
from the demo's secret, as ``demo_logins`` prints it); that role's users share the session and
walk its main pages in a closed loop. One user in ten walks the bare ``ListView`` instead. At
the end it prints p50/p95/p99 and the error rate of all itda requests, and per list page its
throughput per user (1 / mean latency: each user waits for its answer) as a ratio to the bare
list page's in the same run.

Not run yet (session 9 ran out of time on a machine at load average ~14: a fresh database
migrates in ~15 minutes there); no figures.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, events, task

# Each role's main pages (the home comes from demo_logins); lists are compared with the bare one.
PAGES = {
    "operator": [
        "/registry/companies/",
        "/registry/trainees/",
        "/internships/",
        "/money/statements/",
        "/courses/",
    ],
    "group_staff": ["/registry/companies/", "/registry/trainees/", "/internships/", "/courses/"],
    "company": ["/registry/companies/", "/company/positions/"],
    "trainee": ["/applications/", "/money/me/"],
    "evaluator": [],
    "viewer": ["/kpis/"],
    "mentor": [],
}
LIST_PAGES = sorted({page for pages in PAGES.values() for page in pages})
BARE_LIST = "bare ListView"


def totp(secret_base32: str, at: float) -> str:
    """RFC 6238 (30-second steps, six digits), as an authenticator app computes it."""
    key = base64.b32decode(secret_base32)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def _cookies(response, jar: dict) -> dict:
    """The cookies a response sets (HTTPS-only ones too: this is loopback)."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        name, value = header.split(";", 1)[0].split("=", 1)
        jar[name] = value
    return jar


def _header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(host: str, account) -> str:
    """Log ``account`` in through the login form (and the TOTP step); its Cookie header."""
    import requests

    jar: dict = {}
    session = requests.Session()

    def post(path: str, data: dict):
        page = session.get(host + path, headers={"Cookie": _header(jar)}, allow_redirects=False)
        _cookies(page, jar)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            host + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Cookie": _header(jar)},
            allow_redirects=False,
        )
        assert answer.status_code == 302, (path, answer.status_code, answer.text[:300])
        _cookies(answer, jar)
        return answer

    answer = post("/accounts/login/", {"username": account.username, "password": account.password})
    if "/accounts/otp/" in answer.headers["Location"]:
        post("/accounts/otp/", {"token": totp(account.totp_secret, time.time())})
    return _header(jar)


def _sessions() -> dict[str, dict]:
    """Each role's Cookie header and pages, as the script (main) logged them in."""
    path = os.environ.get("ITDA_LOAD_SESSIONS")
    if not path:
        return {}
    with open(path) as file:
        return json.load(file)


SESSIONS = _sessions()


class RoleUser(HttpUser):
    """One of the role's users, on its pages in turn, with the role's session."""

    weight = 9
    wait_time = between(0, 0.2)

    def on_start(self):
        self.role = random.choice(sorted(SESSIONS))  # noqa: S311 - load mix, not security

    @task
    def page(self):
        session = SESSIONS[self.role]
        path = random.choice(session["pages"])  # noqa: S311
        self.client.get(path, headers={"Cookie": session["cookie"]}, allow_redirects=False)


class BareUser(HttpUser):
    """The yardstick: the bare project's list page, in the same run."""

    weight = 1
    wait_time = between(0, 0.2)
    host = os.environ.get("ITDA_LOAD_BARE", "http://127.0.0.1:8742")

    @task
    def page(self):
        self.client.get("/companies/", name=BARE_LIST)


@events.test_stop.add_listener
def _report(environment, **_):
    stats = environment.stats
    bare = stats.get(BARE_LIST, "GET")
    itda = [entry for (name, _), entry in stats.entries.items() if name != BARE_LIST]
    total = sum(entry.num_requests for entry in itda)
    failures = sum(entry.num_failures for entry in itda)
    merged = stats.total.__class__(stats, "itda", "")
    for entry in itda:
        merged.extend(entry)
    print(
        f"itda: {total} requests, errors {failures} ({failures / max(total, 1):.2%}), "
        f"p50 {merged.get_response_time_percentile(0.5):.0f} ms, "
        f"p95 {merged.get_response_time_percentile(0.95):.0f} ms, "
        f"p99 {merged.get_response_time_percentile(0.99):.0f} ms; "
        f"bare list {bare.num_requests} requests, mean {bare.avg_response_time:.0f} ms"
    )
    for path in LIST_PAGES:
        entry = stats.get(path, "GET")
        if entry.num_requests:
            print(
                f"  {path:24} {entry.num_requests:5} requests, "
                f"mean {entry.avg_response_time:5.0f} ms, "
                f"p99 {entry.get_response_time_percentile(0.99):5.0f} ms, "
                f"throughput per user {bare.avg_response_time / entry.avg_response_time:.2f}× bare"
            )


def main() -> None:
    import argparse
    import subprocess
    import sys
    import tempfile
    import threading
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "bench"))
    from pages import production_environ, serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=1, help="the demo's scale")
    parser.add_argument("--keep", action="store_true", help="keep the database, and reuse it")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server")
    data_dir = tempfile.mkdtemp(prefix="itda-bench-load-")
    production_environ(data_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from itda.demo.selectors import demo_logins

    database = connections["default"].settings_dict
    database["TEST"]["NAME"] = f"bench_load_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep)
    processes, stop = [], threading.Event()
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        logins = demo_logins()
        if not logins:
            call_command("load_reference", verbosity=0)
            call_command("generate_demo", seed=1, scale=args.scale, verbosity=0)
            logins = demo_logins()
        connections.close_all()
        bench_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database["NAME"]
        environ = {**os.environ, "DATABASE_URL": bench_url}
        itda = subprocess.Popen(  # noqa: S603 - our own fixed argv
            [sys.executable, "manage.py", "serve", "--bind", "127.0.0.1:8741"],
            cwd=root,
            env=environ,
            stdout=subprocess.DEVNULL,
        )
        processes.append(itda)
        bare = serve(
            "bare.wsgi:application",
            "bare.settings",
            8742,
            root / "bench",
            Path(data_dir) / "bare.log",
            bench_url,
        )
        processes.append(bare)
        time.sleep(5)  # gunicorn's workers of `serve` up
        sessions_file = Path(data_dir) / "sessions.json"
        sessions_file.write_text(
            json.dumps(
                {
                    str(lg.role): {
                        "cookie": login("http://127.0.0.1:8741", lg),
                        "pages": ["/" + lg.home_url.split("/", 3)[3], *PAGES[str(lg.role)]],
                    }
                    for lg in logins
                }
            )
        )
        batches = []

        def batch_job():
            while not stop.is_set():
                started = time.perf_counter()
                subprocess.run(  # noqa: S603
                    [sys.executable, "manage.py", "compute_allowances"],
                    cwd=root,
                    env=environ,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                batches.append(time.perf_counter() - started)

        worker = threading.Thread(target=batch_job)
        worker.start()
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                __file__,
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                "http://127.0.0.1:8741",
            ],
            env={
                **environ,
                "ITDA_LOAD_SESSIONS": str(sessions_file),
                "ITDA_LOAD_BARE": "http://127.0.0.1:8742",
            },
            check=False,
        )
        stop.set()
        worker.join()
        print(f"batch job (compute_allowances, every cohort): {len(batches)} runs during the load")
    finally:
        stop.set()
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        connections.close_all()
        if not args.keep:
            teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
