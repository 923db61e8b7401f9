"""Background work for internships (run by the tasks backend: immediately in development and
tests, by database-backed workers in production). Cron runs ``manage.py
send_internship_reminders`` once a day, which enqueues the daily task: it decides and claims
the day's reminders in a few set-based statements, then hands the e-mails to delivery tasks of
``EMAILS_PER_TASK`` each, which the workers send side by side."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from itda.internships import reminders

# Small enough that one delivery task ends in seconds (a worker killed mid-way loses little:
# its unsent claims are released only on a mail error, see reminders.deliver), large enough
# that the queue holds a few hundred rows for 100,000 recipients.
EMAILS_PER_TASK = 500


@task()
def internship_reminders_send_task(day: str = "") -> int:
    """Claim a day's reminder e-mails (ISO date, today when empty) and queue their delivery;
    safe to run twice the same day. Returns how many e-mails were claimed."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    with transaction.atomic():
        ids = reminders.claim(when)
        for start in range(0, len(ids), EMAILS_PER_TASK):
            chunk = ids[start : start + EMAILS_PER_TASK]
            transaction.on_commit(
                lambda chunk=chunk: reminder_emails_deliver_task.enqueue(
                    day=when.isoformat(), ids=chunk
                )
            )
    return len(ids)


@task()
def reminder_emails_deliver_task(day: str, ids: list[int]) -> int:
    """Send one chunk of a day's claimed reminder e-mails; returns how many went."""
    return reminders.deliver(datetime.date.fromisoformat(day), ids)
