"""Benchmark: two years of 접속기록 kept in monthly partitions (issue 16), against the same rows
in one plain table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itda_bench_access_log \
        .venv/bin/python bench/access_log_retention.py [--rows-per-month 100000] [--runs 5]

Needs a PostgreSQL superuser connection (it creates the database when missing). Migrates, then
writes 25 months of access rows set-based into the partitioned table (the months made by
itda.accounts.partitions, as the nightly task makes them) and the same rows into a plain copy
with the same indexes. Times, median of ``--runs``: one month's review figures (rows, accounts,
exports: the access review's question) on each; then the retention of the oldest month — the
partition dropped whole by the retention run's own function against DELETE of the same rows
from the plain table and the VACUUM that gives their space back.

Measured 2026-12-08 00:20 UTC on the shared 2-core development machine (load average 13 from
other work), PostgreSQL 15 through DATABASE_URL, ``--rows-per-month 100000 --runs 5``:
    2,500,000 rows over 25 months in each table (649 MB partitioned), filled in 271.1 s
    one month's review figures: partitioned median 355.3 ms, plain table 337.8 ms
    retention of the oldest month (101,840 rows): partition dropped in 157 ms; the plain
    table's rows deleted and vacuumed in 3,176 ms (20.2×)
At 20,000 rows a month (an earlier version timing the DELETE without VACUUM) the drop was the
slower, 138 ms against 51 ms: its cost is flat, the DELETE's grows with the month's rows.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import django_on_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itda_bench_access_log"
MONTHS = 25

FILL_SQL = """
INSERT INTO {table} (id, actor_username, at, ip_address, action, subject_type, subject_ids,
                     path, reason, actor_id)
SELECT nextval('accounts_personaldataaccess_id_seq'), 'staff' || (n %% 300),
       %(start)s::timestamptz + (n::float / %(rows)s) * (%(end)s::timestamptz - %(start)s),
       '10.0.0.1', CASE WHEN n %% 50 = 0 THEN 'export' ELSE 'view' END, 'programs.trainee',
       ARRAY[n, n + 1], '/registry/trainees/', CASE WHEN n %% 50 = 0 THEN '정산' ELSE '' END, NULL
FROM generate_series(0, %(rows)s - 1) n
"""

MONTH_SQL = """
SELECT count(*), count(DISTINCT actor_username), count(*) FILTER (WHERE action = 'export')
FROM {table} WHERE at >= %s AND at < %s
"""


def _median_ms(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-per-month", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    django_on_database(DEFAULT_URL, ssl_redirect=False)
    import pgtrigger
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from itda.accounts import partitions
    from itda.lib.dates import month_start, next_month

    call_command("migrate", verbosity=0)
    table, plain = partitions.TABLE, "bench_access_plain"
    this_month = timezone.localdate().replace(day=1)
    first = this_month
    for _ in range(MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    start, end = month_start(first), month_start(next_month(this_month))
    rows = args.rows_per_month * MONTHS

    with pgtrigger.ignore(partitions.APPEND_ONLY), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f"DROP TABLE IF EXISTS {plain}")
        cursor.execute(f"CREATE TABLE {plain} (LIKE {table} INCLUDING ALL)")
    partitions.ensure_monthly_partitions(since=first, through=this_month)
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        for target in (table, plain):
            cursor.execute(
                FILL_SQL.format(table=target), {"start": start, "end": end, "rows": rows}
            )
            cursor.execute(f"ANALYZE {target}")
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
            "WHERE inhparent = %s::regclass",
            [table],
        )
        size = cursor.fetchone()[0]
    print(
        f"{rows:,} rows over {MONTHS} months in each table ({size} partitioned), "
        f"filled in {time.perf_counter() - filled:.1f} s"
    )

    month = next_month(first)
    bounds = [month_start(month), month_start(next_month(month))]

    def figures(target):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(MONTH_SQL.format(table=target), bounds)
                return cursor.fetchone()

        return run

    assert figures(table)() == figures(plain)(), "the two tables must hold the same rows"
    for target in (table, plain):
        median = _median_ms(args.runs, figures(target))
        print(f"one month's review figures, {target}: median {median:.1f} ms")

    cutoff = month_start(next_month(first))
    started = time.perf_counter()
    dropped = partitions.drop_months_before(cutoff)
    drop_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {plain} WHERE at < %s", [cutoff])  # noqa: S608
        deleted = cursor.rowcount
    with connection.cursor() as cursor:
        # The deleted rows' space comes back only when VACUUM has passed over the whole table.
        cursor.execute(f"VACUUM {plain}")
    delete_ms = (time.perf_counter() - started) * 1000
    assert dropped == deleted, (dropped, deleted)
    print(
        f"retention of the oldest month ({dropped:,} rows): partition dropped in "
        f"{drop_ms:.0f} ms, the plain table's rows deleted and vacuumed in {delete_ms:.0f} ms "
        f"({delete_ms / drop_ms:.1f}×)"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {plain}")


if __name__ == "__main__":
    main()
