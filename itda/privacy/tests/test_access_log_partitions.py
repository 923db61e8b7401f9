"""The 접속기록 kept in monthly partitions: each row in its month's partition, append-only in
every partition, a row of a month with no partition kept (in the default partition) until its
month is made, and two-year-old months dropped whole by the retention run."""

import datetime

import pytest
from django.db import InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from itda.accounts import partitions
from itda.accounts.models import PersonalDataAccess
from itda.privacy.models import DestructionRecord
from itda.privacy.services import retention_run
from itda.privacy.tasks import retention_run_task
from itda.privacy.tests.test_retention import _access

KST = timezone.get_default_timezone()


def _partition_of(row) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM accounts_personaldataaccess WHERE id = %s",
            [row.pk],
        )
        return cursor.fetchone()[0]


def _at(year, month, day) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=KST)


def test_a_view_logged_now_is_kept_in_this_months_partition(admin):
    row = _access(admin, at=timezone.now())
    assert _partition_of(row) == partitions.partition_name(timezone.localdate())
    # The migration made this month and the next three (the nightly task keeps them ahead).
    ahead = timezone.localdate() + datetime.timedelta(days=92)
    assert partitions.next_month(ahead.replace(day=1)) not in partitions.monthly_partitions()
    assert ahead.replace(day=1) in partitions.monthly_partitions()


def test_every_partition_refuses_update_and_delete(admin):
    row = _access(admin, at=timezone.now())
    name = _partition_of(row)
    for sql in (f"UPDATE {name} SET reason = 'x'", f"DELETE FROM {name}"):  # noqa: S608
        with (
            pytest.raises((InternalError, ProgrammingError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PersonalDataAccess.objects.filter(pk=row.pk, reason="").exists()


def test_a_row_of_a_month_without_partition_waits_and_moves_in_when_the_month_is_made(admin):
    old = _access(admin, at=_at(2023, 3, 15))
    assert _partition_of(old) == partitions.DEFAULT_PARTITION

    made = partitions.ensure_monthly_partitions(through=timezone.localdate())

    assert made[0] == "accounts_personaldataaccess_y2023m03"
    assert "accounts_personaldataaccess_y2023m04" in made  # every month between, none skipped
    assert _partition_of(old) == "accounts_personaldataaccess_y2023m03"
    assert PersonalDataAccess.objects.get(pk=old.pk).at == _at(2023, 3, 15)
    assert partitions.ensure_monthly_partitions(through=timezone.localdate()) == []


def test_months_past_two_years_are_dropped_whole_and_counted_in_the_destruction_record(admin):
    now = _at(2026, 12, 7)
    whole = [_access(admin, at=_at(2024, 9, day)) for day in (1, 30)]  # wholly past the cutoff
    straddling = _access(admin, at=_at(2024, 12, 1))  # before the cutoff, in a month that is not
    kept = _access(admin, at=_at(2024, 12, 31))
    partitions.ensure_monthly_partitions(through=timezone.localdate())

    assert retention_run(now=now)["access_log"] == 3

    months = partitions.monthly_partitions()
    assert datetime.date(2024, 9, 1) not in months and datetime.date(2024, 11, 1) not in months
    assert datetime.date(2024, 12, 1) in months
    assert not PersonalDataAccess.objects.filter(pk__in=[r.pk for r in [*whole, straddling]])
    assert PersonalDataAccess.objects.filter(pk=kept.pk).exists()
    assert DestructionRecord.objects.get(rule="access_log").count == 3
    assert retention_run(now=now)["access_log"] == 0


def test_the_nightly_task_makes_the_months_rows_wait_for(admin):
    waiting = _access(admin, at=_at(2025, 6, 5))
    retention_run_task.enqueue()  # the immediate backend in tests
    assert _partition_of(waiting) == "accounts_personaldataaccess_y2025m06"
