"""Training allowance pages: staff of the cohort's group compute and review (and export) the
amounts with their arithmetic; the trainee sees their own with what the rest of the period can
still change. Staff's decision on an attendance correction is taken here too, because approving
one recomputes the allowance (training, earlier in the pipeline, may not call payments)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import personal_page, require_role
from itda.accounts.exports import XLSX, personal_export_view
from itda.accounts.forms import OtpForm
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.lib import masking
from itda.payments import batches, clawbacks, selectors, services
from itda.payments.forms import (
    BatchCancelForm,
    BatchDraftForm,
    BatchFilterForm,
    ResultFileForm,
)
from itda.training.forms import CorrectionDecisionForm
from itda.training.models import AttendanceCorrection

BATCHES_PER_PAGE = 20


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


# --- Payment batches -----------------------------------------------------------------------------


def _batch(request, pk: int):
    """A batch the user may see, with its count and total; another group's looks missing."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(selectors.batches_for(request.user), pk=pk)


def _refused(request, error: ValidationError, pk: int):
    messages.error(request, " ".join(error.messages))
    return redirect("payments:batch_detail", pk=pk)


@never_cache
def batch_list(request):
    """지급 배치: the group's batches (and the national ones) or, for the operator, all;
    filtered by month, kind and state, a page at a time."""
    require_role(request, *PROGRAMME_STAFF)
    form = BatchFilterForm(request.GET or None)
    batches_ = selectors.batches_for(request.user).filter(**form.filters())
    page = Paginator(batches_, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/batch_list.html", {"page_obj": page, "form": form})


@never_cache
def clawback_list(request):
    """환수 대기: approved clawbacks no batch has netted yet, with what each payee owes; the
    next batch of the payee nets them (``clawbacks``' rule)."""
    require_role(request, *PROGRAMME_STAFF)
    waiting = clawbacks.waiting_rows()
    page = personal_page(request, waiting)
    owed = waiting.visible_to(request.user).aggregate(total=Sum("amount_krw", default=0))
    return render(
        request,
        "payments/clawback_list.html",
        {
            "page_obj": page,
            "rows": [(s, batches.payee_name(s)) for s in page.object_list],
            "owed_krw": -owed["total"],
            "netting_rule": clawbacks.NETTING_RULE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def batch_new(request):
    """Draft a batch from the month's approved statements and the retry list."""
    require_role(request, *PROGRAMME_STAFF)
    form = BatchDraftForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch, left_out = batches.batch_draft(
                programme=form.cleaned_data["programme"],
                group=form.cleaned_data["group"],
                month=form.cleaned_data["month"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            note = f" 계좌가 등록되지 않은 명세 {left_out}건은 제외했습니다." if left_out else ""
            messages.success(
                request, f"지급 배치를 작성했습니다.{note} 다른 담당자의 승인이 필요합니다."
            )
            return redirect("payments:batch_detail", pk=batch.pk)
    return render(request, "payments/batch_new.html", {"form": form})


@never_cache
def batch_detail(request, pk: int):
    """One batch: its lines (payee and account masked, the holder check), figures and trail."""
    batch = _batch(request, pk)
    page = personal_page(request, selectors.batch_lines(batch).order_by("pk"))
    return render(
        request,
        "payments/batch_detail.html",
        {
            "batch": batch,
            "page_obj": page,
            "rows": selectors.line_views(page.object_list),
            "events": batch.events.select_related("actor"),
            "budget_rule": batches.BUDGET_RULE,
            "cancel_form": BatchCancelForm(),
            "result_form": ResultFileForm(),
        },
    )


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def batch_approve(request, pk: int):
    """The checker approves with the authenticator code entered again (four eyes)."""
    batch = _batch(request, pk)
    # The checker's code entered again for this approval, not only at login.
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batches.batch_approve(batch=batch, actor=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "지급 배치를 승인했습니다. 예산에 지출 약정으로 기록했습니다."
            )
            return redirect("payments:batch_detail", pk=batch.pk)
    return render(
        request,
        "payments/batch_approve.html",
        {"batch": batch, "form": form, "budget_rule": batches.BUDGET_RULE},
    )


@require_POST
def batch_cancel(request, pk: int):
    batch = _batch(request, pk)
    form = BatchCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "취소 사유를 입력하세요.")
        return redirect("payments:batch_detail", pk=pk)
    try:
        batches.batch_cancel(batch=batch, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "지급 배치를 취소했습니다. 명세는 승인 상태로 돌아갔습니다.")
    return redirect("payments:batch_detail", pk=pk)


def _batch_file(request, pk: int, make, *, reason: str, name: str):
    """A workbook of the batch's lines as ``make`` writes it; the download is logged."""
    batch = _batch(request, pk)
    try:
        data, line_ids = make(batch)
    except ValidationError as error:
        return _refused(request, error, pk)
    personal_data_access_record(
        request=request,
        subject_type="payments.batchline",
        subject_ids=line_ids,
        action="export",
        reason=reason,
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-{name}.xlsx"'
    return response


@require_POST
def batch_export(request, pk: int):
    """The bulk-transfer workbook, once: the batch is marked exported with the file."""
    return _batch_file(
        request,
        pk,
        lambda batch: batches.batch_export(batch=batch, actor=request.user),
        reason="지급 배치 이체 파일",
        name="transfer",
    )


@require_POST
def batch_transfer_file(request, pk: int):
    """The transfer workbook stored at export, again, byte for byte (a lost download)."""
    return _batch_file(
        request,
        pk,
        lambda batch: batches.batch_transfer_file(batch=batch, actor=request.user),
        reason="지급 배치 이체 파일 다시 받기",
        name="transfer",
    )


@require_POST
def batch_settlement(request, pk: int):
    """The 집행 내역 workbook of the batch's paid lines (payees by name: logged as an export)."""
    return _batch_file(
        request, pk, batches.batch_settlement, reason="지급 배치 집행 내역", name="settlement"
    )


@require_POST
def batch_results(request, pk: int):
    """Apply the bank's result file, row by row."""
    batch = _batch(request, pk)
    form = ResultFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("payments:batch_detail", pk=pk)
    try:
        counts = batches.batch_results_upload(
            batch=batch, data=form.cleaned_data["file"].read(), actor=request.user
        )
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(
        request,
        f"은행 결과를 반영했습니다: 지급 {counts['paid']}건, 실패 {counts['failed']}건"
        f"(재지급 목록), 이미 반영 {counts['skipped']}건.",
    )
    return redirect("payments:batch_detail", pk=pk)
