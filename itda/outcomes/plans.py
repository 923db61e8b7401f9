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
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.internships.hiring import counted_hires
from itda.internships.models import Checkpoint, HiringOutcome, Placement, PlacementState
from itda.lib.db import without_jit
from itda.lib.suppression import RULE_TEXT, shown_count
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
            *(shown_count(getattr(self, f)) for f in _COUNTS),
            cohorts=[
                {
                    **row,
                    "n_enrolled": shown_count(row["n_enrolled"]),
                    "n_completed": shown_count(row["n_completed"]),
                }
                for row in self.cohorts
            ],
        )


_COUNTS = ("enrolled", "completed", "placed", "hired_3m", "hired_6m")


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


def plan_outcomes_read(plan: TransformationPlan, *, suppress: bool) -> list[SubProjectOutcome]:
    rows = []
    # Distinct people over every trainee of a complex: large reads (lib.db.without_jit).
    with without_jit():
        for task, sub in plan_smart_training(plan):
            complexes, is_default = subproject_complexes(sub, plan)
            funnel = complexes_funnel([c.pk for c in complexes]).shown(suppress)
            rows.append(SubProjectOutcome(task.name, sub, complexes, is_default, funnel))
    return rows


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
            "rows": plan_outcomes_read(plan, suppress=False),
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
    rows = [
        (plan, plan_outcomes_read(plan, suppress=suppress))
        for plan in plans_visible_to(request.user)
        .select_related("region")
        .prefetch_related("sites__complex", "key_tasks__subprojects__complexes")
    ]
    return render(
        request,
        "outcomes/plan_overview.html",
        {"rows": rows, "suppress": suppress, "suppression_rule": RULE_TEXT},
    )
