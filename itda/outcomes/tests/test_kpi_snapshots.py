"""Nightly KPI snapshots: taking a day twice stores the same rows once; a stored day reads
back the same after the data moved on; the page reads today's snapshot, or counts live (and
stores nothing) when there is none."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from itda.outcomes.kpis import FUNNEL
from itda.outcomes.models import KpiSnapshot
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast
from itda.training.models import Enrollment

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)
NATIONAL_ROW = {
    "operating_group": None,
    "track": None,
    "region": None,
    "company_kind": "",
    "complex": None,
}


def _stored(day):
    return sorted(
        KpiSnapshot.objects.filter(day=day).values_list(
            "operating_group", "track", "region", "stage", "value"
        ),
        key=str,
    )


def test_a_day_taken_twice_is_stored_once(regions, admin):
    build_cast(regions, admin)
    first = kpi_snapshot_take(day=DAY)
    rows = _stored(DAY)
    assert first == len(rows) > 0
    assert kpi_snapshot_take(day=DAY) == first
    assert _stored(DAY) == rows
    national = dict(
        KpiSnapshot.objects.filter(day=DAY, **NATIONAL_ROW).values_list("stage", "value")
    )
    assert [national.get(k, 0) for k in FUNNEL] == [10, 10, 10, 8, 6, 5, 3, 2]


def test_history_stays_as_it_was_and_the_page_shows_it(regions, admin, login_as):
    build_cast(regions, admin)
    client = login_as(admin)
    assert "지금 집계한 값" in client.get("/kpis/").content.decode()  # never snapshotted
    assert not KpiSnapshot.objects.exists()  # and a page view stores nothing
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    kpi_snapshot_take(day=yesterday)
    # One more completion today: yesterday's rows do not move, and the page shows them (the
    # latest snapshot) until tonight's is taken.
    Enrollment.objects.filter(status="not_completed").update(status="completed")
    page = client.get("/kpis/").content.decode()
    assert f"기준일 {yesterday:%Y-%m-%d}" in page and "가장 최근 야간 스냅숏" in page
    assert "수료 8 ÷ 수강 10 × 100" in page
    assert not KpiSnapshot.objects.filter(day=today).exists()
    out = io.StringIO()
    call_command("snapshot_kpis", stdout=out)
    assert f"성과 지표 스냅숏 {today:%Y-%m-%d}" in out.getvalue()
    today_national = dict(
        KpiSnapshot.objects.filter(day=today, **NATIONAL_ROW).values_list("stage", "value")
    )
    assert today_national["completed"] == 9
    stored = dict(
        KpiSnapshot.objects.filter(day=yesterday, **NATIONAL_ROW).values_list("stage", "value")
    )
    assert stored["completed"] == 8
    page = client.get("/kpis/").content.decode()
    assert f"기준일 {today:%Y-%m-%d}" in page and "수료 9 ÷ 수강 10 × 100" in page


def test_the_history_is_the_last_snapshot_of_each_month(regions, admin, login_as):
    build_cast(regions, admin)
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    earlier = last_month_end - datetime.timedelta(days=10)
    kpi_snapshot_take(day=earlier)
    Enrollment.objects.filter(status="not_completed").update(status="completed")
    kpi_snapshot_take(day=last_month_end)
    page = login_as(admin).get("/kpis/").content.decode()
    history = page[page.index('data-testid="kpi-history"') :]
    assert f"{last_month_end:%Y-%m-%d}" in history
    assert f"{earlier:%Y-%m-%d}" not in history  # the same month's earlier day
    assert '"labels": ["' + f"{last_month_end:%Y-%m}" + '"]' in page  # the history chart


def test_the_page_reads_the_snapshot_not_the_rows(regions, admin, login_as):
    build_cast(regions, admin)
    kpi_snapshot_take(day=timezone.localdate())
    Enrollment.objects.filter(status="not_completed").update(status="completed")
    page = login_as(admin).get("/kpis/").content.decode()
    assert "수료 8 ÷ 수강 10 × 100" in page  # the snapshot's 8, not today's 9
