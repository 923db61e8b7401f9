"""Benchmark: finding a trainee by phone number among 100,000 (issue 15's figure, < 300 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itda_bench_search \
        .venv/bin/python bench/trainee_search.py [--trainees 100000] [--runs 30]

Needs a PostgreSQL superuser connection (it creates the database when missing). Migrates,
loads the reference data, then writes the trainees set-based in SQL, spread over every region,
a third of the numbers stored without hyphens. Times the whole registry page
(``GET /registry/trainees/?q=…``: scope, search, pagination, 접속기록 row, template) through the
Django test client, logged in as the national operator and as a 수도권 operating-group staff
member; each run looks up another person, typed in turn as 010-1234-5678, 01012345678 and
1234-5678, and checks that the person is on the page. Prints each median.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import django_on_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itda_bench_search"
MARK = "bench-search"  # the e-mail prefix of fixture rows (FIXTURE_SQL)

FIXTURE_SQL = """
SET session_replication_role = replica;  -- no pghistory events for fixture rows
DELETE FROM programs_trainee WHERE email LIKE 'bench-search-%%';
INSERT INTO programs_trainee (name, birth_date, phone, email, region_id, address, education,
                              major, skills, bank_name, bank_account, bank_holder,
                              employment_status, position, department, created_at)
SELECT (ARRAY['김','이','박','최','정','강','조','윤'])[n %% 8 + 1] || '벤치' || n,
       DATE '1998-01-01' + (n %% 3000), p.phone,
       'bench-search-' || n || '@example.kr',
       r.ids[n %% array_length(r.ids, 1) + 1], '-', 'university', '', '{}', '', '', '',
       'job_seeker', '', '', now()
FROM generate_series(1, %(trainees)s) n
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM programs_region) r
CROSS JOIN LATERAL (
    SELECT lpad((3000 + n / 10000)::text, 4, '0') AS mid, lpad((n %% 10000)::text, 4, '0') AS tail
) d
CROSS JOIN LATERAL (
    SELECT CASE WHEN n %% 3 = 0 THEN '010' || d.mid || d.tail
                ELSE '010-' || d.mid || '-' || d.tail END AS phone
) p;
SET session_replication_role = origin;
ANALYZE programs_trainee;
"""


def _typed(phone: str, n: int) -> str:
    """The same number as people type it: in full with hyphens, digits only, or its tail."""
    d = "".join(ch for ch in phone if ch.isdigit())
    return [f"{d[:3]}-{d[3:7]}-{d[7:]}", d, f"{d[3:7]}-{d[7:]}"][n % 3]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    django_on_database(DEFAULT_URL, ssl_redirect=False)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp.oath import TOTP

    from itda import factories
    from itda.accounts.models import User
    from itda.accounts.roles import Role
    from itda.lib.masking import mask_phone
    from itda.programs.models import OperatingGroup, Trainee
    from itda.programs.services import reference_load

    call_command("migrate", verbosity=0)
    reference_load()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FIXTURE_SQL, {"trainees": args.trainees})
    total = Trainee.objects.count()
    print(f"fixture: {time.perf_counter() - started:.1f} s, trainees in the database: {total:,}")

    def staff(username: str, role: Role) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = factories.user(username=username, role=role)
        if role == Role.GROUP_STAFF:
            group = OperatingGroup.objects.filter(regions__code="11").order_by("pk").first()
            group.staff.add(user)
        return user

    def logged_in(user: User) -> Client:
        client = Client()
        client.post("/accounts/login/", {"username": user.username, "password": factories.PASSWORD})
        device = user.totpdevice_set.get()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post("/accounts/otp/", {"token": f"{totp.token():0{device.digits}d}"})
        assert response.status_code == 302, response.content[:300]
        return client

    sample = random.Random(15)  # noqa: S311 — the same people each run, not a secret
    people = {
        "operator": list(
            Trainee.objects.filter(email__startswith=MARK).values_list("phone", flat=True)
        ),
        "group staff": list(
            Trainee.objects.visible_to(staff("bench-search-staff", Role.GROUP_STAFF))
            .filter(email__startswith=MARK)
            .values_list("phone", flat=True)
        ),
    }
    users = {
        "operator": staff("bench-search-operator", Role.OPERATOR),
        "group staff": staff("bench-search-staff", Role.GROUP_STAFF),
    }
    medians = {}
    for label, user in users.items():
        client = logged_in(user)
        times = []
        for n, phone in enumerate(sample.sample(people[label], args.runs)):
            t0 = time.perf_counter()
            response = client.get("/registry/trainees/", {"q": _typed(phone, n)})
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
            assert mask_phone(phone) in response.content.decode(), (label, phone)
        medians[label] = statistics.median(times) * 1000
        print(
            f"  {label}: {len(people[label]):,} trainees in scope, "
            f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )
    for label, ms in medians.items():
        print(f"median phone search, {label} ({args.runs} runs): {ms:.0f} ms")


if __name__ == "__main__":
    main()
