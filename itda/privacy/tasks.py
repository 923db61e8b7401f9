"""The nightly destruction of what is past its retention period (cron runs
``manage.py destroy_expired``, which enqueues this)."""

from django_tasks import task

from itda.privacy.services import retention_run


@task()
def retention_run_task() -> dict[str, int]:
    return retention_run()
