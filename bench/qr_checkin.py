"""Benchmark: 300 QR check-ins arriving within 60 s for one session, against the server run as in
production (gunicorn, `itda.wsgi`, ITDA_ENV=production, DEBUG off), with locust on loopback.

    .venv/bin/python bench/qr_checkin.py [--trainees 300] [--seconds 60] [--workers 3]

Runs on a throwaway embedded PostgreSQL: migrates, creates one running session with the trainees
enrolled, each with a login session made directly (logging in is not what is measured), collects
static files as production does, starts gunicorn, then locust sends each trainee's scan (GET the
link → the confirmation page with its ticket) and tap (POST → recorded). Prints the median and p95
milliseconds per request kind, the errors, and checks there is exactly one Attendance row per
trainee. Target: p95 < 200 ms, no error, no lost or double record.
"""

import argparse
import itertools
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_env(data_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ITDA_ENV": "production",
        "ITDA_DATA_DIR": data_dir,
        "SECRET_KEY": b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "FIELD_ENCRYPTION_KEYS": "k1:" + b64encode(os.urandom(32)).decode(),
        # Loopback has no TLS terminator in front; production's proxy sets X-Forwarded-Proto.
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "itda.settings",
    }
    return env


def _setup(trainees: int):
    """One running session (started five minutes ago) and ``trainees`` enrolled trainees with a
    login session each; returns the session and the (sessionid, link) pairs."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from itda import factories
    from itda.accounts.models import User
    from itda.accounts.roles import Role
    from itda.programs.models import Trainee
    from itda.training.models import Enrollment, Session

    world = factories.reference_world()
    cohort = factories.cohort(group=world["capital_group"], track=world["track"], capacity=trainees)
    now = timezone.now()
    session = Session.objects.create(
        cohort=cohort,
        number=1,
        title="벤치 차시",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
    )
    password = factories._hashed_password()
    users = User.objects.bulk_create(
        [
            User(username=f"bench{i:04d}", role=Role.TRAINEE, password=password)
            for i in range(trainees)
        ]
    )
    people = Trainee.objects.bulk_create(
        [
            factories.TraineeFactory.build(user=u, region=world["seoul"], name=f"교육생{i:04d}")
            for i, u in enumerate(users)
        ]
    )
    system = factories._system_user()
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, trainee=t, enrolled_by=system) for t in people]
    )
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return session, cookies


def _links(session, seconds: int) -> dict:
    """The link the room's screen shows in each rotation window of the run (and a minute more),
    so every simulated phone scans the code that is on the screen when it arrives."""
    from django.utils import timezone

    from itda.training import attendance as svc

    rule = session.cohort.rule
    first = svc.qr_window(rule=rule, now=timezone.now())
    last = first + (seconds + 120) // rule.qr_rotation_seconds + 1
    return {
        str(w): f"/training/c/{session.pk}/{svc.qr_token(session=session, window=w)}/"
        for w in range(first, last + 1)
    }


def _load(spec: dict) -> None:
    """The locust side (its own process: gevent patches the standard library)."""
    import gevent
    from locust import HttpUser, constant, events, task
    from locust.env import Environment
    from locust.exception import StopUser

    cookies = list(spec["cookies"])
    n = len(cookies)
    arrivals = itertools.count()
    start = time.monotonic() + 2  # every simulated phone is waiting by then

    def link():
        return spec["links"][str(int(time.time()) // spec["rotation"])]

    timings = {"scan": [], "tap": []}
    errors = []

    @events.request.add_listener
    def _record(name, response_time, exception, **kw):
        if exception:
            errors.append(f"{name}: {exception}")
        else:
            timings[name].append(response_time)

    class Trainee(HttpUser):
        host = spec["host"]
        wait_time = constant(0)

        @task
        def check_in(self):
            # Arrivals spread evenly over the window, as people walking into the room.
            index = next(arrivals)
            gevent.sleep(max(0.0, start + index * spec["seconds"] / n - time.monotonic()))
            sessionid = cookies[index]
            csrf = secrets.token_hex(16)  # a 32-character secret is a valid token and cookie
            headers = {"Cookie": f"sessionid={sessionid}; csrftoken={csrf}"}
            url = link()
            with self.client.get(url, headers=headers, name="scan", catch_response=True) as page:
                marker = 'name="ticket" value="'
                if page.status_code != 200 or marker not in page.text:
                    page.failure(f"scan {page.status_code}")
                    raise StopUser()
                ticket = page.text.split(marker, 1)[1].split('"', 1)[0]
            with self.client.post(
                url,
                data={"csrfmiddlewaretoken": csrf, "ticket": ticket, "intent": "in"},
                headers=headers,
                name="tap",
                catch_response=True,
            ) as done:
                if done.status_code != 200 or "입실 완료" not in done.text:
                    done.failure(f"tap {done.status_code}")
            raise StopUser()

    env = Environment(user_classes=[Trainee], events=events)
    runner = env.create_local_runner()
    runner.start(n, spawn_rate=n)
    deadline = time.monotonic() + spec["seconds"] + 60
    while time.monotonic() < deadline:
        gevent.sleep(0.5)
        if len(timings["tap"]) + len(errors) >= n:
            break
    runner.quit()
    print(json.dumps({"timings": timings, "errors": errors}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        _load(json.loads(Path(args.load).read_text()))
        return

    data_dir = tempfile.mkdtemp(prefix="itda-bench-qr-")
    env = _production_env(data_dir)
    os.environ["ITDA_DATA_DIR"] = data_dir
    # Sessions and QR codes are signed with the key the server will use.
    os.environ["SECRET_KEY"] = env["SECRET_KEY"]
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from itda.lib import embedded_pg
    from itda.training.models import Attendance

    server = None
    try:
        call_command("migrate", verbosity=0)
        session, cookies = _setup(args.trainees)
        links = _links(session, args.seconds)
        connection.close()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "itda.wsgi",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        host = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker (imports, templates, connections), as a server in service is.
        import urllib.request

        for _ in range(args.workers * 4):
            urllib.request.urlopen(f"{host}/accounts/login/").read()  # noqa: S310 - loopback
        spec_file = Path(data_dir) / "load.json"
        spec_file.write_text(
            json.dumps(
                {
                    "host": host,
                    "links": links,
                    "rotation": session.cohort.rule.qr_rotation_seconds,
                    "cookies": cookies,
                    "seconds": args.seconds,
                }
            )
        )
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, __file__, "--load", str(spec_file)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.monotonic() - started
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows = Attendance.objects.filter(session=session).count()
        print(
            f"QR check-in, {args.trainees} trainees within {args.seconds} s, gunicorn "
            f"{args.workers} workers (production settings), locust on loopback, {elapsed:.0f} s:"
        )
        for name in ("scan", "tap"):
            t = sorted(result["timings"][name])
            p95 = t[max(0, int(len(t) * 0.95) - 1)] if t else float("nan")
            median = statistics.median(t) if t else float("nan")
            print(f"  {name:4} ({len(t)} requests): median {median:.0f} ms, p95 {p95:.0f} ms")
        print(f"  errors: {len(result['errors'])} {result['errors'][:5]}")
        print(f"  Attendance rows: {rows} (expected exactly {args.trainees})")
        if rows != args.trainees or result["errors"]:
            sys.exit(1)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        connection.close()
        embedded_pg.stop(Path(data_dir) / "pgdata")


if __name__ == "__main__":
    main()
