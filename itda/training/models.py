"""Training: courses, cohorts (기수), sessions (차시), room bookings, enrolment, attendance (출결),
corrections and certificates (수료증).

Attendance is a legal record and the basis of money: a row is written once per trainee and
session, changed only by a check-out, a roll-call or an approved correction, and every change is
kept by pghistory.
"""

from __future__ import annotations

import secrets

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era, validate_era_range
from itda.lib.fields import BoundedTextField
from itda.programs.models import (
    Company,
    OperatingGroup,
    Programme,
    Room,
    SmartFactoryLevel,
    Track,
    Trainee,
)
from itda.recruitment.models import Application

# A training day is at most eight hours (국민내일배움카드 훈련 기준): the ceiling of every minute
# threshold of a rule, since each is measured within one session of that day.
SESSION_DAY_MINUTES = 8 * 60


@pghistory.track()
class TrainingRule(models.Model):
    """A programme's attendance and completion rule, versioned by the date it takes effect.

    The cohort uses the version in force on its first day, so a later change never rewrites a
    running cohort's record."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="training_rules", verbose_name="사업"
    )
    effective_from = models.DateField("적용 시작일", validators=[validate_era])
    max_cohort_months = models.PositiveSmallIntegerField("구직자 기수 최대 기간(개월)", default=1)
    late_after_minutes = models.PositiveSmallIntegerField(
        "지각 기준(시작 후 분)", default=10, help_text="차시 시작 후 이 시간이 지나 입실하면 지각"
    )
    early_leave_before_minutes = models.PositiveSmallIntegerField(
        "조퇴 기준(종료 전 분)", default=10, help_text="차시 종료 전 이 시간보다 일찍 퇴실하면 조퇴"
    )
    absent_after_minutes = models.PositiveSmallIntegerField(
        "결석 기준(시작 후 분)", default=60, help_text="차시 시작 후 이 시간이 지나 입실하면 결석"
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField("입실 가능(시작 전 분)", default=30)
    incidents_per_absence = models.PositiveSmallIntegerField(
        "결석 1회로 보는 지각·조퇴 횟수", default=3
    )
    completion_min_rate = models.DecimalField(
        "수료 기준 출석률", max_digits=4, decimal_places=3, default=0.8
    )
    assessment_required = models.BooleanField("평가가 있는 과정은 합격해야 수료", default=True)
    correction_deadline_days = models.PositiveSmallIntegerField(
        "출결 정정 신청 기한(차시 다음 날부터 일)", default=1
    )
    qr_rotation_seconds = models.PositiveSmallIntegerField("QR 갱신 주기(초)", default=30)
    note = models.CharField("근거", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "출결·수료 규칙"
        verbose_name_plural = "출결·수료 규칙"
        ordering = ["programme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_from"],
                name="training_rule_version_unique",
                violation_error_message="같은 적용 시작일의 출결·수료 규칙이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(completion_min_rate__gt=0) & Q(completion_min_rate__lte=1),
                name="training_rule_rate_range",
                violation_error_message="수료 기준 출석률은 0보다 크고 1 이하여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(incidents_per_absence__gte=1),
                name="training_rule_incidents_positive",
                violation_error_message="결석 1회로 보는 지각·조퇴 횟수는 1 이상이어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(qr_rotation_seconds__gte=10),
                name="training_rule_qr_rotation_min",
                violation_error_message="QR 교체 주기는 10초 이상이어야 합니다.",
            ),
            # Absence is checked first (attendance.checkin_status), so a late threshold at or
            # past the absent one would make 지각 unreachable.
            models.CheckConstraint(
                condition=Q(late_after_minutes__lt=models.F("absent_after_minutes"))
                & Q(absent_after_minutes__lt=SESSION_DAY_MINUTES),
                name="training_rule_late_before_absent",
                violation_error_message=(
                    "지각 기준은 결석 기준보다 짧고, 결석 기준은 "
                    f"{SESSION_DAY_MINUTES // 60}시간({SESSION_DAY_MINUTES}분) 미만이어야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(early_leave_before_minutes__lt=SESSION_DAY_MINUTES)
                & Q(checkin_opens_minutes__lt=SESSION_DAY_MINUTES),
                name="training_rule_minutes_in_a_day",
                violation_error_message=(
                    "조퇴 기준과 입실 가능 시간은 "
                    f"{SESSION_DAY_MINUTES // 60}시간({SESSION_DAY_MINUTES}분) 미만이어야 합니다."
                ),
            ),
            # Allowance periods are computed for at most twelve months of a cohort
            # (payments.services: generate_series(0, 11)).
            models.CheckConstraint(
                condition=Q(max_cohort_months__gte=1) & Q(max_cohort_months__lte=12),
                name="training_rule_cohort_months_range",
                violation_error_message="구직자 기수 최대 기간은 1개월에서 12개월 사이여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(correction_deadline_days__lte=30),
                name="training_rule_correction_days_max",
                violation_error_message="출결 정정 신청 기한은 30일 이하여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} 출결 규칙 ({self.effective_from:%Y-%m-%d}~)"

    @property
    def rule_origin_prefix(self) -> str:
        """The key prefix of the origins of this programme's training rules (RuleOrigin.key)."""
        return f"{self.programme.code}.training"


class Audience(models.TextChoices):
    JOB_SEEKER = "job_seeker", "구직자(트랙 교육)"
    EMPLOYEE = "employee", "재직자(스마트공장 단계별 단기과정)"


class CourseLevel(models.TextChoices):
    BASIC = "basic", "기초"
    PRACTICAL = "practical", "실무"
    BASIC_PRACTICAL = "basic_practical", "기초·실무"
    SHORT = "short", "단기"


@pghistory.track()
class Course(models.Model):
    """교육과정: what an operating group teaches, per track and level, with modules and hours."""

    operating_group = models.ForeignKey(
        OperatingGroup, on_delete=models.PROTECT, related_name="courses", verbose_name="사업단"
    )
    audience = models.CharField("대상", max_length=20, choices=Audience.choices)
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name="트랙",
    )
    level = models.CharField("수준", max_length=20, choices=CourseLevel.choices)
    smart_factory_level = models.CharField(
        "대상 스마트공장 단계", max_length=20, choices=SmartFactoryLevel.choices, blank=True
    )
    code = models.CharField("과정 코드", max_length=30)
    title = models.CharField("과정명", max_length=200)
    description = BoundedTextField("과정 소개", max_length=4000, blank=True)
    has_assessment = models.BooleanField("수료 평가 있음", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="operating_group")

    class Meta:
        verbose_name = "교육과정"
        verbose_name_plural = "교육과정"
        ordering = ["operating_group", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["operating_group", "code"],
                name="course_code_unique",
                violation_error_message="이 사업단에 같은 코드의 교육과정이 이미 있습니다.",
            ),
            # Job-seeker courses belong to a track; employee courses to a smart-factory stage.
            models.CheckConstraint(
                condition=(Q(audience="job_seeker") & Q(track__isnull=False))
                | (Q(audience="employee") & Q(track__isnull=True) & ~Q(smart_factory_level="")),
                name="course_audience_fields",
                violation_error_message=(
                    "구직자 과정은 트랙을, 재직자 과정은 스마트공장 수준을 정해야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_hours(self) -> int:
        return sum(module.hours for module in self.modules.all())


@pghistory.track()
class Module(models.Model):
    """One unit of a course's curriculum, with its hours."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField("순서")
    title = models.CharField("교과목", max_length=200)
    hours = models.PositiveSmallIntegerField("시간")

    class Meta:
        verbose_name = "교과목"
        verbose_name_plural = "교과목"
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "order"],
                name="module_order_unique",
                violation_error_message="이 교육과정에 같은 순서의 교과목이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="module_hours_positive",
                violation_error_message="교과목 시간은 1시간 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


@pghistory.track()
class Cohort(models.Model):
    """기수: one run of a course, with dates, capacity, instructors and a schedule of sessions."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name="교육과정"
    )
    number = models.PositiveSmallIntegerField("기수", validators=[MinValueValidator(1)])
    starts_on = models.DateField("개강일", validators=[validate_era])
    ends_on = models.DateField("종강일", validators=[validate_era])
    capacity = models.PositiveSmallIntegerField("정원", validators=[MinValueValidator(1)])
    # Instructors who take the roll-call log in as the group's staff; guest lecturers are named
    # on the session instead.
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="taught_cohorts", verbose_name="강사"
    )
    rule = models.ForeignKey(
        TrainingRule, on_delete=models.PROTECT, related_name="cohorts", verbose_name="적용 규칙"
    )
    completed_at = models.DateTimeField(
        "수료 판정 일시", null=True, blank=True, validators=[validate_era]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="course__operating_group")

    class Meta:
        verbose_name = "기수"
        verbose_name_plural = "기수"
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"],
                name="cohort_number_unique",
                violation_error_message="이 교육과정에 같은 기수가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cohort_dates_ordered",
                violation_error_message="종강일은 개강일 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=300),
                name="cohort_capacity_range",
                violation_error_message="정원은 1명에서 300명 사이여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="cohort_number_positive",
                violation_error_message="기수는 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} {self.number}기"


class BookingKind(models.TextChoices):
    SESSION = "session", "교육 차시"
    MEETING = "meeting", "회의"
    EVENT = "event", "행사·전시"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "신청"
    APPROVED = "approved", "승인"
    REJECTED = "rejected", "반려"
    CANCELLED = "cancelled", "취소"


class RoomBookingQuerySet(ScopedQuerySet):
    def holding(self):
        """Bookings that hold their room (the ones the exclusion constraint compares)."""
        return self.filter(status=BookingStatus.APPROVED)


@pghistory.track()
class RoomBooking(models.Model):
    """A room held for a time span. Two approved bookings of one room never overlap: the
    database refuses it (exclusion constraint), so concurrent requests cannot double-book."""

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name="공간"
    )
    during = DateTimeRangeField("사용 시간", validators=[validate_era_range])
    kind = models.CharField("용도", max_length=20, choices=BookingKind.choices)
    status = models.CharField(
        "상태", max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    purpose = models.CharField("사용 목적", max_length=200)
    attendees = models.PositiveSmallIntegerField(
        "인원", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    company = models.ForeignKey(
        "programs.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name="신청 기업",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    decision_note = models.CharField("처리 의견", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoomBookingQuerySet.as_manager()
    # Staff: the venue's operator organisation, or the groups of its region when it has none.
    scope = ScopePaths(
        group="room__venue__operator",
        region="room__venue__region",
        company="company",
        filer="requested_by",
    )

    class Meta:
        verbose_name = "교육장 예약"
        verbose_name_plural = "교육장 예약"
        ordering = ["during"]
        constraints = [
            ExclusionConstraint(
                name="room_booking_no_overlap",
                violation_error_message="선택한 공간은 그 시간에 이미 예약되어 있습니다.",
                expressions=[("room", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=Q(status="approved"),
            ),
            models.CheckConstraint(
                condition=Q(during__isempty=False),
                name="room_booking_not_empty",
                violation_error_message="예약 시간은 비어 있을 수 없습니다.",
            ),
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(attendees__gte=1),
                name="room_booking_attendees_positive",
                violation_error_message="참석 인원은 1명 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.purpose}"


def qr_secret_new() -> str:
    return secrets.token_hex(32)


@pghistory.track(exclude=["qr_secret"])
class Session(models.Model):
    """차시: one class meeting of a cohort, in a room (its booking) or online."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name="기수"
    )
    number = models.PositiveSmallIntegerField("차시", validators=[MinValueValidator(1)])
    title = models.CharField("내용", max_length=200)
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField("시작", validators=[validate_era])
    ends_at = models.DateTimeField("종료", validators=[validate_era])
    booking = models.OneToOneField(
        RoomBooking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session",
        verbose_name="교육장 예약",
    )
    instructor_name = models.CharField("강사", max_length=50, blank=True)
    # The QR code shown in the room is an HMAC of this secret and the current time window.
    qr_secret = models.CharField(max_length=64, default=qr_secret_new, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="cohort__course__operating_group")

    class Meta:
        verbose_name = "차시"
        verbose_name_plural = "차시"
        ordering = ["cohort", "starts_at", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "number"],
                name="session_number_unique",
                violation_error_message="이 기수에 같은 번호의 차시가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_times_ordered",
                violation_error_message="종료 시각은 시작 시각보다 늦어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="session_number_positive",
                violation_error_message="차시 번호는 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.number}차시"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "수강"
    WAITLISTED = "waitlisted", "대기"
    WITHDRAWN = "withdrawn", "중도포기"
    COMPLETED = "completed", "수료"
    NOT_COMPLETED = "not_completed", "미수료"


ACTIVE_ENROLLMENT = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)


@pghistory.track()
class Enrollment(models.Model):
    """A trainee's place (or waitlist place) in a cohort; at most one active per trainee."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrollments", verbose_name="기수"
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, related_name="enrollments", verbose_name="교육생"
    )
    # The selection that entitles the trainee to a place; empty when an operator enrols directly.
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="선발 신청",
    )
    status = models.CharField(
        "상태", max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED
    )
    waitlist_position = models.PositiveSmallIntegerField("대기 순번", null=True, blank=True)
    assessment_passed = models.BooleanField("수료 평가 합격", null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField("종료 일시", null=True, blank=True, validators=[validate_era])
    ended_reason = models.CharField("종료 사유", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="cohort__course__operating_group", person="trainee__user")

    class Meta:
        verbose_name = "수강"
        verbose_name_plural = "수강"
        ordering = ["cohort", "trainee__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(status__in=["enrolled", "waitlisted"]),
                name="enrollment_one_active_per_trainee",
                violation_error_message="이 교육생은 이미 다른 기수에 수강 중이거나 대기 중입니다.",
            ),
            models.UniqueConstraint(
                fields=["cohort", "trainee"],
                name="enrollment_once_per_cohort",
                violation_error_message="이 교육생은 이미 이 기수에 등록되어 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["cohort", "waitlist_position"],
                condition=Q(status="waitlisted"),
                name="enrollment_waitlist_position_unique",
                violation_error_message="같은 대기 순번이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="enrollment_waitlist_position_iff_waitlisted",
                violation_error_message="대기 순번은 대기 중인 등록에만 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.cohort}"


class NominationStatus(models.TextChoices):
    PENDING = "pending", "검토 중"
    ACCEPTED = "accepted", "등록"
    REFUSED = "refused", "반려"
    WITHDRAWN = "withdrawn", "취소"


@pghistory.track()
class EmployeeNomination(models.Model):
    """재직자 추천: a company puts one of its employees forward for a cohort of a 재직자 course;
    the staff of the group running it enrol them (the enrolment is linked) or refuse with a
    reason. Only what the course and its certificate need is asked: no bank account (employees
    receive no allowance), no resident registration number."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="nominations", verbose_name="기수"
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="nominations", verbose_name="추천 기업"
    )
    name = models.CharField("성명", max_length=50)
    phone = models.CharField("휴대전화", max_length=13)
    birth_date = models.DateField(
        "생년월일", validators=[validate_era], help_text="수료증에 표시합니다."
    )
    position = models.CharField("직위", max_length=50, blank=True)
    department = models.CharField("부서", max_length=50, blank=True)
    status = models.CharField(
        "처리 상태",
        max_length=20,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
    enrollment = models.OneToOneField(
        Enrollment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name="수강",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    decision_reason = models.CharField("반려 사유", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="cohort__course__operating_group", company="company")

    class Meta:
        verbose_name = "재직자 추천"
        verbose_name_plural = "재직자 추천"
        ordering = ["-nominated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "phone"],
                condition=Q(status__in=["pending", "accepted"]),
                name="nomination_once_per_cohort",
                violation_error_message="이 기수에 같은 휴대전화 번호의 추천이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", enrollment__isnull=False)
                | (~Q(status="accepted") & Q(enrollment__isnull=True)),
                name="nomination_enrollment_iff_accepted",
                violation_error_message="등록된 추천에만 수강 기록이 연결됩니다.",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="nomination_refusal_has_reason",
                violation_error_message="반려할 때는 사유를 적어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.name} · {self.cohort}"


class CodeRevocation(models.TextChoices):
    REISSUED = "reissued", "재발급"
    REVOKED = "revoked", "폐기"
    NOMINATION_CLOSED = "nomination_closed", "추천 반려·취소"


@pghistory.track(exclude=["digest"])
class CheckinCode(models.Model):
    """출석 코드: a nominated employee's personal code for checking in without an account. The
    employee scans the room's QR code as trainees do and types the code, which names their
    place. Shown once when issued (to the nominating company, or to the staff running the
    cohort when they reissue it); only a keyed hash is kept. One live code per nomination;
    reissuing or revoking ends the old one at once."""

    nomination = models.ForeignKey(
        EmployeeNomination,
        on_delete=models.PROTECT,
        related_name="checkin_codes",
        verbose_name="재직자 추천",
    )
    # HMAC-SHA256 of the normalised code under the site's secret (attendance codes are short
    # enough to type, so a plain hash of a leaked table would be guessed).
    digest = models.CharField("코드 해시", max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("발급 일시", auto_now_add=True)
    revoked_at = models.DateTimeField("폐기 일시", null=True, blank=True, validators=[validate_era])
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.CharField(
        "폐기 사유", max_length=20, choices=CodeRevocation.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="nomination__cohort__course__operating_group", company="nomination__company"
    )

    class Meta:
        verbose_name = "출석 코드"
        verbose_name_plural = "출석 코드"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(revoked_at__isnull=True),
                name="checkin_code_one_live",
                violation_error_message="이 추천에는 사용 중인 출석 코드가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
                name="checkin_code_revocation_has_reason",
                violation_error_message="폐기한 출석 코드에는 폐기 사유가 있어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} 출석 코드"


class CheckinCodeFailure(models.Model):
    """A wrong attendance code typed at a session of a cohort, from an address: counted to
    hold back guessing (see training.checkin_codes)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "출석 코드 오입력"
        verbose_name_plural = "출석 코드 오입력"
        indexes = [models.Index(fields=["cohort", "ip", "at"], name="checkin_code_failure_recent")]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "출석"
    LATE = "late", "지각"
    LEFT_EARLY = "left_early", "조퇴"
    LATE_LEFT_EARLY = "late_left_early", "지각·조퇴"
    ABSENT = "absent", "결석"
    EXCUSED = "excused", "공결(출석인정)"


# Statuses that count as attending the session; each lateness or early leave is one incident.
ATTENDED = ("present", "late", "left_early", "late_left_early", "excused")
INCIDENTS = {"late": 1, "left_early": 1, "late_left_early": 2}


class AttendanceSource(models.TextChoices):
    QR = "qr", "QR 입실"
    CODE = "code", "QR 입실(출석 코드)"
    ROLL_CALL = "roll_call", "강사 출석부"
    CORRECTION = "correction", "정정 승인"


@pghistory.track()
class Attendance(models.Model):
    """출결: one trainee's record for one session. A session that ended with no row is an
    absence; a row is only ever changed by check-out, roll-call or an approved correction."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="attendances", verbose_name="수강"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name="차시"
    )
    status = models.CharField("출결", max_length=20, choices=AttendanceStatus.choices)
    checked_in_at = models.DateTimeField("입실", null=True, blank=True, validators=[validate_era])
    checked_out_at = models.DateTimeField("퇴실", null=True, blank=True, validators=[validate_era])
    source = models.CharField("기록 방법", max_length=20, choices=AttendanceSource.choices)
    # Where a QR check-in came from, so staff notice one phone checking in several trainees (a
    # forwarded link used with others' logins) or a check-in from outside the room's network.
    # The device is a random per-browser cookie, stored only as a hash.
    checkin_ip = models.GenericIPAddressField("입실 IP", null=True, blank=True)
    checkin_device = models.CharField("입실 기기(해시)", max_length=64, blank=True)
    # Empty only for a check-in with an attendance code: the employee has no account, and the
    # code used says who it was.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checkin_code = models.ForeignKey(
        CheckinCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name="출석 코드",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="enrollment__cohort__course__operating_group", person="enrollment__trainee__user"
    )

    class Meta:
        verbose_name = "출결"
        verbose_name_plural = "출결"
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"],
                name="attendance_once_per_session",
                violation_error_message="이 차시의 출결이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_out_after_in",
                violation_error_message="퇴실 시각은 입실 시각 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(source="code", recorded_by__isnull=True, checkin_code__isnull=False)
                | (~Q(source="code") & Q(recorded_by__isnull=False)),
                name="attendance_recorder_or_code",
                violation_error_message=(
                    "출결 기록에는 기록한 사람이, 출석 코드 입실에는 사용한 코드가 있어야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee} {self.session} {self.get_status_display()}"


class CorrectionReason(models.TextChoices):
    """Reasons accepted for an attendance correction (after 국민내일배움카드 운영규정 별표3)."""

    ILLNESS = "illness", "본인 질병·부상(진단서)"
    FAMILY = "family", "가족 경조사(가족관계증명서 등)"
    RESERVE = "reserve", "예비군·민방위 훈련(필증)"
    INTERVIEW = "interview", "채용 면접(확인서)"
    SYSTEM = "system", "QR·기기 오류(담당자 확인)"
    OTHER = "other", "기타(증빙 첨부)"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "검토 중"
    APPROVED = "approved", "승인"
    REJECTED = "rejected", "반려"


@pghistory.track()
class AttendanceCorrection(models.Model):
    """출석입력요청: a request to change one session's record, with a reason and evidence,
    filed before the rule's deadline and decided by staff. Approval rewrites the attendance
    row; the original stays in its history."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="corrections", verbose_name="수강"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="corrections", verbose_name="차시"
    )
    status_before = models.CharField("정정 전", max_length=20, choices=AttendanceStatus.choices)
    requested_status = models.CharField(
        "요청 출결", max_length=20, choices=AttendanceStatus.choices
    )
    reason = models.CharField("사유", max_length=20, choices=CorrectionReason.choices)
    explanation = BoundedTextField("상세 사유", max_length=2000)
    evidence = models.FileField("증빙", upload_to="corrections/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        "처리 상태",
        max_length=20,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    decision_note = models.CharField("처리 의견", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="enrollment__cohort__course__operating_group", person="enrollment__trainee__user"
    )

    class Meta:
        verbose_name = "출결 정정 신청"
        verbose_name_plural = "출결 정정 신청"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"],
                condition=Q(status="pending"),
                name="correction_one_pending_per_session",
                violation_error_message="이 차시에 처리 중인 출결 정정 신청이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=~Q(requested_status=models.F("status_before")),
                name="correction_changes_something",
                violation_error_message="정정 신청은 현재와 다른 출결 상태를 요청해야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee} {self.session} 정정"


@pghistory.track()
class Certificate(models.Model):
    """수료증: issued once per completed enrolment, with a serial number and a verification
    code that the public page looks up (it shows the holder's masked name only)."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate", verbose_name="수강"
    )
    serial = models.CharField("발급번호", max_length=30, unique=True)
    verification_code = models.CharField("확인 코드", max_length=32, unique=True)
    issued_at = models.DateTimeField("발급일시", validators=[validate_era])
    attendance_rate = models.DecimalField("출석률", max_digits=5, decimal_places=4)
    pdf = models.FileField("PDF", upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    revoked_at = models.DateTimeField("취소 일시", null=True, blank=True, validators=[validate_era])
    revoked_reason = models.CharField("취소 사유", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="enrollment__cohort__course__operating_group", person="enrollment__trainee__user"
    )

    class Meta:
        verbose_name = "수료증"
        verbose_name_plural = "수료증"
        ordering = ["serial"]

    def __str__(self) -> str:
        return self.serial
