"""A new 산단 대개조 selection round, opened the way the 2021 one was seeded: a programme for the
round, its plan call with the 9-evaluator, 4-indicator scheme (seed 003), and each region's
plan registered as the call's application. The round's evaluation then runs on the ordinary
evaluation screens, and publishing its ranking sets the plans' stage (services.ranking_publish).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.evaluation.seed import (
    KST,
    PLAN_CALL,
    PLAN_PROGRAMME_CODE,
    _call_seed,
    plan_application_upsert,
)
from itda.evaluation.services import EvaluationError
from itda.programs.models import PlanStatus, Programme, Region, TransformationPlan
from itda.programs.plans import transition_record_initial
from itda.recruitment.models import Call, CallKind

# Seed 003: "('20) 5곳 지정→('21) 5곳 →('22) 5곳"; a later year is the operator's to open too.
FIRST_ROUND_YEAR = 2020


def round_code(year: int) -> str:
    return PLAN_PROGRAMME_CODE.replace("2021", str(year))


def plan_calls():
    """Every 대개조 round's call, newest first, with its programme."""
    return (
        Call.objects.filter(kind=CallKind.PLAN)
        .select_related("programme", "scheme")
        .order_by("-opens_at")
    )


def round_year(call: Call) -> int:
    """The selection year of a plan call: the year its call opens (in Korea)."""
    return call.opens_at.astimezone(KST).year


@transaction.atomic
def round_open(
    *, year: int, opens_on: datetime.date, closes_on: datetime.date, actor: User
) -> Call:
    """Open a selection round: its programme and plan call with the 2021 round's scheme. The
    call's hours (09:00–18:00) and equal weights are the 2021 round's itda defaults."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied("대개조 선정 차수는 전담기관 담당자만 열 수 있습니다.")
    if year < FIRST_ROUND_YEAR or year > timezone.localdate().year + 1:
        raise EvaluationError(f"선정연도는 {FIRST_ROUND_YEAR}년부터 내년까지만 열 수 있습니다.")
    if opens_on.year != year:
        raise EvaluationError("공모 시작일은 선정연도 안에 있어야 합니다.")
    if closes_on <= opens_on:
        raise EvaluationError("공모 마감일은 시작일 이후여야 합니다.")
    code = round_code(year)
    if Programme.objects.filter(code=code).exists():
        raise EvaluationError(f"{year}년 대개조 선정 차수는 이미 열려 있습니다.")
    template = Programme.objects.get(code=PLAN_PROGRAMME_CODE)
    programme = Programme(
        code=code,
        name=f"산업단지 대개조 지역 선정 ({year}년)",
        ministry=template.ministry,
        starts_on=opens_on,
        ends_on=datetime.date(year, 12, 31),
        purpose=template.purpose.split("\n\n")[0],
        source_document=f"전담기관이 연 {year}년 선정 차수 (2021년 차수의 절차를 따름)",
    )
    programme.full_clean()
    programme.save()
    return _call_seed(
        programme,
        {
            **PLAN_CALL,
            "title": f"{year} 산업단지 대개조 지역 선정 공모",
            "opens_at": datetime.datetime.combine(opens_on, datetime.time(9), tzinfo=KST),
            "closes_at": datetime.datetime.combine(closes_on, datetime.time(18), tzinfo=KST),
            "source": programme.source_document,
        },
    )


@transaction.atomic
def plan_register(*, call: Call, region: Region, actor: User) -> TransformationPlan:
    """A 시·도's plan received in a round: the plan at 공모 접수, with the first row of its
    trail, and its application to the round's call (evaluated like any other)."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied("혁신계획 접수는 전담기관 담당자만 할 수 있습니다.")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.kind != CallKind.PLAN:
        raise EvaluationError("산단 대개조 공모가 아닙니다.")
    now = timezone.now()
    if now < call.opens_at:
        raise EvaluationError("공모가 아직 시작되지 않았습니다.")
    if now > call.closes_at:
        raise EvaluationError("공모가 마감되어 더 접수할 수 없습니다.")
    year = round_year(call)
    if TransformationPlan.objects.filter(region=region, round_year=year).exists():
        raise EvaluationError(f"{region.name}의 {year}년 혁신계획이 이미 있습니다.")
    plan = TransformationPlan.objects.create(
        region=region,
        round_year=year,
        status=PlanStatus.APPLIED,
        source_document=f"{call.title} 접수",
    )
    transition_record_initial(plan, note=f"{call.title} 접수", actor=actor)
    plan_application_upsert(
        call, plan, created_by=actor, submitted_at=now, answers={"source": "전담기관 접수"}
    )
    return plan
