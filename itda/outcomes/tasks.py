"""Background work for outcomes: the nightly KPI snapshot (with the plan pages' counts), and
the day's scheduled notifications of every stage (outcomes may call every stage). itda has no
scheduler of its own: cron runs ``manage.py snapshot_kpis`` once a night (after midnight KST,
so the day is the new one) and ``manage.py send_notifications`` once a morning, each enqueueing
its task for a task worker (``db_worker``) to run, as the internship reminders are run."""

import datetime

from django.utils import timezone
from django_tasks import task

from itda.matching.notices import choice_deadline_notify
from itda.outcomes.services import kpi_snapshot_take, plan_funnel_snapshot_take
from itda.recruitment.notices import call_deadline_notify
from itda.training.notices import attendance_risk_notify


@task()
def kpi_snapshot_take_task(day: str = "") -> int:
    """Store the funnel counts of every programme and of every 산단 대개조 sub-project for
    ``day`` (ISO date, today in KST when empty), replacing that day's rows; returns the rows
    stored."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return kpi_snapshot_take(day=when) + plan_funnel_snapshot_take(day=when)


@task()
def notifications_daily_task() -> int:
    """Tell each person what is due now: drafts of calls closing soon, round choices not made
    before their deadline, attendance below the completion threshold. Each stage's notice is
    told once per event, so a second run the same day sends nothing new. Returns the e-mails
    queued."""
    now = timezone.now()
    return (
        call_deadline_notify(now=now)
        + choice_deadline_notify(now=now)
        + attendance_risk_notify(now=now)
    )
