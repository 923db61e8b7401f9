"""Pages that read across stages: the operator's home (every stage's totals) and the trainee's
own training (works on a phone): schedule, attendance with any corrections, allowance so far and
certificate — the trainee's own rows only, through the scope rule. They live here, at the end of
the pipeline, because they read training, evaluation and payments alike. The operator's
programme settings page is here too: a new period is checked against every stage's dates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.accounts.services import personal_data_access_record
from itda.evaluation.models import Evaluator
from itda.lib.suppression import RULE_TEXT
from itda.outcomes import homes
from itda.outcomes.dashboards import kpi_board
from itda.outcomes.kpis import FUNNEL, KPIS, STAGE
from itda.outcomes.selectors import trainee_steps
from itda.outcomes.services import programme_period_change
from itda.payments.selectors import line_explain, trainee_lines
from itda.programs.forms import ProgrammeIncomeClassForm, ProgrammePayeeForm, ProgrammePeriodForm
from itda.programs.models import Company, Programme, Trainee
from itda.programs.selectors import region_registration_counts
from itda.programs.services import programme_income_class_change, programme_payee_change
from itda.training.models import Certificate
from itda.training.selectors import (
    Progress,
    attendance_rate,
    enrollment_schedule,
    trainee_enrollments,
)


@never_cache
def operator_home(request):
    """전담기관: what needs a decision now, the programme against its targets, every stage."""
    require_role(request, Role.OPERATOR)
    now = timezone.now()
    return render(
        request,
        "outcomes/operator_home.html",
        {
            "queue": homes.operator_queue(request.user, now),
            "strip": homes.progress_strip(request.user, timezone.localdate(now)),
            "regions": region_registration_counts(),
            "n_companies": Company.objects.count(),
            "n_trainees": Trainee.objects.count(),
            "n_evaluators": Evaluator.objects.count(),
        },
    )


@never_cache
@require_GET
def kpi_dashboard(request):
    """성과 지표: the funnel and KPIs of a programme, as far as the role may see them."""
    require_role(request, Role.OPERATOR, Role.GROUP_STAFF, Role.VIEWER)
    programmes = list(Programme.objects.only("code", "name"))
    code = request.GET.get("programme")
    programme = next(
        (p for p in programmes if p.code == code), programmes[0] if programmes else None
    )
    board = None
    if programme is not None:
        # The full row: the page shows the programme's targets.
        programme = Programme.objects.get(pk=programme.pk)
        board = kpi_board(user=request.user, programme=programme, day=timezone.localdate())
    return render(
        request,
        "outcomes/kpi_dashboard.html",
        {
            "programmes": programmes,
            "programme": programme,
            "board": board,
            "stages": [STAGE[k] for k in FUNNEL],
            "kpis": KPIS,
            "suppression_rule": RULE_TEXT,
        },
    )


@never_cache
def trainee_home(request):
    """교육생 (phone first): where they are on the path and what today holds for them."""
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
        context["desk"] = homes.trainee_desk(request.user, timezone.now())
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


# What a change of the income class does to money already computed (programme_income_class_change).
INCOME_CLASS_RECOMPUTE = (
    "소득 구분은 앞으로 계산하는 지급 명세부터 적용됩니다. 산정 상태의 명세는 지급 명세 화면에서 "
    "다시 계산하면 새 구분으로 바뀌고, 이미 승인·지급된 명세의 금액은 바뀌지 않습니다."
)


@never_cache
def programme_settings(request, code: str):
    """사업 설정: the operator extends or moves the programme's period, chooses who receives
    the monthly internship money and the income class withheld from payments; each change needs
    a reason and is listed below."""
    require_role(request, Role.OPERATOR)
    programme = get_object_or_404(Programme, code=code)
    which = request.POST.get("form") if request.method == "POST" else None
    period = ProgrammePeriodForm(
        request.POST if which == "period" else None,
        prefix="period",
        initial={"starts_on": programme.starts_on, "ends_on": programme.ends_on},
    )
    payee = ProgrammePayeeForm(
        request.POST if which == "payee" else None,
        prefix="payee",
        initial={"payee": programme.internship_allowance_payee},
    )
    income = ProgrammeIncomeClassForm(
        request.POST if which == "income" else None,
        prefix="income",
        initial={"income_class": programme.income_class or ""},
    )
    form, change = {
        "period": (period, programme_period_change),
        "payee": (payee, programme_payee_change),
        "income": (income, programme_income_class_change),
    }.get(which, (None, None))
    if form is not None and form.is_valid():
        try:
            change(programme=programme, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "사업 설정을 바꾸고 변경 기록을 남겼습니다.")
            if which == "income":
                messages.info(request, INCOME_CLASS_RECOMPUTE)
            return redirect("outcomes:programme_settings", code=programme.code)
    return render(
        request,
        "outcomes/programme_settings.html",
        {
            "programme": programme,
            "period": period,
            "payee": payee,
            "income": income,
            "income_recompute": INCOME_CLASS_RECOMPUTE,
            "changes": programme.setting_changes.select_related("actor")[:50],
        },
        status=400 if period.errors or payee.errors or income.errors else 200,
    )
