"""Pages that read across stages: the operator's home (every stage's totals) and the trainee's
own training (works on a phone): schedule, attendance with any corrections, allowance so far and
certificate — the trainee's own rows only, through the scope rule. They live here, at the end of
the pipeline, because they read training, evaluation and payments alike."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.accounts.services import personal_data_access_record
from itda.evaluation.models import Evaluator
from itda.outcomes.selectors import trainee_steps
from itda.payments.selectors import line_explain, trainee_lines
from itda.programs.models import Company, Trainee
from itda.programs.selectors import region_registration_counts
from itda.training.models import Certificate
from itda.training.selectors import (
    Progress,
    attendance_rate,
    enrollment_schedule,
    trainee_enrollments,
)


@never_cache
def operator_home(request):
    """전담기관: national totals and the way to every registry."""
    require_role(request, Role.OPERATOR)
    return render(
        request,
        "outcomes/operator_home.html",
        {
            "regions": region_registration_counts(),
            "n_companies": Company.objects.count(),
            "n_trainees": Trainee.objects.count(),
            "n_evaluators": Evaluator.objects.count(),
        },
    )


@never_cache
def trainee_home(request):
    """교육생: their own record and how far along the programme's path they are."""
    require_role(request, Role.TRAINEE)
    trainee = (
        Trainee.objects.visible_to(request.user).select_related("region", "preferred_track").first()
    )
    context = {"trainee": trainee}
    if trainee:
        personal_data_access_record(
            request=request, subject_type="programs.trainee", subject_ids=[trainee.pk]
        )
        context["steps"] = trainee_steps(trainee)
    return render(request, "outcomes/trainee_home.html", context)


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
            "progress": Progress(
                credited=current.credited,
                held=current.scheduled,
                planned=current.planned,
                min_rate=current.cohort.rule.completion_min_rate,
            ),
            "corrections": current.corrections.select_related("session"),
            "certificates": Certificate.objects.visible_to(request.user)
            .filter(enrollment__in=[e.pk for e in enrollments], revoked_at__isnull=True)
            .exclude(pdf="")
            .select_related("enrollment__cohort__course"),
            "allowances": [(line, line_explain(line)) for line in allowances],
            "now": timezone.now(),
        }
    return render(request, "outcomes/my_training.html", context)
