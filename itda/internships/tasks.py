"""Background work for internships (run by the tasks backend: immediately in development and
tests, by database-backed workers in production). Cron runs ``manage.py
send_internship_reminders`` once a day, which enqueues this task; a worker sends."""

import datetime

from django_tasks import task

from itda.internships import reminders


@task()
def internship_reminders_send_task(day: str = "") -> int:
    """Send a day's reminder e-mails (ISO date, today when empty); safe to run twice the same
    day. Returns how many e-mails went."""
    return reminders.send(datetime.date.fromisoformat(day) if day else None)
