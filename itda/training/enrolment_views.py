"""Cohort rosters for the staff who run them: places and the waitlist (names masked, every view
logged), bulk enrolment of the selected, one trainee by hand, and withdrawal with promotion."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Func, Value
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import PROGRAMME_STAFF
from itda.accounts.services import personal_data_access_record
from itda.lib.masking import mask_name
from itda.programs.models import Trainee
from itda.training import enrolment
from itda.training.enrolment_forms import CohortSearchForm, EnrolOneForm, WithdrawForm
from itda.training.models import Cohort, Enrollment
from itda.training.selectors import cohort_roster, cohorts_run_by, cohorts_search

COHORTS_PER_PAGE = 30


def _cohort(request, pk: int) -> Cohort:
    """A cohort the user runs; staff of another group get 404, other roles 403."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(cohorts_run_by(request.user), pk=pk)


@never_cache
def cohort_list(request):
    """The cohorts the user runs, with places taken and people waiting: searched by course and
    state, a page at a time."""
    require_role(request, *PROGRAMME_STAFF)
    form = CohortSearchForm(request.GET)
    cohorts = cohorts_search(
        cohorts_run_by(request.user), today=timezone.localdate(), **form.filters()
    ).order_by("course__operating_group__zone", "-starts_on", "course__code", "number", "pk")
    page = Paginator(cohorts, COHORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "training/enrolment/cohort_list.html", {"page_obj": page, "form": form})


@never_cache
def roster(request, pk: int, *, enrol_form=None, status=200):
    """명단: places, the waitlist in order and those who left (masked, logged)."""
    cohort = _cohort(request, pk)
    rows = list(cohort_roster(cohort))
    if rows:
        personal_data_access_record(
            request=request,
            subject_type="training.enrollment",
            subject_ids=[e.pk for e in rows],
            action="list",
        )
    return render(
        request,
        "training/enrolment/roster.html",
        {
            "cohort": cohort,
            "enrolled": [e for e in rows if e.status == "enrolled"],
            "waiting": [e for e in rows if e.status == "waitlisted"],
            "ended": [e for e in rows if e.status not in ("enrolled", "waitlisted")],
            "enrol_form": enrol_form or EnrolOneForm(),
            "withdraw_form": WithdrawForm(),
        },
        status=status,
    )


@require_POST
def enrol_selected(request, pk: int):
    """선정자 일괄 등록, with the counts and every skip's reason."""
    cohort = _cohort(request, pk)
    try:
        result = enrolment.enrol_selected(cohort, actor=request.user)
    except enrolment.EnrolmentError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"선정자 일괄 등록: 수강 {result.enrolled}명, 대기 {result.waitlisted}명, "
            f"제외 {len(result.skipped)}명.",
        )
        for trainee, reason in result.skipped:
            messages.info(request, f"제외 {mask_name(trainee.name)}: {reason}")
    return redirect("enrolment:roster", pk=cohort.pk)


@require_POST
def enrol_one(request, pk: int):
    """An operator enrols one trainee of their region, found by mobile number."""
    cohort = _cohort(request, pk)
    form = EnrolOneForm(request.POST)
    if not form.is_valid():
        return roster(request, pk, enrol_form=form, status=400)
    digits_only = Func("phone", Value(r"\D"), Value(""), Value("g"), function="regexp_replace")
    trainee = (
        Trainee.objects.visible_to(request.user)
        .annotate(phone_digits=digits_only)
        .filter(phone_digits=form.cleaned_data["phone"])
        .first()
    )
    if trainee is None:
        form.add_error("phone", "이 번호의 교육생이 담당 지역 명부에 없습니다.")
        return roster(request, pk, enrol_form=form, status=400)
    try:
        row = enrolment.enrol(cohort, trainee, actor=request.user)
    except enrolment.EnrolmentError as exc:
        messages.error(request, f"{mask_name(trainee.name)}: {' '.join(exc.messages)}")
    else:
        where = "수강" if row.status == "enrolled" else f"대기 {row.waitlist_position}번"
        messages.success(request, f"{mask_name(trainee.name)} 님을 {where}으로 등록했습니다.")
    return redirect("enrolment:roster", pk=cohort.pk)


@require_POST
def withdraw(request, pk: int):
    """중도포기 with a reason; the message names whoever the freed place went to."""
    row = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("trainee"), pk=pk
    )
    cohort = _cohort(request, row.cohort_id)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise enrolment.EnrolmentError("중도포기 사유를 입력하세요.")
        promoted = enrolment.withdraw(row, reason=form.cleaned_data["reason"], actor=request.user)
    except enrolment.EnrolmentError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = f"{mask_name(row.trainee.name)} 님을 중도포기 처리했습니다."
        if promoted is not None:
            text += f" 대기 1번 {mask_name(promoted.trainee.name)} 님이 수강으로 전환되었습니다."
        messages.success(request, text)
    return redirect("enrolment:roster", pk=cohort.pk)
