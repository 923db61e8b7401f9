"""Nightly KPI snapshots: the funnel's counts of each day, kept so that history reads back the
same and dashboards read a few aggregate rows, not the pipeline's raw rows."""

from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.programs.models import (
    CompanyKind,
    IndustrialComplex,
    OperatingGroup,
    Programme,
    Region,
    SubProject,
    Track,
)
from itda.training.models import Cohort


class KpiSnapshot(models.Model):
    """One stage count of one day for one cell: national (no group, track, 시·도, company kind
    or complex), or split by operating group, track, 시·도, group × track or group × 시·도, or
    by the host company's kind or complex, alone or within a group (outcomes.kpis)."""

    day = models.DateField("기준일", validators=[validate_era])
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="kpi_snapshots", verbose_name="사업"
    )
    operating_group = models.ForeignKey(
        OperatingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="사업단",
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="트랙",
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="시·도",
    )
    # "" where the cell is not split by it (a choice, so not null: Django's rule for text).
    company_kind = models.CharField(
        "기업 유형", max_length=20, choices=CompanyKind.choices, blank=True, default=""
    )
    complex = models.ForeignKey(
        IndustrialComplex,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="산업단지",
    )
    stage = models.CharField("단계", max_length=20)
    value = models.PositiveIntegerField("인원")
    taken_at = models.DateTimeField("집계 일시", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # A group's staff see their group's cells and the 시·도 cells of their regions, never the
    # national total or another group's numbers.
    scope = ScopePaths(group="operating_group", region="region")

    class Meta:
        verbose_name = "성과 지표 스냅숏"
        verbose_name_plural = "성과 지표 스냅숏"
        ordering = ["day", "programme", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "programme",
                    "operating_group",
                    "track",
                    "region",
                    "company_kind",
                    "complex",
                    "stage",
                ],
                nulls_distinct=False,
                name="kpi_snapshot_once_per_day_cell",
                violation_error_message="이 날짜의 같은 집계 칸이 이미 저장되어 있습니다.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "day"], name="kpi_snapshot_programme_day"),
            # The dashboards find the stored days (and the months' last ones) from the national
            # rows alone: a dozen rows a day instead of every cell's.
            models.Index(
                fields=["programme", "day"],
                condition=models.Q(
                    operating_group=None,
                    track=None,
                    region=None,
                    company_kind="",
                    complex=None,
                ),
                name="kpi_snapshot_national_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.value}"


class PlanFunnelSnapshot(models.Model):
    """One count of one night for a 「스마트제조 고급인력 양성」 sub-project (outcomes.plans):
    a stage of its funnel (no cohort), or a cohort's 수강 / 수료 (cohort set). Taken in the same
    nightly run as KpiSnapshot, so the plan pages read a few rows, not the pipeline's raw rows.
    Plans span programmes, hence a table of its own rather than a KpiSnapshot cell."""

    day = models.DateField("기준일", validators=[validate_era])
    # A deleted sub-project or cohort has nothing left to show: its counts go with it.
    subproject = models.ForeignKey(
        SubProject, on_delete=models.CASCADE, related_name="+", verbose_name="주요 사업"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="기수",
    )
    stage = models.CharField("단계", max_length=20)
    value = models.PositiveIntegerField("인원")
    taken_at = models.DateTimeField("집계 일시", auto_now_add=True)

    class Meta:
        verbose_name = "산단 대개조 성과 스냅숏"
        verbose_name_plural = "산단 대개조 성과 스냅숏"
        ordering = ["day", "subproject", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "subproject", "cohort", "stage"],
                nulls_distinct=False,
                name="plan_funnel_snapshot_once_per_day_cell",
                violation_error_message="이 날짜의 같은 집계 칸이 이미 저장되어 있습니다.",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="plan_funnel_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.value}"
