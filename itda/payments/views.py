"""Training allowance pages: staff of the cohort's group compute and review (and export) the
amounts with their arithmetic; the trainee sees their own with what the rest of the period can
still change. Staff's decision on an attendance correction is taken here too, because approving
one recomputes the allowance (training, earlier in the pipeline, may not call payments)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_page, require_role
from itda.accounts.exports import personal_export_view
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.lib import masking
from itda.payments import selectors, services
from itda.training.forms import CorrectionDecisionForm
from itda.training.models import AttendanceCorrection


def _staff_cohort(request, pk: int):
    """A cohort of the user's groups (any for the operator); another group's looks missing."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(
        selectors.staff_cohorts(request.user).select_related("rule", "course__operating_group"),
        pk=pk,
    )


@never_cache
def overview(request):
    """훈련수당: the cohorts the user manages, with their totals."""
    require_role(request, *PROGRAMME_STAFF)
    cohorts = list(selectors.staff_cohorts(request.user))
    return render(request, "payments/overview.html", {"cohorts": cohorts})


@never_cache
def cohort_detail(request, pk: int):
    """One cohort's lines, each with the days, the rule and the arithmetic."""
    cohort = _staff_cohort(request, pk)
    page = personal_page(request, selectors.cohort_lines(cohort))
    rows = [(line, selectors.line_explain(line)) for line in page.object_list]
    return render(
        request,
        "payments/cohort_detail.html",
        {"cohort": cohort, "page_obj": page, "rows": rows},
    )


@require_POST
def cohort_compute(request, pk: int):
    """Recompute the cohort's lines from attendance now (only changed lines are written)."""
    cohort = _staff_cohort(request, pk)
    run = services.allowance_compute(actor=request.user, cohorts=[cohort.pk])
    messages.success(
        request,
        f"훈련수당을 계산했습니다: 신규 {run.inserted}건, 변경 {run.updated}건, "
        f"변동 없음 {run.unchanged}건.",
    )
    return redirect("payments:cohort_detail", pk=cohort.pk)


def cohort_export(request, pk: int):
    """The cohort's lines as xlsx: a reason first, masked unless asked, logged."""
    cohort = _staff_cohort(request, pk)

    def row(line, full: bool) -> list:
        name = line.enrollment.trainee.name
        explanation = selectors.line_explain(line)
        return [
            name if full else masking.mask_name(name),
            f"{line.period_start:%Y-%m-%d}~{selectors.line_last_day(line):%Y-%m-%d}",
            line.planned,
            line.ended,
            line.attended,
            line.incidents,
            line.credited,
            float(line.rate),
            # No amount before the period's sessions are all held: the arithmetic says why.
            None if explanation.in_progress else line.amount_krw,
            f"{line.rule.effective_from:%Y-%m-%d}",
            explanation.arithmetic,
        ]

    return personal_export_view(
        request,
        queryset=selectors.cohort_lines(cohort),
        title="훈련수당",
        headers=[
            "교육생",
            "단위기간",
            "훈련 차시",
            "지난 차시",
            "출석(공결 포함) 차시",
            "지각·조퇴",
            "출석 인정 차시",
            "출석률(전체 차시 대비)",
            "산정액(원)",
            "적용 규칙",
            "산정 근거",
        ],
        row=row,
        filename=f"allowance-cohort-{cohort.pk}",
        template="programs/registry/export.html",
    )


@never_cache
def my_allowance(request):
    """내 훈련수당: each unit period's amount so far, how it was reached and what is left."""
    require_role(request, Role.TRAINEE)
    lines = list(selectors.trainee_lines(request.user))
    if lines:
        personal_data_access_record(
            request=request,
            subject_type="payments.allowanceline",
            subject_ids=[line.pk for line in lines],
        )
    rows = [(line, selectors.line_explain(line)) for line in lines]
    return render(request, "payments/my_allowance.html", {"rows": rows})


@require_POST
def correction_decide(request, pk: int):
    """Approve or reject one pending attendance correction; an approval moves the trainee's
    allowance at once (the correction's page in training posts here)."""
    require_role(request, *PROGRAMME_STAFF)
    correction = get_object_or_404(AttendanceCorrection.objects.visible_to(request.user), pk=pk)
    form = CorrectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "승인 또는 반려를 선택해 주세요.")
        return redirect("attendance:correction_detail", pk=pk)
    try:
        services.correction_settle(
            correction=correction,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("attendance:correction_detail", pk=pk)
    messages.success(request, "처리했습니다.")
    return redirect("attendance:corrections")
