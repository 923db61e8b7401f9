"""Benchmark: the pages people use most against a bare Django 5.2 list page (issue 16).

    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--seconds 8] [--rounds 4]

Creates a fresh database (``bench_pages_<name>`` on DATABASE_URL's server, dropped at the end)
with production settings (ITDA_ENV=production, manifest static files collected into a temporary
ITDA_DATA_DIR), loads the reference data and the calls, and fills 10,000 companies, 10,000
trainees and a call with 1,000 applications. Then it serves, each with gunicorn (sync workers
×2, access log to a file) on loopback:

- itda itself, logged in as the national operator with a verified second factor (a session
  cookie) and an API token;
- the bare project in bench/bare/: ``startproject``'s middleware, no login, a plain ``ListView``
  of 50 rows of the same company table ordered by its primary key (an index), and a
  django-ninja list of the same rows (``PageNumberPagination``, 50 a page).

Each page is driven in turn for ``--seconds`` by ``--connections`` client threads (a new
connection per request, as gunicorn's sync workers close them), in ``--rounds`` interleaved
rounds (odd rounds in reverse order). Prints, per page, the median requests per second over the
rounds, its ratio to the bare page (the HTML bare list for the HTML pages, the bare ninja list for
the API), the p50/p99 latency over every request of every round, the error count, and the queries
one request makes (counted in-process with the test client over the same database).

Measured 2026-12-07 on the shared 2-core development machine, PostgreSQL 15, 20 connections,
8 s × 4 rounds (figures below are medians of the 4 rounds):

before (branch point 172ec8f; load average ~14 from other work, so absolute figures are low,
the ratios are what the interleaving makes comparable):
    bare ListView             20.6 req/s  yardstick                  p50   870 ms  p99  1472 ms
    bare ninja list           26.2 req/s  yardstick                  p50   707 ms  p99  1204 ms
    company list               4.7 req/s 0.23× bare ListView       p50  3965 ms  p99  6057 ms 10 q
    trainee list               4.0 req/s 0.19× bare ListView       p50  3775 ms  p99  5852 ms 10 q
    company detail             5.0 req/s 0.24× bare ListView       p50  2094 ms  p99  4766 ms 10 q
    /api/v1/companies          9.7 req/s 0.37× bare ninja list     p50  1880 ms  p99  2961 ms 10 q
    applications (1,000)       3.2 req/s 0.16× bare ListView       p50  5617 ms  p99  6813 ms 14 q

after (this branch, 12 minutes later, the machine less loaded: the bare pages doubled too):
    bare ListView             45.4 req/s  yardstick                  p50   381 ms  p99   831 ms
    bare ninja list           42.2 req/s  yardstick                  p50   435 ms  p99   721 ms
    company list               9.4 req/s 0.21× bare ListView       p50  1693 ms  p99  3094 ms 7 q
    trainee list               8.3 req/s 0.18× bare ListView       p50  2117 ms  p99  2983 ms 7 q
    company detail             9.6 req/s 0.21× bare ListView       p50  1868 ms  p99  2412 ms 7 q
    /api/v1/companies         14.3 req/s 0.34× bare ninja list     p50  1207 ms  p99  1984 ms 7 q
    applications (1,000)       6.3 req/s 0.14× bare ListView       p50  2684 ms  p99  4283 ms 11 q
The ratios did not move: on a saturated 2-core machine itda's per-request Python (its
middleware stack and base template) dominates, not the sort or the session write; the goal
(≥ 1.0× lists, ≥ 0.8× details, p99 < 300 ms) is not met. Re-measure on a quiet machine.
"""

import argparse
import base64
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITDA_PORT = 8731
BARE_PORT = 8732
COMPANIES = 10_000
TRAINEES = 10_000
APPLICATIONS = 1_000


def production_environ(data_dir: str) -> None:
    """Production settings for this process and the servers it starts (same keys, so the
    sessions and encrypted fields written here are read there)."""
    os.environ.update(
        ITDA_ENV="production",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        ITDA_DATA_DIR=data_dir,
        ITDA_TASKS="immediate",
    )
    # Fixed keys of the throwaway bench database, so a kept one (--keep) is read again.
    os.environ["SECRET_KEY"] = "bench-pages-" + "k" * 48
    os.environ["FIELD_ENCRYPTION_KEYS"] = (
        "b1:" + base64.b64encode(b"bench-pages-field-key-32-bytes!!").decode()
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")


def fill() -> None:
    """10,000 companies and trainees across the 시·도 and a call with 1,000 applications."""
    from django.db import connection
    from django.utils import timezone

    from itda import factories
    from itda.accounts.roles import Role
    from itda.evaluation.seed import calls_seed
    from itda.lib.brn import brn_sequence
    from itda.programs.models import Company, Region, Trainee
    from itda.programs.services import reference_load
    from itda.recruitment.models import Application, Call
    from itda.recruitment.snapshots import profile_snapshot

    reference_load()
    operator = factories.user(username="bench-operator", role=Role.OPERATOR)
    calls_seed()
    call = Call.objects.filter(kind="company").order_by("pk").first()
    regions = list(Region.objects.order_by("pk"))
    numbers = brn_sequence(COMPANIES, offices=["101", "102", "103"])
    companies = Company.objects.bulk_create(
        [
            factories.CompanyFactory.build(
                name=f"벤치정밀{(i * 7919) % COMPANIES:05d}",
                business_number=next(numbers),
                region=regions[i % len(regions)],
            )
            for i in range(COMPANIES)
        ],
        batch_size=2000,
    )
    Trainee.objects.bulk_create(
        [
            factories.TraineeFactory.build(
                name=f"김벤치{(i * 7919) % TRAINEES:05d}",
                phone=f"010-{1000 + i // 10000:04d}-{i % 10000:04d}",
                email=f"bench{i}@example.kr",
                region=regions[i % len(regions)],
            )
            for i in range(TRAINEES)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant_key=f"brn:{c.business_number}",
                company=c,
                region_id=c.region_id,
                status="submitted",
                submitted_at=now,
                receipt_number=f"B-{c.pk}",
                profile_snapshot=profile_snapshot(company=c),
                created_by=operator,
            )
            for c in companies[:APPLICATIONS]
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def world() -> dict:
    """The world (filled unless a kept database has it), the operator's session with a
    verified second factor and an API token; returns what the pages need."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from itda.accounts.models import User
    from itda.accounts.services import api_token_create
    from itda.programs.models import Company
    from itda.recruitment.models import Call

    if not Company.objects.exists():
        fill()
    operator = User.objects.get(username="bench-operator")
    client = Client()
    client.force_login(operator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = operator.totpdevice_set.get().persistent_id
    session.save()
    _, token = api_token_create(user=operator, name="bench")
    call = Call.objects.annotate(n=Count("applications")).order_by("-n").first()
    return {
        "client": client,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": token,
        "call": call.pk,
        "company": Company.objects.order_by("pk")[COMPANIES // 2].pk,
    }


def serve(app: str, settings: str, port: int, cwd: Path, log: Path, database_url: str):
    """gunicorn, sync workers ×2, on loopback; returns once it answers."""
    process = subprocess.Popen(  # noqa: S603 - our own fixed argv
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--access-logfile",
            str(log),
            "--no-control-socket",
        ],
        cwd=cwd,
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings},
    )
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app} did not start on port {port}")


def drive(port: int, path: str, headers: dict, seconds: float, connections: int) -> dict:
    """``connections`` threads request ``path`` for ``seconds``; requests per second, the
    latencies (ms) of the answers with status 200, and the count of the others."""
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
            finally:
                conn.close()
            if status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "rps": len(latencies) / (time.perf_counter() - started),
        "latencies": latencies,
        "errors": errors,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def pages(w: dict) -> list[tuple[str, int, str, dict, str]]:
    """(name, port, path, headers, yardstick) of every page driven; a yardstick of None is a
    bare page itself."""
    session = {"Cookie": w["cookie"]}
    token = {"Authorization": f"Bearer {w['token']}"}
    return [
        ("bare ListView", BARE_PORT, "/companies/", {}, None),
        ("bare ninja list", BARE_PORT, "/api/companies", {}, None),
        ("company list", ITDA_PORT, "/registry/companies/", session, "bare ListView"),
        ("trainee list", ITDA_PORT, "/registry/trainees/", session, "bare ListView"),
        (
            "company detail",
            ITDA_PORT,
            f"/registry/companies/{w['company']}/",
            session,
            "bare ListView",
        ),
        ("/api/v1/companies", ITDA_PORT, "/api/v1/companies", token, "bare ninja list"),
        (
            "applications (1,000)",
            ITDA_PORT,
            f"/recruitment/calls/{w['call']}/applications/",
            session,
            "bare ListView",
        ),
    ]


def query_counts(w: dict, targets) -> dict[str, int]:
    """Queries of one request of each itda page (in-process, same database and session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, port, path, headers, _ in targets:
        if port != ITDA_PORT:
            continue
        extra = (
            {"HTTP_AUTHORIZATION": headers["Authorization"]} if "Authorization" in headers else {}
        )
        w["client"].get(path, **extra)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            response = w["client"].get(path, **extra)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database for the next run, and reuse it"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server")
    data_dir = tempfile.mkdtemp(prefix="itda-bench-pages-")
    production_environ(data_dir)
    import django

    django.setup()
    import dj_database_url
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    database = connections["default"].settings_dict
    database["TEST"]["NAME"] = f"bench_pages_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep)
    servers = []
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        w = world()
        print(f"world ready in {time.perf_counter() - started:.0f} s")
        targets = pages(w)
        counts = query_counts(w, targets)
        connections.close_all()
        url = dj_database_url.parse(os.environ["DATABASE_URL"])
        bench_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database["NAME"]
        assert url["NAME"] != database["NAME"]
        servers = [
            serve(
                "itda.wsgi:application",
                "itda.settings",
                ITDA_PORT,
                ROOT,
                Path(data_dir) / "itda.log",
                bench_url,
            ),
            serve(
                "bare.wsgi:application",
                "bare.settings",
                BARE_PORT,
                ROOT / "bench",
                Path(data_dir) / "bare.log",
                bench_url,
            ),
        ]
        for _, port, path, headers, _ in targets:  # warm up every worker
            drive(port, path, headers, 1, 4)
        runs: dict[str, list[dict]] = {name: [] for name, *_ in targets}
        for round_ in range(args.rounds):
            order = targets if round_ % 2 == 0 else targets[::-1]
            for name, port, path, headers, _ in order:
                runs[name].append(drive(port, path, headers, args.seconds, args.connections))
        rps = {name: statistics.median(r["rps"] for r in rounds) for name, rounds in runs.items()}
        print(
            f"{args.connections} connections, {args.seconds:g} s × {args.rounds} rounds, "
            "medians of the rounds' req/s:"
        )
        for name, _, _, _, yardstick in targets:
            latencies = [ms for r in runs[name] for ms in r["latencies"]]
            errors = sum(len(r["errors"]) for r in runs[name])
            ratio = f"{rps[name] / rps[yardstick]:.2f}× {yardstick}" if yardstick else "yardstick"
            queries = f", {counts[name]} queries" if name in counts else ""
            print(
                f"  {name:22} {rps[name]:7.1f} req/s  {ratio:26} "
                f"p50 {percentile(latencies, 0.5):5.0f} ms"
                f"  p99 {percentile(latencies, 0.99):5.0f} ms  errors {errors}{queries}"
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        connections.close_all()
        if not args.keep:
            teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
