"""Enrolment: selected trainees (or trainees an operator names) take places in cohorts of their
track and region; beyond capacity they wait in order, and a withdrawal promotes the first waiting.

Every write locks the cohort row first, so concurrent enrolments into one cohort are serialised
and never exceed its capacity nor repeat a waitlist position. The one-active-cohort rule across
cohorts is checked here and, as the last line, by the database's partial unique constraint.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from itda.accounts.models import User
from itda.evaluation.engine.ranking import result_from_json
from itda.evaluation.models import Ranking, RankingStatus
from itda.lib.masking import mask_name
from itda.programs.models import EmploymentStatus, Track, Trainee
from itda.recruitment.models import Application, ApplicationStatus, CallKind, Result
from itda.training.models import (
    ACTIVE_ENROLLMENT,
    Attendance,
    Audience,
    Cohort,
    Enrollment,
    EnrollmentStatus,
)


class EnrolmentError(ValidationError):
    """An enrolment the rules refuse; the message is Korean."""


@dataclass
class BulkEnrolment:
    """What ``enrol_selected`` did: places taken, waitlist places, and who was skipped why."""

    enrolled: int = 0
    waitlisted: int = 0
    skipped: list[tuple[Trainee, str]] = field(default_factory=list)


_CONSTRAINT_MESSAGES = {
    "enrollment_one_active_per_trainee": "이미 다른 기수에 수강 또는 대기 중인 교육생입니다.",
    "enrollment_once_per_cohort": "이 기수에 이미 등록된 적이 있는 교육생입니다.",
}


def _locked(cohort: Cohort) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("course__operating_group__programme", "course__track")
        .get(pk=cohort.pk)
    )


# "구직자 실무·기술교육(1개월 이내)" (004) holds per person across the programme: 기초 then 실무
# as two cohorts share the one month. The release does not say how a month is measured, so
# itda counts the calendar days of each job-seeker cohort the person took part in (개강일 to
# 종강일; a withdrawal ends it on the day of withdrawal, and a place never attended or only
# waited for counts nothing), summed, against the calendar days of ``training_months_max``
# months from the earliest of those 개강일 — for one cohort the same measure as cohort_save's.
# Gaps between cohorts do not count: it is training time that is limited, not a window.
MONTH_MEASURE = (
    "기수별 교육기간(개강일~종강일, 중도포기는 포기일까지) 합산을 첫 개강일부터의 달력 "
    "개월과 비교 — itda 기본값 — 운영지침 확인 필요"
)


def _days_used(enrollment: Enrollment) -> int:
    """Calendar days of training an enrolment used (annotated with ``attended``)."""
    cohort = enrollment.cohort
    last = cohort.ends_on
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        if not enrollment.attended:
            return 0
        if enrollment.ended_at:
            last = min(last, timezone.localdate(enrollment.ended_at))
    return max(0, (last - cohort.starts_on).days + 1)


def training_taken(trainee_ids, *, cohort: Cohort) -> dict[int, list[Enrollment]]:
    """Per trainee, the other job-seeker enrolments of the cohort's programme that used
    training time (see MONTH_MEASURE), oldest first."""
    rows = (
        Enrollment.objects.filter(
            trainee_id__in=trainee_ids,
            cohort__course__operating_group__programme_id=(
                cohort.course.operating_group.programme_id
            ),
            cohort__course__audience=Audience.JOB_SEEKER,
        )
        .exclude(status=EnrollmentStatus.WAITLISTED)
        .exclude(cohort=cohort)
        .annotate(attended=Exists(Attendance.objects.filter(enrollment=OuterRef("pk"))))
        .select_related("cohort__course")
        .order_by("cohort__starts_on", "pk")
    )
    taken: dict[int, list[Enrollment]] = {}
    for row in rows:
        if _days_used(row):
            taken.setdefault(row.trainee_id, []).append(row)
    return taken


def _month_sum(
    cohort: Cohort, this_days: int, taken: list[Enrollment]
) -> tuple[int, int, list[tuple[Enrollment, int]]] | None:
    """A person's job-seeker training with ``this_days`` in ``cohort`` and the other cohorts
    ``taken``: (days in all, days allowed, each other enrolment's days); None when the programme
    sets no limit, the cohort is not a job-seeker one, or no other cohort used time (a cohort's
    own length is cohort_save's rule)."""
    months = cohort.course.operating_group.programme.training_months_max
    if not months or not taken or cohort.course.audience != Audience.JOB_SEEKER:
        return None
    first = min(cohort.starts_on, *(e.cohort.starts_on for e in taken))
    allowed = (first + relativedelta(months=months) - first).days
    used = [(e, _days_used(e)) for e in taken]
    return this_days + sum(days for _, days in used), allowed, used


def _month_error(cohort: Cohort, taken: list[Enrollment]) -> str | None:
    """Why this cohort would take the person past the programme's training months, or None."""
    this = (cohort.ends_on - cohort.starts_on).days + 1
    counted = _month_sum(cohort, this, taken)
    if counted is None or counted[0] <= counted[1]:
        return None
    total, allowed, used = counted
    months = cohort.course.operating_group.programme.training_months_max
    before = ", ".join(
        f"{e.cohort}({e.cohort.starts_on:%m/%d}~{e.cohort.ends_on:%m/%d}, "
        f"{e.get_status_display()}) {days}일"
        for e, days in used
    )
    return (
        f"구직자 교육은 1인당 {months}개월 이내입니다. 이미 {before}을 사용해, 이 기수 {this}일을 "
        f"더하면 {total}일로 {months}개월({allowed}일)을 넘습니다. 계산: {MONTH_MEASURE}"
    )


# How many people a refusal names; the count covers the rest.
_NAMED_AT_MOST = 10


def dates_month_error(cohort: Cohort) -> str | None:
    """Why the cohort's new dates (set on ``cohort``, not yet saved) cannot stand: the people
    of the cohort whose job-seeker training would then pass the programme's months, named
    (masked) with their sums; None when nobody would. Everyone who uses or may use the
    cohort's time counts: enrolled, waiting (checked when they enrolled), ended, and withdrawn
    after attending (up to the day they left)."""
    if cohort.pk is None or cohort.course.audience != Audience.JOB_SEEKER:
        return None
    rows = list(
        cohort.enrollments.annotate(
            attended=Exists(Attendance.objects.filter(enrollment=OuterRef("pk")))
        )
        .select_related("trainee")
        .order_by("trainee__name", "pk")
    )
    for row in rows:
        row.cohort = cohort  # the new dates
    taken = training_taken([row.trainee_id for row in rows], cohort=cohort)
    over = []
    for row in rows:
        this = _days_used(row)
        counted = this and _month_sum(cohort, this, taken.get(row.trainee_id, []))
        if counted and counted[0] > counted[1]:
            total, allowed, used = counted
            over.append(
                f"{mask_name(row.trainee.name)}(다른 기수 {total - this}일 + 이 기수 {this}일 = "
                f"{total}일 > {allowed}일)"
            )
    if not over:
        return None
    months = cohort.course.operating_group.programme.training_months_max
    named = ", ".join(over[:_NAMED_AT_MOST])
    if len(over) > _NAMED_AT_MOST:
        named += f" 외 {len(over) - _NAMED_AT_MOST}명"
    return (
        f"교육기간을 {cohort.starts_on:%Y-%m-%d}~{cohort.ends_on:%Y-%m-%d}로 바꾸면 구직자 교육 "
        f"1인당 {months}개월을 넘는 교육생이 {len(over)}명 있어 바꾸지 않았습니다: {named}. "
        f"계산: {MONTH_MEASURE}"
    )


def _fit_error(
    cohort: Cohort, trainee: Trainee, track: Track | None, today: datetime.date | None = None
) -> str | None:
    """Why the trainee does not fit the cohort's course (audience, track, the group's 시·도, its
    end), or None."""
    course = cohort.course
    group = course.operating_group
    employee = trainee.employment_status == EmploymentStatus.EMPLOYEE
    if course.audience == Audience.EMPLOYEE and not employee:
        return "재직자 과정에는 기업이 추천한 재직자만 등록할 수 있습니다."
    if course.audience == Audience.JOB_SEEKER and employee:
        return "재직자는 구직자 과정에 등록할 수 없습니다."
    if course.track_id and (track is None or track.pk != course.track_id):
        mine = track.name if track else "없음"
        return f"교육생의 트랙({mine})이 과정의 트랙({course.track.name})과 다릅니다."
    if not group.regions.filter(pk=trainee.region_id).exists():
        return f"교육생의 거주지({trainee.region})는 {group.name}의 담당 지역이 아닙니다."
    return _ended_error(cohort, today)


def _ended_error(cohort: Cohort, today: datetime.date | None = None) -> str | None:
    if cohort.ends_on < (today or timezone.localdate()):
        return "이미 끝난 기수에는 등록할 수 없습니다."
    return None


def _active_error(trainee: Trainee) -> str | None:
    active = (
        Enrollment.objects.filter(trainee=trainee, status__in=ACTIVE_ENROLLMENT)
        .select_related("cohort__course")
        .first()
    )
    if active is None:
        return None
    return f"이미 {active.cohort}에 {active.get_status_display()} 중입니다."


class _Seats:
    """The locked cohort's seats: how many are taken and the next waitlist number."""

    def __init__(self, cohort: Cohort):
        rows = cohort.enrollments.filter(status__in=ACTIVE_ENROLLMENT)
        self.capacity = cohort.capacity
        self.taken = rows.filter(status=EnrollmentStatus.ENROLLED).count()
        self.last_position = (
            rows.filter(status=EnrollmentStatus.WAITLISTED).aggregate(n=Max("waitlist_position"))[
                "n"
            ]
            or 0
        )

    def place(self, enrollment: Enrollment) -> Enrollment:
        if self.taken < self.capacity:
            self.taken += 1
            enrollment.status, enrollment.waitlist_position = EnrollmentStatus.ENROLLED, None
        else:
            self.last_position += 1
            enrollment.status = EnrollmentStatus.WAITLISTED
            enrollment.waitlist_position = self.last_position
        return enrollment


def _application_error(application: Application, trainee: Trainee, cohort: Cohort) -> str | None:
    call = application.call
    if application.trainee_id != trainee.pk:
        return "다른 교육생의 신청서입니다."
    if call.kind != CallKind.TRAINEE or application.result != Result.SELECTED:
        return "교육생 모집에서 선정된 신청서가 아닙니다."
    if call.programme_id != cohort.course.operating_group.programme_id:
        return "다른 사업의 신청서입니다."
    return None


def _save_or_explain(save) -> None:
    """Run an insert; a race that the database's constraints caught becomes a Korean error."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        if name not in _CONSTRAINT_MESSAGES:
            raise
        raise EnrolmentError(_CONSTRAINT_MESSAGES[name]) from exc


@transaction.atomic
def enrol(
    cohort: Cohort,
    trainee: Trainee,
    *,
    application: Application | None = None,
    actor: User,
    today: datetime.date | None = None,
) -> Enrollment:
    """Give a trainee a place in a cohort (or the next waitlist place when it is full).

    ``application`` is the selection that entitles them; without it an operator enrols them
    directly and their preferred track decides the fit. ``today`` (by default the KST date) is
    the day of enrolment, for a cohort's history told afterwards (the demo's calendar)."""
    cohort = _locked(cohort)
    track = trainee.preferred_track
    if application is not None:
        problem = _application_error(application, trainee, cohort)
        if problem:
            raise EnrolmentError(problem)
        track = application.call.track
    problem = (
        _fit_error(cohort, trainee, track, today)
        or _active_error(trainee)
        or _month_error(cohort, training_taken([trainee.pk], cohort=cohort).get(trainee.pk, []))
    )
    if problem:
        raise EnrolmentError(problem)
    enrollment = _Seats(cohort).place(
        Enrollment(cohort=cohort, trainee=trainee, application=application, enrolled_by=actor)
    )
    enrollment.full_clean(validate_constraints=False)
    _save_or_explain(enrollment.save)
    return enrollment


def _renumber_waitlist(cohort: Cohort) -> None:
    """Close the gaps in the waitlist (1, 2, 3, …), keeping its order. Updated one row at a time
    in ascending order: positions only move down, so no row takes a number still held."""
    waiting = cohort.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by(
        "waitlist_position"
    )
    for position, row in enumerate(waiting, start=1):
        if row.waitlist_position != position:
            row.waitlist_position = position
            row.save(update_fields=["waitlist_position"])


@transaction.atomic
def withdraw(enrollment: Enrollment, *, reason: str, actor: User) -> Enrollment | None:
    """중도포기: end an active enrolment with a reason; a freed seat goes to the first on the
    waitlist in the same transaction. Returns the promoted enrolment, if any."""
    reason = reason.strip()
    if not reason:
        raise EnrolmentError("중도포기 사유를 입력하세요.")
    cohort = _locked(enrollment.cohort)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in ACTIVE_ENROLLMENT:
        raise EnrolmentError("수강 또는 대기 중인 교육생만 중도포기 처리할 수 있습니다.")
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.waitlist_position = None
    enrollment.ended_at = timezone.now()
    enrollment.ended_reason = reason[:200]
    enrollment.save(update_fields=["status", "waitlist_position", "ended_at", "ended_reason"])
    promoted = None
    seats = _Seats(cohort)
    if seats.taken < seats.capacity:
        promoted = (
            cohort.enrollments.filter(status=EnrollmentStatus.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if promoted is not None:
            promoted.status = EnrollmentStatus.ENROLLED
            promoted.waitlist_position = None
            promoted.save(update_fields=["status", "waitlist_position"])
    _renumber_waitlist(cohort)
    return promoted


def selected_applications(cohort: Cohort) -> list[Application]:
    """Submitted applications selected in the programme's trainee calls for the cohort's track,
    from trainees living in the group's 시·도, best first: by the published ranking of their
    call, then (unranked) by receipt number."""
    group = cohort.course.operating_group
    applications = list(
        Application.objects.filter(
            call__programme_id=group.programme_id,
            call__kind=CallKind.TRAINEE,
            call__track_id=cohort.course.track_id,
            status=ApplicationStatus.SUBMITTED,
            result=Result.SELECTED,
            trainee__region__in=group.regions.all(),
        ).select_related("trainee", "call__track")
    )
    rank: dict[int, int] = {}
    published = Ranking.objects.filter(
        call__in={a.call_id for a in applications}, status=RankingStatus.PUBLISHED
    )
    for ranking in published:
        for position, row in enumerate(result_from_json(ranking.result_json).rows):
            rank[int(row.application_id)] = position
    unranked = len(rank) + 1
    return sorted(
        applications, key=lambda a: (rank.get(a.pk, unranked), a.receipt_number or "", a.pk)
    )


@transaction.atomic
def enrol_selected(cohort: Cohort, *, actor: User) -> BulkEnrolment:
    """선정자 일괄 등록: every selected trainee of the cohort's track and region who is not yet
    active in any cohort, in ranking order, until the cohort is full and then onto its
    waitlist; all or nothing."""
    cohort = _locked(cohort)
    result = BulkEnrolment()
    if cohort.course.track_id is None:
        raise EnrolmentError("트랙 과정이 아니어서 선정자를 일괄 등록할 수 없습니다.")
    if problem := _ended_error(cohort):
        raise EnrolmentError(problem)
    candidates = selected_applications(cohort)
    trainee_ids = {a.trainee_id for a in candidates}
    active = {
        e.trainee_id: e
        for e in Enrollment.objects.filter(
            trainee_id__in=trainee_ids, status__in=ACTIVE_ENROLLMENT
        ).select_related("cohort__course")
    }
    taken = training_taken(trainee_ids, cohort=cohort)
    been_here = set(
        cohort.enrollments.filter(trainee_id__in=trainee_ids).values_list("trainee_id", flat=True)
    )
    seats = _Seats(cohort)
    rows, seen = [], set()
    for application in candidates:
        trainee = application.trainee
        if trainee.pk in seen:
            continue  # selected in two calls of the track: the better-ranked one counts
        seen.add(trainee.pk)
        if trainee.pk in active:
            other = active[trainee.pk]
            result.skipped.append(
                (trainee, f"이미 {other.cohort}에 {other.get_status_display()} 중")
            )
        elif trainee.pk in been_here:
            result.skipped.append((trainee, "이 기수에 등록된 적이 있음"))
        elif problem := _month_error(cohort, taken.get(trainee.pk, [])):
            result.skipped.append((trainee, problem))
        else:
            row = seats.place(
                Enrollment(
                    cohort=cohort, trainee=trainee, application=application, enrolled_by=actor
                )
            )
            rows.append(row)
            if row.status == EnrollmentStatus.ENROLLED:
                result.enrolled += 1
            else:
                result.waitlisted += 1
    _save_or_explain(lambda: Enrollment.objects.bulk_create(rows))
    return result
