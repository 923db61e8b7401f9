"""Trainee self-service (works on a phone): my schedule, my attendance with any corrections, my
allowance so far and my certificate — the trainee's own rows only, through the scope rule."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.accounts.services import personal_data_access_record
from itda.payments.selectors import line_projection, trainee_lines
from itda.training.models import Certificate
from itda.training.selectors import attendance_rate, enrollment_schedule, trainee_enrollments


@never_cache
def my_training(request):
    """내 교육: the current (or latest) cohort in full, earlier ones in brief."""
    require_role(request, Role.TRAINEE)
    enrollments = list(trainee_enrollments(request.user))
    current = enrollments[0] if enrollments else None
    context = {"current": current, "earlier": enrollments[1:]}
    if current:
        personal_data_access_record(
            request=request,
            subject_type="training.enrollment",
            subject_ids=[e.pk for e in enrollments],
        )
        allowances = list(trainee_lines(request.user).filter(enrollment=current))
        if allowances:
            personal_data_access_record(
                request=request,
                subject_type="payments.allowanceline",
                subject_ids=[line.pk for line in allowances],
            )
        context |= {
            "schedule": enrollment_schedule(current),
            "rate": attendance_rate(current.credited, current.scheduled),
            "corrections": current.corrections.select_related("session"),
            "certificates": Certificate.objects.visible_to(request.user)
            .filter(enrollment__in=[e.pk for e in enrollments], revoked_at__isnull=True)
            .exclude(pdf="")
            .select_related("enrollment__cohort__course"),
            "allowances": [(line, line_projection(line)) for line in allowances],
            "now": timezone.now(),
        }
    return render(request, "training/me/my_training.html", context)
