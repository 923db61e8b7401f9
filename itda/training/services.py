"""Writes for the staff side of training: courses and modules, cohorts, sessions with their room
bookings, and companies' Business Zone requests.

A room is held only by an approved booking, and the database refuses two approved bookings of
one room that overlap (``room_booking_no_overlap``). Services do not check for free rooms first
(a check-then-insert races); they try to hold the room in a savepoint and turn the refusal into a
Korean message naming the booking in the way.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange as Range
from django.db.models import Max
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.lib.dates import validate_era
from itda.programs.models import Company, OperatingGroup, Room
from itda.training.enrolment import dates_month_error
from itda.training.models import (
    Audience,
    BookingKind,
    BookingStatus,
    Cohort,
    Course,
    CourseLevel,
    Module,
    RoomBooking,
    Session,
)
from itda.training.schedule import KST, group_rooms, meeting_rooms, venues_for
from itda.training.selectors import rule_in_force


class TrainingError(ValidationError):
    """A training request that the rules refuse; the message is Korean."""


def _require_group(actor: User, group: OperatingGroup) -> None:
    if not OperatingGroup.objects.visible_to(actor).filter(pk=group.pk).exists():
        raise TrainingError("이 사업단의 교육과정을 관리할 권한이 없습니다.")


def _kst(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(KST)


def _span_text(booking: RoomBooking) -> str:
    lower, upper = _kst(booking.during.lower), _kst(booking.during.upper)
    if lower.date() == upper.date():
        return f"{lower:%H:%M}–{upper:%H:%M}"
    return f"{lower:%m/%d %H:%M}–{upper:%m/%d %H:%M}"


# itda 기본값 — 운영지침 확인 필요: a room is booked at most this far ahead.
BOOKING_HORIZON = relativedelta(years=2)
HORIZON_NOTE = "itda 기본값 — 운영지침 확인 필요"


def _check_booking_window(starts_at: datetime.datetime, *, earliest: datetime.datetime) -> None:
    """A booking starts no earlier than ``earliest`` and within BOOKING_HORIZON from now."""
    if starts_at < earliest:
        raise TrainingError("지난 시각으로는 예약할 수 없습니다.")
    latest = timezone.localtime() + BOOKING_HORIZON
    if starts_at > latest:
        raise TrainingError(
            f"예약은 {latest:%Y-%m-%d}까지만 할 수 있습니다 (2년 이내, {HORIZON_NOTE})."
        )


def _hold(booking: RoomBooking, **save_kwargs) -> None:
    """Save a booking that holds its room, or raise the Korean overlap message. The savepoint
    keeps the caller's transaction usable after the database refuses."""
    try:
        with transaction.atomic():
            booking.save(**save_kwargs)
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        if getattr(diag, "constraint_name", None) != "room_booking_no_overlap":
            raise
        during = booking.during
        conflict = (
            RoomBooking.objects.holding()
            .filter(room_id=booking.room_id, during__overlap=(during.lower, during.upper))
            .exclude(pk=booking.pk)
            .first()
        )
        if conflict is None:  # the other booking was cancelled meanwhile; ask to retry
            raise TrainingError("다른 예약과 동시에 처리되었습니다. 다시 시도해 주세요.") from exc
        raise TrainingError(
            f"선택한 공간은 {_span_text(conflict)}에 이미 '{conflict.purpose}' 일정으로 "
            "예약되어 있습니다."
        ) from exc


# --- Courses and modules ------------------------------------------------------------------

_TRACK_LEVELS = (CourseLevel.BASIC, CourseLevel.PRACTICAL, CourseLevel.BASIC_PRACTICAL)


@transaction.atomic
def course_save(*, actor: User, fields: dict, course: Course | None = None) -> Course:
    """Create or edit a course of one of the actor's groups: a track course for job seekers, or
    a short course for employees by smart-factory stage."""
    group = fields["operating_group"]
    _require_group(actor, group)
    if course is None:
        course = Course()
    else:
        # From the database: a bound form may already have changed the instance's group.
        course = Course.objects.select_for_update().get(pk=course.pk)
        _require_group(actor, course.operating_group)
    for name, value in fields.items():
        setattr(course, name, value)
    if course.audience == Audience.JOB_SEEKER:
        if course.track is None:
            raise TrainingError("구직자 과정은 트랙을 선택해야 합니다.")
        if course.track.programme_id != group.programme_id:
            raise TrainingError("사업단이 속한 사업의 트랙을 선택하세요.")
        if course.level not in _TRACK_LEVELS:
            raise TrainingError("구직자 과정의 수준은 기초, 실무 또는 기초·실무입니다.")
        course.smart_factory_level = ""
    else:
        if not course.smart_factory_level:
            raise TrainingError("재직자 과정은 대상 스마트공장 단계를 선택해야 합니다.")
        course.track = None
        course.level = CourseLevel.SHORT
    if (
        Course.objects.filter(operating_group=group, code=course.code)
        .exclude(pk=course.pk)
        .exists()
    ):
        raise TrainingError(f"이미 사용 중인 과정 코드입니다: {course.code}")
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def module_add(*, actor: User, course: Course, title: str, hours: int) -> Module:
    """Append a module (교과목) with its hours to a course."""
    _require_group(actor, course.operating_group)
    course = Course.objects.select_for_update().get(pk=course.pk)
    last = course.modules.aggregate(last=Max("order"))["last"] or 0
    module = Module(course=course, order=last + 1, title=title.strip(), hours=hours)
    if hours <= 0:
        raise TrainingError("시간은 1 이상이어야 합니다.")
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    """Remove a module; sessions that taught it keep their record without the link."""
    _require_group(actor, module.course.operating_group)
    module.delete()


# --- Cohorts ------------------------------------------------------------------------------


@transaction.atomic
def cohort_save(
    *,
    actor: User,
    course: Course,
    fields: dict,
    instructors: list[User],
    cohort: Cohort | None = None,
) -> Cohort:
    """Create or edit a cohort (기수). Its length follows the training rule in force on its first
    day: a job-seeker cohort lasts at most ``rule.max_cohort_months`` months."""
    group = course.operating_group
    _require_group(actor, group)
    starts_on, ends_on = fields["starts_on"], fields["ends_on"]
    # Before any date arithmetic: a day past 9999-12-31 cannot be computed.
    try:
        validate_era(starts_on)
        validate_era(ends_on)
    except ValidationError as exc:
        raise TrainingError(exc.messages) from exc
    programme = group.programme
    if starts_on < programme.starts_on or ends_on > programme.ends_on:
        raise TrainingError(
            f"교육기간은 사업기간({programme.starts_on:%Y-%m-%d}~{programme.ends_on:%Y-%m-%d}) "
            "안에 있어야 합니다. 사업기간이 늘어나야 하면 전담기관에 요청하세요."
        )
    if ends_on < starts_on:
        raise TrainingError("종강일은 개강일 이후여야 합니다.")
    rule = rule_in_force(group.programme, starts_on)
    if rule is None:
        raise TrainingError(
            f"{starts_on:%Y-%m-%d}에 적용되는 출결·수료 규칙이 없습니다. 전담기관에 문의하세요."
        )
    limit = starts_on + relativedelta(months=rule.max_cohort_months)
    if course.audience == Audience.JOB_SEEKER and ends_on >= limit:
        raise TrainingError(
            f"구직자 기수의 교육기간은 최대 {rule.max_cohort_months}개월입니다 "
            f"(개강일 {starts_on:%Y-%m-%d} 기준 종강일은 "
            f"{limit - datetime.timedelta(days=1):%Y-%m-%d}까지)."
        )
    staff = set(group.staff.values_list("pk", flat=True))
    outsiders = [user.display_name or user.username for user in instructors if user.pk not in staff]
    if outsiders:
        raise TrainingError(f"강사는 이 사업단의 담당자여야 합니다: {', '.join(outsiders)}")
    if cohort is None:
        cohort = Cohort(course=course)
    else:
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk, course=course)
        outside = cohort.sessions.exclude(
            starts_at__gte=datetime.datetime.combine(starts_on, datetime.time(), KST),
            ends_at__lte=datetime.datetime.combine(
                ends_on + datetime.timedelta(days=1), datetime.time(), KST
            ),
        )
        if outside.exists():
            raise TrainingError("바뀐 교육기간 밖에 있는 차시가 있습니다. 차시를 먼저 옮기세요.")
    moved = cohort.pk is not None and (cohort.starts_on, cohort.ends_on) != (starts_on, ends_on)
    for name, value in fields.items():
        setattr(cohort, name, value)
    # New dates change how much of each person's month the cohort uses: the rule enrolment
    # checked holds for everyone already in it, or the dates stay.
    if moved and (problem := dates_month_error(cohort)):
        raise TrainingError(problem)
    cohort.rule = rule
    if Cohort.objects.filter(course=course, number=cohort.number).exclude(pk=cohort.pk).exists():
        raise TrainingError(f"{cohort.number}기는 이미 있습니다.")
    cohort.full_clean()
    cohort.save()
    cohort.instructors.set(instructors)
    return cohort


def cohort_next_number(course: Course) -> int:
    """The number a new cohort of the course would take."""
    return (course.cohorts.aggregate(last=Max("number"))["last"] or 0) + 1


# --- Sessions and their bookings ----------------------------------------------------------


def _check_session(cohort: Cohort, starts_at: datetime.datetime, ends_at: datetime.datetime):
    if ends_at <= starts_at:
        raise TrainingError("종료 시각은 시작 시각보다 늦어야 합니다.")
    first, last = _kst(starts_at).date(), _kst(ends_at).date()
    if first < cohort.starts_on or last > cohort.ends_on:
        raise TrainingError(
            f"차시는 교육기간({cohort.starts_on:%Y-%m-%d}~{cohort.ends_on:%Y-%m-%d}) 안에 "
            "있어야 합니다."
        )


def _check_room(cohort: Cohort, room: Room | None) -> None:
    if (
        room is not None
        and not group_rooms(cohort.course.operating_group).filter(pk=room.pk).exists()
    ):
        raise TrainingError("이 사업단이 운영하는 교육장의 공간만 선택할 수 있습니다.")


def _session_purpose(session: Session) -> str:
    return f"{session.cohort} {session.number}차시 {session.title}"[:200]


@transaction.atomic
def session_create(
    *,
    actor: User,
    cohort: Cohort,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    room: Room | None = None,
    module: Module | None = None,
    instructor_name: str = "",
) -> Session:
    """Add a session (차시) to a cohort; with a room, the room is booked (approved) in the same
    transaction, so a session and its booking exist together or not at all."""
    _require_group(actor, cohort.course.operating_group)
    # Numbering is per cohort: lock the cohort so two staff adding sessions get 1 and 2.
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    _check_session(cohort, starts_at, ends_at)
    _check_room(cohort, room)
    if module is not None and module.course_id != cohort.course_id:
        raise TrainingError("이 과정의 교과목만 선택할 수 있습니다.")
    last = cohort.sessions.aggregate(last=Max("number"))["last"] or 0
    session = Session(
        cohort=cohort,
        number=last + 1,
        title=title.strip(),
        module=module,
        starts_at=starts_at,
        ends_at=ends_at,
        instructor_name=instructor_name.strip(),
    )
    session.full_clean(exclude=["booking"])
    if room is not None:
        booking = RoomBooking(
            room=room,
            during=Range(starts_at, ends_at),
            kind=BookingKind.SESSION,
            status=BookingStatus.APPROVED,
            purpose=_session_purpose(session),
            requested_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _hold(booking)
        session.booking = booking
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    room: Room | None = None,
    module: Module | None = None,
    instructor_name: str = "",
) -> Session:
    """Edit a session; a new time or room moves its booking (or books/frees a room)."""
    _require_group(actor, session.cohort.course.operating_group)
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("cohort__course", "booking")
        .get(pk=session.pk)
    )
    _check_session(session.cohort, starts_at, ends_at)
    _check_room(session.cohort, room)
    if module is not None and module.course_id != session.cohort.course_id:
        raise TrainingError("이 과정의 교과목만 선택할 수 있습니다.")
    session.title, session.module = title.strip(), module
    session.starts_at, session.ends_at = starts_at, ends_at
    session.instructor_name = instructor_name.strip()
    session.full_clean(exclude=["booking"])
    booking = session.booking
    if room is None and booking is not None:
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        session.booking = None
    elif room is not None and booking is None:
        booking = RoomBooking(
            room=room,
            kind=BookingKind.SESSION,
            status=BookingStatus.APPROVED,
            requested_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
    if room is not None:
        booking.room, booking.during = room, Range(starts_at, ends_at)
        booking.purpose = _session_purpose(session)
        _hold(booking)
        session.booking = booking
    session.save()
    return session


@transaction.atomic
def session_delete(*, actor: User, session: Session) -> None:
    """Remove a session that has no attendance yet, and free its room."""
    _require_group(actor, session.cohort.course.operating_group)
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("booking").get(pk=session.pk)
    )
    if session.attendances.exists() or session.corrections.exists():
        raise TrainingError("출결 기록이 있는 차시는 삭제할 수 없습니다.")
    booking = session.booking
    session.delete()
    if booking is not None:
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])


# --- Business Zone meetings -----------------------------------------------------------------


def _company_of(actor: User) -> Company:
    company = actor.companies.order_by("pk").first() if actor.role == Role.COMPANY else None
    if company is None:
        raise TrainingError("기업 담당자만 회의실을 신청할 수 있습니다.")
    return company


@transaction.atomic
def meeting_request(
    *,
    actor: User,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    attendees: int,
) -> RoomBooking:
    """A company manager asks for the Business Zone; the request holds nothing until staff
    approve it."""
    company = _company_of(actor)
    if not meeting_rooms().filter(pk=room.pk).exists():
        raise TrainingError("기업은 Business Zone(회의실)만 신청할 수 있습니다.")
    if ends_at <= starts_at:
        raise TrainingError("종료 시각은 시작 시각보다 늦어야 합니다.")
    if starts_at <= timezone.now():
        raise TrainingError("지난 시각으로는 신청할 수 없습니다.")
    _check_booking_window(starts_at, earliest=timezone.now())
    if room.capacity and attendees > room.capacity:
        raise TrainingError(f"{room.name}의 수용인원은 {room.capacity}명입니다.")
    booking = RoomBooking(
        room=room,
        during=Range(starts_at, ends_at),
        kind=BookingKind.MEETING,
        status=BookingStatus.REQUESTED,
        purpose=purpose.strip(),
        attendees=attendees,
        company=company,
        requested_by=actor,
    )
    booking.full_clean(validate_constraints=False)
    booking.save()
    return booking


@transaction.atomic
def meeting_cancel(*, actor: User, booking: RoomBooking) -> RoomBooking:
    """The requesting company withdraws a request, or gives back an approved slot not yet begun."""
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.company is None or not booking.company.managers.filter(pk=actor.pk).exists():
        raise TrainingError("신청한 기업만 취소할 수 있습니다.")
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        raise TrainingError(f"'{booking.get_status_display()}' 상태의 예약은 취소할 수 없습니다.")
    if booking.during.lower <= timezone.now():
        raise TrainingError("이미 시작된 예약은 취소할 수 없습니다.")
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    return booking


@transaction.atomic
def booking_decide(
    *, actor: User, booking: RoomBooking, approve: bool, note: str = ""
) -> RoomBooking:
    """Staff of the organisation that runs the venue approve a request (the database refuses it
    if the room is already held then) or reject it with a note."""
    if actor.role not in (Role.OPERATOR, Role.GROUP_STAFF):
        raise TrainingError("사업단 담당자만 예약을 처리할 수 있습니다.")
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    if not RoomBooking.objects.visible_to(actor).filter(pk=booking.pk).exists():
        raise TrainingError("이 교육장의 예약을 처리할 권한이 없습니다.")
    if booking.status != BookingStatus.REQUESTED:
        raise TrainingError(f"이미 '{booking.get_status_display()}' 처리된 신청입니다.")
    if not approve and not note.strip():
        raise TrainingError("반려 사유를 적어 주세요.")
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
    booking.decided_by, booking.decided_at = actor, timezone.now()
    booking.decision_note = note.strip()
    fields = ["status", "decided_by", "decided_at", "decision_note"]
    if approve:
        _hold(booking, update_fields=fields)
    else:
        booking.save(update_fields=fields)
    return booking


# --- Staff's own bookings ---------------------------------------------------------------------

_STAFF_KINDS = (BookingKind.MEETING, BookingKind.EVENT)


def _require_venue(actor: User, room: Room) -> None:
    if actor.role not in (Role.OPERATOR, Role.GROUP_STAFF) or not (
        venues_for(actor).filter(pk=room.venue_id).exists()
    ):
        raise TrainingError("이 교육장을 운영하는 사업단 담당자만 예약할 수 있습니다.")


@transaction.atomic
def booking_create(
    *,
    actor: User,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    kind: str = BookingKind.EVENT,
) -> RoomBooking:
    """Staff of the venue's group hold a room for their own meeting or an event (exhibition,
    visit); approved at once. Sessions book rooms through their cohort instead."""
    _require_venue(actor, room)
    if kind not in _STAFF_KINDS:
        raise TrainingError("교육 차시는 기수 화면에서 추가하세요.")
    if ends_at <= starts_at:
        raise TrainingError("종료 시각은 시작 시각보다 늦어야 합니다.")
    # Staff may still record a meeting held earlier today, not one of a past day.
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time(), KST)
    _check_booking_window(starts_at, earliest=midnight)
    booking = RoomBooking(
        room=room,
        during=Range(starts_at, ends_at),
        kind=kind,
        status=BookingStatus.APPROVED,
        purpose=purpose.strip(),
        requested_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    booking.full_clean(validate_constraints=False)
    _hold(booking)
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: RoomBooking, note: str = "") -> RoomBooking:
    """Staff of the venue's group cancel a meeting or event booking (a session's booking goes
    with its session, and a company withdraws its own request)."""
    booking = RoomBooking.objects.select_for_update().select_related("room").get(pk=booking.pk)
    _require_venue(actor, booking.room)
    if booking.kind not in _STAFF_KINDS or booking.status != BookingStatus.APPROVED:
        raise TrainingError("승인된 회의·행사 예약만 여기서 취소할 수 있습니다.")
    booking.status = BookingStatus.CANCELLED
    booking.decided_by, booking.decided_at = actor, timezone.now()
    booking.decision_note = note.strip() or "사업단 취소"
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return booking
