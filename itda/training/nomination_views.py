"""재직자 추천 pages: a company nominates its employees for 재직자 courses and sees its own
nominations; the staff running the cohorts enrol or refuse them (names masked, views logged).
Each nomination's attendance code is shown once, on the page that issued it; the company or the
staff may reissue or revoke it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.lib.masking import mask_name
from itda.training import checkin_codes, nominations
from itda.training.attendance import AttendanceError
from itda.training.models import CheckinCode, EmployeeNomination, NominationStatus
from itda.training.nomination_forms import NominationForm, RefusalForm

_RULE = {
    "rule": nominations.NOMINATION_RULE,
    "rule_origin": nominations.NOMINATION_RULE_ORIGIN,
    "code_rule": checkin_codes.CODE_RULE,
    "code_rule_origin": checkin_codes.CODE_RULE_ORIGIN,
}
# Each nomination's live attendance code (at most one), for its state on the lists.
_LIVE_CODES = Prefetch(
    "checkin_codes",
    queryset=CheckinCode.objects.filter(revoked_at__isnull=True),
    to_attr="live_codes",
)


@never_cache
def company_nominations(request):
    """재직자 교육 추천: the company's nominations and a form for a new one; a new nomination's
    attendance code is shown here, once."""
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
            return _company_page(
                request,
                company,
                NominationForm(cohorts=nominations.nomination_cohorts(company)),
                issued=(row, row.issued_code),
            )
    return _company_page(request, company, form)


def _company_page(request, company, form, *, issued=None):
    rows = (
        EmployeeNomination.objects.visible_to(request.user)
        .select_related("cohort__course__operating_group", "enrollment")
        .prefetch_related(_LIVE_CODES)
        .order_by("-nominated_at", "-pk")
    )
    return render(
        request,
        "training/nominations/company.html",
        {"company": company, "form": form, "nominations": rows, "issued": issued, **_RULE},
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
    return _review_page(request)


def _review_page(request, *, issued=None):
    rows = (
        EmployeeNomination.objects.select_related(
            "cohort__course__operating_group", "company", "enrollment"
        )
        .prefetch_related(_LIVE_CODES)
        .annotate(waiting=Q(status=NominationStatus.PENDING))
        .order_by("-waiting", "cohort__starts_on", "nominated_at", "pk")
    )
    return render(
        request,
        "training/nominations/review.html",
        {
            "page": personal_page(request, rows),
            "refusal_form": RefusalForm(),
            "issued": issued,
            **_RULE,
        },
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


@require_POST
def code_issue(request, pk: int):
    """Issue (or reissue) the nominee's attendance code and show it once, on the page of the
    one who asked: the company's nominations or the staff's review."""
    require_role(request, Role.COMPANY, *PROGRAMME_STAFF)
    row = get_object_or_404(EmployeeNomination.objects.visible_to(request.user), pk=pk)
    try:
        _, raw = checkin_codes.code_issue(nomination=row, actor=request.user)
    except AttendanceError as exc:
        messages.error(request, f"{mask_name(row.name)}: {' '.join(exc.messages)}")
        return _back(request)
    messages.success(request, f"{mask_name(row.name)} 님의 출석 코드를 새로 발급했습니다.")
    if request.user.role == Role.COMPANY:
        company = nominations.nomination_company(request.user)
        form = NominationForm(cohorts=nominations.nomination_cohorts(company))
        return _company_page(request, company, form, issued=(row, raw))
    return _review_page(request, issued=(row, raw))


@require_POST
def code_revoke(request, pk: int):
    """End the nominee's attendance code at once."""
    require_role(request, Role.COMPANY, *PROGRAMME_STAFF)
    row = get_object_or_404(EmployeeNomination.objects.visible_to(request.user), pk=pk)
    try:
        checkin_codes.code_revoke(nomination=row, actor=request.user)
    except AttendanceError as exc:
        messages.error(request, f"{mask_name(row.name)}: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{mask_name(row.name)} 님의 출석 코드를 폐기했습니다.")
    return _back(request)


def _back(request):
    return redirect(
        "nominations:company" if request.user.role == Role.COMPANY else "nominations:review"
    )
