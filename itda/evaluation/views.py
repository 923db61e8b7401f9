"""Evaluator pages: assigned applications, the score sheet, conflicts of interest, declared
relations, and the chair closing the round.

An evaluator reaches an application only through the scope rule (assigned and not conflicted):
anything else answers 404 and leaves a 'denied' row in the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import Role
from itda.accounts.services import personal_data_access_record
from itda.evaluation import services
from itda.evaluation.forms import ConflictForm, RelationForm, ScoreSheetForm
from itda.evaluation.models import (
    Assignment,
    ConflictOfInterest,
    ConflictSource,
    Evaluator,
    EvaluatorRelation,
    Panel,
    PanelStatus,
    ScoreSheet,
    SheetStatus,
)
from itda.evaluation.selectors import SCORING_DAYS, scoring_due
from itda.recruitment.forms import answers_labelled
from itda.recruitment.models import Application
from itda.recruitment.snapshots import applicant_facts, applicant_label

NOT_STARTED = "미작성"


def _evaluator(request) -> Evaluator | None:
    """The logged-in evaluator's pool record; other roles are refused."""
    require_role(request, Role.EVALUATOR)
    return Evaluator.objects.visible_to(request.user).select_related("region").first()


# --- Home ------------------------------------------------------------------------------------


def _by_call(assignments: list[Assignment]) -> list[dict]:
    """The assignments call by call, each call with its due day and the evaluator's progress."""
    calls: dict[int, dict] = {}
    for a in assignments:
        call = a.application.call
        row = calls.setdefault(
            call.pk, {"call": call, "due": scoring_due(call), "rows": [], "done": 0}
        )
        row["rows"].append(a)
        row["done"] += a.status_code in (SheetStatus.SUBMITTED, SheetStatus.LOCKED)
    return list(calls.values())


def _home(request, evaluator: Evaluator | None, *, relation_form: RelationForm | None = None):
    assignments = []
    panels = []
    relations = []
    conflicts = []
    if evaluator is not None:
        assignments = list(
            Assignment.objects.filter(
                evaluator=evaluator,
                application__in=Application.objects.visible_to(request.user).values("pk"),
            )
            .select_related("application__call", "sheet")
            .order_by("-application__call__opens_at", "application__call_id", "application_id")
        )
        for a in assignments:
            sheet = getattr(a, "sheet", None)
            a.status_label = sheet.get_status_display() if sheet else NOT_STARTED
            a.status_code = sheet.status if sheet else "none"
            a.applicant = applicant_label(a.application)
        if assignments:
            personal_data_access_record(
                request=request,
                subject_type=Application._meta.label_lower,
                subject_ids=[a.application_id for a in assignments],
                action="list",
            )
        done = [SheetStatus.SUBMITTED, SheetStatus.LOCKED]
        panels = list(
            Panel.objects.filter(chair=evaluator)
            .select_related("call")
            .annotate(
                n_assigned=Count("call__applications__assignments", distinct=True),
                n_done=Count(
                    "call__applications__assignments",
                    filter=Q(call__applications__assignments__sheet__status__in=done),
                    distinct=True,
                ),
            )
            .order_by("-call__opens_at", "pk")
        )
        relations = list(EvaluatorRelation.objects.visible_to(request.user).order_by("pk"))
        conflicts = list(
            ConflictOfInterest.objects.filter(evaluator=evaluator, source=ConflictSource.DECLARED)
            .select_related("application__call")
            .annotate(
                scoring_started=Exists(
                    ScoreSheet.objects.filter(
                        assignment__application__call=OuterRef("application__call")
                    )
                )
            )
            .order_by("-created_at", "pk")
        )
    return render(
        request,
        "evaluation/evaluator_home.html",
        {
            "evaluator": evaluator,
            "calls": _by_call(assignments),
            "conflicts": conflicts,
            "scoring_days": SCORING_DAYS,
            "panels": panels,
            "relations": relations,
            "relation_form": relation_form or RelationForm(prefix="relation"),
        },
    )


@never_cache
def evaluator_home(request):
    """평가위원: their assigned applications by call, the panels they chair, their relations."""
    return _home(request, _evaluator(request))


@transaction.atomic
@require_POST
def relation_add(request):
    """An evaluator declares a relation (employer, family, advisory) in advance."""
    evaluator = _evaluator(request)
    if evaluator is None:
        raise PermissionDenied
    form = RelationForm(request.POST, prefix="relation")
    if not form.is_valid():
        return _home(request, evaluator, relation_form=form)
    _, found = services.evaluator_relation_add(
        evaluator=evaluator,
        kind=form.cleaned_data["kind"],
        organisation_name=form.cleaned_data["organisation_name"],
        business_number=form.cleaned_data["business_number"],
    )
    text = "이해관계를 등록했습니다."
    if found:
        text += f" 이해충돌 신청서 {found}건이 확인되어 평가 대상에서 제외됩니다."
    messages.success(request, text)
    return redirect("evaluation:evaluator_home")


@require_POST
def conflict_withdraw(request, pk: int):
    """An evaluator withdraws a conflict they declared, while scoring of the call has not begun."""
    evaluator = _evaluator(request)
    if evaluator is None:
        raise PermissionDenied
    conflict = get_object_or_404(ConflictOfInterest, pk=pk, evaluator=evaluator)
    try:
        services.conflict_withdraw(conflict=conflict, evaluator=evaluator)
    except services.EvaluationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "이해충돌 신고를 철회했습니다. 이 신청서는 담당자가 평가를 다시 배정하면 "
            "배정될 수 있습니다.",
        )
    return redirect("evaluation:evaluator_home")


@require_POST
def panel_close(request, pk: int):
    """The panel chair closes the round; every sheet must have been submitted."""
    evaluator = _evaluator(request)
    if evaluator is None:
        raise PermissionDenied
    panel = get_object_or_404(
        Panel.objects.filter(Q(chair=evaluator) | Q(members=evaluator))
        .select_related("call")
        .distinct(),
        pk=pk,
    )
    if panel.chair_id != evaluator.pk:
        raise PermissionDenied
    try:
        services.panel_close(panel=panel, actor=request.user)
    except services.EvaluationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"「{panel.call.title}」 평가를 마감했습니다. 모든 평가표가 확정되었습니다."
        )
    return redirect("evaluation:evaluator_home")


# --- Score sheet -----------------------------------------------------------------------------


def _own_assignment(request, pk: int) -> tuple[Assignment, Application]:
    """The user's own assignment and its application, through the scope rule: someone else's
    assignment, or an application with a conflict, is a 404 (and a 'denied' log row)."""
    assignment = get_object_or_404(Assignment.objects.select_related("evaluator"), pk=pk)
    application = personal_detail(
        request,
        Application.objects.filter(
            assignments__pk=pk, assignments__evaluator__user=request.user
        ).select_related("call__track", "call__scheme", "call__panel"),
        assignment.application_id,
    )
    return assignment, application


def _sheet_page(
    request,
    assignment: Assignment,
    application: Application,
    *,
    form: ScoreSheetForm | None = None,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
):
    scheme = getattr(application.call, "scheme", None)
    criteria = list(scheme.criteria.all()) if scheme else []
    sheet = ScoreSheet.objects.filter(assignment=assignment).prefetch_related("scores").first()
    scores = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
    panel = getattr(application.call, "panel", None)
    closed = panel is not None and panel.status == PanelStatus.CLOSED
    editable = (
        scheme is not None and not closed and (sheet is None or sheet.status == SheetStatus.DRAFT)
    )
    if form is None and editable:
        initial = {"comment": sheet.comment if sheet else ""}
        for c in criteria:
            if c.pk in scores:
                initial[ScoreSheetForm.points_name(c)] = scores[c.pk].points
                initial[ScoreSheetForm.comment_name(c)] = scores[c.pk].comment
        form = ScoreSheetForm(criteria=criteria, initial=initial)
    rows = [(c, scores.get(c.pk)) for c in criteria]
    return render(
        request,
        "evaluation/sheet.html",
        {
            "assignment": assignment,
            "application": application,
            "facts": applicant_facts(application),
            "answers": answers_labelled(application),
            "scheme": scheme,
            "criteria": criteria,
            "rows": rows,
            "sheet": sheet,
            "status_label": sheet.get_status_display() if sheet else NOT_STARTED,
            "total": sum((s.points for s in scores.values()), start=0),
            "max_total": sum(c.max_points for c in criteria),
            "editable": editable,
            "closed": closed,
            "form": form if editable else None,
            "conflict_form": conflict_form or ConflictForm(prefix="conflict"),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sheet(request, pk: int):
    """평가표: the application as the scheme needs it, and the evaluator's scores — saved as a
    draft or submitted; a submitted or locked sheet is read-only."""
    assignment, application = _own_assignment(request, pk)
    if request.method == "GET":
        return _sheet_page(request, assignment, application)
    existing = ScoreSheet.objects.filter(assignment=assignment).only("status").first()
    panel = getattr(application.call, "panel", None)
    if panel is not None and panel.status == PanelStatus.CLOSED:
        messages.error(request, "평가가 마감되었습니다.")
        return redirect("evaluation:sheet", pk=pk)
    if existing is not None and existing.status != SheetStatus.DRAFT:
        messages.error(request, "제출한 평가표는 수정할 수 없습니다.")
        return redirect("evaluation:sheet", pk=pk)
    scheme = getattr(application.call, "scheme", None)
    if scheme is None:
        messages.error(request, "이 공모에는 평가 기준표가 없습니다.")
        return redirect("evaluation:sheet", pk=pk)
    form = ScoreSheetForm(request.POST, criteria=scheme.criteria.all())
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.sheet_save(
                assignment=assignment,
                points=form.points(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except services.EvaluationError as exc:
            form.add_service_errors(exc)
        else:
            if submit:
                messages.success(
                    request, f"{application.receipt_number or application} 평가표를 제출했습니다."
                )
                return redirect("evaluation:evaluator_home")
            messages.success(request, "임시저장했습니다. 제출 전까지 고칠 수 있습니다.")
            return redirect("evaluation:sheet", pk=pk)
    return _sheet_page(request, assignment, application, form=form)


@require_POST
def conflict_declare(request, pk: int):
    """이해충돌 신고 on an assigned application: from then on it answers 404."""
    assignment, application = _own_assignment(request, pk)
    form = ConflictForm(request.POST, prefix="conflict")
    if not form.is_valid():
        return _sheet_page(request, assignment, application, conflict_form=form)
    services.conflict_declare(
        evaluator=assignment.evaluator, application=application, note=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        f"{application.receipt_number or application} 신청서에 대한 이해충돌을 신고했습니다. "
        "이 신청서는 더 이상 열람·평가할 수 없습니다.",
    )
    return redirect("evaluation:evaluator_home")
