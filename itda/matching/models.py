"""Linkage: match rounds, the rankings both sides file, interviews and the engine's runs.

A round collects trainees' ranked choices of published positions and companies' rankings of the
trainees who chose them; staff run the engine as dry runs and publish one run, whose input is
frozen with its sha256 so anyone can rerun the CLI on the export and get the same assignment.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.internships.models import Position
from itda.lib.dates import validate_era
from itda.programs.models import OperatingGroup, Programme, Trainee


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "준비"
    OPEN = "open", "진행 중"
    PUBLISHED = "published", "결과 발표"


@pghistory.track()
class MatchRound(models.Model):
    """연계 차수: one operating group's (or a national) round of ranking and matching."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="match_rounds", verbose_name="사업"
    )
    operating_group = models.ForeignKey(
        OperatingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="match_rounds",
        verbose_name="사업단",
        help_text="비워 두면 전국 차수",
    )
    title = models.CharField("차수 이름", max_length=200)
    # A second round for those left out names the round it follows.
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by"
    )
    max_choices = models.PositiveSmallIntegerField("교육생 지망 수", default=10)
    trainee_deadline = models.DateTimeField("교육생 지망 마감", validators=[validate_era])
    company_deadline = models.DateTimeField("기업 순위 마감", validators=[validate_era])
    status = models.CharField(
        "상태", max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    published_run = models.OneToOneField(
        "MatchRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_for",
        verbose_name="발표한 실행",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Run by its group; a national round (no group) is every group's to follow.
    scope = ScopePaths(group="operating_group")

    class Meta:
        verbose_name = "연계 차수"
        verbose_name_plural = "연계 차수"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__gte=1) & Q(max_choices__lte=30),
                name="round_max_choices_range",
                violation_error_message="지망 수는 1에서 30 사이여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(company_deadline__gte=models.F("trainee_deadline")),
                name="round_company_after_trainees",
                violation_error_message="기업 순위 마감은 교육생 지망 마감 이후여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """Both deadlines lie inside the programme's period."""
        if self.programme_id is not None:
            errors = self.programme.period_errors(self, "trainee_deadline", "company_deadline")
            if errors:
                raise ValidationError(errors)


@pghistory.track()
class TraineeChoice(models.Model):
    """A trainee's ranked choice of a position in a round (1 = first choice)."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="choices")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="match_choices")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField("지망 순위")

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="round__operating_group",
        region="trainee__region",
        company="position__company",
        person="trainee__user",
    )

    class Meta:
        verbose_name = "교육생 지망"
        verbose_name_plural = "교육생 지망"
        ordering = ["round", "trainee", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "trainee", "position"],
                name="choice_position_once",
                violation_error_message="같은 인턴 자리를 두 번 지망할 수 없습니다.",
            ),
            models.UniqueConstraint(
                fields=["round", "trainee", "rank"],
                name="choice_rank_once",
                violation_error_message="같은 지망 순위를 두 번 쓸 수 없습니다.",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="choice_rank_positive",
                violation_error_message="지망 순위는 1 이상이어야 합니다.",
            ),
        ]


@pghistory.track()
class CompanyRanking(models.Model):
    """A company's rank of a trainee who chose its position (only those it would accept)."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="rankings")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="rankings")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="company_ranks")
    rank = models.PositiveSmallIntegerField("순위")

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="round__operating_group", region="trainee__region", company="position__company"
    )

    class Meta:
        verbose_name = "기업 순위"
        verbose_name_plural = "기업 순위"
        ordering = ["round", "position", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position", "trainee"],
                name="ranking_trainee_once",
                violation_error_message="같은 교육생에게 순위를 두 번 매길 수 없습니다.",
            ),
            models.UniqueConstraint(
                fields=["round", "position", "rank"],
                name="ranking_rank_once",
                violation_error_message="같은 순위를 두 번 쓸 수 없습니다.",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="ranking_rank_positive",
                violation_error_message="순위는 1 이상이어야 합니다.",
            ),
        ]


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "예정"
    HELD = "held", "완료"
    CANCELLED = "cancelled", "취소"


@pghistory.track()
class Interview(models.Model):
    """An interview a company holds with a trainee who chose its position; once scheduled the
    company may see the trainee's contact details (logged), not before."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="interviews")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="interviews")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="interviews")
    scheduled_at = models.DateTimeField("면접 일시", validators=[validate_era])
    place = models.CharField("장소·방법", max_length=200)
    status = models.CharField(
        "상태", max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="round__operating_group",
        region="trainee__region",
        company="position__company",
        person="trainee__user",
    )

    class Meta:
        verbose_name = "면접"
        verbose_name_plural = "면접"
        ordering = ["scheduled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position", "trainee"],
                name="interview_once_per_pair",
                violation_error_message="이 교육생과의 면접이 이미 있습니다.",
            ),
        ]


class Algorithm(models.TextChoices):
    TRAINEE_PROPOSING = "trainee-proposing", "교육생 제안 수용유보(안정·교육생 최적)"
    POSITION_PROPOSING = "position-proposing", "기업 제안 수용유보(비교용)"
    FILL_SEATS = "fill-seats", "안정 배정 후 빈자리 채우기"


@pgtrigger.register(
    pgtrigger.Protect(name="match_run_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class MatchRun(models.Model):
    """One run of the engine on a round's frozen input: kept whole, never changed."""

    round = models.ForeignKey(MatchRound, on_delete=models.PROTECT, related_name="runs")
    algorithm = models.CharField("배정 방식", max_length=30, choices=Algorithm.choices)
    engine_version = models.CharField("엔진 버전", max_length=40)
    # The canonical JSON the CLI takes, and its sha256: anyone can rerun the published input.
    input_json = models.TextField()
    input_sha256 = models.CharField(max_length=64)
    result_json = models.TextField()
    stats = models.JSONField("통계", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "매칭 실행"
        verbose_name_plural = "매칭 실행"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round} {self.get_algorithm_display()} #{self.pk}"
