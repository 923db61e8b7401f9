"""Track 2 (PBL) pages: the company side sets the problem and milestones and reviews; the
intern hands in deliverables from a phone (내 인턴십 › PBL); staff of the managing group and
other mentors of the company watch. Every object is reached through the scope rule (not yours:
404) and every look at, or download of, an intern's work is logged."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import pbl, selectors
from itda.internships.forms import ReasonForm
from itda.internships.models import (
    VOID_INTERNSHIP,
    Deliverable,
    Internship,
    Milestone,
    Party,
    ReviewDecision,
)
from itda.lib.files import private_download
from itda.lib.forms import BoundedDatesMixin, require_messages

# Everyone who may open a PBL page of an internship they can see.
_READERS = (Role.COMPANY, Role.MENTOR, Role.TRAINEE, *PROGRAMME_STAFF)
_COMPANY_SIDE = (Role.COMPANY, Role.MENTOR)


# --- forms ---------------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    """The problem statement the company side sets."""

    title = forms.CharField(label="과제명", max_length=200)
    description = forms.CharField(
        label="과제 설명", max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    expected_outcome = forms.CharField(
        label="기대 결과물", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label="변경 사유",
        max_length=300,
        required=False,
        help_text="처음 정할 때는 비워 두고, 바꿀 때는 사유를 적습니다.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "title", "description", "expected_outcome")


class MilestoneForm(BoundedDatesMixin, forms.Form):
    """A milestone the company side plans."""

    title = forms.CharField(label="마일스톤", max_length=200)
    description = forms.CharField(
        label="내용", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label="마감일", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "title", "due_on")


class UploadForm(forms.Form):
    """A deliverable the intern hands in."""

    upload = forms.FileField(
        label="파일",
        help_text=(
            f"{pbl.DELIVERABLE_KINDS_LABEL} · {pbl.DELIVERABLE_MAX_MB}MB 이하. "
            "소스 코드는 ZIP으로 묶어 올리세요."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(pbl.DELIVERABLE_EXTENSIONS)}),
    )
    note = forms.CharField(label="설명", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].error_messages.update(
            {"required": "올릴 파일을 고르세요.", "empty": "빈 파일은 올릴 수 없습니다."}
        )


class MilestoneReviewForm(forms.Form):
    """The company side's review of the version it read."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="검토 결과", choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="의견",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="보완을 요청할 때는 무엇을 고칠지 적어야 합니다.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "decision")


class FinalReviewForm(forms.Form):
    """The final review: a score per criterion, a summary and a comment."""

    summary = forms.CharField(
        label="수행 요약", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    comment = forms.CharField(
        label="종합 의견", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label, points in pbl.PBL_CRITERIA:
            self.fields[f"score_{code}"] = forms.IntegerField(
                label=f"{label} ({points}점)",
                min_value=0,
                max_value=points,
                error_messages={
                    "min_value": f"{label} 점수는 0점 이상이어야 합니다.",
                    "max_value": f"{label} 점수는 {points}점 이하여야 합니다.",
                },
            )
        require_messages(self, "summary", *(f"score_{c}" for c, _l, _p in pbl.PBL_CRITERIA))

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"score_{code}"] for code, _l, _p in pbl.PBL_CRITERIA}


# --- finding things ------------------------------------------------------------------------------


def _form_errors(request, form: forms.BaseForm) -> None:
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _pbl_internship(request, pk: int, *, action: str = "view") -> Internship:
    """One PBL internship the user may see, the look logged; 404 otherwise (not visible, or
    not on a PBL track)."""
    require_role(request, *_READERS)
    internship = personal_detail(
        request,
        Internship.objects.select_related(
            "placement__position__track", "placement__position__company", "placement__trainee"
        ),
        pk,
        action=action,
    )
    if not pbl.is_pbl(internship):
        raise Http404
    return internship


def _milestone(request, pk: int, *, action: str = "update") -> Milestone:
    """One milestone of a PBL internship the user may see, the look logged; 404 otherwise."""
    require_role(request, *_READERS)
    milestone = personal_detail(
        request,
        Milestone.objects.select_related(
            "internship__placement__position__track",
            "internship__placement__position__company",
            "internship__placement__trainee",
        ),
        pk,
        action=action,
    )
    if not pbl.is_pbl(milestone.internship):
        raise Http404
    return milestone


def _require_company_side(request, internship: Internship) -> None:
    """403 for a visible internship the user does not plan or review (staff, other mentors)."""
    if pbl.side_of(internship, request.user) != Party.COMPANY:
        raise PermissionDenied


def _back(request, internship: Internship):
    """To the PBL page the user came from: the intern's own, or the internship's."""
    if request.user.role == Role.TRAINEE:
        return redirect("internships:my_pbl")
    return redirect("internships:pbl_page", pk=internship.pk)


# --- pages ---------------------------------------------------------------------------------------


def _page(request, internship: Internship, *, mine: bool = False):
    side = pbl.side_of(internship, request.user)
    today = timezone.localdate()
    milestones = pbl.board(internship, today)
    return render(
        request,
        "internships/pbl.html",
        {
            "internship": internship,
            "programme": internship.programme,
            "mine": mine,
            "side": side,
            "problem": pbl.current_problem(internship),
            "problem_history": internship.problem_versions.select_related("author"),
            "problem_locked": pbl.problem_locked(internship),
            "milestones": milestones,
            "working": internship.state in pbl.WORKING_STATES,
            "planning": internship.state in pbl.PLANNING_STATES,
            "final_review": getattr(internship, "final_review", None),
            "final_ready": pbl.final_review_ready(internship),
            "upload_form": UploadForm() if side == Party.INTERN else None,
            "review_form": MilestoneReviewForm() if side == Party.COMPANY else None,
            "cancel_form": ReasonForm() if side == Party.COMPANY else None,
            "max_mb": pbl.DELIVERABLE_MAX_MB,
            "due_soon_days": pbl.DUE_SOON_DAYS,
        },
    )


@never_cache
@require_safe
def pbl_page(request, pk: int):
    """An internship's PBL: problem, milestones, deliverables and reviews; the forms its side
    may use (the company side plans and reviews, the intern hands in), read-only for staff."""
    return _page(request, _pbl_internship(request, pk))


@never_cache
@require_safe
def my_pbl(request):
    """내 인턴십 › PBL: the trainee's current PBL internship, on a phone."""
    require_role(request, Role.TRAINEE)
    internship = (
        selectors.internships_for(request.user)
        .exclude(state__in=VOID_INTERNSHIP)
        .select_related("placement__position__track")
        .last()
    )
    if internship is None or not pbl.is_pbl(internship):
        return render(request, "internships/pbl.html", {"internship": None, "mine": True})
    return _page(request, internship, mine=True)


def _form_page(request, internship: Internship, form, save, *, done: str, heading: str, **extra):
    """A company-side form on one PBL internship: on a valid POST ``save(cleaned_data)`` runs
    the service, and a refusal stays on the form with its Korean message."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except pbl.PblError as exc:
            _refused(request, exc)
        else:
            messages.success(request, done)
            return redirect("internships:pbl_page", pk=internship.pk)
    return render(
        request,
        "internships/pbl_form.html",
        {"internship": internship, "form": form, "heading": heading, **extra},
    )


def _company_internship(request, pk: int) -> Internship:
    internship = _pbl_internship(request, pk)
    _require_company_side(request, internship)
    return internship


@never_cache
def problem_edit(request, pk: int):
    """The company side sets or changes the problem statement (a new version each time)."""
    internship = _company_internship(request, pk)
    current = pbl.current_problem(internship)
    if current is not None:
        initial = {f: getattr(current, f) for f in ("title", "description", "expected_outcome")}
    else:  # the PBL problem the company wrote on the position, as a start
        initial = {"description": internship.placement.position.problem_statement}
    return _form_page(
        request,
        internship,
        ProblemForm(request.POST or None, initial=initial),
        lambda data: pbl.problem_set(internship=internship, actor=request.user, **data),
        done="과제를 저장했습니다.",
        heading="PBL 과제",
    )


@never_cache
def milestone_new(request, pk: int):
    """The company side adds a milestone."""
    internship = _company_internship(request, pk)
    return _form_page(
        request,
        internship,
        MilestoneForm(request.POST or None),
        lambda data: pbl.milestone_create(internship=internship, actor=request.user, **data),
        done="마일스톤을 추가했습니다.",
        heading="마일스톤 추가",
    )


@never_cache
def milestone_edit(request, pk: int):
    """The company side changes a milestone not yet accepted."""
    milestone = _milestone(request, pk, action="view")
    _require_company_side(request, milestone.internship)
    initial = {f: getattr(milestone, f) for f in MilestoneForm.base_fields}
    return _form_page(
        request,
        milestone.internship,
        MilestoneForm(request.POST or None, initial=initial),
        lambda data: pbl.milestone_change(milestone=milestone, actor=request.user, **data),
        done="마일스톤을 바꿨습니다.",
        heading=f"마일스톤 바꾸기 · {milestone.title}",
    )


@never_cache
def final_review(request, pk: int):
    """The company side's final review, once every milestone is accepted."""
    internship = _company_internship(request, pk)
    form = FinalReviewForm(request.POST or None)
    return _form_page(
        request,
        internship,
        form,
        lambda data: pbl.final_review_give(
            internship=internship,
            summary=data["summary"],
            comment=data["comment"],
            scores=form.scores(),
            actor=request.user,
        ),
        done="최종 평가를 저장했습니다.",
        heading="PBL 최종 평가",
        criteria_points="·".join(str(points) for _c, _l, points in pbl.PBL_CRITERIA),
        programme=internship.programme,
    )


def _on_milestone(request, pk: int, form, service, done):
    """A POST on one milestone: a valid form runs ``service``; ``done(result)`` is the success
    message; a refusal comes back as a Korean message and changes nothing."""
    milestone = _milestone(request, pk)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            result = service(milestone=milestone, actor=request.user, **form.cleaned_data)
        except pbl.PblError as exc:
            _refused(request, exc)
        else:
            messages.success(request, done(result))
    return _back(request, milestone.internship)


@require_POST
def milestone_cancel(request, pk: int):
    """The company side drops a milestone, with a reason."""
    return _on_milestone(
        request,
        pk,
        ReasonForm(request.POST),
        pbl.milestone_cancel,
        lambda _m: "마일스톤을 취소했습니다.",
    )


@require_POST
def deliverable_upload(request, pk: int):
    """The intern hands in a file for a milestone (a new version)."""
    return _on_milestone(
        request,
        pk,
        UploadForm(request.POST, request.FILES),
        pbl.deliverable_upload,
        lambda d: f"버전 {d.version}을 제출했습니다. 멘토 검토를 기다립니다.",
    )


@require_POST
def milestone_review(request, pk: int):
    """The company side accepts a milestone or asks for changes."""
    return _on_milestone(
        request,
        pk,
        MilestoneReviewForm(request.POST),
        pbl.milestone_review,
        lambda _r: "검토 결과를 저장했습니다.",
    )


@never_cache
@require_safe
def deliverable_download(request, pk: int):
    """A deliverable's file, for whoever may see the internship; logged as a download (who,
    when, which), always an attachment, never rendered inline."""
    require_role(request, *_READERS)
    deliverable = personal_detail(
        request,
        Deliverable.objects.select_related("milestone__internship"),
        pk,
        action="export",
        reason="PBL 산출물 내려받기",
    )
    return private_download(deliverable.file, deliverable.original_name)
