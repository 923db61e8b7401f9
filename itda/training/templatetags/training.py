"""Template filters for training pages."""

from django import template

from itda.training.models import AttendanceStatus

register = template.Library()


@register.filter
def attendance_label(status: str) -> str:
    """present → 출석: the Korean label of an attendance status kept as its code."""
    return AttendanceStatus(status).label if status else ""
