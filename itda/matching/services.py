"""Writes for linkage: rounds, trainees' choices, companies' rankings and interviews."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.internships.models import Position
from itda.internships.services import PositionError, placements_create
from itda.lib import masking
from itda.matching.engine import ENGINE_VERSION, TrackError, input_sha256, solve_json
from itda.matching.models import (
    Algorithm,
    CompanyRanking,
    Interview,
    MatchRound,
    MatchRun,
    RoundStatus,
    TraineeChoice,
)
from itda.matching.notices import interview_notify, round_results_notify
from itda.matching.selectors import (
    cross_track_error,
    round_input,
    round_labels,
    round_positions,
    round_trainees,
    run_stats,
    trainee_tracks,
)
from itda.programs.models import Trainee


class MatchError(ValidationError):
    """A request about a round that the rules refuse; the message is Korean."""


def _kst(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def round_create(
    *,
    actor: User,
    programme,
    title: str,
    trainee_deadline: datetime.datetime,
    company_deadline: datetime.datetime,
    operating_group=None,
    max_choices: int = 10,
    follows: MatchRound | None = None,
) -> MatchRound:
    """Open a round: a group's staff for their own group, the operator for any or national."""
    if actor.role == Role.GROUP_STAFF:
        if operating_group is None or not operating_group.staff.filter(pk=actor.pk).exists():
            raise MatchError("담당 사업단의 연계 차수만 만들 수 있습니다.")
    elif actor.role != Role.OPERATOR:
        raise MatchError("연계 차수는 사업단 담당자나 전담기관만 만들 수 있습니다.")
    if company_deadline < trainee_deadline:
        raise MatchError("기업 순위 마감은 교육생 지망 마감 이후여야 합니다.")
    if follows is not None and follows.status != RoundStatus.PUBLISHED:
        raise MatchError("후속 차수는 결과를 발표한 차수에 이어서만 열 수 있습니다.")
    round_ = MatchRound(
        programme=programme,
        operating_group=operating_group,
        title=title,
        trainee_deadline=trainee_deadline,
        company_deadline=company_deadline,
        max_choices=max_choices,
        follows=follows,
        status=RoundStatus.OPEN,
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    return round_


def _lock_round(round_: MatchRound) -> MatchRound:
    return MatchRound.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def trainee_choices_save(
    *,
    round_: MatchRound,
    trainee: Trainee,
    positions: list[Position],
    actor: User,
    now: datetime.datetime | None = None,
) -> list[TraineeChoice]:
    """Replace a trainee's ranked choices (best first) in one transaction."""
    now = now or timezone.now()
    round_ = _lock_round(round_)
    if trainee.user_id != actor.pk:
        raise MatchError("본인의 지망만 제출할 수 있습니다.")
    if round_.status != RoundStatus.OPEN:
        raise MatchError("지망을 받는 차수가 아닙니다.")
    if now >= round_.trainee_deadline:
        raise MatchError(f"지망 제출이 마감되었습니다 (마감 {_kst(round_.trainee_deadline)}).")
    if not round_trainees(round_, today=timezone.localdate(now)).filter(pk=trainee.pk).exists():
        raise MatchError("이 차수에 참여할 수 있는 교육생이 아닙니다 (수료·수료 예정자만).")
    ids = [p.pk for p in positions]
    if len(ids) != len(set(ids)):
        raise MatchError("같은 인턴 자리를 두 번 지망할 수 없습니다.")
    if len(ids) > round_.max_choices:
        raise MatchError(f"최대 {round_.max_choices}개까지 지망할 수 있습니다.")
    allowed = round_positions(round_).in_bulk(ids)
    if missing := [p for p in positions if p.pk not in allowed]:
        raise MatchError(f"지망할 수 없는 인턴 자리입니다: {missing[0].title}")
    track = trainee_tracks(round_, today=timezone.localdate(now), trainees=[trainee.pk]).get(
        trainee.pk
    )
    for position in positions:
        if problem := cross_track_error(track, allowed[position.pk]):
            raise MatchError(problem)
    TraineeChoice.objects.filter(round=round_, trainee=trainee).delete()
    return TraineeChoice.objects.bulk_create(
        TraineeChoice(round=round_, trainee=trainee, position=p, rank=i)
        for i, p in enumerate(positions, start=1)
    )


def _require_manager(position: Position, actor: User) -> None:
    if not position.company.managers.filter(pk=actor.pk).exists():
        raise MatchError("이 인턴 자리를 낸 기업의 담당자만 할 수 있습니다.")


@transaction.atomic
def company_ranking_save(
    *,
    round_: MatchRound,
    position: Position,
    trainees: list[Trainee],
    actor: User,
    now: datetime.datetime | None = None,
) -> list[CompanyRanking]:
    """Replace a position's ranking (best first) of the trainees it would accept; only trainees
    who chose the position can be ranked."""
    now = now or timezone.now()
    round_ = _lock_round(round_)
    _require_manager(position, actor)
    if round_.status != RoundStatus.OPEN:
        raise MatchError("순위를 받는 차수가 아닙니다.")
    if now >= round_.company_deadline:
        raise MatchError(f"순위 제출이 마감되었습니다 (마감 {_kst(round_.company_deadline)}).")
    ids = [t.pk for t in trainees]
    if len(ids) != len(set(ids)):
        raise MatchError("같은 교육생을 두 번 순위에 올릴 수 없습니다.")
    applied = set(
        TraineeChoice.objects.filter(round=round_, position=position).values_list(
            "trainee_id", flat=True
        )
    )
    if strangers := [t for t in trainees if t.pk not in applied]:
        raise MatchError(f"이 인턴 자리을 지망하지 않은 교육생입니다 (#{strangers[0].pk}).")
    tracks = trainee_tracks(round_, today=timezone.localdate(now), trainees=ids)
    for trainee in trainees:
        if problem := cross_track_error(tracks.get(trainee.pk), position):
            raise MatchError(f"{masking.mask_name(trainee.name)}: {problem}")
    CompanyRanking.objects.filter(round=round_, position=position).delete()
    return CompanyRanking.objects.bulk_create(
        CompanyRanking(round=round_, position=position, trainee=t, rank=i)
        for i, t in enumerate(trainees, start=1)
    )


@transaction.atomic
def interview_schedule(
    *,
    round_: MatchRound,
    position: Position,
    trainee: Trainee,
    scheduled_at: datetime.datetime,
    place: str,
    actor: User,
) -> Interview:
    """Schedule an interview with a trainee who chose the position (one per pair), no later
    than the round's company deadline: the company ranks the applicants it has met. The trainee
    is told (inbox now, e-mail after commit)."""
    _require_manager(position, actor)
    if not TraineeChoice.objects.filter(round=round_, position=position, trainee=trainee).exists():
        raise MatchError("이 인턴 자리를 지망한 교육생만 면접할 수 있습니다.")
    if scheduled_at > round_.company_deadline:
        deadline = timezone.localtime(round_.company_deadline)
        raise MatchError(f"면접은 기업 순위 마감({deadline:%Y-%m-%d %H:%M}) 전이어야 합니다.")
    interview = (
        Interview.objects.select_for_update()
        .filter(round=round_, position=position, trainee=trainee)
        .first()
    ) or Interview(round=round_, position=position, trainee=trainee)
    interview.scheduled_at, interview.place, interview.created_by = scheduled_at, place, actor
    interview.full_clean(validate_unique=False, validate_constraints=False)
    interview.save()
    interview_notify(interview)
    return interview


def canonical_json(data: dict) -> str:
    """The one byte sequence of an engine input: its sha256 is the engine's input_sha256."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def may_run(round_: MatchRound, actor: User) -> bool:
    """Running and publishing a round: its group's staff, or the operator (any, and national)."""
    if actor.role == Role.OPERATOR:
        return True
    return (
        actor.role == Role.GROUP_STAFF
        and round_.operating_group_id is not None
        and round_.operating_group.staff.filter(pk=actor.pk).exists()
    )


def _require_runner(round_: MatchRound, actor: User) -> None:
    if not may_run(round_, actor):
        raise MatchError("이 차수의 사업단 담당자(전국 차수는 전담기관)만 실행할 수 있습니다.")


def _solve(round_: MatchRound, data: dict, today: datetime.date, **options) -> dict:
    """The engine on a round's input; a pair across tracks (a choice or ranking saved before
    a track changed, or written around the services) is refused in Korean, naming the pair."""
    try:
        return solve_json(data, **options)
    except TrackError as exc:
        trainee = Trainee.objects.get(pk=int(exc.trainee[1:]))
        position = Position.objects.select_related("company", "track").get(pk=int(exc.position[1:]))
        track = trainee_tracks(round_, today=today, trainees=[trainee.pk]).get(trainee.pk)
        raise MatchError(
            f"트랙이 맞지 않는 지망·순위가 있어 실행할 수 없습니다. "
            f"{masking.mask_name(trainee.name)}: {cross_track_error(track, position)} "
            "교육생이 지망을 고치거나 기업이 순위에서 빼면 다시 실행할 수 있습니다."
        ) from exc


def round_dry_run(*, round_: MatchRound, actor: User, today: datetime.date | None = None) -> dict:
    """The three algorithms on the round's current input, side by side; nothing is stored (a
    dry run changes nothing, so it can be repeated while rankings still move)."""
    _require_runner(round_, actor)
    today = today or timezone.localdate()
    data = round_input(round_, today=today)
    labels = round_labels(data)
    runs = []
    for algorithm in Algorithm:
        result = _solve(round_, data, today, algorithm=algorithm.value)
        runs.append(
            {
                "algorithm": algorithm.value,
                "label": algorithm.label,
                "stats": run_stats(data, result, labels),
            }
        )
    return {"input_sha256": input_sha256(data), "engine_version": ENGINE_VERSION, "runs": runs}


def run_origin(run: MatchRun) -> str:
    """What a placement names as its origin: the round and the run that made it."""
    return f"match-round:{run.round_id} match-run:{run.pk} ({run.algorithm})"


@transaction.atomic
def round_publish(
    *, round_: MatchRound, algorithm: str, actor: User, now: datetime.datetime | None = None
) -> MatchRun:
    """Publish one algorithm's result: freeze the input (canonical JSON, sha256, engine version)
    with the result and its explanations in an append-only run, mark the round published and
    place every assigned trainee and tell the participants; all in one transaction, once per
    round."""
    now = now or timezone.now()
    round_ = _lock_round(round_)
    _require_runner(round_, actor)
    if round_.published_run_id is not None:
        raise MatchError("이미 결과를 발표한 차수입니다.")
    if now < round_.company_deadline:
        raise MatchError(
            f"기업 순위 마감 후에 발표할 수 있습니다 (마감 {_kst(round_.company_deadline)})."
        )
    if algorithm not in Algorithm.values:
        raise MatchError("알 수 없는 배정 방식입니다.")
    today = timezone.localdate(now)
    data = round_input(round_, today=today)
    result = _solve(round_, data, today, algorithm=algorithm, explain=True)
    run = MatchRun.objects.create(
        round=round_,
        algorithm=algorithm,
        engine_version=result["engine_version"],
        input_json=canonical_json(data),
        input_sha256=result["input_sha256"],
        result_json=canonical_json(result),
        stats=run_stats(data, result, round_labels(data)),
        created_by=actor,
    )
    round_.published_run = run
    round_.status = RoundStatus.PUBLISHED
    round_.save(update_fields=["published_run", "status"])
    pairs = [(int(t[1:]), int(p[1:])) for t, p in result["assignment"].items() if p is not None]
    try:
        placements_create(
            actor=actor,
            pairs=pairs,
            origin=run_origin(run),
            operating_group=round_.operating_group,
        )
    except PositionError as exc:
        raise MatchError(exc.messages) from exc
    round_results_notify(round_)
    return run
