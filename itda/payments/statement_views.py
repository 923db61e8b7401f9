"""Statement pages: the payee's own money (a trainee's allowances, a company's wage support)
with each amount's arithmetic and a confirmation PDF once paid; the operating group's (or the
operator's) list with the month's computation, approval and the budget figures; the ministry
viewer's totals without persons. Every row comes through ``Statement.objects.visible_to``:
another's statement answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_tasks.base import TaskResultStatus

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.payments import batches, selectors
from itda.payments.confirmation import confirmation_pdf
from itda.payments.forms import ComputeForm, StatementFilterForm
from itda.payments.models import Statement, StatementKind, StatementState
from itda.payments.statements import EngineMismatch, statement_approve, statements_compute
from itda.payments.tasks import programme_month_compute_task

PAYEES = (Role.TRAINEE, Role.COMPANY)
READERS = (*PROGRAMME_STAFF, *PAYEES)


def _rows(statements: list[Statement]) -> list[tuple[Statement, selectors.StatementExplain]]:
    explained = selectors.statements_explain(statements)
    return [(s, explained[s.pk]) for s in statements]


@never_cache
def my_money(request):
    """내 지원금: every statement of the trainee (or the company's wage support), its arithmetic
    step by step and where its payment stands."""
    require_role(request, *PAYEES)
    statements = list(selectors.statement_rows().visible_to(request.user))
    if statements:
        personal_data_access_record(
            request=request,
            subject_type="payments.statement",
            subject_ids=[s.pk for s in statements],
        )
    return render(
        request,
        "payments/my_money.html",
        {
            "rows": _rows(statements),
            "totals": selectors.money_totals(statements),
            "is_company": request.user.role == Role.COMPANY,
        },
    )


@never_cache
def statement_list(request):
    """The statements of the user's groups (all for the operator), filtered and a page at a
    time, names masked; the month's computation and the budget figures."""
    require_role(request, *PROGRAMME_STAFF)
    filters = StatementFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.statement_rows(
        month=chosen.get("month"), kind=chosen.get("kind", ""), state=chosen.get("state", "")
    )
    page = personal_page(request, rows)
    programmes = selectors.compute_programmes(request.user)
    return render(
        request,
        "payments/statement_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": _rows(list(page.object_list)),
            "compute_form": ComputeForm(programmes=programmes, initial=request.GET.dict()),
            "budgets": selectors.budget_panel(request.user),
            "budget_rule": batches.BUDGET_RULE,
        },
    )


@require_POST
def statement_compute(request):
    """Compute one month's statements of a kind for a programme the user's groups run (any for
    the operator): ``statements_compute`` does it, under its advisory lock."""
    require_role(request, *PROGRAMME_STAFF)
    form = ComputeForm(request.POST, programmes=selectors.compute_programmes(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("payments:statement_list")
    data = form.cleaned_data
    if not data["kind"]:
        _compute_programme_month(request, data["programme"], data["month"])
        url = reverse("payments:statement_list")
        return redirect(f"{url}?month={data['month']:%Y-%m}")
    try:
        counts = statements_compute(
            programme=data["programme"], month=data["month"], kind=data["kind"]
        )
    except EngineMismatch:
        messages.error(
            request,
            "저장된 훈련수당 산정이 계산 규칙과 맞지 않아 아무것도 바꾸지 않았습니다. "
            "기수별 훈련수당을 다시 계산한 뒤 시도하세요.",
        )
    else:
        messages.success(
            request,
            f"{data['month'].year}년 {data['month'].month}월 지급 명세를 계산했습니다: "
            f"신규 {counts['created']}건, "
            f"변경 {counts['updated']}건, 정정 {counts['corrections']}건, "
            f"삭제 {counts['removed']}건, 변동 없음 {counts['unchanged']}건.",
        )
    url = reverse("payments:statement_list")
    return redirect(f"{url}?month={data['month']:%Y-%m}&kind={data['kind']}")


def _compute_programme_month(request, programme, month) -> None:
    """The whole programme-month goes to the task queue (run at once in development; by a
    worker in production, where a national month can hold a hundred thousand statements)."""
    result = programme_month_compute_task.enqueue(
        programme_id=programme.pk, month=month.isoformat(), actor_id=request.user.pk
    )
    when = f"{month.year}년 {month.month}월"
    if not result.is_finished:
        messages.success(
            request,
            f"{programme.name} {when} 전체 지급 명세 계산을 시작했습니다. "
            "잠시 뒤 목록을 새로 고쳐 확인하세요.",
        )
    elif result.status == TaskResultStatus.FAILED:
        messages.error(
            request,
            f"{programme.name} {when} 전체 계산이 끝나지 않아 아무것도 바꾸지 않았습니다. "
            "기수별 훈련수당을 확인한 뒤 다시 시도하세요.",
        )
    else:
        parts = [
            f"{StatementKind(kind).label} 신규 {c['created']}건·변경 {c['updated']}건·"
            f"정정 {c['corrections']}건·삭제 {c['removed']}건·변동 없음 {c['unchanged']}건"
            for kind, c in result.return_value.items()
        ]
        messages.success(
            request, f"{programme.name} {when} 전체 지급 명세를 계산했습니다: " + "; ".join(parts)
        )


def _statement(request, pk: int, **log) -> Statement:
    return personal_detail(request, selectors.statement_rows(), pk, **log)


@never_cache
def statement_detail(request, pk: int):
    """One statement: payee (masked for staff), period, amount, state, the arithmetic step by
    step and its history; staff approve a draft here."""
    require_role(request, *READERS)
    statement = _statement(request, pk)
    return render(
        request,
        "payments/statement_detail.html",
        {
            "statement": statement,
            "explain": selectors.statements_explain([statement])[statement.pk],
            "month": selectors.month_of(statement),
            "last_day": selectors.last_day(statement),
            "transitions": statement.transitions.select_related("actor"),
            "is_staff": request.user.role in PROGRAMME_STAFF,
        },
    )


@require_POST
def statement_approve_view(request, pk: int):
    """Approve a draft statement of the user's groups (any for the operator)."""
    require_role(request, *PROGRAMME_STAFF)
    statement = _statement(request, pk, action="update")
    try:
        statement_approve(statement=statement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "지급 명세를 승인했습니다.")
    return redirect("payments:statement_detail", pk=statement.pk)


@never_cache
def statement_pdf(request, pk: int):
    """지급 확인서 of a paid statement: the payee's own (logged as a view), or one in the staff
    member's scope (logged as a download with its reason). Unpaid: there is nothing to confirm."""
    require_role(request, *READERS)
    staff = request.user.role in PROGRAMME_STAFF
    statement = _statement(
        request,
        pk,
        action="export" if staff else "view",
        reason="지급 확인서 PDF 내려받기" if staff else "",
    )
    if statement.state != StatementState.PAID:
        raise Http404
    response = HttpResponse(confirmation_pdf(statement), content_type="application/pdf")
    month = selectors.month_of(statement)
    response["Content-Disposition"] = content_disposition_header(
        True, f"지급확인서_{month:%Y-%m}_{statement.pk}.pdf"
    )
    return response


@never_cache
def money_totals(request):
    """부처·지자체 열람: statement totals by 권역, kind and month; no person, no small count."""
    require_role(request, Role.VIEWER, Role.OPERATOR)
    return render(request, "payments/totals.html", {"rows": selectors.statement_totals()})
