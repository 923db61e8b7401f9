"""Internships: the positions companies post, and the placements linkage creates in them.

A position is a company's seats for one track (Track 1 OJT, Track 2 PBL problem statement),
reviewed by staff before trainees can see it. A placement is the record the internship stage
starts from; this stage only creates it and keeps its state.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.fields import BoundedTextField
from itda.programs.models import Company, Region, Track, Trainee


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


ACTIVE_PLACEMENT = ("assigned", "started")


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        region="trainee__region", company="position__company", person="trainee__user"
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
