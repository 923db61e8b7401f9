"""Reads for linkage: who may take part in a round, what they may choose, and skills fit."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from itda.accounts.roles import Role
from itda.internships.models import (
    ACTIVE_PLACEMENT,
    SEAT_HOLDING_PLACEMENT,
    Placement,
    Position,
    PositionStatus,
)
from itda.lib.charts import bar_chart, bar_series
from itda.matching.models import (
    CompanyRanking,
    Interview,
    MatchRound,
    RoundStatus,
    TraineeChoice,
)
from itda.programs.models import PlacementKind, Track, Trainee
from itda.training.models import Enrollment, EnrollmentStatus

# A trainee whose cohort ends within this many days may rank positions before completing.
ABOUT_TO_COMPLETE_DAYS = 14


def _round_regions(round_: MatchRound) -> Q:
    if round_.operating_group_id is None:
        return Q()
    return Q(region__in=round_.operating_group.regions.all())


def _trained(round_: MatchRound, *, today: datetime.date) -> QuerySet:
    """Enrolments that qualify for the round: a track course of the round's programme,
    completed or ending within the horizon. An employees' course has no track and leads to no
    linkage (tracks carry through: the course's track decides the positions)."""
    horizon = today + datetime.timedelta(days=ABOUT_TO_COMPLETE_DAYS)
    return Enrollment.objects.filter(
        cohort__course__operating_group__programme=round_.programme_id,
        cohort__course__track__isnull=False,
    ).filter(
        Q(status=EnrollmentStatus.COMPLETED)
        | Q(status=EnrollmentStatus.ENROLLED, cohort__ends_on__lte=horizon)
    )


def round_trainees(round_: MatchRound, *, today: datetime.date) -> QuerySet:
    """Trainees who may rank in the round: completed (or about to complete) track training of
    the round's programme, in its regions, and not already placed."""
    trained = _trained(round_, today=today).filter(trainee=OuterRef("pk"))
    placed = Placement.objects.filter(trainee=OuterRef("pk"), state__in=ACTIVE_PLACEMENT)
    return (
        Trainee.objects.filter(_round_regions(round_))
        .filter(Exists(trained))
        .exclude(Exists(placed))
    )


def trainee_tracks(round_: MatchRound, *, today: datetime.date, trainees=None) -> dict[int, Track]:
    """Each qualifying trainee's track in the round: that of the course they trained in (the
    latest cohort, should they have trained in two tracks). ``trainees``: only these (pks, a
    list or a subquery)."""
    rows = _trained(round_, today=today)
    if trainees is not None:
        rows = rows.filter(trainee__in=trainees)
    track_of = dict(
        rows.order_by("trainee_id", "cohort__ends_on", "pk").values_list(
            "trainee_id", "cohort__course__track_id"
        )
    )
    tracks = Track.objects.in_bulk(set(track_of.values()))
    return {trainee: tracks[track] for trainee, track in track_of.items()}


def track_links(programme) -> dict[str, list[str]]:
    """The engine's ``compatible_tracks``: each trainee track's code → the codes of the
    position tracks of the same placement kind (Track 1 → OJT, Track 2 → PBL); a track with no
    placement links to nothing."""
    tracks = list(programme.tracks.all())
    return {
        t.code: sorted(o.code for o in tracks if o.placement_kind == t.placement_kind)
        for t in tracks
        if t.placement_kind != PlacementKind.NONE
    }


def cross_track_error(trainee_track: Track | None, position: Position) -> str | None:
    """Why a trainee of ``trainee_track`` may not be linked to ``position``, or None."""
    kind = position.track.placement_kind
    if trainee_track is None:
        return "트랙 교육과정을 마친 교육생만 연계할 수 있습니다."
    if trainee_track.placement_kind != PlacementKind.NONE and kind == trainee_track.placement_kind:
        return None
    return (
        f"{trainee_track.name} 교육생은 {trainee_track.get_placement_kind_display()}에만 "
        f"연계할 수 있습니다 ({position.company.name} · {position.title}: "
        f"{position.track.name}, {position.track.get_placement_kind_display()})."
    )


def round_positions(round_: MatchRound) -> QuerySet:
    """Published positions of the round's programme in its regions that still have a free seat,
    each with ``free_seats`` (seats less placements that hold one, e.g. from an earlier round:
    a declined or early-ended internship's seat is free again, a completed one's is not)."""
    taken = (
        Placement.objects.filter(position=OuterRef("pk"), state__in=SEAT_HOLDING_PLACEMENT)
        .values("position")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Position.objects.filter(status=PositionStatus.PUBLISHED, track__programme=round_.programme)
        .filter(_round_regions(round_))
        .annotate(free_seats=F("seats") - Coalesce(Subquery(taken), 0))
        .filter(free_seats__gt=0)
        .select_related("company", "track", "region")
    )


@dataclass(frozen=True)
class SkillsFit:
    """How a trainee's skills meet a position's: what matches and what is missing."""

    matched_required: list[str]
    missing_required: list[str]
    matched_preferred: list[str]


def skills_fit(trainee_skills: list[str], position: Position) -> SkillsFit:
    """Compare case-insensitively; the position's spelling is shown."""
    have = {s.casefold() for s in trainee_skills}
    return SkillsFit(
        matched_required=[s for s in position.required_skills if s.casefold() in have],
        missing_required=[s for s in position.required_skills if s.casefold() not in have],
        matched_preferred=[s for s in position.preferred_skills if s.casefold() in have],
    )


def open_rounds_for_trainee(trainee: Trainee, *, now: datetime.datetime) -> list[MatchRound]:
    """Open rounds the trainee may rank in now."""
    rounds = MatchRound.objects.filter(status=RoundStatus.OPEN, trainee_deadline__gt=now)
    today = now.date()
    return [r for r in rounds if round_trainees(r, today=today).filter(pk=trainee.pk).exists()]


def position_search(
    round_: MatchRound,
    *,
    region: str = "",
    track: str = "",
    skill: str = "",
    q: str = "",
    open_to: Track | None = None,
) -> QuerySet:
    """The round's positions filtered by region code, track code, one skill (as listed) and
    words in the company's name or the position's title; with ``open_to``, only those a
    trainee of that track may be linked to."""
    rows = round_positions(round_)
    if q := q.strip():
        rows = rows.filter(Q(company__name__icontains=q) | Q(title__icontains=q))
    if open_to is not None:
        rows = rows.filter(track__code__in=track_links(round_.programme).get(open_to.code, []))
    if region:
        rows = rows.filter(region__code=region)
    if track:
        rows = rows.filter(track__code=track)
    if skill:
        rows = rows.filter(
            Q(required_skills__contains=[skill]) | Q(preferred_skills__contains=[skill])
        )
    return rows.order_by("company__name", "pk")


def trainee_choice_list(round_: MatchRound, trainee: Trainee) -> list[Position]:
    """The trainee's choices in the round, best first."""
    return [
        c.position
        for c in round_.choices.filter(trainee=trainee)
        .select_related("position__company", "position__region", "position__track")
        .order_by("rank")
    ]


def round_skills(round_: MatchRound) -> list[str]:
    """Every skill the round's positions name, for the filter."""
    skills: set[str] = set()
    for required, preferred in round_positions(round_).values_list(
        "required_skills", "preferred_skills"
    ):
        skills.update(required, preferred)
    return sorted(skills)


def company_round_positions(round_: MatchRound, user) -> QuerySet:
    """The round's positions of the companies the user manages."""
    return round_positions(round_).filter(company__managers=user)


def position_applicants(round_: MatchRound, position: Position) -> list[dict]:
    """Trainees who chose the position, with their choice rank, the company's rank, and
    whether an interview is scheduled (which opens their contact details)."""
    choices = (
        TraineeChoice.objects.filter(round=round_, position=position)
        .select_related("trainee")
        .order_by("trainee__name", "trainee_id")
    )
    ranks = dict(
        CompanyRanking.objects.filter(round=round_, position=position).values_list(
            "trainee_id", "rank"
        )
    )
    interviews = {
        i.trainee_id: i for i in Interview.objects.filter(round=round_, position=position)
    }
    return [
        {
            "trainee": c.trainee,
            "choice_rank": c.rank,
            "company_rank": ranks.get(c.trainee_id),
            "interview": interviews.get(c.trainee_id),
            "fit": skills_fit(c.trainee.skills, position),
        }
        for c in choices
    ]


def round_progress(round_: MatchRound, *, today: datetime.date, viewer=None) -> dict:
    """How far the round has come: who may rank, who did, seats, and positions ranked. With a
    ``viewer`` (staff who see a national round but do not run it), counted over the trainees and
    positions that viewer may see, never national totals."""
    trainees = round_trainees(round_, today=today)
    positions = round_positions(round_)
    choices = round_.choices.all()
    rankings = round_.rankings.all()
    if viewer is not None:
        trainees = trainees.filter(pk__in=Trainee.objects.visible_to(viewer).values("pk"))
        positions = positions.filter(pk__in=Position.objects.visible_to(viewer).values("pk"))
        choices = choices.filter(pk__in=TraineeChoice.objects.visible_to(viewer).values("pk"))
        rankings = rankings.filter(pk__in=CompanyRanking.objects.visible_to(viewer).values("pk"))
    return {
        "eligible": trainees.count(),
        "ranked": choices.values("trainee").distinct().count(),
        "positions": positions.count(),
        "seats": sum(positions.values_list("free_seats", flat=True)),
        "positions_ranked": rankings.values("position").distinct().count(),
    }


def round_input(round_: MatchRound, *, today: datetime.date) -> dict:
    """The engine's input for the round, in the CLI's format: trainees' choices and positions'
    rankings best first, ids "T<pk>"/"P<pk>", each side's track code and the rule linking them
    (``compatible_tracks``), sorted so the same rows give the same bytes."""
    eligible = round_trainees(round_, today=today).values("pk")
    trainees = {
        pk: track.code
        for pk, track in trainee_tracks(round_, today=today, trainees=eligible).items()
    }
    positions = {
        pk: (seats, track)
        for pk, seats, track in round_positions(round_).values_list(
            "pk", "free_seats", "track__code"
        )
    }
    choices: dict[int, list[str]] = {}
    for trainee_id, position_id in round_.choices.order_by("trainee_id", "rank").values_list(
        "trainee_id", "position_id"
    ):
        if trainee_id in trainees and position_id in positions:
            choices.setdefault(trainee_id, []).append(f"P{position_id}")
    rankings: dict[int, list[str]] = {pk: [] for pk in positions}
    for position_id, trainee_id in round_.rankings.order_by("position_id", "rank").values_list(
        "position_id", "trainee_id"
    ):
        if position_id in positions and trainee_id in trainees:
            rankings[position_id].append(f"T{trainee_id}")
    return {
        "compatible_tracks": track_links(round_.programme),
        "trainees": [
            {"id": f"T{pk}", "track": track, "ranking": choices.get(pk, [])}
            for pk, track in sorted(trainees.items())
        ],
        "positions": [
            {"id": f"P{pk}", "track": track, "capacity": seats, "ranking": rankings[pk]}
            for pk, (seats, track) in sorted(positions.items())
        ],
    }


@dataclass(frozen=True)
class RoundLabels:
    """What statistics and results show for engine ids: each trainee's region and preferred
    track, each position's company, title, region and track (one query each)."""

    trainees: dict[str, dict]
    positions: dict[str, dict]


def round_labels(data: dict) -> RoundLabels:
    trainee_ids = [int(t["id"][1:]) for t in data["trainees"]]
    position_ids = [int(p["id"][1:]) for p in data["positions"]]
    trainees = {
        f"T{pk}": {"region": region or "-", "track": track or "미지정"}
        for pk, region, track in Trainee.objects.filter(pk__in=trainee_ids).values_list(
            "pk", "region__name", "preferred_track__name"
        )
    }
    positions = {
        f"P{pk}": {
            "pk": pk,
            "company": company,
            "title": title,
            "region": region,
            "track": track,
        }
        for pk, company, title, region, track in Position.objects.filter(
            pk__in=position_ids
        ).values_list("pk", "company__name", "title", "region__name", "track__name")
    }
    return RoundLabels(trainees=trainees, positions=positions)


def run_stats(data: dict, result: dict, labels: RoundLabels) -> dict:
    """A result's statistics: placed, unplaced by region and track, rank of the match (1st
    choice, 2nd, …), empty seats by region and track, blocking pairs. JSON-ready."""
    assignment = result["assignment"]
    ranking = {t["id"]: t["ranking"] for t in data["trainees"]}
    unplaced = [t for t, p in assignment.items() if p is None]
    match_ranks = [ranking[t].index(p) + 1 for t, p in assignment.items() if p is not None]
    filled = Counter(p for p in assignment.values() if p is not None)
    empty: Counter = Counter()
    for p in data["positions"]:
        free = p["capacity"] - filled.get(p["id"], 0)
        if free:
            where = labels.positions[p["id"]]
            key = (where["region"], where["track"])
            empty[key] += free
    seats = sum(p["capacity"] for p in data["positions"])
    return {
        "trainees": len(assignment),
        "placed": len(match_ranks),
        "unplaced": len(unplaced),
        "unplaced_without_choices": sum(1 for t in unplaced if not ranking[t]),
        "unplaced_by_region": sorted(
            Counter(labels.trainees[t]["region"] for t in unplaced).items()
        ),
        "unplaced_by_track": sorted(Counter(labels.trainees[t]["track"] for t in unplaced).items()),
        "match_rank": sorted(Counter(match_ranks).items()),
        "seats": seats,
        "empty_seats": seats - len(match_ranks),
        "empty_by_region_track": [
            (region, track, n) for (region, track), n in sorted(empty.items())
        ],
        "blocking_pairs": result["blocking_pairs"],
    }


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of a dry run: a row per category (region, track, choice rank), a column
    and a chart series per algorithm, and the Chart.js configuration of the same numbers."""

    key: str
    title: str
    category: str
    unit: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    chart: dict

    @property
    def chart_id(self) -> str:
        return f"dry-{self.key}-chart"


# key, title, first column, unit, the run_stats entry, how a category is keyed and labelled.
_BREAKDOWNS = (
    ("unplaced-region", "미배정 교육생 · 지역별", "지역", "명", "unplaced_by_region", None),
    ("unplaced-track", "미배정 교육생 · 트랙별", "트랙", "명", "unplaced_by_track", None),
    ("empty-region-track", "빈자리 · 지역·트랙별", "지역·트랙", "석", "empty_by_region_track", "·"),
    ("match-rank", "배정된 교육생 · 지망 순위별", "지망", "명", "match_rank", "지망"),
)


def _category_counts(entries, how: str | None) -> dict:
    if how == "·":  # (region, track, n): keyed by the pair, labelled 서울특별시·Track1
        return {(region, track): n for region, track, n in entries}
    return dict(entries)


def _category_label(key, how: str | None) -> str:
    if how == "·":
        return "·".join(key)
    if how == "지망":
        return f"{key}지망"
    return str(key)


def dry_run_breakdowns(runs: list[dict]) -> list[Breakdown]:
    """The dry run's breakdowns (``round_dry_run``'s runs) for charts with a table beside them:
    every category any algorithm has, in order (ranks by number), 0 where a run has none."""
    breakdowns = []
    for key, title, category, unit, stat, how in _BREAKDOWNS:
        counts = [_category_counts(run["stats"][stat], how) for run in runs]
        keys = sorted(set().union(*counts))
        labels = [_category_label(k, how) for k in keys]
        series = [[c.get(k, 0) for k in keys] for c in counts]
        breakdowns.append(
            Breakdown(
                key=key,
                title=title,
                category=category,
                unit=unit,
                columns=[run["label"] for run in runs],
                rows=[(label, [s[i] for s in series]) for i, label in enumerate(labels)],
                chart=bar_chart(
                    labels,
                    [
                        bar_series(f"{run['label']}({unit})", data, i)
                        for i, (run, data) in enumerate(zip(runs, series, strict=True))
                    ],
                ),
            )
        )
    return breakdowns


def _position_name(labels: RoundLabels, position_id: str) -> str:
    p = labels.positions.get(position_id)
    return f"{p['company']} · {p['title']}" if p else position_id


def why_not_lines(explanation: dict, positions: dict, labels: RoundLabels) -> list[str]:
    """Why a trainee did not get each choice above the one they got, in Korean."""
    lines = []
    for above in explanation["above"]:
        head = f"{above['rank']}지망 {_position_name(labels, above['position'])}"
        capacity = positions[above["position"]]["capacity"]
        if above["reason"] == "filled" and above.get("last_admitted_rank"):
            lines.append(
                f"{head}: 정원 {capacity}명을 회원님보다 높게 평가한 지원자로 채움 "
                f"(배정된 교육생은 기업 순위 {above['last_admitted_rank']}위 이내, "
                f"회원님 {above['your_rank_there']}위)"
            )
        elif above["reason"] == "filled":
            # Filled by fill-seats with trainees the company did not rank: no admitted rank.
            lines.append(
                f"{head}: 정원 {capacity}명이 모두 채워짐 (회원님 {above['your_rank_there']}위)"
            )
        else:
            lines.append(f"{head}: 기업이 회원님을 순위에 올리지 않음")
    return lines


def published_result(round_: MatchRound) -> tuple[dict, dict, RoundLabels] | None:
    """The published run's input, result (with explanations) and labels; None before."""
    run = round_.published_run
    if run is None:
        return None
    data = json.loads(run.input_json)
    return data, json.loads(run.result_json), round_labels(data)


def trainee_result(round_: MatchRound, trainee: Trainee) -> dict | None:
    """A trainee's result: the position they got (or none) and why not each higher choice."""
    published = published_result(round_)
    if published is None:
        return None
    data, result, labels = published
    key = f"T{trainee.pk}"
    explanation = result["explanations"]["trainees"].get(key)
    if explanation is None:
        return {"took_part": False}
    assigned = explanation["assigned"]
    return {
        "took_part": True,
        "position": labels.positions[assigned] if assigned else None,
        "assigned_rank": explanation["assigned_rank"],
        "why_not": why_not_lines(explanation, result["explanations"]["positions"], labels),
    }


def company_result(round_: MatchRound, user) -> list[dict]:
    """For each of the user's companies' positions in the published run: who was placed there
    (their own placements) and the rank of the last trainee admitted."""
    published = published_result(round_)
    if published is None:
        return []
    _, result, labels = published
    explained = result["explanations"]["positions"]
    mine = {
        f"P{pk}": pk
        for pk in Position.objects.visible_to(user)
        .filter(company__managers=user, pk__in=[v["pk"] for v in labels.positions.values()])
        .values_list("pk", flat=True)
    }
    placed: dict[int, list] = {}
    for placement in (
        Placement.objects.visible_to(user)
        .filter(position__in=mine.values(), origin__startswith=f"match-round:{round_.pk} ")
        .select_related("trainee")
        .order_by("trainee__name")
    ):
        placed.setdefault(placement.position_id, []).append(placement.trainee)
    return [
        {
            "position": labels.positions[key],
            "capacity": explained[key]["capacity"],
            "last_admitted_rank": explained[key]["last_admitted_rank"],
            "trainees": placed.get(pk, []),
        }
        for key, pk in sorted(mine.items(), key=lambda kv: kv[1])
    ]


def staff_result(round_: MatchRound, user) -> list[dict]:
    """Every trainee of the published run the staff member may see, with their assignment and
    the rank of that choice."""
    published = published_result(round_)
    if published is None:
        return []
    data, result, labels = published
    ranking = {t["id"]: t["ranking"] for t in data["trainees"]}
    visible = Trainee.objects.visible_to(user).filter(
        pk__in=[int(t[1:]) for t in result["assignment"]]
    )
    rows = []
    for trainee in visible.select_related("region").order_by("name", "pk"):
        key = f"T{trainee.pk}"
        assigned = result["assignment"][key]
        rows.append(
            {
                "id": key,
                "trainee": trainee,
                "choices": len(ranking[key]),
                "position": labels.positions[assigned] if assigned else None,
                "position_id": assigned,
                "rank": ranking[key].index(assigned) + 1 if assigned else None,
            }
        )
    return rows


def result_totals(round_: MatchRound, rows: list[dict], *, whole: bool) -> dict:
    """The published run's totals as the user may see them: the whole run for those who run
    the round; for staff following a national round, counts over their own rows only (the
    same scope as the rows), without the national seats and blocking pairs."""
    if whole:
        return {**round_.published_run.stats, "whole": True}
    placed = sum(1 for r in rows if r["position_id"])
    return {"placed": placed, "unplaced": len(rows) - placed, "whole": False}


def rounds_for(user) -> QuerySet:
    """Rounds a user may look at (pages and API alike): staff those they follow; a company the
    open or published rounds covering a region of its positions; a trainee those covering their
    region; national rounds for both."""
    if user.role in (Role.OPERATOR, Role.GROUP_STAFF):
        # Staff follow their groups' rounds and the national ones (the scope door).
        return MatchRound.objects.visible_to(user).select_related("operating_group", "programme")
    if user.role == Role.COMPANY:
        mine = Q(operating_group__regions__positions__company__managers=user)
    elif user.role == Role.TRAINEE:
        mine = Q(operating_group__regions__trainees__user=user)
    else:
        return MatchRound.objects.none()
    return (
        MatchRound.objects.exclude(status=RoundStatus.DRAFT)
        .filter(Q(operating_group__isnull=True) | mine)
        .distinct()
        .select_related("operating_group", "programme")
    )


def result_rows_for(round_: MatchRound, user) -> list[dict]:
    """The published assignment as the user may see it: a trainee their own row with the
    reasons, a company the trainees placed in its positions, staff every trainee in scope.
    Each row: trainee, position id (or None), rank of that choice, reasons (trainee only)."""
    if user.role in (Role.OPERATOR, Role.GROUP_STAFF):
        return [
            {
                "trainee": r["trainee"],
                "position_id": r["position_id"],
                "rank": r["rank"],
                "why_not": [],
            }
            for r in staff_result(round_, user)
        ]
    if user.role == Role.COMPANY:
        return [
            {
                "trainee": trainee,
                "position_id": f"P{p['position']['pk']}",
                "rank": None,
                "why_not": [],
            }
            for p in company_result(round_, user)
            for trainee in p["trainees"]
        ]
    trainee = Trainee.objects.visible_to(user).first()
    result = trainee_result(round_, trainee) if trainee else None
    if not result or not result["took_part"]:
        return []
    position = result["position"]
    return [
        {
            "trainee": trainee,
            "position_id": f"P{position['pk']}" if position else None,
            "rank": result["assigned_rank"],
            "why_not": result["why_not"],
        }
    ]
