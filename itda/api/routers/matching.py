"""Match rounds over the API, scoped exactly as the pages: rounds, their positions, the
rankings a caller may see (a trainee their own choices, a company its own rankings and who
chose it, staff everything in their regions) and the published results."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.accounts.services import personal_data_access_record
from itda.api.auth import AUTH
from itda.api.routers.programs import _id
from itda.lib import masking
from itda.matching import selectors
from itda.matching.models import CompanyRanking, MatchRound, TraineeChoice

router = Router()
ROUNDS = ["연계 라운드"]
_ROLES = (Role.OPERATOR, Role.GROUP_STAFF, Role.COMPANY, Role.TRAINEE)


class PublishedRunOut(Schema):
    algorithm: str
    engine_version: str
    input_sha256: str
    published_at: datetime


class RoundOut(Schema):
    id: int
    title: str
    operating_group: str | None
    follows_id: int | None
    status: str
    max_choices: int
    trainee_deadline: datetime
    company_deadline: datetime
    published: PublishedRunOut | None

    @staticmethod
    def resolve_operating_group(obj) -> str | None:
        return obj.operating_group.name if obj.operating_group_id else None

    @staticmethod
    def resolve_published(obj) -> dict | None:
        run = obj.published_run
        if run is None:
            return None
        return {
            "algorithm": run.algorithm,
            "engine_version": run.engine_version,
            "input_sha256": run.input_sha256,
            "published_at": run.created_at,
        }


class RoundPositionOut(Schema):
    id: int
    engine_id: str
    company: str
    title: str
    track: str
    region: str
    seats: int
    free_seats: int
    required_skills: list[str]
    preferred_skills: list[str]

    @staticmethod
    def resolve_engine_id(obj) -> str:
        return f"P{obj.pk}"

    @staticmethod
    def resolve_company(obj) -> str:
        return obj.company.name

    @staticmethod
    def resolve_track(obj) -> str:
        return obj.track.code

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class RankOut(Schema):
    trainee_id: int
    position_id: int
    rank: int


class RankingsOut(Schema):
    choices: list[RankOut]
    rankings: list[RankOut]


class AssignmentOut(Schema):
    trainee_id: int
    trainee: str
    position_id: int | None
    choice_rank: int | None
    why_not: list[str]


class ResultOut(Schema):
    round_id: int
    algorithm: str
    engine_version: str
    input_sha256: str
    assignments: list[AssignmentOut]


def _round(request, round_id: int) -> MatchRound:
    require_role(request, *_ROLES)
    return get_object_or_404(
        selectors.rounds_for(request.user).select_related("published_run"), pk=round_id
    )


@router.get("/rounds", response=list[RoundOut], auth=AUTH, tags=ROUNDS, summary="연계 라운드 목록")
@decorate_view(never_cache)
def round_list(request):
    require_role(request, *_ROLES)
    return list(selectors.rounds_for(request.user).select_related("published_run"))


@router.get(
    "/rounds/{round_id}", response=RoundOut, auth=AUTH, tags=ROUNDS, summary="연계 라운드 상세"
)
@decorate_view(never_cache)
def round_detail(request, round_id: int = _id("라운드 ID")):
    return _round(request, round_id)


@router.get(
    "/rounds/{round_id}/positions",
    response=list[RoundPositionOut],
    auth=AUTH,
    tags=ROUNDS,
    summary="라운드의 포지션 (남은 자리)",
)
@decorate_view(never_cache)
def round_positions(request, round_id: int = _id("라운드 ID")):
    round_ = _round(request, round_id)
    return list(selectors.round_positions(round_).order_by("pk"))


@router.get(
    "/rounds/{round_id}/rankings",
    response=RankingsOut,
    auth=AUTH,
    tags=ROUNDS,
    summary="지망·순위 (내 범위)",
)
@decorate_view(never_cache)
def round_rankings(request, round_id: int = _id("라운드 ID")):
    round_ = _round(request, round_id)
    choices = list(
        TraineeChoice.objects.visible_to(request.user)
        .filter(round=round_)
        .order_by("trainee_id", "rank")
        .values("trainee_id", "position_id", "rank")
    )
    rankings = list(
        CompanyRanking.objects.visible_to(request.user)
        .filter(round=round_)
        .order_by("position_id", "rank")
        .values("trainee_id", "position_id", "rank")
    )
    people = {row["trainee_id"] for row in choices + rankings}
    if people:
        personal_data_access_record(
            request=request, subject_type="programs.trainee", subject_ids=people, action="list"
        )
    return {"choices": choices, "rankings": rankings}


@router.get(
    "/rounds/{round_id}/results",
    response=ResultOut,
    auth=AUTH,
    tags=ROUNDS,
    summary="발표된 배정 결과 (내 범위)",
)
@decorate_view(never_cache)
def round_results(request, round_id: int = _id("라운드 ID")):
    round_ = _round(request, round_id)
    run = round_.published_run
    if run is None:
        raise HttpError(404, "아직 결과를 발표하지 않은 라운드입니다.")
    rows = selectors.result_rows_for(round_, request.user)
    if rows:
        personal_data_access_record(
            request=request,
            subject_type="programs.trainee",
            subject_ids=[r["trainee"].pk for r in rows],
            action="list",
        )
    return {
        "round_id": round_.pk,
        "algorithm": run.algorithm,
        "engine_version": run.engine_version,
        "input_sha256": run.input_sha256,
        "assignments": [
            {
                "trainee_id": r["trainee"].pk,
                "trainee": masking.mask_name(r["trainee"].name),
                "position_id": int(r["position_id"][1:]) if r["position_id"] else None,
                "choice_rank": r["rank"],
                "why_not": r["why_not"],
            }
            for r in rows
        ],
    }
