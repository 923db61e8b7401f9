"""Benchmark: the work of issue 14 that reads the pipeline's RAW rows, at 100× the demo's size —
the nightly KPI snapshot (``snapshot_kpis`` → ``outcomes.services.kpi_snapshot_take``), the
plan outcomes page (/plans/<pk>/outcomes/), the 산단 대개조 overview (/plans/outcomes/) and the
monthly reports (PDF, HWPX, Excel; they read the snapshot, or count live without one).

    DATABASE_URL=postgres://... .venv/bin/python bench/kpi_raw_rows.py [--copies 4500] [--runs 10]
        [--keepdb] [--plans]

``generate_demo --scale 100`` runs every stage through its services and takes far too long on
this machine for a benchmark, so the raw rows are built set-based instead: a fresh database
(``bench_kpi_raw_<name>``, dropped at the end) gets the test reference world, a 산단 대개조 plan
whose 「스마트제조 고급인력 양성」 sub-project covers a hub complex, and the issue's KPI cast
(outcomes/tests/kpi_cast.py: applications, enrolments, placements, internships, 3- and
6-month hiring outcomes, with its noise) in each of the two operating groups, the capital
group's cohort meeting and its host company sitting in the hub complex, plus five selected
companies per group. Then every trainee, company, application, enrolment, placement,
internship and hiring outcome is copied ``--copies`` times in one INSERT … SELECT per table
over generate_series (ids offset per copy, unique text keys re-derived), which at 4,500 copies
gives about 99,000 trainee applicants and 45,000 selected companies (the demo at scale 1 has
about 900 and 480). Tables are analysed, as autovacuum would have them.

Measured 2026-12-07/08 on the shared 2-core development machine (load average 12–14 from
other engineers' tests), PostgreSQL 15 through DATABASE_URL, production settings, 4,500 copies
(99,022 trainees, 144,032 applications; copied in 54.6 s), 10 runs each:
    breakdown_counts (the funnel, one query):      median 32,582 ms (JIT on) → 7,367 ms (JIT off)
    kpi_snapshot_take, one night (the above + an insert): median 34,337 ms → 10,801 ms
    /plans/<pk>/outcomes/ as operator:            median 980 ms → 546 ms → 31 ms (night)
    /plans/outcomes/ as viewer:                   median 1,045 ms → 561 ms → 25 ms (night)
    /kpis/reports/…/national.xlsx as operator:    median 297 ms (reads the snapshot)
    /kpis/reports/…/national.hwpx as operator:    median 6,121 ms
    /kpis/reports/…/national.pdf as operator:     median 5,016 ms (viewer: 3,794 ms)
"→" is after the fixes of that evening (JIT off for the funnel count and the plan funnel,
lib.db.without_jit; the plan funnel in three counting queries), re-measured on the kept
database (``--keepdb``; the snapshot over 3 runs). A nightly job of about 11 s stays well
inside its night; the dashboards then read the stored aggregates (bench/kpi_dashboard.py).
The plan pages counted the raw rows of the complexes a sub-project covers; "(night)" is after
they read the latest night's PlanFunnelSnapshot rows instead (``--plans``, 5 runs, a fresh
database, 2026-12-08 00:50 with a lighter load: the same pages counted live measured 141 ms
and 124 ms in that run, so the load accounts for part of 546 → 141; the plan snapshot itself,
plan_funnel_snapshot_take, took 146 ms). When counting live, here every
one of the capital group's 49,500 trainees trains and is placed in the one hub complex, the
worst case for that page (in the demo, people spread over 17 시·도 and many complexes). The
report files are rendered on each request (WeasyPrint, python-hwpx): a download, not a page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The tables copied, parents first, with the foreign keys that point into copied tables.
CLONED = (
    ("programs_trainee", {}),
    ("programs_company", {}),
    (
        "recruitment_application",
        {"trainee_id": "programs_trainee", "company_id": "programs_company"},
    ),
    (
        "training_enrollment",
        {"trainee_id": "programs_trainee", "application_id": "recruitment_application"},
    ),
    ("internships_placement", {"trainee_id": "programs_trainee"}),
    ("internships_internship", {"placement_id": "internships_placement"}),
    ("internships_hiringoutcome", {"internship_id": "internships_internship"}),
)
# Rows a copy leaves out: a waitlist position is unique within its cohort.
SKIPPED = {"training_enrollment": "status = 'waitlisted'"}


def build_world():
    """The reference world, the plan and the casts; returns (world, operator, plan)."""
    from itda import factories
    from itda.accounts.roles import Role
    from itda.outcomes.tests.kpi_cast import build_cast
    from itda.outcomes.tests.test_plan_outcomes import _meets_in
    from itda.programs.models import (
        Company,
        IndustrialComplex,
        KeyTask,
        PlanSite,
        SiteRole,
        SubProject,
        TransformationPlan,
    )

    world = factories.reference_world()
    admin = factories.user(username="bench-operator", role=Role.OPERATOR)
    seoul = world["seoul"]
    hub = IndustrialComplex.objects.create(name="벤치국가산단", kind="national", region=seoul)
    plan = TransformationPlan.objects.create(
        region=seoul, round_year=2021, status="preliminary", source_document="벤치"
    )
    PlanSite.objects.create(plan=plan, complex=hub, role=SiteRole.HUB)
    task = KeyTask.objects.create(plan=plan, name="인력양성")
    SubProject.objects.create(key_task=task, name="스마트제조 고급인력 양성")
    for group, region in (
        (world["capital_group"], seoul),
        (world["dongnam_group"], world["busan"]),
    ):
        people = build_cast(world, admin, group=group, region=region)
        if group == world["capital_group"]:
            _meets_in(people[0].enrollments.get().cohort, hub, "벤치 교육장", admin)
            Company.objects.filter(positions__placements__trainee=people[0]).update(complex=hub)
        call = factories.call(
            programme=world["programme"], kind="company", operating_group=group, title="기업"
        )
        for _ in range(5):
            company = factories.CompanyFactory(region=region, complex=hub)
            factories.application(call=call, company=company, result="selected")
    return world, admin, plan


def clone(copies: int) -> None:
    """Copy the cloned tables' rows ``copies`` times, set-based (module docstring)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # No triggers while copying: the history triggers (pghistory) would write an event row
        # per copied row, which the measured work never reads. Foreign keys stay consistent by
        # construction (each copy's ids are offset together).
        cursor.execute("SET session_replication_role = replica")
        strides = {}
        for table, _ in CLONED:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
            strides[table] = cursor.fetchone()[0]
        for table, fks in CLONED:
            cursor.execute(
                "SELECT column_name, data_type, character_maximum_length "
                "FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table],
            )
            columns = cursor.fetchall()
            cursor.execute(
                "SELECT DISTINCT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary",
                [table],
            )
            unique = {row[0] for row in cursor.fetchall()}
            exprs = []
            for name, kind, length in columns:
                if name == "id":
                    exprs.append(f"id + n * {strides[table]}")
                elif name in fks:
                    exprs.append(f"{name} + n * {strides[fks[name]]}")
                elif name == "user_id" and table == "programs_trainee":
                    exprs.append("NULL")
                elif name == "business_number":
                    exprs.append(f"lpad((id + n * {strides[table]})::text, 10, '0')")
                elif name in unique and kind in ("character varying", "text"):
                    cut = f", {length}" if length else ""
                    exprs.append(f"left(md5({name} || '#' || n){cut})")
                else:
                    exprs.append(name)
            names = ", ".join(name for name, _, _ in columns)
            where = f"WHERE NOT ({SKIPPED[table]})" if table in SKIPPED else ""
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} "  # noqa: S608
                f"FROM {table} CROSS JOIN generate_series(1, %s) AS n {where}",
                [copies],
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(
            "SELECT relname FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ANALYZE "{name}"')


def timed(work, runs: int) -> list[float]:
    work()  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings)


def show(label: str, timings: list[float]) -> None:
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label}: median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms")


def bench_pages(pages, note: str, runs: int) -> None:
    """GET each (user, url) ``runs`` times as that user (second factor done) and show the
    medians."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from itda.accounts.roles import SECOND_FACTOR_ROLES

    for user, url in pages:
        client = Client()
        client.force_login(user)
        if user.role in SECOND_FACTOR_ROLES:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
            session.save()

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        show(f"{url} as {user.role}{note} ({runs} runs)", timed(get, runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=4500)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the database (emptied first) for the next run"
    )
    parser.add_argument(
        "--plans",
        action="store_true",
        help="only the plan pages: counted live (no night stored), then the plan snapshot, "
        "then read from it",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from itda import factories
    from itda.accounts.roles import Role
    from itda.outcomes.kpis import breakdown_counts
    from itda.outcomes.services import kpi_snapshot_take, plan_funnel_snapshot_take
    from itda.programs.models import Trainee
    from itda.recruitment.models import Application

    settings.ALLOWED_HOSTS = ["testserver"]
    database = connections["default"].settings_dict
    database["TEST"]["NAME"] = f"bench_kpi_raw_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=args.keepdb)
    try:
        call_command("flush", interactive=False, verbosity=0)
        world, admin, plan = build_world()
        started = time.perf_counter()
        clone(args.copies)
        print(
            f"cloned {args.copies:,} copies in {time.perf_counter() - started:.1f} s: "
            f"{Trainee.objects.count():,} trainees, {Application.objects.count():,} applications"
        )
        programme = world["programme"]
        today = timezone.localdate()
        viewer = factories.user(username="bench-viewer", role=Role.VIEWER)
        if args.plans:
            plan_pages = [(admin, f"/plans/{plan.pk}/outcomes/"), (viewer, "/plans/outcomes/")]
            bench_pages(plan_pages, " live", args.runs)
            show(
                f"plan_funnel_snapshot_take, one night ({args.runs} runs)",
                timed(lambda: plan_funnel_snapshot_take(day=today), args.runs),
            )
            bench_pages(plan_pages, " from the night", args.runs)
            return
        show(
            f"breakdown_counts ({args.runs} runs)",
            timed(lambda: breakdown_counts(programme), args.runs),
        )
        show(
            f"kpi_snapshot_take, one night ({args.runs} runs)",
            timed(lambda: kpi_snapshot_take(day=today), args.runs),
        )
        month = f"{today:%Y-%m}"
        pages = [
            (admin, f"/plans/{plan.pk}/outcomes/"),
            (viewer, "/plans/outcomes/"),
            (admin, f"/kpis/reports/{programme.code}/{month}/national.xlsx"),
            (admin, f"/kpis/reports/{programme.code}/{month}/national.hwpx"),
            (admin, f"/kpis/reports/{programme.code}/{month}/national.pdf"),
            (viewer, f"/kpis/reports/{programme.code}/{month}/national.pdf"),
        ]
        bench_pages(pages, "", args.runs)
    finally:
        teardown_databases(old_config, verbosity=0, keepdb=args.keepdb)


if __name__ == "__main__":
    main()
