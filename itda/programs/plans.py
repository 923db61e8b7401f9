"""산단 대개조 as a process: a plan's stages and their trail, its sub-projects' settled terms,
and the progress entered against its targets.

The stages and their order are seed 003's (PlanStatus). Which moves are allowed beyond that
order is ours: a plan goes one stage forward at a time, the evaluation's outcome (예비선정 or
미선정) is set only by publishing the plan call's ranking (evaluation.services.ranking_publish
calls ``plans_decide``), and 컨설팅·보완 may send a plan back to 공모 접수 for resubmission.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from itda.accounts.roles import Role
from itda.programs.models import (
    IndustrialComplex,
    PlanProgress,
    PlanStatus,
    PlanTransition,
    SubProject,
    SubProjectStatus,
    TransformationPlan,
)

S = PlanStatus
# The moves an operator makes by hand; 평가 → 예비선정/미선정 is the ranking's (DECIDED_BY_RANKING).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.CONSULTING,),
    S.CONSULTING: (S.EVALUATION, S.APPLIED),
    S.EVALUATION: (),
    S.PRELIMINARY: (S.REVIEW,),
    S.REVIEW: (S.CONFIRMED,),
    S.CONFIRMED: (S.DESIGNATED,),
    S.NOT_SELECTED: (),
    S.DESIGNATED: (),
}
DECIDED_BY_RANKING = (S.PRELIMINARY, S.NOT_SELECTED)
# The main line, as the process bar draws it (미선정 is the side exit of 평가).
STAGE_LINE = (
    S.APPLIED,
    S.CONSULTING,
    S.EVALUATION,
    S.PRELIMINARY,
    S.REVIEW,
    S.CONFIRMED,
    S.DESIGNATED,
)


class PlanError(ValidationError):
    """A change of a plan the process refuses; the message is Korean."""


def _require_operator(actor) -> None:
    if actor.role != Role.OPERATOR:
        raise PermissionDenied("산단 대개조 계획은 전담기관 담당자만 바꿀 수 있습니다.")


def _label(status: str) -> str:
    return PlanStatus(status).label


def _move(plan: TransformationPlan, to: str, *, actor, note: str) -> PlanTransition:
    transition = PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to, actor=actor, note=note
    )
    plan.status = to
    plan.save(update_fields=["status"])
    return transition


def _locked(plan: TransformationPlan) -> TransformationPlan:
    return TransformationPlan.objects.select_for_update().select_related("region").get(pk=plan.pk)


@transaction.atomic
def plan_transition(*, plan: TransformationPlan, to: str, actor, note: str = "") -> PlanTransition:
    """Move a plan to its next stage by hand; every other move is refused in Korean."""
    _require_operator(actor)
    plan = _locked(plan)
    if to not in PlanStatus.values:
        raise PlanError("알 수 없는 단계입니다.")
    if to in DECIDED_BY_RANKING and plan.status == S.EVALUATION:
        raise PlanError(
            f"{_label(to)} 여부는 공모 평가 결과를 공개할 때 정해집니다. "
            "평가 회차 화면에서 결과를 공개하세요."
        )
    if to not in TRANSITIONS[plan.status]:
        raise PlanError(
            f"{plan.region_name} 계획은 '{_label(plan.status)}' 단계에서 "
            f"'{_label(to)}' 단계로 옮길 수 없습니다."
        )
    if to == S.APPLIED and not note.strip():
        raise PlanError("보완 요청으로 되돌릴 때는 보완할 내용을 메모에 적어야 합니다.")
    return _move(plan, to, actor=actor, note=note.strip()[:300])


@transaction.atomic
def plans_decide(
    *, selected: list[TransformationPlan], not_selected: list[TransformationPlan], actor, note: str
) -> list[PlanTransition]:
    """The evaluation's outcome for a round's plans (from the published ranking): 예비선정 for
    the selected, 미선정 for the rest. Each plan must be in 평가; otherwise nothing changes."""
    moves = [(p, S.PRELIMINARY) for p in selected] + [(p, S.NOT_SELECTED) for p in not_selected]
    locked = {
        p.pk: p
        for p in TransformationPlan.objects.select_for_update()
        .select_related("region")
        .filter(pk__in=[p.pk for p, _ in moves])
        .order_by("pk")
    }
    behind = [locked[p.pk] for p, _ in moves if locked[p.pk].status != S.EVALUATION]
    if behind:
        names = ", ".join(f"{p.region_name}({p.get_status_display()})" for p in behind)
        raise PlanError(
            f"평가 단계가 아닌 계획이 있어 결과를 반영할 수 없습니다: {names}. "
            "계획을 평가 단계로 옮긴 뒤 공개하세요."
        )
    return [_move(locked[p.pk], to, actor=actor, note=note[:300]) for p, to in moves]


def transition_record_initial(
    plan: TransformationPlan, *, note: str, actor=None
) -> PlanTransition | None:
    """The stage a plan was first recorded at (the reference loader's or a registration's),
    once: a plan with a trail already keeps it."""
    if plan.transitions.exists():
        return None
    return PlanTransition.objects.create(
        plan=plan, from_status="", to_status=plan.status, actor=actor, note=note
    )


# --- Sub-projects ------------------------------------------------------------------------------


@transaction.atomic
def subproject_update(
    *,
    subproject: SubProject,
    actor,
    budget_krw: int | None,
    ministry: str,
    starts_year: int | None,
    ends_year: int | None,
    status: str,
    complexes: list[IndustrialComplex],
) -> SubProject:
    """Record what the 세부사업 적정성 검토 settled for a sub-project. The complexes it covers
    must be the plan's own sites."""
    _require_operator(actor)
    subproject = (
        SubProject.objects.select_for_update().select_related("key_task").get(pk=subproject.pk)
    )
    if status not in SubProjectStatus.values:
        raise PlanError("알 수 없는 사업 상태입니다.")
    if budget_krw is not None and budget_krw < 0:
        raise PlanError("사업비는 0원 이상이어야 합니다.")
    sites = set(subproject.key_task.plan.sites.values_list("complex_id", flat=True))
    strangers = [c.name for c in complexes if c.pk not in sites]
    if strangers:
        raise PlanError(f"이 계획의 대상지역이 아닌 산업단지입니다: {', '.join(strangers)}")
    subproject.budget_krw = budget_krw
    subproject.ministry = ministry.strip()
    subproject.starts_year = starts_year
    subproject.ends_year = ends_year
    subproject.status = status
    try:
        subproject.full_clean()
    except ValidationError as exc:
        raise PlanError(exc.messages) from exc
    subproject.save()
    subproject.complexes.set(complexes)
    return subproject


# --- Progress ----------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    plan: TransformationPlan,
    indicator: str,
    value: Decimal | str,
    unit: str,
    as_of: datetime.date,
    source: str,
    actor,
    today: datetime.date | None = None,
) -> PlanProgress:
    """Enter how far a plan has come on one of its target indicators, in the unit one of that
    indicator's targets uses, as of a day no later than today."""
    _require_operator(actor)
    units = set(
        plan.targets.filter(indicator=indicator, value__isnull=False)
        .exclude(unit="")
        .values_list("unit", flat=True)
    )
    if not units:
        raise PlanError(f"이 계획에는 '{indicator}' 수치 성과목표가 없습니다.")
    if unit not in units:
        raise PlanError(
            f"'{indicator}' 실적의 단위는 {', '.join(sorted(units))} 중 하나여야 합니다."
        )
    try:
        value = Decimal(str(value))
    except InvalidOperation as exc:
        raise PlanError("실적값은 숫자여야 합니다.") from exc
    if value < 0:
        raise PlanError("실적값은 0 이상이어야 합니다.")
    if as_of > (today or datetime.date.today()):
        raise PlanError("기준일은 오늘 이후일 수 없습니다.")
    if not source.strip():
        raise PlanError("실적의 출처(자료명·기관)를 적어야 합니다.")
    entry = PlanProgress(
        plan=plan,
        indicator=indicator,
        value=value,
        unit=unit,
        as_of=as_of,
        source=source.strip(),
        entered_by=actor,
    )
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise PlanError(exc.messages) from exc
    entry.save()
    return entry
