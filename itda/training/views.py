"""Staff pages for courses, cohorts, sessions and rooms; companies' Business Zone requests.

Staff reach only their own groups' courses and venues (another group's answers 404); the
services re-check every write.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.lib.dates import EARLIEST, ERA_MESSAGE, LATEST, era_clamp
from itda.lib.korean import josa
from itda.training import schedule, services
from itda.training.forms import (
    CohortForm,
    CourseForm,
    DecisionForm,
    MeetingRequestForm,
    ModuleForm,
    SessionForm,
    StaffBookingForm,
)
from itda.training.models import BookingStatus, Cohort, Module, RoomBooking
from itda.training.schedule import KST


def _refused(request, exc: ValidationError) -> None:
    """A refusal of the service, or of the model it cleans, as a Korean message."""
    messages.error(request, " ".join(exc.messages))


# --- Courses ------------------------------------------------------------------------------


@never_cache
def course_list(request):
    """교육 과정: the courses of the user's groups by audience and track, with hours."""
    require_role(request, *PROGRAMME_STAFF)
    return render(
        request, "training/staff/course_list.html", {"courses": schedule.courses_for(request.user)}
    )


@never_cache
def course_edit(request, pk: int | None = None):
    """Create a course or edit one of the user's groups."""
    require_role(request, *PROGRAMME_STAFF)
    course = get_object_or_404(schedule.courses_for(request.user), pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_save(
                actor=request.user,
                course=course,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "교육과정을 저장했습니다.")
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/staff/course_form.html", {"form": form, "course": course})


@never_cache
def course_detail(request, pk: int):
    """A course: modules with hours and their total, and its cohorts."""
    require_role(request, *PROGRAMME_STAFF)
    course = get_object_or_404(schedule.courses_for(request.user), pk=pk)
    return render(
        request,
        "training/staff/course_detail.html",
        {
            "course": course,
            "modules": course.modules.all(),
            "cohorts": course.cohorts.order_by("number"),
            "module_form": ModuleForm(),
        },
    )


@require_POST
def module_add(request, pk: int):
    require_role(request, *PROGRAMME_STAFF)
    course = get_object_or_404(schedule.courses_for(request.user), pk=pk)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            services.module_add(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "교과목을 추가했습니다.")
    else:
        messages.error(request, "교과목명과 1 이상의 시간을 입력하세요.")
    return redirect("training:course_detail", pk=course.pk)


@require_POST
def module_delete(request, pk: int):
    require_role(request, *PROGRAMME_STAFF)
    module = get_object_or_404(
        Module.objects.filter(course__in=schedule.courses_for(request.user)).select_related(
            "course__operating_group"
        ),
        pk=pk,
    )
    services.module_delete(actor=request.user, module=module)
    quoted = f"'{module.title}'"
    messages.success(request, f"교과목 {josa(quoted, '을/를')} 삭제했습니다.")
    return redirect("training:course_detail", pk=module.course_id)


# --- Cohorts and sessions -------------------------------------------------------------------


@never_cache
def cohort_edit(request, course_pk: int | None = None, pk: int | None = None):
    """Create a cohort of a course, or edit one."""
    require_role(request, *PROGRAMME_STAFF)
    if pk:
        cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
        course = cohort.course
    else:
        cohort = None
        course = get_object_or_404(schedule.courses_for(request.user), pk=course_pk)
    initial = (
        {"instructors": cohort.instructors.all()}
        if cohort
        else {"number": services.cohort_next_number(course)}
    )
    form = CohortForm(request.POST or None, instance=cohort, initial=initial, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_save(
                actor=request.user,
                course=course,
                cohort=cohort,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                instructors=list(form.cleaned_data["instructors"]),
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "기수를 저장했습니다.")
            return redirect("training:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "training/staff/cohort_form.html",
        {"form": form, "course": course, "cohort": cohort},
    )


def _cohort_page(request, cohort, session_form, status=200):
    return render(
        request,
        "training/staff/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": schedule.cohort_schedule(cohort),
            "counts": schedule.cohort_counts(cohort),
            "instructors": cohort.instructors.order_by("display_name"),
            "session_form": session_form,
        },
        status=status,
    )


@never_cache
def cohort_detail(request, pk: int):
    """A cohort: dates, rule, capacity and enrolment, the schedule of sessions, '차시 추가'."""
    require_role(request, *PROGRAMME_STAFF)
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    return _cohort_page(request, cohort, SessionForm(cohort=cohort))


def _session_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "module": data["module"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "room": data["room"],
        "instructor_name": data["instructor_name"],
    }


@never_cache
def session_create(request, pk: int):
    """차시 추가 (the form sits on the cohort page; errors re-render that page)."""
    require_role(request, *PROGRAMME_STAFF)
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if request.method != "POST":
        return redirect("training:cohort_detail", pk=cohort.pk)
    form = SessionForm(request.POST, cohort=cohort)
    if form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, cohort=cohort, **_session_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"{session.number}차시를 추가했습니다.")
            return redirect("training:cohort_detail", pk=cohort.pk)
    return _cohort_page(request, cohort, form, status=400)


@never_cache
def session_edit(request, pk: int):
    """Edit a session; a new time or room moves its booking."""
    require_role(request, *PROGRAMME_STAFF)
    session = get_object_or_404(schedule.sessions_for(request.user), pk=pk)
    cohort = session.cohort
    if request.method == "POST":
        form = SessionForm(request.POST, cohort=cohort)
        if form.is_valid():
            try:
                services.session_update(
                    actor=request.user, session=session, **_session_fields(form)
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"{session.number}차시를 수정했습니다.")
                return redirect("training:cohort_detail", pk=cohort.pk)
    else:
        starts, ends = session.starts_at.astimezone(KST), session.ends_at.astimezone(KST)
        form = SessionForm(
            cohort=cohort,
            initial={
                "title": session.title,
                "module": session.module_id,
                "date": starts.date(),
                "start": starts.time(),
                "end": ends.time(),
                "room": session.booking.room_id if session.booking else None,
                "instructor_name": session.instructor_name,
            },
        )
    return render(request, "training/staff/session_form.html", {"form": form, "session": session})


@require_POST
def session_delete(request, pk: int):
    require_role(request, *PROGRAMME_STAFF)
    session = get_object_or_404(schedule.sessions_for(request.user), pk=pk)
    try:
        services.session_delete(actor=request.user, session=session)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{session.number}차시를 삭제했습니다.")
    return redirect("training:cohort_detail", pk=session.cohort_id)


# --- Venues, the room calendar and Business Zone requests -------------------------------------


@never_cache
def venue_list(request):
    """시설 예약: the venues of the user's regions, and the requests waiting for a decision."""
    require_role(request, *PROGRAMME_STAFF)
    pending = (
        RoomBooking.objects.visible_to(request.user)
        .filter(status=BookingStatus.REQUESTED)
        .select_related("room__venue", "company", "requested_by")
        .order_by("during")
    )
    return render(
        request,
        "training/rooms/venue_list.html",
        {
            "venues": schedule.venues_for(request.user).prefetch_related("rooms"),
            "pending": pending,
            "decision_form": DecisionForm(),
        },
    )


@never_cache
def venue_calendar(request, pk: int):
    """One week of a venue as a calendar (days × hours): approved bookings, and requests shown
    apart. A week that is no date, or outside the era, shows this week or the nearest one, and
    says so."""
    require_role(request, *PROGRAMME_STAFF)
    venue = get_object_or_404(schedule.venues_for(request.user), pk=pk)
    today = timezone.localdate()
    asked_week = request.GET.get("week", "")
    try:
        asked = datetime.date.fromisoformat(asked_week)
    except ValueError:
        asked = today
        if asked_week:
            messages.error(
                request, f"주는 {today:%Y-%m-%d}처럼 날짜로 지정하세요. 이번 주를 보여 드립니다."
            )
    day = era_clamp(asked)
    if day != asked:
        messages.error(request, f"{ERA_MESSAGE} 가장 가까운 주를 보여 드립니다.")
    monday = schedule.week_start(day)
    week = datetime.timedelta(days=7)
    # No links past the era: a week outside it cannot be booked, and year 1 or 9999 overflows.
    previous = monday - week if monday - week >= EARLIEST else None
    following = monday + week if monday + week <= LATEST else None
    return render(
        request,
        "training/rooms/venue_calendar.html",
        {
            "venue": venue,
            "today": today,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "previous": previous,
            "next": following,
            "booking_form": StaffBookingForm(venue=venue, initial={"date": monday}),
            **schedule.venue_week(venue, monday),
        },
    )


@require_POST
def venue_book(request, pk: int):
    """Staff hold one of the venue's rooms for a meeting or an event."""
    require_role(request, *PROGRAMME_STAFF)
    venue = get_object_or_404(schedule.venues_for(request.user), pk=pk)
    form = StaffBookingForm(request.POST, venue=venue)
    week = ""
    if form.is_valid():
        data = form.cleaned_data
        week = f"?week={data['date']:%Y-%m-%d}"
        try:
            services.booking_create(
                actor=request.user,
                room=data["room"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                kind=data["kind"],
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "예약했습니다.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("training:venue_calendar", args=[venue.pk]) + week)


@require_POST
def venue_booking_cancel(request, pk: int):
    """Staff cancel a meeting or event booking of their venue."""
    require_role(request, *PROGRAMME_STAFF)
    booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "예약을 취소했습니다.")
    week = booking.during.lower.astimezone(KST).date()
    calendar = reverse("training:venue_calendar", args=[booking.room.venue_id])
    return redirect(f"{calendar}?week={week:%Y-%m-%d}")


@require_POST
def booking_decide(request, pk: int, action: str):
    """Approve or reject a company's Business Zone request."""
    require_role(request, *PROGRAMME_STAFF)
    if action not in ("approve", "reject"):
        raise PermissionDenied
    booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.booking_decide(
            actor=request.user, booking=booking, approve=action == "approve", note=note
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "승인했습니다." if action == "approve" else "반려했습니다.")
    return redirect("training:venue_list")


@never_cache
def meeting_list(request):
    """회의실 예약: the company's own Business Zone requests and a form for a new one."""
    require_role(request, Role.COMPANY)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_request(
                actor=request.user,
                room=data["room"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                attendees=data["attendees"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "회의실 사용을 신청했습니다. 사업단 승인 후 확정됩니다.")
            return redirect("training:meeting_list")
    requests_ = (
        RoomBooking.objects.visible_to(request.user)
        .filter(company__isnull=False)
        .select_related("room__venue", "company")
        .order_by("-during")
    )
    return render(
        request,
        "training/rooms/meeting_list.html",
        {
            "form": form,
            "bookings": requests_,
            "taken": schedule.meeting_rooms_taken(since=timezone.now()),
            "now": timezone.now(),
        },
    )


@require_POST
def meeting_cancel(request, pk: int):
    require_role(request, Role.COMPANY)
    booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
    try:
        services.meeting_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "신청을 취소했습니다.")
    return redirect("training:meeting_list")
