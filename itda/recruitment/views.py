"""Calls (public), applying (company managers), and the operator's view of a call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.lib.files import private_download
from itda.lib.korean import josa
from itda.programs.models import Company, Trainee
from itda.recruitment import receipts, selectors, services
from itda.recruitment.forms import (
    ApplicationSearchForm,
    CloseEarlyForm,
    CompanyAnswersForm,
    CompanyProfileForm,
    DocumentForm,
    OrganisationAnswersForm,
    OrganisationProfileForm,
    OverrideForm,
    TraineeAnswersForm,
    TraineeProfileForm,
    WithdrawForm,
    answers_labelled,
)
from itda.recruitment.models import Application, ApplicationStatus, Call, CallKind


@login_not_required
@require_safe
def call_list(request):
    """Every call with its window and whether it is open now."""
    return render(
        request,
        "recruitment/call_list.html",
        {
            "calls": selectors.call_list(),
            "now": timezone.now(),
            "drafts": selectors.call_drafts(request.user)
            if getattr(request.user, "role", None) in PROGRAMME_STAFF
            else [],
        },
    )


@login_not_required
@require_safe
def call_detail(request, pk: int):
    """A call: window, eligibility, documents and the published evaluation criteria."""
    call = get_object_or_404(selectors.call_list(), pk=pk)
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "now": timezone.now(),
            "is_open": call.is_open(timezone.now()),
            "eligibility": selectors.eligibility_labels(call),
        },
    )


def _own_record(model):
    """The profile form edits the applicant's own record (registered on first use)."""
    return lambda request, existing: {"instance": model.objects.visible_to(request.user).first()}


def _organisation_initial(request, existing) -> dict:
    """An organisation has no record of its own yet: the last application speaks for it."""
    if existing is None:
        return {}
    return {
        "initial": {
            "organisation_name": existing.organisation_name,
            "business_number": existing.organisation_number,
            "zone": existing.answers.get("zone"),
            "region": existing.region_id,
        }
    }


# Per kind of call: who may apply, the forms and how the profile form starts, the service, and
# the heading of the profile.
_APPLY = {
    CallKind.COMPANY: (
        Role.COMPANY,
        CompanyProfileForm,
        _own_record(Company),
        CompanyAnswersForm,
        services.company_application_save,
        "기업 정보",
    ),
    CallKind.TRAINEE: (
        Role.TRAINEE,
        TraineeProfileForm,
        _own_record(Trainee),
        TraineeAnswersForm,
        services.trainee_application_save,
        "인적 사항 (주민등록번호는 받지 않습니다)",
    ),
    CallKind.OPERATING_GROUP: (
        Role.COMPANY,
        OrganisationProfileForm,
        _organisation_initial,
        OrganisationAnswersForm,
        services.organisation_application_save,
        "기관 정보",
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    """An applicant writes, saves and submits their application."""
    call = get_object_or_404(Call.objects.published(), pk=pk, kind__in=list(_APPLY))
    role, profile_form, profile_start, answers_form, save, profile_title = _APPLY[call.kind]
    require_role(request, role)
    existing = Application.objects.visible_to(request.user).filter(call=call).first()
    profile = profile_form(
        request.POST or None, prefix="profile", **profile_start(request, existing)
    )
    # The employment status is a column of its own (money depends on it), not one of the answers.
    initial = (
        {**existing.answers, "employment_status": existing.employment_status} if existing else None
    )
    answers = answers_form(request.POST or None, prefix="answers", initial=initial)
    if request.method == "POST" and profile.is_valid() and answers.is_valid():
        try:
            application = save(
                call=call,
                actor=request.user,
                profile=profile,
                answers=answers.cleaned_data,
                submit="submit" in request.POST,
            )
        except services.ApplicationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if application.status == ApplicationStatus.SUBMITTED:
                messages.success(request, f"제출되었습니다. 접수번호 {application.receipt_number}")
            else:
                messages.success(request, "임시저장했습니다. 마감 전에 제출하세요.")
            return redirect("recruitment:application_detail", pk=application.pk)
    return render(
        request,
        "recruitment/apply.html",
        {
            "call": call,
            "profile": profile,
            "answers": answers,
            "application": existing,
            "profile_title": profile_title,
            "is_open": call.is_open(timezone.now()),
        },
    )


@never_cache
def application_detail(request, pk: int):
    """An application as its applicant (or scoped staff) sees it, with documents and result."""
    application = personal_detail(
        request, Application.objects.select_related("call", "company", "trainee", "region"), pk
    )
    return render(
        request,
        "recruitment/application_detail.html",
        {
            "application": application,
            "document_form": DocumentForm(),
            "withdraw_form": WithdrawForm(),
            "override_form": OverrideForm(),
            "is_open": application.call.is_open(timezone.now()),
            "requirements": application.call.requirements.all(),
            "documents": {d.requirement_id: d for d in application.documents.all()},
            "transitions": application.transitions.select_related("actor"),
            "is_applicant": _is_applicant(request.user, application),
            "can_print_receipt": bool(application.receipt_number)
            and (request.user.role in PROGRAMME_STAFF or _is_applicant(request.user, application)),
            "answers": answers_labelled(application),
            "runs_selection": selectors.calls_run_by(request.user)
            .filter(pk=application.call_id)
            .exists(),
        },
    )


def _is_applicant(user, application: Application) -> bool:
    if application.company_id:
        return application.company.managers.filter(pk=user.pk).exists()
    return bool(application.trainee_id and application.trainee.user_id == user.pk)


def _own_application(request, pk: int) -> Application:
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    if not _is_applicant(request.user, application):
        raise Http404
    return application


@require_POST
def document_upload(request, pk: int, requirement_id: int):
    """Attach one document to one's own application."""
    application = _own_application(request, pk)
    requirement = get_object_or_404(application.call.requirements, pk=requirement_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "올릴 파일을 선택하세요.")
    else:
        try:
            services.document_attach(
                application=application,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
            messages.success(request, f"{josa(requirement.name, '을/를')} 올렸습니다.")
        except services.ApplicationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("recruitment:application_detail", pk=pk)


@require_POST
def application_submit(request, pk: int):
    """Submit one's own saved application."""
    application = _own_application(request, pk)
    try:
        application = services.application_submit(application=application, actor=request.user)
        messages.success(request, f"제출되었습니다. 접수번호 {application.receipt_number}")
    except services.ApplicationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("recruitment:application_detail", pk=pk)


@require_POST
def application_withdraw(request, pk: int):
    """Withdraw one's own application before the deadline."""
    application = _own_application(request, pk)
    if not WithdrawForm(request.POST).is_valid():
        messages.error(request, "철회를 확인해 주세요.")
    else:
        try:
            services.application_withdraw(application=application, actor=request.user)
            messages.success(request, "신청을 철회했습니다.")
        except services.ApplicationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("recruitment:application_detail", pk=pk)


@never_cache
def my_applications(request):
    """A company manager's or trainee's own applications."""
    return render(
        request,
        "recruitment/my_applications.html",
        {"applications": selectors.own_applications(request.user)},
    )


def _staff_call(request, pk: int) -> Call:
    """A call the user's groups run (or a national one); another group's call is a 404."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(Call.objects.visible_to(request.user), pk=pk)


def _selection_call(request, pk: int) -> Call:
    """A call whose selection the user runs; another group's call, or a national one for
    staff, is a 404."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(selectors.calls_run_by(request.user), pk=pk)


@never_cache
def call_applications(request, pk: int):
    """The applications of a call in the user's scope (staff), masked and logged."""
    call = _staff_call(request, pk)
    form = ApplicationSearchForm(request.GET)
    page = personal_page(request, selectors.applications_of(call, **form.filters()))
    return render(
        request,
        "recruitment/call_applications.html",
        {
            "call": call,
            "counts": selectors.call_counts(call, request.user),
            "page_obj": page,
            "form": form,
            "is_open": call.is_open(timezone.now()),
            "runs_selection": selectors.calls_run_by(request.user).filter(pk=call.pk).exists(),
            "close_form": CloseEarlyForm(),
            "closures": call.closures.select_related("actor"),
        },
    )


@require_POST
def call_close_early(request, pk: int):
    """The national operator closes an open call now, with a recorded reason."""
    require_role(request, Role.OPERATOR)
    call = _staff_call(request, pk)
    form = CloseEarlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("recruitment:call_applications", pk=pk)
    try:
        services.call_close_early(call=call, actor=request.user, reason=form.cleaned_data["reason"])
    except services.ApplicationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "접수를 마감했습니다. 이제 자격 검토와 평가를 시작할 수 있습니다."
        )
    return redirect("recruitment:call_applications", pk=pk)


@require_POST
def screening_run(request, pk: int):
    """Run the automatic eligibility checks of a call (the operator, or the group running it)."""
    call = _selection_call(request, pk)
    try:
        counts = services.screening_run(call=call, actor=request.user)
    except services.ApplicationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"자격 검토: 적격 {counts['eligible']}건, 부적격 "
            f"{counts['ineligible']}건, 수동 결정 유지 {counts['kept']}건",
        )
    return redirect("recruitment:call_applications", pk=pk)


@require_POST
def screening_override(request, pk: int):
    """Whoever runs the call's selection overrides the automatic check for one application,
    with a reason."""
    require_role(request, *PROGRAMME_STAFF)
    application = get_object_or_404(
        Application.objects.filter(call__in=selectors.calls_run_by(request.user)), pk=pk
    )
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.screening_override(
                application=application,
                actor=request.user,
                eligible=form.cleaned_data["eligible"],
                reason=form.cleaned_data["reason"],
            )
        except services.ApplicationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "검토 결과를 변경하고 사유를 기록했습니다.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("recruitment:application_detail", pk=pk)


@never_cache
@require_safe
def document_download(request, pk: int, document_id: int):
    """A submitted file, for whoever may see the application (applicant, scoped staff, an
    assigned evaluator without a conflict): a real PDF opens in the browser (sandboxed),
    anything else is a download."""
    application = personal_detail(
        request, Application.objects.all(), pk, action="export", reason="제출 서류 내려받기"
    )
    document = get_object_or_404(application.documents, pk=document_id)
    return private_download(document.file, document.original_name, inline_pdf=True)


def _receipt(request, pk: int) -> tuple[Application, bool]:
    """A submitted application's receipt for its applicant or scoped staff (an evaluator, or
    anyone else, gets a 404), logged; and whether the viewer is the applicant."""
    application = personal_detail(
        request,
        Application.objects.select_related("call", "company", "trainee", "region"),
        pk,
        reason="접수증 열람",
    )
    is_applicant = _is_applicant(request.user, application)
    if not application.receipt_number or not (is_applicant or request.user.role in PROGRAMME_STAFF):
        raise Http404
    return application, is_applicant


@never_cache
@require_safe
def application_receipt(request, pk: int):
    """The receipt (접수증) as a page to print."""
    application, is_applicant = _receipt(request, pk)
    return render(
        request,
        "recruitment/receipt/receipt_page.html",
        receipts.receipt_context(application, full_name=is_applicant),
    )


@never_cache
@require_safe
def application_receipt_pdf(request, pk: int):
    """The receipt as a PDF."""
    application, is_applicant = _receipt(request, pk)
    pdf = receipts.receipt_pdf(receipts.receipt_context(application, full_name=is_applicant))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt_{application.receipt_number}.pdf"'
    )
    return response


@login_not_required
@never_cache
@require_safe
def receipt_verify(request, token: str):
    """Public confirmation by the signed token in a receipt's QR: the call, the time and the
    applicant masked; nothing more."""
    application = receipts.receipt_from_token(token)
    if application is None:
        return render(request, "recruitment/receipt/verify.html", status=404)
    return render(
        request,
        "recruitment/receipt/verify.html",
        {
            "application": application,
            "applicant": receipts.masked_applicant(application),
            "documents": application.documents.count(),
        },
    )
