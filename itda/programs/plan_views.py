"""Staff pages of 산단 대개조 as a process: a plan's stage and trail, its sub-projects' settled
terms, and its progress against the targets (body and annex). The operator edits; operating
group staff read their 시·도's plans (another region's plan is a 404); the ministry viewer
reads every plan's stage and counts on the outcomes overview (outcomes.plans).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.lib.forms import BoundedDatesMixin
from itda.programs import plans, selectors
from itda.programs.models import (
    IndustrialComplex,
    PlanStatus,
    SubProject,
    SubProjectStatus,
)

# The ministry viewer reads the plans' aggregates on outcomes.plans.plan_overview instead.
READERS = (Role.OPERATOR, Role.GROUP_STAFF)


class TransitionForm(forms.Form):
    # Any stage is accepted here: the service says in Korean why a move is not allowed.
    to = forms.ChoiceField(
        label="다음 단계",
        choices=PlanStatus.choices,
        error_messages={"required": "단계를 고르세요.", "invalid_choice": "알 수 없는 단계입니다."},
    )
    note = forms.CharField(label="메모", max_length=300, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.choices = [
            (s, PlanStatus(s).label) for s in plans.TRANSITIONS[plan.status]
        ]


class ProgressForm(BoundedDatesMixin, forms.Form):
    indicator = forms.ChoiceField(label="지표")
    value = forms.DecimalField(
        label="실적값",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "실적값은 숫자여야 합니다.", "required": "실적값을 적으세요."},
    )
    unit = forms.ChoiceField(label="단위")
    as_of = forms.DateField(
        label="기준일",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "기준일을 날짜로 적으세요.", "required": "기준일을 적으세요."},
    )
    source = forms.CharField(
        label="출처(자료명·기관)",
        max_length=300,
        error_messages={"required": "실적의 출처를 적으세요."},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # A target stated without a value or unit (e.g. 디지털 레벨향상) has nothing to
        # measure progress in: only targets with a value take entries.
        targets = [t for t in plan.targets.all() if t.value is not None and t.unit]
        indicators = dict.fromkeys(t.indicator for t in targets)
        units = dict.fromkeys(t.unit for t in targets)
        self.fields["indicator"].choices = [(i, i) for i in indicators]
        self.fields["unit"].choices = [(u, u) for u in units]


class SubProjectForm(forms.Form):
    budget_krw = forms.IntegerField(
        label="사업비(원)",
        required=False,
        min_value=0,
        error_messages={"invalid": "사업비는 원 단위 정수로 적으세요."},
    )
    ministry = forms.CharField(label="소관 부처", max_length=100, required=False)
    starts_year = forms.IntegerField(label="시작 연도", required=False, min_value=2019)
    ends_year = forms.IntegerField(label="종료 연도", required=False, max_value=2040)
    status = forms.ChoiceField(label="상태", choices=SubProjectStatus.choices)
    complexes = forms.ModelMultipleChoiceField(
        label="대상 산업단지",
        queryset=IndustrialComplex.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complexes"].queryset = IndustrialComplex.objects.filter(
            plan_sites__plan=plan
        ).order_by("plan_sites__order")


def _errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@never_cache
def plan_list(request):
    """The plans the user may read, by round, with their stage."""
    require_role(request, *READERS)
    plan_rows = selectors.plans_visible_to(request.user).select_related("region")
    return render(request, "programs/plans/list.html", {"plans": plan_rows})


@never_cache
def plan_manage(request, pk: int):
    """One plan: the stage line and trail, sub-projects, and target vs actual."""
    require_role(request, *READERS)
    plan = selectors.plan_manage_detail(request.user, pk)
    is_operator = request.user.role == Role.OPERATOR
    subprojects = [
        (task, sub, *selectors.subproject_complexes(sub, plan))
        for task in plan.key_tasks.all()
        for sub in task.subprojects.all()
    ]
    context = {
        "plan": plan,
        "stage_line": [(s, PlanStatus(s).label, s == plan.status) for s in plans.STAGE_LINE],
        "progress_rows": selectors.plan_progress_rows(plan),
        "subprojects": subprojects,
        "is_operator": is_operator,
        "transition_form": TransitionForm(plan=plan) if is_operator else None,
        "progress_form": ProgressForm(plan=plan) if is_operator else None,
        "decided_by_ranking": plan.status == PlanStatus.EVALUATION,
    }
    return render(request, "programs/plans/manage.html", context)


@require_POST
def plan_transition(request, pk: int):
    require_role(request, Role.OPERATOR)
    plan = selectors.plan_manage_detail(request.user, pk)
    form = TransitionForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("plans:plan_manage", pk=pk)
    try:
        plans.plan_transition(
            plan=plan,
            to=form.cleaned_data["to"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, f"'{PlanStatus(form.cleaned_data['to']).label}' 단계로 옮겼습니다."
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:plan_manage", pk=pk)


@require_POST
def progress_add(request, pk: int):
    require_role(request, Role.OPERATOR)
    plan = selectors.plan_manage_detail(request.user, pk)
    form = ProgressForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("plans:plan_manage", pk=pk)
    try:
        plans.progress_record(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(request, "실적을 입력했습니다.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:plan_manage", pk=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def subproject_edit(request, pk: int):
    """The terms the 세부사업 적정성 검토 settled for one sub-project."""
    require_role(request, Role.OPERATOR)
    subproject = get_object_or_404(SubProject.objects.select_related("key_task__plan"), pk=pk)
    plan = subproject.key_task.plan
    if request.method == "POST":
        form = SubProjectForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                plans.subproject_update(
                    subproject=subproject,
                    actor=request.user,
                    ministry=form.cleaned_data["ministry"],
                    budget_krw=form.cleaned_data["budget_krw"],
                    starts_year=form.cleaned_data["starts_year"],
                    ends_year=form.cleaned_data["ends_year"],
                    status=form.cleaned_data["status"],
                    complexes=list(form.cleaned_data["complexes"]),
                )
                messages.success(request, f"저장했습니다: {subproject.name}")
                return redirect("plans:plan_manage", pk=plan.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = SubProjectForm(
            plan=plan,
            initial={
                "budget_krw": subproject.budget_krw,
                "ministry": subproject.ministry,
                "starts_year": subproject.starts_year,
                "ends_year": subproject.ends_year,
                "status": subproject.status,
                "complexes": subproject.complexes.all(),
            },
        )
    return render(
        request,
        "programs/plans/subproject_edit.html",
        {"subproject": subproject, "plan": plan, "form": form},
    )
