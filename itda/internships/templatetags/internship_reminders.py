"""The reminders card on each role's home page (the same list the daily e-mail sends): kept in
a tag so the home views of other apps need not know about internships."""

from django import template
from django.urls import reverse
from django.utils import timezone

from itda.accounts.roles import Role
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
    # Each item leads to where it is done: the intern's own internship page, or the agreement
    # page (its monthly reports, milestones and outcomes) for everyone else.
    if request.user.role == Role.TRAINEE:
        mine = reverse("internships:my_internship")
        links = [(r, mine) for r in items]
    else:
        links = [
            (r, reverse("internships:internship_detail", args=[r.internship_id])) for r in items
        ]
    return {"items": links, "due_soon_days": reminders.DUE_SOON_DAYS}
