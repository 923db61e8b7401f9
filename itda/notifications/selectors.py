"""Reads for notifications. A person's inbox is what was sent to them, whatever their role: the
national operator sees their own notifications here, not everyone's."""

from django.db.models import QuerySet

from itda.accounts.models import User
from itda.notifications.models import Notification


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    """How many of the user's notifications they have not opened (the header's badge)."""
    return inbox(user).filter(read_at__isnull=True).count()
