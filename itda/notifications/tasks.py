"""Background work for notifications: the e-mails of inbox rows, queued by ``notify`` when the
event's transaction commits (run immediately in development and tests, by the database-backed
workers in production)."""

from django_tasks import task

from itda.notifications.services import emails_send


@task()
def notification_emails_send_task(ids: list[int]) -> int:
    """Send the e-mails of these notifications not sent yet; safe to run twice."""
    return emails_send(ids)
