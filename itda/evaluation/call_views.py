"""The call editor: a call, its documents and its evaluation scheme written in the app (not the
Django admin), previewed as the public page, then published.

The national operator writes any call; an operating group's staff write trainee calls of their
own group, and another group's call answers 404 (``recruitment.selectors.calls_run_by``). It
lives with evaluation because a call is published together with its scheme."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.evaluation import services
from itda.evaluation.forms import (
    WEIGHT_TOTAL,
    WEIGHT_TOTAL_ORIGIN,
    CriterionFormSet,
    QuotaFormSet,
    SchemeForm,
)
from itda.evaluation.models import Scheme
from itda.evaluation.seed import trainee_scheme_initial
from itda.recruitment import selectors as recruitment_selectors
from itda.recruitment import services as recruitment_services
from itda.recruitment.forms import CallForm, DocumentRequirementFormSet
from itda.recruitment.models import Call, CallKind


def _own_call(request, pk: int) -> Call:
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(
        recruitment_selectors.calls_run_by(request.user).select_related("programme"), pk=pk
    )


def _group(request, call: Call | None = None):
    """The operating group whose call staff write (None for the operator, who chooses)."""
    if request.user.role == Role.OPERATOR:
        return None
    if call is not None:
        return call.operating_group
    group = request.user.operating_groups.select_related("programme").first()
    if group is None:
        raise PermissionDenied
    return group


def _call_page(request, call: Call | None):
    group = _group(request, call)
    posted = request.POST if request.method == "POST" else None
    # A group's new trainee call starts with the trainee consent notice (editable).
    initial = (
        {
            "consent_text": recruitment_services.TRAINEE_CONSENT_TEXT,
            "consent_version": recruitment_services.TRAINEE_CONSENT_VERSION,
        }
        if call is None and group is not None
        else None
    )
    form = CallForm(posted, instance=call, group=group, initial=initial)
    documents = DocumentRequirementFormSet(posted, instance=call or Call(), prefix="documents")
    if posted is not None and form.is_valid() and documents.is_valid():
        try:
            call = recruitment_services.call_save(
                form=form, documents=documents, actor=request.user
            )
        except recruitment_services.ApplicationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "공고를 저장했습니다. 평가 기준표를 정하세요.")
            return redirect("rounds:scheme_edit", pk=call.pk)
    return render(
        request,
        "evaluation/calls/call_form.html",
        {
            "call": call,
            "group": group,
            "form": form,
            "documents": documents,
            "locked": recruitment_services.call_has_applications(call) if call else False,
        },
        status=400 if posted is not None else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def call_new(request):
    """공고 작성: a new call, unpublished until its scheme is ready."""
    require_role(request, *PROGRAMME_STAFF)
    return _call_page(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    """공고 수정: once anyone has applied, the rules they applied under are refused."""
    return _call_page(request, _own_call(request, pk))


@never_cache
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int):
    """평가 기준표: aggregation, cut-off, seats, the criteria with weights summing to 100, and
    the quotas as rows (a 권역, track or kind of company and its seats). A trainee call without
    a scheme starts from the default trainee scheme."""
    call = _own_call(request, pk)
    scheme = Scheme.objects.filter(call=call).first()
    posted = request.POST if request.method == "POST" else None
    start, start_criteria = (
        trainee_scheme_initial(call)
        if scheme is None and call.kind == CallKind.TRAINEE
        else (None, [])
    )
    form = SchemeForm(posted, instance=scheme, initial=start)
    criteria = CriterionFormSet(
        posted, instance=scheme or Scheme(), prefix="criteria", initial=start_criteria
    )
    quotas = QuotaFormSet(posted, programme=call.programme, scheme=scheme, prefix="quotas")
    if posted is not None and all([form.is_valid(), criteria.is_valid(), quotas.is_valid()]):
        try:
            services.scheme_save(
                call=call,
                form=form,
                criteria=criteria,
                quotas=quotas.quotas,
                actor=request.user,
            )
        except services.EvaluationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "평가 기준표를 저장했습니다.")
            if call.published_at is None:
                return redirect("rounds:call_preview", pk=call.pk)
            return redirect("recruitment:call_detail", pk=call.pk)
    return render(
        request,
        "evaluation/calls/scheme_form.html",
        {
            "call": call,
            "form": form,
            "criteria": criteria,
            "quotas": quotas,
            "trainee_default": start is not None,
            "weight_total": WEIGHT_TOTAL,
            "weight_total_origin": WEIGHT_TOTAL_ORIGIN,
            "locked": recruitment_services.call_has_applications(call),
        },
        status=400 if posted is not None else 200,
    )


@never_cache
def call_preview(request, pk: int):
    """The public call page as applicants will see it, before it is published."""
    call = _own_call(request, pk)
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "preview": True,
            "now": timezone.now(),
            "is_open": False,
            "eligibility": recruitment_selectors.eligibility_labels(call),
        },
    )


@require_POST
def call_publish(request, pk: int):
    """Publish a previewed call with its scheme."""
    call = _own_call(request, pk)
    try:
        services.call_publish(call=call, actor=request.user)
    except services.EvaluationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rounds:call_preview", pk=pk)
    messages.success(request, "공고를 공개했습니다. 접수 기간에 신청을 받습니다.")
    return redirect("recruitment:call_detail", pk=pk)
