"""The unread count on the header's inbox link."""

from itda.notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """``unread_notifications`` for base.html's header: one count query for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
