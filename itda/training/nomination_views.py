"""재직자 추천 pages: a company nominates its employees for 재직자 courses and sees its own
nominations; the staff running the cohorts enrol or refuse them (names masked, views logged)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.lib.masking import mask_name
from itda.training import nominations
from itda.training.models import EmployeeNomination, NominationStatus
from itda.training.nomination_forms import NominationForm, RefusalForm

_RULE = {"rule": nominations.NOMINATION_RULE, "rule_origin": nominations.NOMINATION_RULE_ORIGIN}


@never_cache
def company_nominations(request):
    """재직자 교육 추천: the company's nominations and a form for a new one."""
    require_role(request, Role.COMPANY)
    company = nominations.nomination_company(request.user)
    if company is None:
        raise PermissionDenied
    form = NominationForm(request.POST or None, cohorts=nominations.nomination_cohorts(company))
    if request.method == "POST" and form.is_valid():
        try:
            row = nominations.nomination_create(
                actor=request.user, company=company, **form.cleaned_data
            )
        except nominations.NominationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                f"{mask_name(row.name)} 님을 추천했습니다. 교육 운영 기관이 등록하면 확정됩니다.",
            )
            return redirect("nominations:company")
    rows = (
        EmployeeNomination.objects.visible_to(request.user)
        .select_related("cohort__course__operating_group", "enrollment")
        .order_by("-nominated_at", "-pk")
    )
    return render(
        request,
        "training/nominations/company.html",
        {"company": company, "form": form, "nominations": rows, **_RULE},
    )


@require_POST
def withdraw(request, pk: int):
    require_role(request, Role.COMPANY)
    row = get_object_or_404(EmployeeNomination.objects.visible_to(request.user), pk=pk)
    try:
        nominations.nomination_withdraw(actor=request.user, nomination=row)
    except nominations.NominationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "추천을 취소했습니다.")
    return redirect("nominations:company")


@never_cache
def review(request):
    """재직자 추천 검토: nominations for the cohorts the user runs, those waiting first."""
    require_role(request, *PROGRAMME_STAFF)
    rows = (
        EmployeeNomination.objects.select_related(
            "cohort__course__operating_group", "company", "enrollment"
        )
        .annotate(waiting=Q(status=NominationStatus.PENDING))
        .order_by("-waiting", "cohort__starts_on", "nominated_at", "pk")
    )
    return render(
        request,
        "training/nominations/review.html",
        {"page": personal_page(request, rows), "refusal_form": RefusalForm(), **_RULE},
    )


@require_POST
def decide(request, pk: int, action: str):
    """Enrol the nominee (accept) or refuse with a reason."""
    require_role(request, *PROGRAMME_STAFF)
    if action not in ("accept", "refuse"):
        raise PermissionDenied
    row = get_object_or_404(EmployeeNomination.objects.visible_to(request.user), pk=pk)
    form = RefusalForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        row = nominations.nomination_decide(
            actor=request.user, nomination=row, accept=action == "accept", reason=reason
        )
    except nominations.NominationError as exc:
        messages.error(request, f"{mask_name(row.name)}: {' '.join(exc.messages)}")
    else:
        if row.status == NominationStatus.ACCEPTED:
            where = (
                "수강"
                if row.enrollment.status == "enrolled"
                else f"대기 {row.enrollment.waitlist_position}번"
            )
            messages.success(request, f"{mask_name(row.name)} 님을 {where}으로 등록했습니다.")
        else:
            messages.success(request, f"{mask_name(row.name)} 님의 추천을 반려했습니다.")
    return redirect("nominations:review")
