"""산단 대개조 → 교육 → 연계 → 채용 on one page: a plan, its 「스마트제조 고급인력 양성」
sub-project, and the trainees of the complexes that sub-project covers, trained, placed and
hired. It lives here, at the end of the pipeline, because it reads plans, training and
internships alike.

What links a sub-project to people is ours (itda 기본값 — 운영지침 확인 필요, shown on the page):
- the complexes it covers are the ones the operator chose for it, else every site of its plan;
- 수강·수료: people enrolled in (not waiting for) / completing a cohort with a session booked
  (approved) in a room of a venue inside one of those complexes;
- 연계: people placed (not cancelled) in a position of a company inside one of them;
- 채용: those placements' hires that count at 3 and at 6 months (internships.hiring).
Every programme's records count; a person counts once per stage.

The pages read the latest night's stored counts (PlanFunnelSnapshot, taken with the KPI
snapshot), counting live only a sub-project no night has stored yet (never stored by a page
view, as the dashboards do): at 100× the demo a live count of a hub complex took over 500 ms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.internships.hiring import counted_hires
from itda.internships.models import Checkpoint, HiringOutcome, Placement, PlacementState
from itda.lib.db import without_jit
from itda.lib.suppression import RULE_TEXT, shown_count
from itda.outcomes.models import PlanFunnelSnapshot
from itda.programs.models import SubProject, TransformationPlan
from itda.programs.selectors import (
    plan_manage_detail,
    plan_progress_rows,
    plan_smart_training,
    plans_visible_to,
    subproject_complexes,
)
from itda.training.models import BookingStatus, Cohort, Enrollment, EnrollmentStatus


@dataclass(frozen=True)
class Funnel:
    enrolled: int
    completed: int
    placed: int
    hired_3m: int
    hired_6m: int
    cohorts: list[dict]  # {"cohort", "n_enrolled", "n_completed"}

    def shown(self, suppress: bool) -> Funnel:
        """The funnel as the reader may see it: counts of 1–4 as "<5" for the viewer."""
        if not suppress:
            return self
        return Funnel(
            *(shown_count(getattr(self, f)) for f in FUNNEL_STAGES),
            cohorts=[
                {
                    **row,
                    "n_enrolled": shown_count(row["n_enrolled"]),
                    "n_completed": shown_count(row["n_completed"]),
                }
                for row in self.cohorts
            ],
        )


FUNNEL_STAGES = ("enrolled", "completed", "placed", "hired_3m", "hired_6m")


def complexes_funnel(complex_ids: list[int]) -> Funnel:
    """Trained, placed and hired people of the given complexes (module docstring)."""
    cohorts = Cohort.objects.filter(
        sessions__booking__room__venue__complex__in=complex_ids,
        sessions__booking__status=BookingStatus.APPROVED,
    ).values("pk")
    active = ~Q(enrollments__status=EnrollmentStatus.WAITLISTED)
    cohort_rows = list(
        Cohort.objects.filter(pk__in=cohorts)
        .select_related("course")
        .annotate(
            n_enrolled=Count("enrollments__trainee", filter=active, distinct=True),
            n_completed=Count(
                "enrollments__trainee",
                filter=Q(enrollments__status=EnrollmentStatus.COMPLETED),
                distinct=True,
            ),
        )
        .order_by("starts_on", "pk")
    )
    # Three counting queries for the five stages, each of distinct people under filters.
    trained = Enrollment.objects.filter(cohort__in=cohorts).aggregate(
        enrolled=Count("trainee", distinct=True, filter=~Q(status=EnrollmentStatus.WAITLISTED)),
        completed=Count("trainee", distinct=True, filter=Q(status=EnrollmentStatus.COMPLETED)),
    )
    placements = Placement.objects.filter(position__company__complex__in=complex_ids).exclude(
        state=PlacementState.CANCELLED
    )
    hired = counted_hires(
        HiringOutcome.objects.filter(internship__placement__in=placements)
    ).aggregate(
        **{
            key: Count(
                "internship__placement__trainee",
                distinct=True,
                filter=Q(checkpoint=checkpoint),
            )
            for key, checkpoint in (
                ("hired_3m", Checkpoint.MONTH_3),
                ("hired_6m", Checkpoint.MONTH_6),
            )
        }
    )
    return Funnel(
        enrolled=trained["enrolled"],
        completed=trained["completed"],
        placed=placements.values("trainee").distinct().count(),
        hired_3m=hired["hired_3m"],
        hired_6m=hired["hired_6m"],
        cohorts=[
            {"cohort": c, "n_enrolled": c.n_enrolled, "n_completed": c.n_completed}
            for c in cohort_rows
        ],
    )


@dataclass(frozen=True)
class SubProjectOutcome:
    task_name: str
    subproject: SubProject
    complexes: list
    complexes_default: bool
    funnel: Funnel
    counted_on: datetime.date | None  # the stored night read; None: counted live


def plan_smart_subprojects(plan: TransformationPlan) -> list[tuple[str, SubProject, list, bool]]:
    """(key task name, sub-project, its complexes, whether those are the default) of each
    「스마트제조 고급인력 양성」 sub-project of ``plan``."""
    return [
        (task.name, sub, *subproject_complexes(sub, plan))
        for task, sub in plan_smart_training(plan)
    ]


def _stored_funnels(sub_ids: list[int]) -> tuple[datetime.date | None, dict[int, Funnel]]:
    """The latest stored night and the funnels it holds for ``sub_ids``, in two queries."""
    day = PlanFunnelSnapshot.objects.aggregate(day=Max("day"))["day"]
    if day is None:
        return None, {}
    counts: dict[int, dict] = {}
    cohorts: dict[int, dict] = {}
    rows = (
        PlanFunnelSnapshot.objects.filter(day=day, subproject__in=sub_ids)
        .select_related("cohort__course")
        .order_by(F("cohort__starts_on").asc(nulls_first=True), "cohort_id")
    )
    for row in rows:
        if row.cohort is None:
            counts.setdefault(row.subproject_id, {})[row.stage] = row.value
        else:
            cells = cohorts.setdefault(row.subproject_id, {}).setdefault(
                row.cohort_id, {"cohort": row.cohort, "n_enrolled": 0, "n_completed": 0}
            )
            cells[f"n_{row.stage}"] = row.value
    return day, {
        sub: Funnel(
            **{stage: stages.get(stage, 0) for stage in FUNNEL_STAGES},
            cohorts=list(cohorts.get(sub, {}).values()),
        )
        for sub, stages in counts.items()
    }


def plans_outcomes_read(
    plans: list[TransformationPlan], *, suppress: bool
) -> list[tuple[TransformationPlan, list[SubProjectOutcome]]]:
    """Each plan with its sub-projects' funnels from the latest stored night; a sub-project
    that night does not hold (none stored yet, or added since) is counted live."""
    subs = {plan.pk: plan_smart_subprojects(plan) for plan in plans}
    day, stored = _stored_funnels([sub.pk for rows in subs.values() for _, sub, *_ in rows])
    result = []
    # A live count reads distinct people over every trainee of a complex (lib.db.without_jit).
    with without_jit():
        for plan in plans:
            rows = []
            for task_name, sub, complexes, is_default in subs[plan.pk]:
                funnel = stored.get(sub.pk)
                counted_on = day if funnel is not None else None
                if funnel is None:
                    funnel = complexes_funnel([c.pk for c in complexes])
                rows.append(
                    SubProjectOutcome(
                        task_name, sub, complexes, is_default, funnel.shown(suppress), counted_on
                    )
                )
            result.append((plan, rows))
    return result


@never_cache
@require_GET
def plan_outcomes(request, pk: int):
    """계획 → 주요 사업 → 수강·수료 → 연계 → 채용, with target vs actual: another region's
    plan is a 404 for staff."""
    require_role(request, Role.OPERATOR, Role.GROUP_STAFF)
    plan = plan_manage_detail(request.user, pk)
    return render(
        request,
        "outcomes/plan_outcomes.html",
        {
            "plan": plan,
            "rows": plans_outcomes_read([plan], suppress=False)[0][1],
            "progress_rows": plan_progress_rows(plan),
        },
    )


@never_cache
@require_GET
def plan_overview(request):
    """Every plan the user may read with its stage and its 「스마트제조 고급인력 양성」 counts:
    the ministry viewer's view of 산단 대개조 (counts of 1–4 shown as "<5")."""
    require_role(request, Role.OPERATOR, Role.GROUP_STAFF, Role.VIEWER)
    suppress = request.user.role == Role.VIEWER
    rows = plans_outcomes_read(
        list(
            plans_visible_to(request.user)
            .select_related("region")
            .prefetch_related("sites__complex", "key_tasks__subprojects__complexes")
        ),
        suppress=suppress,
    )
    return render(
        request,
        "outcomes/plan_overview.html",
        {
            "rows": rows,
            # The stored night read (a sub-project added since is counted live).
            "counted_on": next(
                (r.counted_on for _, subs in rows for r in subs if r.counted_on), None
            ),
            "suppress": suppress,
            "suppression_rule": RULE_TEXT,
        },
    )
