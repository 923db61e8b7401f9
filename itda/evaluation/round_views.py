"""Running an evaluation round (the national operator, or the operating group that runs the
call), results for applicants, and appeals."""

from django import forms
from django.contrib import messages
from django.db.models import Case, IntegerField, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import personal_detail, require_role
from itda.accounts.exports import personal_export_view
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.evaluation import selectors, services
from itda.evaluation.engine import ranking as ranking_engine
from itda.evaluation.models import Appeal, AppealStatus, Evaluator, Panel, Ranking
from itda.lib import masking
from itda.recruitment import selectors as recruitment_selectors
from itda.recruitment.models import Application


class EvaluatorChoice(forms.ModelMultipleChoiceField):
    """Namesakes are common: each evaluator shows with affiliation and expertise."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.affiliation} · {obj.expertise})"


class PanelForm(forms.Form):
    """A call's committee, chosen from the evaluators the user may see (the whole pool for the
    operator, the pool of its regions for an operating group)."""

    members = EvaluatorChoice(
        label="평가위원",
        queryset=Evaluator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "평가위원을 선택하세요."},
    )
    chair = forms.ModelChoiceField(
        label="위원장",
        queryset=Evaluator.objects.none(),
        error_messages={"required": "위원장을 선택하세요."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pool = Evaluator.objects.visible_to(user).order_by("name")
        self.fields["members"].queryset = pool
        self.fields["chair"].queryset = pool


def _calls(request):
    """The calls whose round the user runs: any for the operator, their own groups' for
    operating-group staff (anything else is a 404)."""
    require_role(request, *PROGRAMME_STAFF)
    return recruitment_selectors.calls_run_by(request.user)


def _rankings(request):
    return Ranking.objects.filter(call__in=_calls(request))


@never_cache
def round_detail(request, pk: int):
    """One call's round: panel, assignment progress, rankings and their publication."""
    call = get_object_or_404(_calls(request).select_related("scheme", "programme"), pk=pk)
    panel = Panel.objects.filter(call=call).select_related("chair").first()
    form = PanelForm(
        initial={"members": panel.members.all(), "chair": panel.chair} if panel else None,
        user=request.user,
    )
    return render(
        request,
        "evaluation/operator/round.html",
        {
            "call": call,
            "panel": panel,
            "form": form,
            "loads": selectors.panel_loads(call),
            "progress": selectors.assignment_progress(call),
            "rankings": Ranking.objects.filter(call=call).order_by("-computed_at"),
            "appeals": Appeal.objects.filter(application__call=call).select_related("application"),
        },
    )


def _run(request, pk: int, action, success: str):
    """Call one service for the round and come back with its outcome in Korean."""
    call = get_object_or_404(_calls(request), pk=pk)
    try:
        result = action(call)
        messages.success(request, success.format(result=result))
    except services.EvaluationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("rounds:round_detail", pk=pk)


@require_POST
def panel_save(request, pk: int):
    get_object_or_404(_calls(request), pk=pk)
    form = PanelForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("rounds:round_detail", pk=pk)
    return _run(
        request,
        pk,
        lambda call: services.panel_set(
            call=call, members=list(form.cleaned_data["members"]), chair=form.cleaned_data["chair"]
        ),
        "평가위원회를 구성했습니다.",
    )


@require_POST
def assign(request, pk: int):
    return _run(
        request,
        pk,
        lambda call: services.assignment_run(call=call),
        "배정했습니다: 부하 {result.load_band[0]}~{result.load_band[1]}건, "
        "유지 {result.preserved}건, 새 배정 {result.added}건.",
    )


@require_POST
def rank(request, pk: int):
    return _run(
        request,
        pk,
        lambda call: services.ranking_compute(call=call, actor=request.user),
        "순위를 계산했습니다. 검토 후 확정하세요.",
    )


class IrreversibleForm(forms.Form):
    """A step that cannot be undone is taken only with this box ticked (checked here, on the
    server, not only by a script in the browser)."""

    confirm = forms.BooleanField(
        label="되돌릴 수 없는 작업임을 확인했습니다",
        error_messages={"required": "되돌릴 수 없는 작업입니다. 확인란에 표시한 뒤 진행하세요."},
    )


def _ranking_action(request, pk: int, action, success: str):
    ranking = get_object_or_404(_rankings(request), pk=pk)
    form = IrreversibleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("rounds:ranking_detail", pk=pk)
    try:
        action(ranking=ranking, actor=request.user)
        messages.success(request, success)
    except services.EvaluationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("rounds:ranking_detail", pk=pk)


@never_cache
def ranking_detail(request, pk: int):
    """A computed ranking: every row with its score, status and reason."""
    ranking = get_object_or_404(
        _rankings(request).select_related("call__operating_group", "call__track"), pk=pk
    )
    return render(
        request,
        "evaluation/operator/ranking.html",
        {
            "ranking": ranking,
            "rows": selectors.ranking_rows(ranking),
            "allocation_left": selectors.ranking_allocation_left(ranking),
            "confirm_form": IrreversibleForm(),
        },
    )


@require_POST
def ranking_confirm(request, pk: int):
    return _ranking_action(
        request,
        pk,
        services.ranking_confirm,
        "확정했습니다. 입력이 고정되어 같은 결과로 다시 계산할 수 있습니다.",
    )


@require_POST
def ranking_publish(request, pk: int):
    return _ranking_action(
        request,
        pk,
        services.ranking_publish,
        "공개했습니다. 신청자가 자신의 결과를 볼 수 있습니다.",
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label="이의신청 사유",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "사유를 적어 주세요.",
            "min_length": "사유를 10자 이상 적어 주세요.",
        },
    )


@never_cache
def application_result(request, pk: int):
    """An applicant's own result and, after publication, their breakdown by criterion."""
    application = personal_detail(request, Application.objects.select_related("call"), pk)
    result = selectors.published_result(application)
    appeal = Appeal.objects.filter(application=application).first()
    return render(
        request,
        "evaluation/result.html",
        {
            "application": application,
            "result": result,
            "appeal": appeal,
            "appeal_form": AppealForm(),
            "now": timezone.now(),
        },
    )


@require_POST
def appeal_file(request, pk: int):
    application = personal_detail(request, Application.objects.select_related("call"), pk)
    require_role(request, Role.COMPANY, Role.TRAINEE)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.appeal_file(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "이의신청이 접수되었습니다.")
        except services.EvaluationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("rounds:application_result", pk=pk)


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="결정", coerce=lambda v: v == "1", choices=[("1", "인용"), ("0", "기각")]
    )
    reason = forms.CharField(
        label="처리 사유", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@require_POST
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(
        Appeal.objects.filter(application__call__in=_calls(request)),
        pk=pk,
        status=AppealStatus.FILED,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "결정과 처리 사유(5자 이상)를 입력하세요.")
    else:
        try:
            services.appeal_decide(
                appeal=appeal,
                actor=request.user,
                upheld=form.cleaned_data["upheld"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "이의신청을 처리했습니다.")
        except services.EvaluationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("rounds:round_detail", pk=appeal.application.call_id)


@never_cache
@require_http_methods(["GET", "POST"])
def ranking_export(request, pk: int):
    """The ranking as Excel, in rank order: a reason first, names masked unless asked, logged."""
    ranking = get_object_or_404(_rankings(request).select_related("call__scheme"), pk=pk)
    result = ranking_engine.result_from_json(ranking.result_json)
    rows = {int(r.application_id): r for r in result.rows}
    codes = [c.code for c in ranking.call.scheme.criteria.all()]
    position = Case(
        *[When(pk=app_id, then=i) for i, app_id in enumerate(rows)], output_field=IntegerField()
    )
    labels = {
        "selected": "선정",
        "waitlisted": "예비",
        "not_selected": "미선정",
        "below_cutoff": "기준 점수 미달",
        "no_scores": "평가 없음",
    }

    def row(application, full: bool) -> list:
        r = rows[application.pk]
        name = application.applicant_name
        if application.trainee_id and not full:
            name = masking.mask_name(name)
        return [
            r.rank,
            application.receipt_number,
            name,
            r.score,
            labels[r.status],
            r.waitlist_number,
            r.reason,
            *[r.criterion_means.get(code) for code in codes],
        ]

    criteria = [c.name for c in ranking.call.scheme.criteria.all()]
    return personal_export_view(
        request,
        queryset=Application.objects.filter(pk__in=list(rows))
        .select_related("company", "trainee")
        .order_by(position),
        title="순위표",
        headers=["순위", "접수번호", "신청자", "점수", "결과", "예비 순번", "사유", *criteria],
        row=row,
        filename=f"ranking-{ranking.pk}",
        template="programs/registry/export.html",
    )
