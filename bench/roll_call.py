"""Benchmark: the roll-call page of a 40-person class.

    .venv/bin/python bench/roll_call.py [--trainees 40] [--runs 30]

Runs on a throwaway embedded PostgreSQL: migrates, creates a session with the class enrolled and
half of them checked in by QR, then requests the group staff's roll-call page in-process (Django
test client, logged in with a verified second factor) and prints the median and p95 milliseconds
and the number of queries per request (the same for 5 trainees, to show it is constant).
Target: median < 150 ms.
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
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="itda-bench-roll-")
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

    from itda import factories
    from itda.accounts.roles import Role
    from itda.lib import embedded_pg

    settings.ALLOWED_HOSTS = ["testserver"]

    def klass(world, size, code):
        cohort = factories.cohort(group=world["capital_group"], track=world["track"], code=code)
        (session,) = factories.sessions(cohort=cohort, days=[cohort.starts_on])
        for i in range(size):
            enrollment = factories.enrollment(
                cohort=cohort, trainee=factories.TraineeFactory(region=world["seoul"])
            )
            if i % 2 == 0:
                factories.attendance(
                    enrollment=enrollment,
                    session=session,
                    status="present",
                    source="qr",
                    checked_in_at=session.starts_at,
                )
        return session

    def measure(client, session, runs):
        url = f"/training/sessions/{session.pk}/roll-call/"
        assert client.get(url).status_code == 200  # warm up
        timings, queries = [], set()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries.add(len(ctx.captured_queries))
        return sorted(timings), queries

    try:
        call_command("migrate", verbosity=0)
        world = factories.reference_world()
        big = klass(world, args.trainees, "BIG")
        small = klass(world, 5, "SMALL")
        staff = factories.user(username="bench-staff", role=Role.GROUP_STAFF)
        world["capital_group"].staff.add(staff)
        client = Client()
        client.force_login(staff)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = staff.totpdevice_set.get().persistent_id
        session.save()
        timings, queries = measure(client, big, args.runs)
        _, small_queries = measure(client, small, 3)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"roll-call page, {args.trainees} trainees: median "
            f"{statistics.median(timings):.0f} ms, p95 {p95:.0f} ms over {args.runs} requests; "
            f"queries per request: {sorted(queries)} (5 trainees: {sorted(small_queries)})"
        )
    finally:
        connection.close()
        embedded_pg.stop(Path(data_dir) / "pgdata")


if __name__ == "__main__":
    main()
