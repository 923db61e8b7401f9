"""Background work for outcomes: the nightly KPI snapshot, with the plan pages' counts. itda
has no scheduler of its own: cron runs ``manage.py snapshot_kpis`` once a night (after
midnight KST, so the day is the new one), which enqueues this task for a task worker
(``db_worker``) to run, as the internship reminders are run."""

import datetime

from django.utils import timezone
from django_tasks import task

from itda.outcomes.services import kpi_snapshot_take, plan_funnel_snapshot_take


@task()
def kpi_snapshot_take_task(day: str = "") -> int:
    """Store the funnel counts of every programme and of every 산단 대개조 sub-project for
    ``day`` (ISO date, today in KST when empty), replacing that day's rows; returns the rows
    stored."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return kpi_snapshot_take(day=when) + plan_funnel_snapshot_take(day=when)
