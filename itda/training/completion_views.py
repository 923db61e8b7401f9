"""Completion and certificates: staff of the cohort's group judge and confirm completion and
issue certificates; trainees download their own; anyone can verify a certificate by its code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF
from itda.accounts.services import personal_data_access_record
from itda.lib.masking import mask_name
from itda.training import completion
from itda.training.models import Certificate, Cohort
from itda.training.tasks import cohort_certificates_issue_task

ASSESSMENT_VALUES = {"pass": True, "fail": False, "": None}


def _staff_cohort(request, pk: int) -> Cohort:
    """A cohort of one of the user's operating groups (any, for the national operator).
    Another group's cohort answers 404 like a missing one; other roles are refused."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(Cohort.objects.visible_to(request.user).select_related("rule"), pk=pk)


def _certificates(cohort: Cohort):
    return (
        Certificate.objects.filter(enrollment__cohort=cohort)
        .select_related("enrollment__trainee")
        .order_by("serial")
    )


@never_cache
def cohort_completion(request, pk: int):
    """수료 판정: every trainee's rate and assessment under the rule, then the certificates."""
    cohort = _staff_cohort(request, pk)
    now = timezone.now()
    judgements = completion.completion_preview(cohort, now=now)
    if judgements:
        personal_data_access_record(
            request=request,
            subject_type="training.enrollment",
            subject_ids=[j.enrollment.pk for j in judgements],
            action="list",
        )
    return render(
        request,
        "training/completion/cohort.html",
        {
            "cohort": cohort,
            "rule": cohort.rule,
            "judgements": judgements,
            "expected_count": sum(j.expected for j in judgements),
            "in_progress": now < completion.cohort_end(cohort),
            "meeting_count": sum(j.rate_ok for j in judgements),
            # Every judgement counts the same sessions, so any one tells how far the cohort is.
            "so_far": judgements[0].progress if judgements else None,
            "assessment_editable": cohort.course.has_assessment and not cohort.completed_at,
            "certificates": _certificates(cohort),
            "progress": completion.certificate_progress(cohort),
            "polling": request.GET.get("batch") == "1",
        },
    )


def _back(cohort: Cohort, suffix: str = ""):
    return redirect(reverse("completion:cohort", args=[cohort.pk]) + suffix)


@require_POST
def assessment_save(request, pk: int):
    """Record the assessment results typed into the judgement table."""
    cohort = _staff_cohort(request, pk)
    try:
        results = {
            int(key.removeprefix("result-")): ASSESSMENT_VALUES[value]
            for key, value in request.POST.items()
            if key.startswith("result-")
        }
    except (KeyError, ValueError):
        messages.error(request, "평가 결과 값이 올바르지 않습니다.")
        return _back(cohort)
    try:
        changed = completion.assessment_results_record(
            cohort=cohort, results=results, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"평가 결과 {changed}건을 저장했습니다.")
    return _back(cohort)


@require_POST
def completion_confirm(request, pk: int):
    """Confirm the judgement: statuses and the cohort's completion time, at once."""
    cohort = _staff_cohort(request, pk)
    try:
        judgements = completion.completion_confirm(cohort=cohort, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        done = sum(j.completed for j in judgements)
        messages.success(
            request, f"수료 판정을 확정했습니다: 수료 {done}명, 미수료 {len(judgements) - done}명."
        )
    return _back(cohort)


@require_POST
def certificates_issue(request, pk: int):
    """수료증 일괄 발급: queue the cohort's batch; the page follows its progress."""
    cohort = _staff_cohort(request, pk)
    if not cohort.completed_at:
        messages.error(request, "수료 판정을 확정한 뒤에 수료증을 발급할 수 있습니다.")
        return _back(cohort)
    transaction.on_commit(lambda: cohort_certificates_issue_task.enqueue(cohort_id=cohort.pk))
    messages.success(request, "수료증 일괄 발급을 시작했습니다.")
    return _back(cohort, "?batch=1")


@never_cache
def certificates_progress(request, pk: int):
    """The batch's progress (polled by the page while certificates are still being made)."""
    cohort = _staff_cohort(request, pk)
    return render(
        request,
        "training/completion/_progress.html",
        {"cohort": cohort, "progress": completion.certificate_progress(cohort), "polling": True},
    )


def _certificate(request, pk: int, *, action: str = "view", reason: str = "") -> Certificate:
    return personal_detail(
        request,
        Certificate.objects.select_related("enrollment__trainee", "enrollment__cohort__course"),
        pk,
        action=action,
        reason=reason,
    )


@never_cache
def certificate_detail(request, pk: int):
    """One certificate: its facts, the download and, for staff, revocation."""
    certificate = _certificate(request, pk)
    return render(
        request,
        "training/completion/certificate.html",
        {
            "certificate": certificate,
            "can_revoke": request.user.role in PROGRAMME_STAFF,
        },
    )


@never_cache
def certificate_download(request, pk: int):
    """The certificate PDF: the holder's own, or any in the staff member's scope (logged as a
    download). A revoked certificate is no longer handed to its holder."""
    staff = request.user.role in PROGRAMME_STAFF
    certificate = _certificate(
        request,
        pk,
        action="export" if staff else "view",
        reason="수료증 PDF 내려받기" if staff else "",
    )
    if not certificate.pdf or (certificate.revoked_at and not staff):
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"수료증_{certificate.serial}.pdf",
        content_type="application/pdf",
    )


@require_POST
def certificate_revoke(request, pk: int):
    """Revoke a certificate with a reason (staff of the holder's region)."""
    require_role(request, *PROGRAMME_STAFF)
    certificate = _certificate(request, pk)
    try:
        completion.certificate_revoke(
            certificate=certificate, reason=request.POST.get("reason", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"수료증 {certificate.serial}을 취소했습니다.")
    return redirect("completion:certificate", pk=certificate.pk)


@login_not_required
@never_cache
def certificate_verify(request, code: str):
    """Public verification by the code in the QR: valid or revoked, with the holder's name
    masked. Looked up by its unguessable code, so it needs no scope and shows no more."""
    certificate = (
        Certificate.objects.select_related(
            "enrollment__trainee", "enrollment__cohort__course__operating_group"
        )
        .filter(verification_code=code)
        .first()
    )
    if certificate is None:
        return render(request, "training/completion/verify_unknown.html", status=404)
    return render(
        request,
        "training/completion/verify.html",
        {
            "certificate": certificate,
            "masked_name": mask_name(certificate.enrollment.trainee.name),
            "cohort": certificate.enrollment.cohort,
        },
    )
