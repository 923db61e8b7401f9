"""Track 1 (OJT) monthly reports: the intern's work log, the mentor's report and its page of
interns, staff review (htmx on the queue), and each report as its parties read it."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import ojt, selectors
from itda.internships.forms import OjtLogForm, OjtMentorForm, OjtReviewForm
from itda.internships.models import Internship, OjtReport, OjtReportKind, OjtReportState

_RELATED = (
    "placement__trainee",
    "placement__position__company",
    "placement__position__track",
    "mentor__user",
    "programme",
)


def _month(internship: Internship, year: int, month: int) -> datetime.date:
    """The month of the URL, if the internship reports it; else 404."""
    if not 1 <= month <= 12 or not ojt.reports_monthly(internship):
        raise Http404
    first = datetime.date(year, month, 1)
    if first not in ojt.months(internship):
        raise Http404
    return first


def _errors(request, error) -> None:
    messages.error(request, " ".join(error.messages))


@never_cache
def report_edit(request, pk: int, year: int, month: int, kind: str):
    """The writer's form for one month's report: the intern's log or the mentor's report.
    "임시 저장" keeps a draft; "제출" hands it in (a returned report goes back as resubmitted)."""
    if kind not in OjtReportKind.values:
        raise Http404
    action = "update" if request.method == "POST" else "view"
    internship = personal_detail(
        request, Internship.objects.select_related(*_RELATED), pk, action=action
    )
    first = _month(internship, year, month)
    if not ojt.may_write(internship, kind, request.user):
        raise PermissionDenied
    report = internship.ojt_reports.filter(month=first, kind=kind).first()
    mentor = kind == OjtReportKind.MENTOR
    form_class, extra = OjtLogForm, {}
    if mentor:
        criteria = ojt.criteria_for(internship.programme)
        extra = {"criteria": criteria, "scheduled_days": len(ojt.scheduled(internship, first))}
        form_class = OjtMentorForm
    initial = _initial(report, mentor)
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        submit = "submit" in request.POST
        try:
            if mentor:
                data = {k: data[k] for k in ("attendance_days", "comment")}
                ojt.ojt_mentor_report_save(
                    internship=internship,
                    month=first,
                    scores=form.scores(),
                    submit=submit,
                    actor=request.user,
                    **data,
                )
            else:
                ojt.ojt_log_save(
                    internship=internship, month=first, submit=submit, actor=request.user, **data
                )
        except ojt.OjtError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "제출했습니다." if submit else "임시 저장했습니다.")
            return redirect("internships:mentor_interns" if mentor else "internships:my_internship")
    return render(
        request,
        "internships/ojt/report_form.html",
        {
            "internship": internship,
            "month": first,
            "kind": kind,
            "kind_label": OjtReportKind(kind).label,
            "report": report,
            "form": form,
            "editable": report is None or report.state in ojt.EDITABLE,
            "opens_on": ojt.opens_on(internship, first, kind),
            "due_on": ojt.due_on(internship, first),
            "amount": ojt.month_amount(internship, first, attendance_days=None),
            "today": ojt.today(),
        },
    )


def _initial(report: OjtReport | None, mentor: bool) -> dict:
    if report is None:
        return {}
    if not mentor:
        return {k: getattr(report, k) for k in ("tasks", "hours_per_week", "learnt")}
    initial = {"attendance_days": report.attendance_days, "comment": report.comment}
    initial.update({f"score_{s.criterion_id}": s.score for s in report.scores.all()})
    return initial


_REPORT_RELATED = tuple(f"internship__{r}" for r in _RELATED) + ("written_by",)


@never_cache
def report_detail(request, pk: int):
    """One monthly report as its parties read it, its trail, and staff's approve/return."""
    report = personal_detail(request, OjtReport.objects.select_related(*_REPORT_RELATED), pk)
    internship = report.internship
    reviewing = report.state in ojt.AWAITING_REVIEW and ojt.may_review(internship, request.user)
    approved = report.state == OjtReportState.APPROVED
    amount = None
    if report.kind == OjtReportKind.MENTOR:
        amount = ojt.month_amount(
            internship, report.month, attendance_days=report.attendance_days if approved else None
        )
    # The intern reads the mentor's report once staff approved it (not the mentor's drafts).
    hide = (
        report.kind == OjtReportKind.MENTOR
        and request.user.role == Role.TRAINEE
        and report.state != OjtReportState.APPROVED
    )
    return render(
        request,
        "internships/ojt/report_detail.html",
        {
            "report": report,
            "hide_content": hide,
            "internship": internship,
            "scores": report.scores.select_related("criterion"),
            "amount": amount,
            "may_edit": report.state in ojt.EDITABLE
            and ojt.may_write(internship, report.kind, request.user),
            "review_form": OjtReviewForm() if reviewing else None,
            "transitions": report.transitions.select_related("actor"),
        },
    )


@require_POST
def report_review(request, pk: int):
    """Staff approve or return a submitted report. From the queue (htmx) the answer is the
    queue's row as it now stands; otherwise back to the report."""
    require_role(request, *PROGRAMME_STAFF)
    report = personal_detail(
        request, OjtReport.objects.select_related(*_REPORT_RELATED), pk, action="update"
    )
    form = OjtReviewForm(request.POST)
    error = None
    if not form.is_valid():
        error = " ".join(e for errs in form.errors.values() for e in errs)
    else:
        try:
            report = ojt.ojt_report_review(
                report=report,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ojt.OjtError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        report = OjtReport.objects.select_related(*_REPORT_RELATED).get(pk=report.pk)
        return render(
            request,
            "internships/ojt/_review_row.html",
            {"r": _queue_row(report), "form": form if error else OjtReviewForm(), "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{report.get_state_display()} 처리했습니다.")
    return redirect("internships:ojt_report_detail", pk=report.pk)


def _queue_row(report: OjtReport) -> dict:
    """What the queue shows of a report: for a mentor report, the month's scheduled days."""
    internship = report.internship
    return {
        "report": report,
        "scheduled": len(ojt.scheduled(internship, report.month))
        if report.kind == OjtReportKind.MENTOR
        else None,
    }


@never_cache
def review_queue(request):
    """Staff: the submitted and resubmitted monthly reports of the internships they manage,
    oldest first, each to approve or return in place."""
    require_role(request, *PROGRAMME_STAFF)
    page = personal_page(
        request,
        OjtReport.objects.filter(state__in=ojt.AWAITING_REVIEW)
        .select_related(*_REPORT_RELATED)
        .order_by("submitted_at", "pk"),
    )
    return render(
        request,
        "internships/ojt/review_queue.html",
        {"page": page, "rows": [_queue_row(r) for r in page], "form": OjtReviewForm()},
    )


@never_cache
def mentor_interns(request):
    """A mentor's interns, each month's log and mentor report, what is due and overdue."""
    require_role(request, Role.MENTOR)
    page = personal_page(
        request,
        Internship.objects.filter(mentor__user=request.user)
        .select_related(*_RELATED)
        .order_by("starts_on", "pk"),
    )
    internships = list(page)
    day = ojt.today()
    months: dict[int, list] = {}
    for row in selectors.ojt_months(
        Internship.objects.filter(pk__in=[i.pk for i in internships]), day=day
    ):
        months.setdefault(row.internship_id, []).append(row)
    return render(
        request,
        "internships/ojt/mentor_interns.html",
        {
            "page": page,
            "interns": [(i, months.get(i.pk, [])) for i in internships],
            "today": day,
        },
    )
