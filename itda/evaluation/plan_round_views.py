"""The operator's screen for 산단 대개조 selection rounds: open a round (its call and scheme) and
register a 시·도's plan in it; the evaluation itself runs on the round screen (round_views)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.evaluation import plan_rounds as rounds
from itda.lib.forms import BoundedDatesMixin
from itda.programs.models import Region
from itda.recruitment.models import Call, CallKind


class RoundOpenForm(BoundedDatesMixin, forms.Form):
    year = forms.IntegerField(
        label="선정연도",
        error_messages={
            "required": "선정연도를 적으세요.",
            "invalid": "선정연도는 숫자로 적으세요.",
        },
    )
    opens_on = forms.DateField(
        label="공모 시작일 (09:00)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "공모 시작일을 적으세요.", "invalid": "날짜로 적으세요."},
    )
    closes_on = forms.DateField(
        label="공모 마감일 (18:00)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "공모 마감일을 적으세요.", "invalid": "날짜로 적으세요."},
    )


class PlanRegisterForm(forms.Form):
    region = forms.ModelChoiceField(
        label="시·도",
        queryset=Region.objects.order_by("code"),
        error_messages={"required": "시·도를 고르세요."},
    )


def _errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@never_cache
@require_http_methods(["GET", "POST"])
def plan_rounds(request):
    """Every round with its plans, and the form that opens the next."""
    require_role(request, Role.OPERATOR)
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = rounds.round_open(actor=request.user, **form.cleaned_data)
            messages.success(request, f"{call.title}를 열었습니다.")
            return redirect("rounds:plan_rounds")
        except ValidationError as exc:
            form.add_error(None, exc)
    calls = [
        (call, rounds.round_year(call), call.applications.select_related("plan", "region"))
        for call in rounds.plan_calls()
    ]
    return render(
        request,
        "evaluation/operator/plan_rounds.html",
        {"form": form, "calls": calls, "register_form": PlanRegisterForm()},
    )


@require_POST
def plan_register(request, pk: int):
    require_role(request, Role.OPERATOR)
    call = get_object_or_404(Call, pk=pk, kind=CallKind.PLAN)
    form = PlanRegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("rounds:plan_rounds")
    try:
        plan = rounds.plan_register(
            call=call, region=form.cleaned_data["region"], actor=request.user
        )
        messages.success(request, f"{plan.region_name} 혁신계획을 접수했습니다.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("rounds:plan_rounds")
