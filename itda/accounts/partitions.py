"""The 접속기록 table is partitioned by month (PostgreSQL declarative partitioning on ``at``).

One row is written per view of personal data and two years must be kept, so the table is the
largest in itda; by month, a query for a month reads that month's partition only, and two years
are dropped a month at a time (``DROP TABLE`` of a partition, no row-by-row DELETE, no bloat).

Months are in Korean time, as the access review reads them. A row whose month has no partition
yet (a clock far off, a partition not yet made) lands in the default partition and is moved into
its month's partition when that is made, so nothing is ever refused for want of a partition.
"""

import datetime
import re

import pgtrigger
from django.db import connection, transaction
from django.utils import timezone

from itda.lib.dates import month_start, next_month

TABLE = "accounts_personaldataaccess"
DEFAULT_PARTITION = f"{TABLE}_default"
NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")
# The append-only trigger (accounts.PersonalDataAccess); partitions carry a clone of it, under
# the same name, which is what pgtrigger.ignore matches.
APPEND_ONLY = "accounts.PersonalDataAccess:access_log_append_only"


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def _bound(month: datetime.date) -> str:
    """A month's first instant in Korean time, as a timestamptz literal (dates only: no input
    from outside reaches this SQL)."""
    return f"'{month_start(month).isoformat()}'::timestamptz"


def monthly_partitions() -> dict[datetime.date, str]:
    """The month partitions that exist, by first day of their month."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = {}
    for name in names:
        match = NAME.match(name)
        if match:
            months[datetime.date(int(match[1]), int(match[2]), 1)] = name
    return months


def _lock() -> None:
    # Two makers at once (the nightly task and a migration) take turns.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [TABLE])


def _make_month(cursor, month: datetime.date) -> str:
    name, low, high = partition_name(month), _bound(month), _bound(next_month(month))
    # A partition whose range holds rows of the default partition cannot be attached: make it
    # as a plain table, move those rows into it, then attach it.
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "  # noqa: S608 - constant names
        f"WHERE at >= {low} AND at < {high} RETURNING *) "
        f"INSERT INTO {name} SELECT * FROM moved"
    )
    cursor.execute(
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ({low}) TO ({high})"
    )
    return name


def ensure_monthly_partitions(
    *, through: datetime.date, since: datetime.date | None = None
) -> list[str]:
    """Make every month's partition from the earliest row waiting in the default partition (or
    ``since``'s month, or this month) through ``through``'s month; rows waiting for a made month
    move into it. Returns the partitions made."""
    made = []
    with transaction.atomic(), connection.cursor() as cursor, pgtrigger.ignore(APPEND_ONLY):
        _lock()
        existing = monthly_partitions()
        cursor.execute(f"SELECT min(at) FROM {DEFAULT_PARTITION}")  # noqa: S608 - constant
        waiting = cursor.fetchone()[0]
        month = (since or timezone.localdate()).replace(day=1)
        if waiting is not None:
            month = min(month, timezone.localtime(waiting).date().replace(day=1))
        while month <= through:
            if month not in existing:
                made.append(_make_month(cursor, month))
            month = next_month(month)
    return made


def drop_months_before(cutoff: datetime.datetime) -> int:
    """Drop every month partition that ends at or before ``cutoff`` whole; returns the rows
    they held (for the destruction record). Rows before ``cutoff`` in a month that straddles it
    are the retention rule's to delete."""
    dropped = 0
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            for month, name in sorted(monthly_partitions().items()):
                if month_start(next_month(month)) > cutoff:
                    break
                cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - constant names
                dropped += cursor.fetchone()[0]
                cursor.execute(f"DROP TABLE {name}")
    return dropped
