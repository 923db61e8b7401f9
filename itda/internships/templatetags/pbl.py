"""The PBL progress card on an internship's pages (its detail, 내 인턴십): kept in a tag so the
agreement views need not know about Track 2."""

from django import template
from django.urls import reverse
from django.utils import timezone

from itda.accounts.roles import Role
from itda.internships import pbl
from itda.internships.models import Internship

register = template.Library()


@register.inclusion_tag("internships/_pbl_summary.html", takes_context=True)
def pbl_summary(context, internship: Internship) -> dict:
    """Problem, milestones with what each needs today, and the final review of a PBL
    internship; nothing for any other track."""
    if internship is None or not pbl.is_pbl(internship):
        return {"hidden": True}
    today = timezone.localdate()
    request = context.get("request")
    mine = request is not None and request.user.role == Role.TRAINEE
    progress = pbl.pbl_progress(Internship.objects.filter(pk=internship.pk), today).get()
    milestones = list(pbl.milestones_with_attention(internship, today))
    for milestone in milestones:
        milestone.attention_label = pbl.Attention.LABELS.get(milestone.attention, "")
    return {
        "request": request,
        "internship": internship,
        "problem": pbl.current_problem(internship),
        "progress": progress,
        "milestones": milestones,
        "final_review": getattr(internship, "final_review", None),
        "link": reverse("internships:my_pbl")
        if mine
        else reverse("internships:pbl_page", args=[internship.pk]),
    }
