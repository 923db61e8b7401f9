"""Writes for notifications: ``notify`` tells one person of one event, ``notify_many`` many
people at once (a publication's every applicant, in a fixed number of statements), both in the
caller's transaction; ``emails_send`` is what the e-mail task runs after it commits.

What an e-mail carries is kept to the minimum: the subject, a short Korean text and the link;
never a phone number, bank account, birth date or score. The person reads the rest on itda.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from itda.accounts.models import User
from itda.notifications.models import EmailStatus, Kind, Notification

# itda 기본값 (the issue names deadlines, not when to announce them): a deadline — a call
# closing on a draft, a round's choices — is announced this many days ahead, once, saying so.
DEADLINE_NOTICE_DAYS = 3
DEADLINE_NOTE = f"(마감 {DEADLINE_NOTICE_DAYS}일 전 알림: itda 기본값 — 운영지침 확인 필요)"

# One e-mail task sends this many: one ends in seconds, and a publication to thousands of
# applicants queues a handful of tasks, not thousands.
EMAILS_PER_TASK = 200


@dataclass(frozen=True)
class Note:
    """One event to tell one person: ``key`` names the event for them (told once), ``link`` is
    the path on itda where they act on it."""

    recipient_id: int
    kind: Kind
    key: str
    subject: str
    body: str
    link: str


def notify(
    *, recipient: User, kind: Kind, key: str, subject: str, body: str, link: str
) -> Notification:
    """Tell ``recipient`` of one event: the inbox row now, the e-mail once the caller's
    transaction commits; an event already told returns its row and sends nothing new."""
    notify_many([Note(recipient.pk, kind, key, subject, body, link)])
    return Notification.objects.get(recipient=recipient, key=key)


@transaction.atomic
def notify_many(notes: Sequence[Note], *, email: bool = True) -> list[int]:
    """Write each note to its recipient's inbox unless that event was told them already (one
    ``INSERT … ON CONFLICT DO NOTHING``) and, with ``email``, queue the e-mails on commit.
    Returns the ids of the notes' rows whose e-mail is still to go: the new ones, and any an
    earlier mail error left unsent. ``email=False`` is for a caller that delivers in its own
    batches (the daily internship reminders) through ``emails_send``."""
    if not notes:
        return []
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (recipient_id, kind, key, subject, body, link, created_at, email_status)
            SELECT r, k, e, s, b, l, %s, %s
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
                AS t(r, k, e, s, b, l)
            ON CONFLICT (recipient_id, key) DO NOTHING
            """,  # noqa: S608 - the table name from the model, values as parameters
            [
                timezone.now(),
                EmailStatus.PENDING,
                [n.recipient_id for n in notes],
                [str(n.kind) for n in notes],
                [n.key for n in notes],
                [n.subject for n in notes],
                [n.body for n in notes],
                [n.link for n in notes],
            ],
        )
    wanted = {(n.recipient_id, n.key) for n in notes}
    pending = sorted(
        pk
        for pk, recipient, key in Notification.objects.filter(
            recipient_id__in={r for r, _ in wanted},
            key__in={k for _, k in wanted},
            email_status=EmailStatus.PENDING,
        ).values_list("pk", "recipient_id", "key")
        if (recipient, key) in wanted
    )
    if email:
        # Imported here: the task module imports this one for ``emails_send``.
        from itda.notifications.tasks import notification_emails_send_task

        for start in range(0, len(pending), EMAILS_PER_TASK):
            chunk = pending[start : start + EMAILS_PER_TASK]
            transaction.on_commit(lambda chunk=chunk: notification_emails_send_task.enqueue(chunk))
    return pending


def _claim(ids: Sequence[int]) -> list[tuple[int, str, str, str, str]]:
    """Mark these notifications' e-mails as sent (those still pending and not being sent by
    another worker), in one transaction; returns (id, address, subject, body, link) to send.
    Recipients without an address, or whose account is closed, are marked so and skipped."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk")
            .values_list(
                "pk", "recipient__email", "recipient__is_active", "subject", "body", "link"
            )
        )
        mailable = [(pk, to, s, b, link) for pk, to, active, s, b, link in rows if to and active]
        Notification.objects.filter(pk__in=[r[0] for r in mailable]).update(
            email_status=EmailStatus.SENT, emailed_at=now
        )
        Notification.objects.filter(pk__in=[r[0] for r in rows]).exclude(
            pk__in=[r[0] for r in mailable]
        ).update(email_status=EmailStatus.NO_ADDRESS)
    return mailable


def _text(body: str, link: str) -> str:
    public = settings.ITDA_PUBLIC_URL
    return (
        f"{body}\n\n바로 가기: {public}{link}\n"
        f"잇다 알림함에서 다시 볼 수 있습니다: {public}{reverse('notifications:inbox')}\n"
    )


def emails_send(ids: Sequence[int]) -> int:
    """Send the e-mails of these notifications that have not gone yet, over one connection;
    each is claimed before it goes, so a rerun or a second worker sends nothing twice. On a
    mail error the claims not yet sent go back to pending and the error is raised (the task
    fails; the next run sends them). Returns how many went."""
    claimed = _claim(ids)
    sent = 0
    with get_connection() as mail:
        for n, (_pk, address, subject, body, link) in enumerate(claimed):
            try:
                EmailMessage(subject, _text(body, link), None, [address], connection=mail).send()
            except Exception:
                Notification.objects.filter(pk__in=[c[0] for c in claimed[n:]]).update(
                    email_status=EmailStatus.PENDING, emailed_at=None
                )
                raise
            sent += 1
    return sent


def notification_read(*, notification: Notification) -> Notification:
    """Mark a notification read when its recipient opens it (the first time only)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
