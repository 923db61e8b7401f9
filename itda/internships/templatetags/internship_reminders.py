"""The reminders card on each role's home page (the same list the daily e-mail sends): kept in
a tag so the home views of other apps need not know about internships."""

from django import template
from django.utils import timezone

from itda.internships import reminders

register = template.Library()


@register.inclusion_tag("internships/_reminders.html", takes_context=True)
def internship_reminders(context) -> dict:
    """The signed-in user's internship reminders today, overdue first; nothing when none."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"items": []}
    today = timezone.localdate()
    items = sorted(
        reminders.for_user(request.user, today), key=lambda r: (not r.overdue, r.due_on or today)
    )
    return {"items": items, "due_soon_days": reminders.DUE_SOON_DAYS}
