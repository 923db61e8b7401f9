"""Benchmark: the applicant list page of a call with 10,000 applications.

    .venv/bin/python bench/application_list.py [--rows 10000] [--runs 15]

Runs on a throwaway embedded PostgreSQL: migrates, bulk-creates the rows, then requests the
operator's list page in-process (Django test client, logged in with a verified second factor)
and prints the median and p95 milliseconds and the number of queries per request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="itda-bench-list-")
    os.environ["ITDA_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY

    from itda.accounts.roles import Role
    from itda.accounts.services import totp_device_create, user_create
    from itda.lib import embedded_pg
    from itda.lib.brn import brn_sequence
    from itda.programs.models import Company, Region
    from itda.programs.services import reference_load
    from itda.recruitment.models import Application, Call

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        call_command("migrate", verbosity=0)
        reference_load()
        from itda.evaluation.seed import calls_seed

        calls_seed()
        call = Call.objects.get(kind="company")
        operator = user_create(
            username="bench-operator", password="bench-password-2026!", role=Role.OPERATOR
        )
        device = totp_device_create(user=operator)
        regions = list(Region.objects.all())
        numbers = brn_sequence(args.rows, offices=["101", "102", "103"])
        companies = Company.objects.bulk_create(
            [
                Company(
                    name=f"벤치기업{i}",
                    business_number=next(numbers),
                    representative="김대표",
                    kind="smart_factory",
                    size="small",
                    industry="자동차 부품",
                    region=regions[i % len(regions)],
                    address="서울특별시 중구 세종대로 1",
                    employees=30,
                    phone="02-000-0000",
                )
                for i in range(args.rows)
            ],
            batch_size=2000,
        )
        from django.utils import timezone

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
                    created_by=operator,
                )
                for c in companies
            ],
            batch_size=2000,
        )

        client = Client()
        client.force_login(operator)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        url = f"/recruitment/calls/{call.pk}/applications/?page=100"
        assert client.get(url).status_code == 200  # warm up
        timings, queries = [], set()
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries.add(len(ctx.captured_queries))
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"applicant list, {args.rows:,} applications: median "
            f"{statistics.median(timings):.0f} ms, p95 {p95:.0f} ms over {args.runs} requests; "
            f"queries per request: {sorted(queries)}"
        )
    finally:
        connection.close()
        embedded_pg.stop(Path(data_dir) / "pgdata")


if __name__ == "__main__":
    main()
