"""Background work for payments (run by the tasks backend: immediately in development and tests,
by database-backed workers in production)."""

import datetime

from django.contrib.auth import get_user_model
from django_tasks import task

from itda.payments.statements import programme_month_compute
from itda.programs.models import Programme


@task()
def programme_month_compute_task(programme_id: int, month: str, actor_id: int) -> dict:
    """A whole programme-month's allowance lines and statements (``programme_month_compute``);
    safe to run twice. Returns each kind's counts."""
    return programme_month_compute(
        programme=Programme.objects.get(pk=programme_id),
        month=datetime.date.fromisoformat(month),
        actor=get_user_model().objects.get(pk=actor_id),
    )
