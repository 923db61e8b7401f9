"""Benchmark: the 성과 지표 dashboard (/kpis/) for the operator, the ministry viewer and an
operating group's staff at 100× the demo's size (issue 14: < 300 ms median per page).

    DATABASE_URL=postgres://... .venv/bin/python bench/kpi_dashboard.py [--days 365] [--runs 20]

Creates a fresh database (``bench_kpi_dashboard_<name>`` on DATABASE_URL's server, dropped at
the end) with production settings, loads the reference data (17 시·도, the programmes, their
operating groups, tracks and industrial complexes), then fills the nightly snapshot table
set-based: one day's cells are written for every programme — national, every group, track,
시·도, group × track, group × 시·도, company kind, complex, group × kind, group × complex,
each with all eleven stages, counts at 100× the demo (about 90,000 applicants and 100,000
companies at scale 1 × 100) — and ``--days`` earlier nights are copied from them in one
INSERT … SELECT over generate_series. The dashboards read these aggregates only (the page
never touches the pipeline's rows once a night has been stored: outcomes/tests), so their
time depends on the cells and the nights kept, which is what is filled here. Tables are
analysed, as autovacuum would have them. Prints the median and p95 of ``--runs`` requests
per role, and the queries per request.

Measured 2026-12-07 21:05 on the shared 2-core development machine (load average 12.5 from
other work), PostgreSQL 15 through DATABASE_URL, production settings, reference data (3
programmes, 8 groups, 17 시·도, 2 tracks, 26 complexes): 764,940 snapshot rows, 366 nights,
filled in 130.9 s; 20 requests each:
    /kpis/ as operator: median 239 ms, p95 280 ms; queries per request [16]
    /kpis/ as viewer: median 226 ms, p95 256 ms; queries per request [15]
    /kpis/ as group staff: median 140 ms, p95 192 ms; queries per request [16]
"""

import argparse
import datetime
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCALE = 100
# Distinct people per stage at demo scale 1 (itda.demo: ~900 trainee applicants, 480
# companies selected), in the funnel's order; ×SCALE below.
DEMO_STAGES = {
    "applied": 900,
    "selected": 600,
    "enrolled": 580,
    "completed": 500,
    "withdrawn": 40,
    "placed": 420,
    "interned": 380,
    "hired_3m": 250,
    "hired_6m": 220,
    "retained": 200,
    "companies": 480,
}


def _share(*key) -> float:
    """A stable pseudo-random share in (0.02, 1] for a cell: counts differ cell to cell."""
    digest = hashlib.sha256(repr(key).encode()).digest()
    return 0.02 + 0.98 * int.from_bytes(digest[:4], "big") / 2**32


def fill(day: datetime.date, days: int) -> int:
    """Store ``day``'s cells for every programme, then ``days`` earlier nights copied from
    them in one statement; returns the rows stored."""
    from django.db import connection

    from itda.outcomes.models import KpiSnapshot
    from itda.programs.models import (
        CompanyKind,
        IndustrialComplex,
        OperatingGroup,
        Programme,
        Track,
    )

    complexes = dict(IndustrialComplex.objects.values_list("pk", "region"))
    rows = []
    for programme in Programme.objects.all():
        groups = {
            g.pk: list(g.regions.values_list("pk", flat=True))
            for g in OperatingGroup.objects.filter(programme=programme)
        }
        tracks = list(Track.objects.filter(programme=programme).values_list("pk", flat=True))
        regions = [r for members in groups.values() for r in members]
        cells = [{}]
        cells += [{"operating_group_id": g} for g in groups]
        cells += [{"track_id": t} for t in tracks]
        cells += [{"region_id": r} for r in regions]
        cells += [{"operating_group_id": g, "track_id": t} for g in groups for t in tracks]
        cells += [{"operating_group_id": g, "region_id": r} for g, rs in groups.items() for r in rs]
        cells += [{"company_kind": k} for k in CompanyKind.values]
        cells += [{"complex_id": c} for c in complexes]
        for g, rs in groups.items():
            cells += [{"operating_group_id": g, "company_kind": k} for k in CompanyKind.values]
            # A group places trainees at the complexes of its own 시·도.
            cells += [
                {"operating_group_id": g, "complex_id": c}
                for c, region in complexes.items()
                if region in rs
            ]
        for cell in cells:
            share = 1.0 if not cell else _share(programme.pk, *sorted(cell.items()))
            rows += [
                KpiSnapshot(
                    day=day,
                    programme=programme,
                    stage=stage,
                    value=round(n * SCALE * share),
                    **cell,
                )
                for stage, n in DEMO_STAGES.items()
            ]
    KpiSnapshot.objects.bulk_create(rows, batch_size=5000)
    columns = "programme_id, operating_group_id, track_id, region_id, company_kind, complex_id"
    with connection.cursor() as cursor:
        # Earlier nights: the same cells, fewer people the further back (set-based).
        cursor.execute(
            f"INSERT INTO outcomes_kpisnapshot (day, {columns}, stage, value, taken_at) "  # noqa: S608
            f"SELECT s.day - n, {columns}, stage, value * (%s - n) / %s, now() "
            "FROM outcomes_kpisnapshot s CROSS JOIN generate_series(1, %s) AS n "
            "WHERE s.day = %s",
            [days + 1, days + 1, days, day],
        )
        cursor.execute("ANALYZE outcomes_kpisnapshot")
    return KpiSnapshot.objects.count()


def measure(client, url: str, runs: int) -> tuple[list[float], set[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm up
    timings, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(ctx.captured_queries))
    return sorted(timings), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365, help="earlier nights kept")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY

    from itda import factories
    from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
    from itda.programs.models import OperatingGroup

    settings.ALLOWED_HOSTS = ["testserver"]
    database = connections["default"].settings_dict
    database["TEST"]["NAME"] = f"bench_kpi_dashboard_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_reference", verbosity=0)
        started = time.perf_counter()
        stored = fill(timezone.localdate(), args.days)
        print(
            f"filled {stored:,} snapshot rows ({args.days + 1} nights) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        group = OperatingGroup.objects.order_by("programme", "zone").first()
        users = {
            "operator": factories.user(username="bench-operator", role=Role.OPERATOR),
            "viewer": factories.user(username="bench-viewer", role=Role.VIEWER),
            "group staff": factories.user(username="bench-staff", role=Role.GROUP_STAFF),
        }
        group.staff.add(users["group staff"])
        for name, user in users.items():
            client = Client()
            client.force_login(user)
            if user.role in SECOND_FACTOR_ROLES:
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
                session.save()
            url = f"/kpis/?programme={group.programme.code}"
            timings, queries = measure(client, url, args.runs)
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            print(
                f"/kpis/ as {name}: median {statistics.median(timings):.0f} ms, p95 "
                f"{p95:.0f} ms over {args.runs} requests; queries per request {sorted(queries)}"
            )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
