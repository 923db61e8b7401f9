"""Internships: the positions companies post, the placements linkage creates in them, and the
internship (협약) each placement becomes.

A position is a company's seats for one track (Track 1 OJT, Track 2 PBL problem statement),
reviewed by staff before trainees can see it. A placement is the record the internship stage
starts from. An internship is the agreement on a placement — dates inside a start wave the
operator opened, workplace, weekly days and hours, the mentor, the support model — accepted by
the company, the intern and the operating group; its state changes are event rows.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField
from itda.programs.models import (
    Company,
    InternshipPayee,
    OperatingGroup,
    Programme,
    Region,
    Track,
    Trainee,
)


class PositionStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "검토 요청"
    PUBLISHED = "published", "게시"
    RETURNED = "returned", "보완 요청"
    CLOSED = "closed", "마감"


def _skills(verbose_name: str) -> ArrayField:
    return ArrayField(
        models.CharField(max_length=50), verbose_name=verbose_name, default=list, blank=True
    )


@pghistory.track()
class Position(models.Model):
    """인턴 자리: a selected company's seats for one track, with duties, site and mentor."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="positions", verbose_name="기업"
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="positions", verbose_name="트랙"
    )
    title = models.CharField("인턴 자리 이름", max_length=200)
    duties = BoundedTextField("직무 내용", max_length=4000)
    problem_statement = BoundedTextField("PBL 과제", max_length=4000, blank=True)
    seats = models.PositiveSmallIntegerField("인원")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="positions", verbose_name="근무지 시·도"
    )
    site_address = models.CharField("근무지", max_length=200)
    mentor_name = models.CharField("멘토", max_length=50)
    mentor_title = models.CharField("멘토 직위", max_length=50, blank=True)
    required_skills = _skills("필수 역량")
    preferred_skills = _skills("우대 역량")
    status = models.CharField(
        "상태", max_length=20, choices=PositionStatus.choices, default=PositionStatus.DRAFT
    )
    review_note = models.CharField("검토 의견", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="region", company="company")

    class Meta:
        verbose_name = "인턴 자리"
        verbose_name_plural = "인턴 자리"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=50),
                name="position_seats_range",
                violation_error_message="모집 인원은 1명에서 50명 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company.name} · {self.title}"


@pgtrigger.register(
    pgtrigger.Protect(
        name="position_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class PositionTransition(models.Model):
    """A position's state change: who, when, from what to what, and why."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old = models.CharField(max_length=20, choices=PositionStatus.choices)
    new = models.CharField(max_length=20, choices=PositionStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class PlacementState(models.TextChoices):
    ASSIGNED = "assigned", "배정"
    STARTED = "started", "인턴십 진행"
    ENDED = "ended", "종료"
    CANCELLED = "cancelled", "취소"
    ENDED_EARLY = "ended_early", "중도 종료"


ACTIVE_PLACEMENT = ("assigned", "started")
# Placements that take one of their position's seats: a completed internship used its seat for
# good; a cancelled placement (declined, withdrawn) and an early-ended one free it for the
# next round (internships.ending).
SEAT_HOLDING_PLACEMENT = ("assigned", "started", "ended")


@pghistory.track()
class Placement(models.Model):
    """A trainee placed in a position; the internship stage starts from this record."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, related_name="placements", verbose_name="교육생"
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="placements", verbose_name="인턴 자리"
    )
    state = models.CharField(
        "상태", max_length=20, choices=PlacementState.choices, default=PlacementState.ASSIGNED
    )
    # Where the placement came from, e.g. "match-run:12 (trainee-proposing)"; kept as text so
    # this stage does not depend on the linkage stage that creates it.
    origin = models.CharField("배정 근거", max_length=200)
    # The group that ran the linkage round (null: a national round run by the operator). Set by
    # the round that created the placement, never edited: its staff manage the internship.
    operating_group = models.ForeignKey(
        OperatingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name="연계 사업단",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # The group that ran the round manages the placement; a national round's placements go to
    # the group covering the workplace's region (never the trainee's region, which changes).
    scope = ScopePaths(
        group="operating_group",
        region="position__region",
        company="position__company",
        person="trainee__user",
    )

    class Meta:
        verbose_name = "인턴십 배정"
        verbose_name_plural = "인턴십 배정"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(state__in=["assigned", "started"]),
                name="placement_one_active_per_trainee",
                violation_error_message="이 교육생은 이미 진행 중인 인턴십 배정이 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} → {self.position}"


@pghistory.track()
class StartWave(models.Model):
    """인턴십 시작 차수: a span of days in which internships of a programme may start. The
    release says only "8월 순차적으로"; the operator opens waves as data ("2026년 8월 1차")."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="start_waves", verbose_name="사업"
    )
    label = models.CharField("차수 이름", max_length=50)
    first_start = models.DateField("시작 가능 첫날", validators=[validate_era])
    last_start = models.DateField("시작 가능 마지막 날", validators=[validate_era])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "인턴십 시작 차수"
        verbose_name_plural = "인턴십 시작 차수"
        ordering = ["programme", "first_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_start__gte=models.F("first_start")),
                name="start_wave_span_valid",
                violation_error_message="시작 가능 마지막 날은 첫날 이후여야 합니다.",
            ),
            models.UniqueConstraint(
                fields=["programme", "label"],
                name="start_wave_label_unique",
                violation_error_message="이 사업에 같은 이름의 시작 차수가 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.first_start:%m/%d}~{self.last_start:%m/%d})"


@pghistory.track()
class Mentor(models.Model):
    """멘토: a company user (Role.MENTOR) a manager of the company named; mentors interns."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name="계정",
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="mentors", verbose_name="기업"
    )
    name = models.CharField("성명", max_length=50)
    title = models.CharField("직위", max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="company__region", company="company", person="user")

    class Meta:
        verbose_name = "멘토"
        verbose_name_plural = "멘토"
        ordering = ["company", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.title}".strip()


class InternshipState(models.TextChoices):
    PROPOSED = "proposed", "협약 대기"
    ACTIVE = "active", "협약 체결"
    DECLINED = "declined", "거절"
    CANCELLED = "cancelled", "취소"
    COMPLETED = "completed", "완료"
    ENDED_EARLY = "ended_early", "중도 종료"


# States of an internship that never took place: they hold no seat, use none of the person's
# months and load no mentor. Every other state does: an early-ended internship's end date is
# cut to its last working day, so it counts the days it really ran (internships.ending).
VOID_INTERNSHIP = (InternshipState.DECLINED, InternshipState.CANCELLED)
# States of an internship that took place and is over: its hiring outcomes are due.
ENDED_INTERNSHIP = (InternshipState.COMPLETED, InternshipState.ENDED_EARLY)

# Bounds of the weekly working time an agreement may state (RuleOrigin
# "<programme>.internship.working_time", itda 기본값): 근로기준법 제50조's 40 hours a week.
DAYS_PER_WEEK_MAX = 5
HOURS_PER_WEEK_MAX = 40


@pghistory.track()
class Internship(models.Model):
    """인턴십 협약: one placement's agreed terms and where the three parties' acceptance
    stands. Terms change only while proposed, and every change is a new version."""

    placement = models.OneToOneField(
        Placement, on_delete=models.PROTECT, related_name="internship", verbose_name="배정"
    )
    # Copied from the placement's position at proposal time, for the per-person months.
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="internships", verbose_name="사업"
    )
    wave = models.ForeignKey(
        StartWave, on_delete=models.PROTECT, related_name="internships", verbose_name="시작 차수"
    )
    starts_on = models.DateField("시작일", validators=[validate_era])
    ends_on = models.DateField("종료일", validators=[validate_era])
    workplace = models.CharField("근무지", max_length=200)
    days_per_week = models.PositiveSmallIntegerField("주 근무일수", default=DAYS_PER_WEEK_MAX)
    hours_per_week = models.PositiveSmallIntegerField("주 근무시간", default=HOURS_PER_WEEK_MAX)
    mentor = models.ForeignKey(
        Mentor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name="멘토",
    )
    # The support model as the programme had it when proposed: a later change of the programme
    # setting does not rewrite agreements already made.
    payee = models.CharField("월 지원금을 받는 쪽", max_length=20, choices=InternshipPayee.choices)
    monthly_amount_krw = models.PositiveIntegerField("월 지원금(원)", null=True, blank=True)
    state = models.CharField(
        "상태", max_length=20, choices=InternshipState.choices, default=InternshipState.PROPOSED
    )
    # Goes up with every change of terms; acceptances count only for the current version.
    terms_version = models.PositiveIntegerField("협약 버전", default=1)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    # The group that ran the placement's round manages it; a national round's internships go
    # to the group covering the workplace's region.
    scope = ScopePaths(
        group="placement__operating_group",
        region="placement__position__region",
        company="placement__position__company",
        person="placement__trainee__user",
    )

    class Meta:
        verbose_name = "인턴십"
        verbose_name_plural = "인턴십"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="internship_dates_valid",
                violation_error_message="인턴십 종료일은 시작일 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1) & Q(days_per_week__lte=DAYS_PER_WEEK_MAX),
                name="internship_days_per_week_range",
                violation_error_message=(
                    f"주 근무일수는 1일에서 {DAYS_PER_WEEK_MAX}일 사이여야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1) & Q(hours_per_week__lte=HOURS_PER_WEEK_MAX),
                name="internship_hours_per_week_range",
                violation_error_message=(
                    f"주 근무시간은 1시간에서 {HOURS_PER_WEEK_MAX}시간 사이여야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(terms_version__gte=1),
                name="internship_terms_version_positive",
                violation_error_message="협약 버전은 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement.trainee} · {self.placement.position}"


class Party(models.TextChoices):
    """Who must accept an agreement."""

    COMPANY = "company", "기업"
    INTERN = "intern", "인턴"
    GROUP = "group", "사업단"


@pgtrigger.register(
    pgtrigger.Protect(
        name="internship_acceptance_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class InternshipAcceptance(models.Model):
    """One party's acceptance of one version of an agreement: who, when, and the text they saw
    (its version string and the SHA-256 of the rendered text)."""

    internship = models.ForeignKey(Internship, on_delete=models.PROTECT, related_name="acceptances")
    party = models.CharField("당사자", max_length=20, choices=Party.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="수락자"
    )
    terms_version = models.PositiveIntegerField("협약 버전")
    text_version = models.CharField("협약서 판", max_length=50)
    text_sha256 = models.CharField(max_length=64)
    at = models.DateTimeField("수락 일시", auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "party", "terms_version"],
                name="acceptance_once_per_party_and_version",
                violation_error_message="이 협약 버전은 이미 수락했습니다.",
            ),
        ]


@pgtrigger.register(
    pgtrigger.Protect(
        name="internship_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class InternshipTransition(models.Model):
    """An internship's state change or change of terms: who, when, from, to, why."""

    internship = models.ForeignKey(Internship, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old = models.CharField(max_length=20, choices=InternshipState.choices, blank=True)
    new = models.CharField(max_length=20, choices=InternshipState.choices)
    terms_version = models.PositiveIntegerField("협약 버전")
    note = models.CharField("사유", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]


# --- ending, replacement and the hiring outcome (issue 12 §4–§5) ---------------------------------


class EndingKind(models.TextChoices):
    """How an internship ended: at its end date, or early and on whose side."""

    COMPLETED = "completed", "기간 만료"
    INTERN_QUIT = "intern_quit", "인턴 중도 포기"
    COMPANY_ENDED = "company_ended", "기업 사정으로 종료"
    OTHER = "other", "기타"


EARLY_ENDINGS = (EndingKind.INTERN_QUIT, EndingKind.COMPANY_ENDED, EndingKind.OTHER)

# The internship's own scope, seen from a row that hangs on it.
# Scope paths from a row one step below an internship to the internship's own scope.
_INTERNSHIP_SCOPE = {
    "group": "placement__operating_group",
    "region": "placement__position__region",
    "company": "placement__position__company",
    "person": "placement__trainee__user",
}


def _scope_through(prefix: str) -> ScopePaths:
    """The internship's scope paths, reached from a row through ``prefix``."""
    return ScopePaths(**{k: f"{prefix}__{path}" for k, path in _INTERNSHIP_SCOPE.items()})


def _ending_evidence_path(instance, filename: str) -> str:
    return f"internships/{instance.internship_id}/ending/{instance.evidence_sha256}"


@pgtrigger.register(
    pgtrigger.Protect(
        name="internship_ending_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class InternshipEnding(models.Model):
    """인턴십 종료: how an internship ended, recorded once by the operating group — completed at
    its end date, or ended early (by whom, the last working day, the reason, optional evidence).
    An early end cuts the internship's end date to the last working day; the agreed one stays
    here."""

    internship = models.OneToOneField(
        Internship, on_delete=models.PROTECT, related_name="ending", verbose_name="인턴십"
    )
    kind = models.CharField("종료 구분", max_length=20, choices=EndingKind.choices)
    last_day = models.DateField("마지막 근무일", validators=[validate_era])
    agreed_ends_on = models.DateField("협약 종료일", validators=[validate_era])
    reason = models.CharField("사유", max_length=300, blank=True)
    # Stored privately (MEDIA_ROOT is not served), handed out only by a scoped, logged view.
    evidence = models.FileField("증빙", upload_to=_ending_evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("기록 일시", auto_now_add=True, validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = _scope_through("internship")

    class Meta:
        verbose_name = "인턴십 종료"
        verbose_name_plural = "인턴십 종료"
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="completed") | Q(last_day=models.F("agreed_ends_on")),
                name="ending_completed_on_agreed_end",
                violation_error_message="기간 만료 완료는 협약 종료일에 끝나야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(kind="completed")
                | (Q(last_day__lt=models.F("agreed_ends_on")) & ~Q(reason="")),
                name="ending_early_before_agreed_end_with_reason",
                violation_error_message=(
                    "중도 종료는 협약 종료일 전이어야 하고 사유가 있어야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} · {self.get_kind_display()}"


@pgtrigger.register(
    pgtrigger.Protect(
        name="placement_replacement_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class Replacement(models.Model):
    """대체 배정: the placement that took the seat an early-ended internship freed, in a round
    after the end. Following these links gives a position's replacement chain."""

    ended = models.OneToOneField(
        Internship,
        on_delete=models.PROTECT,
        related_name="replacement",
        verbose_name="중도 종료된 인턴십",
    )
    placement = models.OneToOneField(
        Placement, on_delete=models.PROTECT, related_name="replaces", verbose_name="대체 배정"
    )
    created_at = models.DateTimeField(auto_now_add=True, validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    # Staff and the company follow chains; a trainee sees none (a chain names another intern).
    scope = ScopePaths(
        group="placement__operating_group",
        region="placement__position__region",
        company="placement__position__company",
    )

    class Meta:
        verbose_name = "대체 배정"
        verbose_name_plural = "대체 배정"
        ordering = ["created_at", "pk"]


class Checkpoint(models.TextChoices):
    """When a hiring outcome is recorded, counted from the internship's actual end date."""

    END = "end", "종료 시점"
    MONTH_3 = "month_3", "종료 3개월 후"
    MONTH_6 = "month_6", "종료 6개월 후"


# Months after the actual end date at which each checkpoint falls (its 기준일).
CHECKPOINT_MONTHS = {Checkpoint.END: 0, Checkpoint.MONTH_3: 3, Checkpoint.MONTH_6: 6}


class OutcomeKind(models.TextChoices):
    HIRED_HOST = "hired_host", "인턴 기업 채용"
    HIRED_ELSEWHERE = "hired_elsewhere", "다른 곳 취업"
    EDUCATION = "education", "진학"
    NOT_EMPLOYED = "not_employed", "미취업"
    UNKNOWN = "unknown", "확인 불가"


HIRED_OUTCOMES = (OutcomeKind.HIRED_HOST, OutcomeKind.HIRED_ELSEWHERE)


class EmploymentType(models.TextChoices):
    REGULAR = "regular", "정규직"
    CONTRACT = "contract", "계약직"


class WageBand(models.TextChoices):
    """Monthly wage bands of a hire (RuleOrigin "<programme>.hiring.wage_bands", itda 기본값):
    the lowest band ends just above the 2026 minimum wage for a full-time month."""

    BELOW_220 = "lt220", "월 220만원 미만"
    FROM_220 = "220to250", "월 220만원 이상 250만원 미만"
    FROM_250 = "250to300", "월 250만원 이상 300만원 미만"
    FROM_300 = "ge300", "월 300만원 이상"


class OutcomeStatus(models.TextChoices):
    REPORTED = "reported", "확인 대기"
    VERIFIED = "verified", "확인 완료"
    RETURNED = "returned", "보완 요청"


def _contract_path(instance, filename: str) -> str:
    return f"internships/{instance.internship_id}/outcomes/{filename}"


@pghistory.track()
class HiringOutcome(models.Model):
    """채용 결과: where an intern stands at one checkpoint after the internship (hired by the
    host company, elsewhere, in education, not employed, unknown), with its evidence, who
    reported it and who verified it. One per internship and checkpoint: a correction is a new
    version of the same row, each version kept as an event."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="outcomes", verbose_name="인턴십"
    )
    checkpoint = models.CharField("시점", max_length=20, choices=Checkpoint.choices)
    kind = models.CharField("결과", max_length=20, choices=OutcomeKind.choices)
    employer = models.CharField("채용한 곳", max_length=100, blank=True)
    employment_type = models.CharField(
        "고용 형태", max_length=20, choices=EmploymentType.choices, blank=True
    )
    hired_on = models.DateField("입사일", null=True, blank=True, validators=[validate_era])
    wage_band = models.CharField(
        "월 임금 구간", max_length=20, choices=WageBand.choices, blank=True
    )
    insurance_acquired_on = models.DateField(
        "고용보험 취득일", null=True, blank=True, validators=[validate_era]
    )
    # Stored privately, handed out only by a scoped, logged view; each version's file stays
    # with its event row.
    contract = models.FileField("근로계약서 사본", upload_to=_contract_path, blank=True)
    contract_name = models.CharField(max_length=200, blank=True)
    note = models.CharField("메모", max_length=300, blank=True)
    status = models.CharField(
        "확인 상태", max_length=20, choices=OutcomeStatus.choices, default=OutcomeStatus.REPORTED
    )
    version = models.PositiveIntegerField("버전", default=1)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="보고자"
    )
    reported_party = models.CharField("보고한 쪽", max_length=20, choices=Party.choices)
    reported_at = models.DateTimeField("보고 일시", validators=[validate_era])
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="확인자",
    )
    verified_at = models.DateTimeField(
        "확인 일시", null=True, blank=True, validators=[validate_era]
    )
    return_note = models.CharField("보완 요청 사유", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _scope_through("internship")

    class Meta:
        verbose_name = "채용 결과"
        verbose_name_plural = "채용 결과"
        ordering = ["internship_id", "checkpoint", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "checkpoint"],
                name="hiring_outcome_one_per_checkpoint",
                violation_error_message="이 시점의 채용 결과가 이미 있습니다. 정정으로 고치세요.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=HIRED_OUTCOMES) | Q(hired_on__isnull=False),
                name="hiring_outcome_hire_has_start",
                violation_error_message="채용·취업 결과에는 입사일이 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="hired_host") | (~Q(employment_type="") & ~Q(wage_band="")),
                name="hiring_outcome_host_hire_terms",
                violation_error_message=(
                    "인턴 기업 채용에는 고용 형태와 월 임금 구간이 있어야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="hiring_outcome_verified_by_someone",
                violation_error_message="확인 완료에는 확인자와 확인 일시가 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_note=""),
                name="hiring_outcome_return_has_note",
                violation_error_message="보완 요청에는 사유가 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="hiring_outcome_version_positive",
                violation_error_message="채용 결과 버전은 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} · {self.get_checkpoint_display()} · {self.get_kind_display()}"


class OutcomeAction(models.TextChoices):
    REPORTED = "reported", "보고"
    CORRECTED = "corrected", "정정"
    VERIFIED = "verified", "확인"
    RETURNED = "returned", "보완 요청"


@pgtrigger.register(
    pgtrigger.Protect(
        name="hiring_outcome_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class HiringOutcomeTransition(models.Model):
    """One step of a hiring outcome: a version reported or corrected (its values as filed and
    its contract copy), verified or returned; who, when, on whose side, and why."""

    outcome = models.ForeignKey(HiringOutcome, on_delete=models.PROTECT, related_name="transitions")
    version = models.PositiveIntegerField("버전")
    action = models.CharField("처리", max_length=20, choices=OutcomeAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.CharField("처리한 쪽", max_length=20, choices=Party.choices)
    values = models.JSONField("보고 내용", default=dict, blank=True)
    contract = models.FileField("근로계약서 사본", upload_to=_contract_path, blank=True)
    note = models.CharField("사유", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]


# --- Track 2 (PBL): problem statement, milestones, deliverables, reviews ------------------------
# An internship whose position's track has placement_kind "pbl" works on one problem the
# company sets, in milestones the company plans; the intern uploads deliverables per milestone,
# the mentor reviews each milestone and, at the end, the whole project (itda/internships/pbl.py).


@pgtrigger.register(
    pgtrigger.Protect(
        name="problem_statement_version_append_only",
        operation=pgtrigger.Update | pgtrigger.Delete,
    )
)
class ProblemStatementVersion(models.Model):
    """One version of a PBL internship's problem statement (PBL 과제); the highest version is
    the current one, earlier ones are its history. The company side writes it."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="problem_versions"
    )
    version = models.PositiveIntegerField("버전")
    title = models.CharField("과제명", max_length=200)
    description = BoundedTextField("과제 설명", max_length=4000)
    expected_outcome = BoundedTextField("기대 결과물", max_length=2000)
    note = models.CharField("변경 사유", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="작성자"
    )
    at = models.DateTimeField("작성 일시", auto_now_add=True, validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = _scope_through("internship")

    class Meta:
        verbose_name = "PBL 과제"
        verbose_name_plural = "PBL 과제"
        ordering = ["internship", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "version"],
                name="problem_statement_version_unique",
                violation_error_message="이 과제 버전은 이미 있습니다. 다시 저장하세요.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="problem_statement_version_positive",
                violation_error_message="과제 버전은 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (버전 {self.version})"


class MilestoneState(models.TextChoices):
    OPEN = "open", "진행 중"
    SUBMITTED = "submitted", "검토 대기"
    CHANGES_REQUESTED = "changes_requested", "보완 요청"
    ACCEPTED = "accepted", "승인"
    CANCELLED = "cancelled", "취소"


# Milestones the intern still has to hand something in for (a due or overdue milestone).
MILESTONE_TO_SUBMIT = (MilestoneState.OPEN, MilestoneState.CHANGES_REQUESTED)


@pghistory.track()
class Milestone(models.Model):
    """마일스톤: one step of a PBL project with a due date inside the internship; the intern
    hands in deliverables for it and the mentor accepts it or asks for changes."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="milestones", verbose_name="인턴십"
    )
    title = models.CharField("마일스톤", max_length=200)
    description = BoundedTextField("내용", max_length=2000, blank=True)
    due_on = models.DateField("마감일", validators=[validate_era])
    state = models.CharField(
        "상태", max_length=20, choices=MilestoneState.choices, default=MilestoneState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = _scope_through("internship")

    class Meta:
        verbose_name = "마일스톤"
        verbose_name_plural = "마일스톤"
        ordering = ["internship", "due_on", "pk"]
        # The reminder selector reads milestones by state and due date over every internship.
        indexes = [models.Index(fields=["state", "due_on"], name="milestone_state_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%Y-%m-%d})"


@pgtrigger.register(
    pgtrigger.Protect(
        name="milestone_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class MilestoneTransition(models.Model):
    """A milestone's state change or change of plan: who, when, from, to, why."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old = models.CharField(max_length=20, choices=MilestoneState.choices, blank=True)
    new = models.CharField(max_length=20, choices=MilestoneState.choices)
    note = models.CharField("사유", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]


def _deliverable_path(instance, filename: str) -> str:
    # Named by content, never by the uploader's file name; MEDIA_ROOT is not served.
    return f"pbl/{instance.milestone.internship_id}/{instance.milestone_id}/{instance.sha256}"


@pgtrigger.register(
    pgtrigger.Protect(name="deliverable_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class Deliverable(models.Model):
    """One version of what the intern handed in for a milestone (the latest counts); stored
    privately, handed out only by a scoped download view that logs who took it."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="deliverables", verbose_name="마일스톤"
    )
    version = models.PositiveIntegerField("버전")
    file = models.FileField(upload_to=_deliverable_path, max_length=200)
    original_name = models.CharField("파일 이름", max_length=200)
    kind = models.CharField("형식", max_length=20)
    size = models.PositiveIntegerField("크기(바이트)")
    sha256 = models.CharField(max_length=64)
    note = models.CharField("설명", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("제출 일시", auto_now_add=True, validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = _scope_through("milestone__internship")

    class Meta:
        verbose_name = "PBL 산출물"
        verbose_name_plural = "PBL 산출물"
        ordering = ["milestone", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "version"],
                name="deliverable_version_unique",
                violation_error_message="이 산출물 버전은 이미 있습니다. 다시 올려 주세요.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="deliverable_version_positive",
                violation_error_message="산출물 버전은 1 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (버전 {self.version})"


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", "승인"
    CHANGES_REQUESTED = "changes_requested", "보완 요청"


@pgtrigger.register(
    pgtrigger.Protect(
        name="milestone_review_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class MilestoneReview(models.Model):
    """The mentor's review of one deliverable version of a milestone: accepted, or changes
    requested with a comment saying what to change."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="reviews")
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="reviews", verbose_name="검토한 버전"
    )
    decision = models.CharField("결과", max_length=20, choices=ReviewDecision.choices)
    comment = BoundedTextField("의견", max_length=2000, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="검토자"
    )
    at = models.DateTimeField("검토 일시", auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="changes_requested") | ~Q(comment=""),
                name="milestone_review_changes_have_comment",
                violation_error_message="보완을 요청할 때는 무엇을 고칠지 의견을 적어야 합니다.",
            ),
        ]


@pgtrigger.register(
    pgtrigger.Protect(
        name="final_review_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class FinalReview(models.Model):
    """The mentor's final review of a PBL internship, once every milestone is accepted: a
    summary, a score on the criteria as they were when scored, and a comment. Given once."""

    internship = models.OneToOneField(
        Internship, on_delete=models.PROTECT, related_name="final_review", verbose_name="인턴십"
    )
    summary = BoundedTextField("수행 요약", max_length=2000)
    comment = BoundedTextField("종합 의견", max_length=2000, blank=True)
    # [{"code", "label", "max", "score"}, ...]: the criteria with their points when scored, so
    # a later change of the criteria does not rewrite a review already given.
    scores = models.JSONField("항목별 점수")
    total_score = models.PositiveSmallIntegerField("총점")
    max_score = models.PositiveSmallIntegerField("만점")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="평가자"
    )
    at = models.DateTimeField("평가 일시", auto_now_add=True, validators=[validate_era])

    class Meta:
        verbose_name = "PBL 최종 평가"
        verbose_name_plural = "PBL 최종 평가"
        constraints = [
            models.CheckConstraint(
                condition=Q(total_score__lte=models.F("max_score")),
                name="final_review_total_within_max",
                violation_error_message="총점은 만점을 넘을 수 없습니다.",
            ),
        ]


# --- Track 1 (OJT): monthly reports ----------------------------------------------------------
# One intern's work log and one mentor report per calendar month the internship touches, each
# through draft → submitted → approved | returned → resubmitted → …; staff of the managing
# group review. The writes and their rules are in ojt.py.


class OjtReportKind(models.TextChoices):
    LOG = "log", "업무일지"
    MENTOR = "mentor", "멘토 보고서"


class OjtReportState(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "제출"
    RETURNED = "returned", "보완 요청"
    RESUBMITTED = "resubmitted", "재제출"
    APPROVED = "approved", "승인"


# Internship states that hold no monthly reports: not yet agreed, or never took place. Any other
# state (active, and later completed or ended early) reports every month up to its end.
OJT_NOT_REPORTING = (InternshipState.PROPOSED, *VOID_INTERNSHIP)
# A month's reports are due this many days after the internship's last day in the month: the
# 5th of the next month for a full month (RuleOrigin "<programme>.internship.report_due").
OJT_DUE_DAYS_AFTER = 5
# Scale of the mentor's rating on each criterion (RuleOrigin "<programme>.internship.criteria").
OJT_SCORE_MAX = 5
# The most working days any calendar month has (23: a 31-day month starting on a weekday, no
# holiday), a typo guard; the real bound is the month's scheduled days, checked in ojt.py.
OJT_MONTH_DAYS_MAX = 23
# A log's weekly hours: 근로기준법's 40 hours plus 12 of overtime (제53조).
OJT_LOG_HOURS_MAX = HOURS_PER_WEEK_MAX + 12


@pghistory.track()
class OjtCriterion(models.Model):
    """One criterion a programme's mentors rate each month (1–5); a programme without its own
    gets itda's defaults (ojt.DEFAULT_CRITERIA) the first time a mentor report needs them."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="ojt_criteria", verbose_name="사업"
    )
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("평가 항목", max_length=50)
    description = models.CharField("설명", max_length=200, blank=True)
    # A criterion once used is kept for the reports that rated it; the operator retires it.
    is_active = models.BooleanField("사용", default=True)

    class Meta:
        verbose_name = "OJT 평가 항목"
        verbose_name_plural = "OJT 평가 항목"
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="ojt_criterion_name_unique",
                violation_error_message="이 사업에 같은 이름의 평가 항목이 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class OjtReport(models.Model):
    """One month's report of an OJT internship: the intern's work log or the mentor's report
    (attendance days, ratings, comment). Editable by its writer while a draft or returned."""

    internship = models.ForeignKey(
        Internship, on_delete=models.PROTECT, related_name="ojt_reports", verbose_name="인턴십"
    )
    # The first day of the calendar month reported.
    month = models.DateField("월", validators=[validate_era])
    kind = models.CharField("구분", max_length=20, choices=OjtReportKind.choices)
    state = models.CharField(
        "상태", max_length=20, choices=OjtReportState.choices, default=OjtReportState.DRAFT
    )
    # The intern's work log.
    tasks = BoundedTextField("수행한 업무", max_length=2000, blank=True)
    hours_per_week = models.PositiveSmallIntegerField("주당 근무시간", null=True, blank=True)
    learnt = BoundedTextField("배운 점", max_length=2000, blank=True)
    # The mentor's report.
    attendance_days = models.PositiveSmallIntegerField("출근일수", null=True, blank=True)
    comment = BoundedTextField("멘토 의견", max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="작성자"
    )
    submitted_at = models.DateTimeField(
        "제출 일시", null=True, blank=True, validators=[validate_era]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="검토자",
    )
    reviewed_at = models.DateTimeField(
        "검토 일시", null=True, blank=True, validators=[validate_era]
    )
    return_reason = models.CharField("보완 요청 사유", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    # As its internship: the managing group, the workplace's region, the company (its managers
    # and mentors), the intern.
    scope = _scope_through("internship")

    class Meta:
        verbose_name = "OJT 월간 보고"
        verbose_name_plural = "OJT 월간 보고"
        ordering = ["internship", "month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "month", "kind"],
                name="ojt_report_one_per_month_and_kind",
                violation_error_message="이 달의 보고서가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="ojt_report_month_first_day",
                violation_error_message="보고 월은 그 달의 1일로 적어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(kind=OjtReportKind.MENTOR)
                | Q(attendance_days__isnull=True, comment=""),
                name="ojt_report_log_has_no_mentor_fields",
                violation_error_message="업무일지에는 출근일수와 멘토 의견을 적지 않습니다.",
            ),
            models.CheckConstraint(
                condition=Q(kind=OjtReportKind.LOG)
                | Q(hours_per_week__isnull=True, tasks="", learnt=""),
                name="ojt_report_mentor_has_no_log_fields",
                violation_error_message="멘토 보고서에는 업무일지 내용을 적지 않습니다.",
            ),
            models.CheckConstraint(
                condition=Q(attendance_days__isnull=True)
                | Q(attendance_days__lte=OJT_MONTH_DAYS_MAX),
                name="ojt_report_attendance_range",
                violation_error_message=(
                    f"출근일수는 0일에서 {OJT_MONTH_DAYS_MAX}일 사이여야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gte=1, hours_per_week__lte=OJT_LOG_HOURS_MAX),
                name="ojt_report_hours_range",
                violation_error_message=(
                    f"주당 근무시간은 1시간에서 {OJT_LOG_HOURS_MAX}시간 사이여야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=OjtReportState.RETURNED) | ~Q(return_reason=""),
                name="ojt_report_returned_has_reason",
                violation_error_message="보완 요청에는 사유가 있어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} · {self.month:%Y-%m} {self.get_kind_display()}"


@pghistory.track()
class OjtScore(models.Model):
    """The mentor's rating of one criterion in one monthly report."""

    report = models.ForeignKey(OjtReport, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(OjtCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("점수")

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "criterion"],
                name="ojt_score_once_per_criterion",
                violation_error_message="한 평가 항목에는 점수를 한 번만 줄 수 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=OJT_SCORE_MAX),
                name="ojt_score_range",
                violation_error_message=f"점수는 1점에서 {OJT_SCORE_MAX}점 사이여야 합니다.",
            ),
        ]


@pgtrigger.register(
    pgtrigger.Protect(
        name="ojt_report_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class OjtReportTransition(models.Model):
    """A monthly report's state change: who, when, from, to, and why (a return's reason)."""

    report = models.ForeignKey(OjtReport, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old = models.CharField(max_length=20, choices=OjtReportState.choices, blank=True)
    new = models.CharField(max_length=20, choices=OjtReportState.choices)
    note = models.CharField("사유", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, validators=[validate_era])

    class Meta:
        ordering = ["at", "pk"]


class ReminderSent(models.Model):
    """One day's reminder e-mail to one person (reminders.py): the row is claimed before the
    e-mail goes, so a second run the same day sends nothing new."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="받는 사람",
    )
    day = models.DateField("기준일", validators=[validate_era])
    items = models.PositiveIntegerField("항목 수")
    sent_at = models.DateTimeField("보낸 시각", validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(person="user")

    class Meta:
        verbose_name = "인턴십 알림 발송"
        verbose_name_plural = "인턴십 알림 발송"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="reminder_once_a_day_per_user",
                violation_error_message="한 사람에게 하루 한 번만 알림 메일을 보냅니다.",
            )
        ]
