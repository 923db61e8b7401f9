"""Demo training on the programme's calendar (itda.demo.chain.waves): per operating group, the
track courses (Track 1 basic and practical, Track 2 AI) with a cohort in every wave — finished,
running today, and the next one when it fits before the programme ends — and at the capital
group short courses for employees by smart-factory stage, in a room of its own centre (the
스마트화관 is run by the Incheon programme's operator, whose programme period has ended).

Sessions fall on weekdays, 09:00–12:00 and 13:00–17:00 KST, each holding an approved booking of
one of the group's rooms; the bookings go through the database's no-overlap constraint like any
other. Only the trainees their group's trainee call selected are enrolled, through the enrolment
service on their wave's enrolment day, in ranking order, dealt to the track's courses (beyond a
cohort's seats they wait). Sessions that ended before today have attendance, mostly present,
deterministic from the seed; finished cohorts are judged (completion_confirm) and their
certificates allocated. The demo trainee login is in a running cohort that meets today, taught
by the demo staff login of their group, with one pending correction request of their own.

Schedules and attendance are written with bulk_create (the large tables in chunks, as
itda.demo.services does); the rows do not grow with --scale beyond the trainees selected.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.demo.analyze import analyze
from itda.demo.chain import COHORT_DAYS, Selection, Wave
from itda.programs.models import (
    OperatingGroup,
    Programme,
    Room,
    RoomKind,
    SmartFactoryLevel,
    Trainee,
    Venue,
)
from itda.training.completion import (
    assessment_results_record,
    certificates_allocate,
    completion_confirm,
)
from itda.training.enrolment import enrol
from itda.training.models import (
    Attendance,
    AttendanceCorrection,
    AttendanceSource,
    AttendanceStatus,
    Audience,
    BookingKind,
    BookingStatus,
    Cohort,
    CorrectionReason,
    Course,
    CourseLevel,
    Enrollment,
    EnrollmentStatus,
    Module,
    RoomBooking,
    Session,
    TrainingRule,
)

KST = ZoneInfo("Asia/Seoul")
CHUNK = 2_000
SLOTS = ((datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17)))
ROOMS_PER_GROUP = 3
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class CourseSpec:
    code: str
    track: str  # "track1" / "track2" / "" for employees
    level: str
    title: str
    capacity: int
    has_assessment: bool
    modules: tuple[tuple[str, int], ...]


TRACK_COURSES = (
    CourseSpec(
        "T1-BASIC",
        "track1",
        CourseLevel.BASIC,
        "스마트공장 운영 기초과정",
        20,
        False,
        (
            ("스마트공장 개론과 산업안전", 28),
            ("PLC·센서 기초", 42),
            ("MES·생산정보 이해", 42),
            ("현장 견학과 정리", 28),
        ),
    ),
    CourseSpec(
        "T1-PRACTICAL",
        "track1",
        CourseLevel.PRACTICAL,
        "스마트공장 운영 실무과정",
        20,
        True,
        (
            ("설비 운전과 예지보전 실습", 42),
            ("품질 데이터 분석 실습", 42),
            ("MES 운영 실무", 35),
            ("OJT 준비와 수료 평가", 21),
        ),
    ),
    CourseSpec(
        "T2-AI",
        "track2",
        CourseLevel.BASIC_PRACTICAL,
        "제조AI 솔루션 개발 과정",
        15,
        True,
        (
            ("제조 데이터와 파이썬", 35),
            ("머신러닝 기초", 35),
            ("비전 검사·예지보전 모델 실습", 42),
            ("PBL 과제 설계와 수료 평가", 28),
        ),
    ),
)
EMPLOYEE_MODULES = (("단계 진단과 사례", 7), ("도구 실습", 7), ("자사 적용 계획", 7))

EMPLOYEE_DAYS = 3  # Monday to Wednesday

# Attendance: most trainees are steady, a few struggle (and some of those do not complete).
STEADY = {
    "present": 0.90,
    "late": 0.04,
    "left_early": 0.02,
    "late_left_early": 0.005,
    "excused": 0.01,
    "absent": 0.025,
}
STRUGGLING = {"present": 0.62, "late": 0.1, "left_early": 0.05, "excused": 0.03, "absent": 0.2}
STRUGGLING_SHARE = 0.1
ASSESSMENT_PASS = 0.92


@dataclass
class TrainingFigures:
    courses: int = 0
    cohorts: int = 0
    sessions: int = 0
    enrollments: int = 0
    attendances: int = 0
    corrections: int = 0
    certificates: int = 0


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _weekdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _group_rooms(
    group: OperatingGroup, zone_label: str, programme: Programme, count: int = ROOMS_PER_GROUP
) -> list[Room]:
    """The group's demo training centre (made once, kept across resets) and ``count`` lecture
    rooms."""
    region = group.regions.order_by("code").first()
    venue, _ = Venue.objects.update_or_create(
        name=f"{zone_label} 스마트제조 교육센터(데모)",
        defaults={"is_demo": True},
        create_defaults={
            "region": region,
            "programme": programme,
            "address": f"{region.name} (데모)",
            "is_demo": True,
        },
    )
    return [
        Room.objects.get_or_create(
            venue=venue,
            name=f"강의실 {i}",
            defaults={"kind": RoomKind.LECTURE, "capacity": 30},
        )[0]
        for i in range(1, count + 1)
    ]


class _Writer:
    """Collects rows in memory, then writes them table by table in bulk."""

    def __init__(self, *, rng, now, staff_by_group, rule):
        self.rng, self.now, self.staff, self.rule = rng, now, staff_by_group, rule
        self.figures = TrainingFigures()
        self.cohorts: list[tuple[Cohort, list[datetime.date], Room, list]] = []

    def course(self, group, spec: CourseSpec, track_id, level=""):
        course = Course.objects.create(
            operating_group=group,
            audience=Audience.JOB_SEEKER if track_id else Audience.EMPLOYEE,
            track_id=track_id,
            level=spec.level,
            smart_factory_level=level,
            code=spec.code,
            title=spec.title,
            has_assessment=spec.has_assessment,
        )
        Module.objects.bulk_create(
            Module(course=course, order=i, title=title, hours=hours)
            for i, (title, hours) in enumerate(spec.modules, start=1)
        )
        self.figures.courses += 1
        return course

    def cohort(self, course, number, first: datetime.date, days: int, capacity, room, extra=()):
        last = first + datetime.timedelta(days=days)
        cohort = Cohort(
            course=course,
            number=number,
            starts_on=first,
            ends_on=last,
            capacity=capacity,
            rule=self.rule,
        )
        dates = sorted({*_weekdays(first, last), *extra})
        self.cohorts.append((cohort, dates, room, []))
        return cohort, self.cohorts[-1][3]

    def write_schedule(self) -> list[tuple[Cohort, list[Session]]]:
        cohorts = Cohort.objects.bulk_create([c for c, _, _, _ in self.cohorts])
        through = Cohort.instructors.through
        through.objects.bulk_create(
            through(cohort_id=c.pk, user_id=self.staff[c.course.operating_group_id].pk)
            for c in cohorts
        )
        bookings, sessions = [], []
        for cohort, dates, room, _ in self.cohorts:
            staff = self.staff[cohort.course.operating_group_id]
            for day in dates:
                for start, end in SLOTS:
                    span = (
                        datetime.datetime.combine(day, start, KST),
                        datetime.datetime.combine(day, end, KST),
                    )
                    bookings.append(
                        RoomBooking(
                            room=room,
                            during=span,
                            kind=BookingKind.SESSION,
                            status=BookingStatus.APPROVED,
                            purpose=f"{cohort.course.title} {cohort.number}기",
                            requested_by=staff,
                            decided_by=staff,
                            decided_at=self.now,
                        )
                    )
                    sessions.append(
                        Session(
                            cohort=cohort,
                            number=0,
                            title="",
                            starts_at=span[0],
                            ends_at=span[1],
                        )
                    )
        bookings = _chunked(RoomBooking, bookings)
        modules: dict[int, list[Module]] = {}
        for module in Module.objects.filter(course__in={c.course_id for c in cohorts}):
            modules.setdefault(module.course_id, []).append(module)
        numbers: dict[int, int] = {}
        by_cohort: dict[int, list[Session]] = {}
        for session, booking in zip(sessions, bookings, strict=True):
            session.booking = booking
            session.cohort_id = session.cohort.pk
            numbers[session.cohort_id] = n = numbers.get(session.cohort_id, 0) + 1
            session.number = n
            by_cohort.setdefault(session.cohort_id, []).append(session)
        for rows in by_cohort.values():
            course_modules = sorted(modules[rows[0].cohort.course_id], key=lambda m: m.order)
            for i, session in enumerate(rows):
                module = course_modules[i * len(course_modules) // len(rows)]
                session.module = module
                session.title = module.title
        _chunked(Session, sessions)
        self.figures.cohorts += len(cohorts)
        self.figures.sessions += len(sessions)
        return [(c, by_cohort.get(c.pk, [])) for c in cohorts]


def _chunked(model, objs: list) -> list:
    """bulk_create in transactions of CHUNK rows: history triggers make each row of a large
    transaction dearer (see itda.demo.services)."""
    for start in range(0, len(objs), CHUNK):
        with transaction.atomic():
            model.objects.bulk_create(objs[start : start + CHUNK])
    return objs


def _attendance_row(rng, enrollment, session, status, recorder) -> Attendance:
    checked_in = checked_out = None
    if status in ("present", "late", "left_early", "late_left_early"):
        if status in ("late", "late_left_early"):
            checked_in = session.starts_at + datetime.timedelta(minutes=rng.randint(11, 55))
        else:
            checked_in = session.starts_at - datetime.timedelta(minutes=rng.randint(0, 20))
        if status in ("left_early", "late_left_early"):
            checked_out = session.ends_at - datetime.timedelta(minutes=rng.randint(20, 90))
        else:
            checked_out = session.ends_at + datetime.timedelta(minutes=rng.randint(0, 10))
    return Attendance(
        enrollment=enrollment,
        session=session,
        status=status,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        source=AttendanceSource.QR if checked_in else AttendanceSource.ROLL_CALL,
        recorded_by=recorder,
    )


def _placements(selection: Selection, courses: dict) -> dict[int, list]:
    """Who goes to which cohort of the wave: per group and track, the selected in ranking
    order, dealt in turn to the track's courses (Track 1: 기초, 실무); by course id."""
    placed: dict[int, list] = {}
    for (group_id, track_id), applications in selection.selected.items():
        track_courses = courses.get((group_id, track_id), [])
        for i, application in enumerate(applications):
            if track_courses:
                placed.setdefault(track_courses[i % len(track_courses)].pk, []).append(application)
    return placed


def training_generate(
    *,
    programme: Programme,
    calendar: list[Wave],
    selections: list[Selection],
    seed: int,
    today: datetime.date,
) -> TrainingFigures:
    """Courses, cohorts, bookings and sessions per wave, the selected enrolled through the
    enrolment service on their wave's enrolment day, attendance of the days before today,
    corrections, and completion with certificates for the finished cohorts (see the module
    docstring); the demo accounts and the trainee calls' selection must exist."""
    rng = random.Random(f"itda-demo:{seed}:training")
    now = timezone.now()
    start_of_today = datetime.datetime.combine(today, datetime.time(0), KST)
    rule = (
        TrainingRule.objects.filter(programme=programme, effective_from__lte=today)
        .order_by("-effective_from")
        .first()
        or TrainingRule.objects.filter(programme=programme).order_by("effective_from").first()
    )
    groups = list(programme.operating_groups.order_by("zone"))
    staff_users = {u.username: u for u in User.objects.filter(username__startswith="staff-")}
    staff = {g.pk: staff_users[f"staff-{g.zone}"] for g in groups}
    me_user = User.objects.filter(username="trainee").first()
    me = Trainee.objects.filter(user=me_user).first() if me_user else None
    tracks = {t.code: t for t in programme.tracks.all()}
    writer = _Writer(rng=rng, now=now, staff_by_group=staff, rule=rule)
    monday = _monday(today)
    courses: dict[tuple[int, int], list[Course]] = {}
    rooms_of: dict[int, Room] = {}
    for group in groups:
        # The capital group's employee courses take a fourth room: the track cohorts fill the
        # other three on every weekday.
        count = ROOMS_PER_GROUP + (group.zone == "capital")
        rooms = _group_rooms(group, group.get_zone_display(), programme, count)
        for room, spec in zip(rooms, TRACK_COURSES, strict=False):
            track = tracks.get(spec.track)
            if track is not None:
                course = writer.course(group, spec, track.pk)
                courses.setdefault((group.pk, track.pk), []).append(course)
                rooms_of[course.pk] = room
        if group.zone == "capital":
            for i, level in enumerate(SmartFactoryLevel):
                spec = CourseSpec(
                    f"EMP-{level.value.upper()}",
                    "",
                    CourseLevel.SHORT,
                    f"스마트공장 {level.label} 단계 재직자 과정",
                    15,
                    False,
                    EMPLOYEE_MODULES,
                )
                course = writer.course(group, spec, None, level.value)
                for number, weeks in ((1, -(i + 2)), (2, i + 1)):
                    first = monday + weeks * WEEK
                    last = first + datetime.timedelta(days=EMPLOYEE_DAYS - 1)
                    if programme.starts_on <= first and last <= programme.ends_on:
                        writer.cohort(course, number, first, EMPLOYEE_DAYS - 1, 15, rooms[-1])
    # Every track course runs a cohort in every wave, whoever was selected for it.
    placements: list[tuple[Cohort, Wave, list]] = []
    for selection in selections:
        wave = selection.wave
        placed = _placements(selection, courses)
        for course_list in courses.values():
            for course in course_list:
                members = placed.get(course.pk, [])
                mine = me is not None and any(a.trainee_id == me.pk for a in members)
                extra = (today,) if mine and today.weekday() >= 5 else ()  # a weekend make-up
                cohort, _ = writer.cohort(
                    course,
                    wave.number,
                    wave.starts_on,
                    COHORT_DAYS,
                    next(sp.capacity for sp in TRACK_COURSES if sp.code == course.code),
                    rooms_of[course.pk],
                    extra,
                )
                placements.append((cohort, wave, members))
    schedule = dict((c.pk, s) for c, s in writer.write_schedule())
    enrollments, attendances, finished = [], [], []
    for cohort, wave, members in placements:
        if wave.enrolled_on > today:
            continue  # selected; staff enrol them on the wave's enrolment day
        recorder = staff[cohort.course.operating_group_id]
        past = [s for s in schedule[cohort.pk] if s.ends_at <= start_of_today]
        for application in members:
            e = enrol(
                cohort,
                application.trainee,
                application=application,
                actor=recorder,
                today=wave.enrolled_on,
            )
            enrollments.append(e)
            if e.status != EnrollmentStatus.ENROLLED:
                continue
            weights = STRUGGLING if rng.random() < STRUGGLING_SHARE else STEADY
            attendances += [_attendance_row(rng, e, s, _pick(rng, weights), recorder) for s in past]
        if cohort.ends_on < today:
            finished.append(cohort)
    corrections = _corrections(attendances, me, me_user, staff)
    _chunked(Attendance, attendances)
    AttendanceCorrection.objects.bulk_create(corrections)
    # Completion reads the attendance just written, by the thousand (itda.demo.analyze).
    analyze(Session, Enrollment, Attendance)
    for cohort in finished:
        writer.figures.certificates += _complete(
            rng, cohort, staff[cohort.course.operating_group_id]
        )
    writer.figures.enrollments = len(enrollments)
    writer.figures.attendances = len(attendances)
    writer.figures.corrections = len(corrections)
    return writer.figures


def _complete(rng, cohort: Cohort, actor) -> int:
    """A finished cohort as its staff close it the morning after: assessment results (where the
    course has one), the completion judgement under the programme's rule, and the certificates
    of those who completed. Returns how many certificates."""
    day_after = datetime.datetime.combine(
        cohort.ends_on + datetime.timedelta(days=3), datetime.time(10), KST
    )
    if cohort.course.has_assessment:
        assessment_results_record(
            cohort=cohort,
            results={
                pk: rng.random() < ASSESSMENT_PASS
                for pk in cohort.enrollments.filter(status=EnrollmentStatus.ENROLLED)
                .order_by("pk")
                .values_list("pk", flat=True)
            },
            actor=actor,
        )
    completion_confirm(cohort=cohort, actor=actor, now=day_after)
    return certificates_allocate(cohort=cohort, now=day_after)


def _corrections(attendances, me, me_user, staff) -> list[AttendanceCorrection]:
    """Pending requests on the latest day before today: the demo trainee's own (a late QR
    check-in), and per group one filed by staff for a trainee marked absent at an interview.
    Called before the attendance rows are written: the demo trainee's row is made late here."""
    latest = max((a.session.ends_at for a in attendances), default=None)
    if latest is None:
        return []
    recent = [a for a in attendances if a.session.ends_at.date() == latest.date()]
    rows: list[AttendanceCorrection] = []
    mine = next((a for a in reversed(recent) if me and a.enrollment.trainee_id == me.pk), None)
    if mine is not None and me_user is not None:
        if mine.status != AttendanceStatus.LATE:
            mine.status = AttendanceStatus.LATE
            mine.checked_in_at = mine.session.starts_at + datetime.timedelta(minutes=14)
            mine.checked_out_at = mine.session.ends_at
            mine.source = AttendanceSource.QR
        rows.append(
            AttendanceCorrection(
                enrollment=mine.enrollment,
                session=mine.session,
                status_before=AttendanceStatus.LATE,
                requested_status=AttendanceStatus.PRESENT,
                reason=CorrectionReason.SYSTEM,
                explanation="QR 코드가 인식되지 않아 강사님께 말씀드리고 제시간에 입실했습니다.",
                requested_by=me_user,
            )
        )
    done_groups = set()
    for a in recent:
        group_id = a.session.cohort.course.operating_group_id
        if a.status == AttendanceStatus.ABSENT and group_id not in done_groups:
            done_groups.add(group_id)
            rows.append(
                AttendanceCorrection(
                    enrollment=a.enrollment,
                    session=a.session,
                    status_before=AttendanceStatus.ABSENT,
                    requested_status=AttendanceStatus.EXCUSED,
                    reason=CorrectionReason.INTERVIEW,
                    explanation="채용 면접 참석(면접 확인서 제출 예정)",
                    requested_by=staff[group_id],
                )
            )
    return rows
