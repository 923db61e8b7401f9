"""The nightly destruction of what is past its retention period (cron runs
``manage.py destroy_expired``, which enqueues this)."""

import datetime

from django.utils import timezone
from django_tasks import task

from itda.accounts.partitions import ensure_monthly_partitions
from itda.privacy.services import retention_run

MONTHS_AHEAD = datetime.timedelta(days=92)


@task()
def retention_run_task() -> dict[str, int]:
    # The 접속기록's coming months get their partitions while the old ones are dropped, so a
    # night's run keeps the table at two years and three months ahead.
    ensure_monthly_partitions(through=timezone.localdate() + MONTHS_AHEAD)
    return retention_run()
