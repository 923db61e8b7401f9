"""Benchmark: the training allowance for 100,000 trainee-periods (issue 4's figure, < 10 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itda_bench_allowance \
        .venv/bin/python bench/allowance.py [--cohorts 2500] [--size 40] [--days 20] [--runs 3]

Needs a PostgreSQL superuser connection (it creates the database when missing and loads the
fixture with triggers off). Migrates, loads the reference data (which seeds the MSS 2026
allowance rule), then writes the fixture directly in SQL: cohorts × size trainees and
enrolments, one session a day, attendance for every session (present 85%, late/left early 6%,
excused 3%, absent or no record the rest). Times ``allowance_compute`` over every cohort:
the first computation (lines table emptied before each run), a recompute with nothing changed,
and a recompute after 5% of enrolments had one record changed. Prints each median.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import django_on_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itda_bench_allowance"


FIXTURE_SQL = """
SET session_replication_role = replica;  -- no pghistory events for fixture rows
TRUNCATE payments_allowanceline, payments_allowancerun, training_attendance,
         training_enrollment, training_session, training_cohort CASCADE;
DELETE FROM programs_trainee WHERE phone LIKE '019-%%';
INSERT INTO training_course (operating_group_id, audience, track_id, level,
                             smart_factory_level, code, title, description, has_assessment,
                             created_at)
SELECT g.id, 'job_seeker', t.id, 'basic_practical', '', 'BENCH', '벤치 과정', '', false, now()
FROM programs_operatinggroup g
JOIN programs_programme p ON p.id = g.programme_id AND p.code = 'mss-smart-mfg-2026'
JOIN programs_track t ON t.programme_id = p.id AND t.code = 'track1'
ON CONFLICT DO NOTHING;
INSERT INTO training_cohort (course_id, number, starts_on, ends_on, capacity, rule_id,
                             created_at)
SELECT (SELECT id FROM training_course WHERE code = 'BENCH' ORDER BY id LIMIT 1), n,
       DATE '2026-07-01', DATE '2026-07-28', %(size)s,
       (SELECT id FROM training_trainingrule ORDER BY id LIMIT 1), now()
FROM generate_series(1, %(cohorts)s) n;
INSERT INTO training_session (cohort_id, number, title, starts_at, ends_at, instructor_name,
                              qr_secret, created_at)
SELECT c.id, d, d || '차시',
       TIMESTAMPTZ '2026-07-01 09:00+09' + (d - 1) * INTERVAL '1 day',
       TIMESTAMPTZ '2026-07-01 18:00+09' + (d - 1) * INTERVAL '1 day', '', md5(c.id || '-' || d),
       now()
FROM training_cohort c CROSS JOIN generate_series(1, %(days)s) d;
INSERT INTO programs_trainee (name, birth_date, phone, email, region_id, address, education,
                              major, skills, bank_name, bank_account, created_at)
SELECT '벤치' || n, DATE '2000-01-01', '019-' || lpad((n / 10000)::text, 4, '0') || '-'
       || lpad((n %% 10000)::text, 4, '0'), 'b' || n || '@example.kr',
       (SELECT id FROM programs_region ORDER BY id LIMIT 1), '-', 'university', '', '{}', '', '',
       now()
FROM generate_series(1, %(cohorts)s * %(size)s) n;
INSERT INTO training_enrollment (cohort_id, trainee_id, status, enrolled_by_id, enrolled_at,
                                 ended_reason)
SELECT c.id, t.id, 'enrolled', %(user)s, now(), ''
FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM training_cohort) c
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
      FROM programs_trainee WHERE phone LIKE '019-%%') t ON t.k / %(size)s = c.k;
INSERT INTO training_attendance (enrollment_id, session_id, status, source, recorded_by_id,
                                 updated_at)
SELECT e.id, s.id,
       CASE WHEN r < 0.85 THEN 'present' WHEN r < 0.89 THEN 'late'
            WHEN r < 0.91 THEN 'left_early' WHEN r < 0.94 THEN 'excused' ELSE 'absent' END,
       'roll_call', %(user)s, now()
FROM training_enrollment e
JOIN training_session s ON s.cohort_id = e.cohort_id
-- A deterministic draw per enrolment and session, so every run builds the same fixture.
CROSS JOIN LATERAL (SELECT (abs(hashtext(e.id || ':' || s.id)) %% 10000) / 10000.0 AS r) x
WHERE x.r < 0.97;  -- 3%% of sessions have no record at all
SET session_replication_role = origin;
ANALYZE;
"""

# One record changed for a different 5% of enrolments each time (present ↔ absent).
CHANGE_SQL = """
UPDATE training_attendance a
SET status = CASE a.status WHEN 'absent' THEN 'present' ELSE 'absent' END
FROM (
    SELECT DISTINCT ON (e.id) a.id
    FROM training_enrollment e
    JOIN training_attendance a ON a.enrollment_id = e.id
    WHERE e.id %% 20 = %(slice)s AND a.status IN ('present', 'absent')
    ORDER BY e.id, a.id
) pick
WHERE a.id = pick.id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cohorts", type=int, default=2500)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    django_on_database(DEFAULT_URL)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from itda.accounts.roles import Role
    from itda.accounts.services import user_create
    from itda.payments.models import AllowanceLine
    from itda.payments.services import allowance_compute
    from itda.programs.models import Programme
    from itda.programs.services import reference_load
    from itda.training.models import TrainingRule

    call_command("migrate", verbosity=0)
    reference_load()
    apps.get_app_config("payments").reference_load()
    programme = Programme.objects.get(code="mss-smart-mfg-2026")
    TrainingRule.objects.get_or_create(programme=programme, effective_from=programme.starts_on)
    from itda.accounts.models import User

    operator = User.objects.filter(username="bench-operator").first() or user_create(
        username="bench-operator", password="bench-password-2026!", role=Role.OPERATOR
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            FIXTURE_SQL,
            {"cohorts": args.cohorts, "size": args.size, "days": args.days, "user": operator.pk},
        )
    print(f"fixture: {time.perf_counter() - started:.1f} s")

    def timed(label: str, prepare=None) -> list[float]:
        times = []
        for n in range(args.runs):
            if prepare:
                prepare(n)
            t0 = time.perf_counter()
            run = allowance_compute(actor=operator)
            times.append(time.perf_counter() - t0)
            counts = f"+{run.inserted} ~{run.updated} ={run.unchanged} -{run.removed}"
            print(f"  {label} #{n + 1}: {times[-1]:.2f} s ({counts})")
        return times

    def empty(_n):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE payments_allowanceline")
            cursor.execute("VACUUM ANALYZE payments_allowanceline")

    def change(n):
        with connection.cursor() as cursor:
            cursor.execute(CHANGE_SQL, {"slice": n})

    first = timed("first compute", empty)
    lines = AllowanceLine.objects.count()
    same = timed("no change")
    changed = timed("5% changed", change)
    print(f"trainee-periods: {lines:,}")
    for label, times in (("first", first), ("no change", same), ("5% changed", changed)):
        print(f"median {label}: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
