"""The hiring outcome (채용): the company confirms its hires, the intern reports a job found
elsewhere on a phone, staff record outcomes and verify or return what others reported."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import hiring, selectors
from itda.internships.ending_views import private_download
from itda.internships.forms import ReasonForm
from itda.internships.models import (
    ENDED_INTERNSHIP,
    Checkpoint,
    EmploymentType,
    HiringOutcome,
    Internship,
    OutcomeKind,
    OutcomeStatus,
    Party,
    WageBand,
)
from itda.lib.forms import BoundedDatesMixin, require_messages
from itda.training.attendance import EVIDENCE_MAX_MB

_BLANK = [("", "선택하세요")]


class OutcomeForm(BoundedDatesMixin, forms.Form):
    """One checkpoint's outcome as a party reports it; the fields its party never reports are
    left out (the company's hire names the company itself; an intern has no wage band)."""

    checkpoint = forms.ChoiceField(label="시점", choices=Checkpoint.choices)
    kind = forms.ChoiceField(label="결과", choices=OutcomeKind.choices)
    employer = forms.CharField(label="취업·진학한 곳", max_length=100, required=False)
    employment_type = forms.ChoiceField(
        label="고용 형태", choices=_BLANK + EmploymentType.choices, required=False
    )
    hired_on = forms.DateField(
        label="입사일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    wage_band = forms.ChoiceField(
        label="월 임금 구간", choices=_BLANK + WageBand.choices, required=False
    )
    insurance_acquired_on = forms.DateField(
        label="고용보험 취득일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contract = forms.FileField(
        label="근로계약서 사본",
        required=False,
        help_text=f"PDF, 이미지(JPG/PNG), 한글 파일, {EVIDENCE_MAX_MB}MB 이하",
    )
    note = forms.CharField(
        label="메모", max_length=300, required=False, help_text="확인된 결과를 고칠 때는 정정 사유"
    )

    def __init__(self, *args, kinds=tuple(OutcomeKind), checkpoints=tuple(Checkpoint), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["checkpoint"].choices = [(c.value, c.label) for c in checkpoints]
        if OutcomeKind.HIRED_HOST not in kinds:
            del self.fields["employment_type"], self.fields["wage_band"]
        if set(kinds) == {OutcomeKind.HIRED_HOST}:
            del self.fields["employer"]
        require_messages(self, "checkpoint", "kind")


class VersionForm(forms.Form):
    """The version of the outcome staff read before verifying it."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReturnForm(VersionForm, ReasonForm):
    """The version staff read and what the reporter must fix."""


def _open_checkpoints(internship: Internship) -> list[Checkpoint]:
    today = timezone.localdate()
    return [c for c in Checkpoint if hiring.checkpoint_on(internship, c) <= today]


def _report_page(request, internship: Internship, *, party: Party, back: str, title: str):
    """The outcome form of one internship for one party, and its timeline; a report (or a
    correction) goes through ``hiring.outcome_report``."""
    kinds = hiring.KINDS_BY_PARTY[party]
    checkpoints = _open_checkpoints(internship) if internship.state in ENDED_INTERNSHIP else []
    form = OutcomeForm(
        request.POST or None, request.FILES or None, kinds=kinds, checkpoints=checkpoints
    )
    if request.method == "POST" and form.is_valid():
        try:
            hiring.outcome_report(internship=internship, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = "기록했습니다." if party == Party.GROUP else "보고했습니다. 사업단이 확인합니다."
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "internships/outcome_form.html",
        {
            "title": title,
            "internship": internship,
            "form": form if checkpoints else None,
            "timeline": hiring.timeline(internship),
            "back": back,
            "party": party,
        },
    )


_INTERNSHIPS = Internship.objects.select_related(
    "placement__trainee", "placement__position__company", "programme"
)


@never_cache
@require_http_methods(["GET", "POST"])
def outcome_record(request, pk: int):
    """Staff record any outcome of an ended internship (verified as they record it)."""
    require_role(request, *PROGRAMME_STAFF)
    internship = personal_detail(request, _INTERNSHIPS, pk, action="update")
    return _report_page(
        request,
        internship,
        party=Party.GROUP,
        back=reverse("internships:internship_detail", args=[internship.pk]),
        title="채용 결과 기록",
    )


@never_cache
@require_safe
def company_hires(request):
    """우리 회사 채용: the company's ended internships and each checkpoint's outcome."""
    require_role(request, Role.COMPANY)
    internships = (
        selectors.internships_for(request.user)
        .filter(state__in=ENDED_INTERNSHIP, placement__position__company__managers=request.user)
        .prefetch_related(Prefetch("outcomes", queryset=HiringOutcome.objects.order_by("pk")))
        .order_by("-ends_on", "pk")
    )
    rows = []
    for internship in internships:
        by_checkpoint = {o.checkpoint: o for o in internship.outcomes.all()}
        rows.append((internship, [(c, by_checkpoint.get(c.value)) for c in Checkpoint]))
    return render(
        request,
        "internships/company_hires.html",
        {"rows": rows, "checkpoints": list(Checkpoint)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def company_hire(request, pk: int):
    """The company confirms that it hired one of its interns (per checkpoint)."""
    require_role(request, Role.COMPANY)
    internship = personal_detail(
        request,
        _INTERNSHIPS.filter(placement__position__company__managers=request.user),
        pk,
        action="update",
    )
    return _report_page(
        request,
        internship,
        party=Party.COMPANY,
        back=reverse("internships:company_hires"),
        title="채용 확인",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_outcome(request):
    """The intern reports a job found elsewhere (or further education) after the internship,
    and sees where the outcome stands."""
    require_role(request, Role.TRAINEE)
    internship = (
        selectors.internships_for(request.user)
        .filter(state__in=ENDED_INTERNSHIP)
        .order_by("ends_on", "pk")
        .last()
    )
    if internship is None:
        return render(request, "internships/outcome_form.html", {"internship": None})
    return _report_page(
        request,
        internship,
        party=Party.INTERN,
        back=reverse("internships:my_internship"),
        title="취업 보고",
    )


@never_cache
@require_safe
def outcome_queue(request):
    """Staff: reported outcomes to verify, and per checkpoint how many are due or overdue."""
    require_role(request, *PROGRAMME_STAFF)
    reported = HiringOutcome.objects.filter(status=OutcomeStatus.REPORTED).select_related(
        "internship__placement__trainee",
        "internship__placement__position__company",
        "reported_by",
    )
    today = timezone.localdate()
    due = hiring.outcomes_due(Internship.objects.visible_to(request.user), today)
    counts = [
        (
            Checkpoint(c),
            rows.aggregate(
                due=Count("pk", filter=Q(due_on__gte=today)),
                overdue=Count("pk", filter=Q(due_on__lt=today)),
            ),
        )
        for c, rows in due.items()
    ]
    return render(
        request,
        "internships/outcome_queue.html",
        {
            "page": personal_page(request, reported.order_by("reported_at", "pk")),
            "counts": counts,
            "due_days": hiring.OUTCOME_DUE_DAYS,
        },
    )


def _staff_outcome(request, pk: int) -> HiringOutcome:
    require_role(request, *PROGRAMME_STAFF)
    return personal_detail(request, HiringOutcome.objects.all(), pk, action="update")


def _decide(request, pk: int, form_class, service):
    outcome = _staff_outcome(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            service(outcome=outcome, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "처리했습니다.")
    return redirect("internships:outcome_queue")


@require_POST
def outcome_verify(request, pk: int):
    """Staff verify the version of a reported outcome they read."""
    return _decide(request, pk, VersionForm, hiring.outcome_verify)


@require_POST
def outcome_return(request, pk: int):
    """Staff return a reported outcome with what to fix."""
    return _decide(request, pk, ReturnForm, hiring.outcome_return)


@never_cache
@require_safe
def outcome_contract(request, pk: int):
    """The contract copy of an outcome (``?version=``: of that version), for the managing
    group, the company and the intern; logged, always a download."""
    if request.user.role not in (Role.COMPANY, Role.TRAINEE, *PROGRAMME_STAFF):
        raise PermissionDenied
    outcome = personal_detail(
        request, HiringOutcome.objects.all(), pk, action="export", reason="근로계약서 사본 열람"
    )
    file, name = outcome.contract, outcome.contract_name
    if version := request.GET.get("version"):
        if not version.isdigit():
            raise Http404
        step = get_object_or_404(outcome.transitions.exclude(contract=""), version=int(version))
        file, name = step.contract, step.values.get("contract_name", "")
    if not file:
        raise Http404
    return private_download(file, name)
