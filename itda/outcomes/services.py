"""Outcomes' writes: changing a programme's period (it must read every stage first; it checks
the later stages' dates and calls programs' service), and the nightly KPI and plan snapshots."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from itda.accounts.roles import Role
from itda.lib.db import without_jit
from itda.outcomes.kpis import breakdown_counts
from itda.outcomes.models import KpiSnapshot, PlanFunnelSnapshot
from itda.outcomes.plans import FUNNEL_STAGES, complexes_funnel, plan_smart_subprojects
from itda.outcomes.selectors import period_strandings
from itda.programs import services as programs
from itda.programs.models import Programme, TransformationPlan


@transaction.atomic
def programme_period_change(
    *, programme: Programme, starts_on: date, ends_on: date, reason: str, actor
) -> Programme:
    """Extend or move a programme's period (operator only, with a reason, recorded). Refused
    while any call window, cohort, match round deadline or internship would fall outside the
    new period: nothing of the programme runs past its timeline unnoticed."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    # Under the programme's row lock, so two changes of the period do not pass each other.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    stranded = period_strandings(programme, starts_on, ends_on)
    if stranded:
        raise ValidationError(
            f"새 사업기간({programs.period_label(starts_on, ends_on)}) 밖에 남는 일정이 있어 "
            f"바꿀 수 없습니다: {', '.join(stranded)}. 해당 일정을 먼저 옮기세요."
        )
    return programs.programme_period_set(
        programme=programme, starts_on=starts_on, ends_on=ends_on, reason=reason, actor=actor
    )


@transaction.atomic
def kpi_snapshot_take(*, day: date, programmes=None) -> int:
    """Store the funnel counts of ``day`` for each programme (all by default), replacing what
    that day held: safe to run twice, one transaction. Returns the rows stored. A day's rows
    are the counts as they stood when taken; later days never rewrite them."""
    programmes = list(programmes if programmes is not None else Programme.objects.all())
    KpiSnapshot.objects.filter(day=day, programme__in=programmes).delete()
    rows = []
    for programme in programmes:
        counted = breakdown_counts(programme)
        rows += [
            KpiSnapshot(
                day=day,
                programme=programme,
                operating_group_id=group,
                track_id=track,
                region_id=region,
                stage=stage,
                value=value,
            )
            for (group, track, region), counts in counted.cells.items()
            for stage, value in counts.items()
        ]
        rows += [
            KpiSnapshot(
                day=day,
                programme=programme,
                operating_group_id=group,
                company_kind=kind or "",
                complex_id=complex_,
                stage=stage,
                value=value,
            )
            for (group, kind, complex_), counts in counted.company_cells.items()
            for stage, value in counts.items()
        ]
    KpiSnapshot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def plan_funnel_snapshot_take(*, day: date) -> int:
    """Store every 「스마트제조 고급인력 양성」 sub-project's funnel of ``day`` (outcomes.plans),
    with its cohorts' 수강 / 수료, replacing what that day held: safe to run twice, one
    transaction. Returns the rows stored."""
    PlanFunnelSnapshot.objects.filter(day=day).delete()
    plans = TransformationPlan.objects.prefetch_related(
        "sites__complex", "key_tasks__subprojects__complexes"
    )
    rows = []
    # Distinct people over every trainee of a complex: large reads (lib.db.without_jit).
    with without_jit():
        for plan in plans:
            for _, sub, complexes, _ in plan_smart_subprojects(plan):
                funnel = complexes_funnel([c.pk for c in complexes])
                rows += [
                    PlanFunnelSnapshot(
                        day=day, subproject=sub, stage=stage, value=getattr(funnel, stage)
                    )
                    for stage in FUNNEL_STAGES
                ]
                rows += [
                    PlanFunnelSnapshot(
                        day=day,
                        subproject=sub,
                        cohort=row["cohort"],
                        stage=stage,
                        value=row[f"n_{stage}"],
                    )
                    for row in funnel.cohorts
                    for stage in ("enrolled", "completed")
                ]
    PlanFunnelSnapshot.objects.bulk_create(rows)
    return len(rows)
