"""Reads for evaluation."""

import datetime
import json

from django.db.models import Count, Q
from django.utils import timezone

from itda.evaluation.engine import ranking as ranking_engine
from itda.evaluation.models import Assignment, Panel, Ranking, RankingStatus, SheetStatus
from itda.recruitment.models import Application, ApplicationStatus, Call, CallKind, Result

# How long after a call closes its panel has to score it: the source documents set no time, so
# this is itda's default and every page showing it says so (itda 기본값 — 운영지침 확인 필요).
SCORING_DAYS = 14


def scoring_due(call: Call) -> datetime.date:
    """The day an evaluator's sheets on the call are due (itda default, SCORING_DAYS)."""
    return timezone.localdate(call.closes_at) + datetime.timedelta(days=SCORING_DAYS)


def panel_loads(call: Call) -> list:
    """Each panel member with their number of assignments and submitted sheets."""
    panel = Panel.objects.filter(call=call).first()
    if panel is None:
        return []
    return list(
        panel.members.annotate(
            n_assigned=Count("assignments", filter=Q(assignments__application__call=call)),
            n_submitted=Count(
                "assignments",
                filter=Q(
                    assignments__application__call=call,
                    assignments__sheet__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
                ),
            ),
        ).order_by("name")
    )


def assignment_progress(call: Call) -> dict:
    """How far the panel has got: assignments, submitted and locked sheets."""
    qs = Assignment.objects.filter(application__call=call)
    return qs.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(sheet__status=SheetStatus.SUBMITTED)),
        locked=Count("pk", filter=Q(sheet__status=SheetStatus.LOCKED)),
    )


def ranking_rows(ranking: Ranking) -> list[dict]:
    """The rows of a ranking with each application's receipt number and applicant."""
    result = ranking_engine.result_from_json(ranking.result_json)
    apps = Application.objects.in_bulk([int(r.application_id) for r in result.rows])
    rows = []
    for row in result.rows:
        application = apps.get(int(row.application_id))
        rows.append({"row": row, "application": application})
    return rows


def ranking_allocation_left(ranking: Ranking) -> int | None:
    """The seats left of the group's share when a trainee call's ranking was computed (the
    quota it selected within), or None when it had none."""
    document = json.loads(ranking.input_json)
    for quota in document.get("quotas", []):
        if quota["dimension"] == ranking_engine.ALLOCATION_DIMENSION:
            return quota["seats"]
    return None


def published_result(application: Application) -> dict | None:
    """The applicant's own row of the published ranking, with per-criterion means."""
    ranking = Ranking.objects.filter(
        call=application.call_id, status=RankingStatus.PUBLISHED
    ).first()
    if ranking is None:
        return None
    result = ranking_engine.result_from_json(ranking.result_json)
    row = next((r for r in result.rows if r.application_id == str(application.pk)), None)
    criteria = {c.code: c for c in application.call.scheme.criteria.all()}
    breakdown = [
        (criteria[code], value)
        for code, value in (row.criterion_means.items() if row else [])
        if code in criteria
    ]
    return {"ranking": ranking, "row": row, "breakdown": breakdown}


def _share_selections():
    """Applications that use a group's share: selected in a trainee call and not withdrawn
    (a withdrawal gives the place back)."""
    return Application.objects.filter(call__kind=CallKind.TRAINEE, result=Result.SELECTED).exclude(
        status=ApplicationStatus.WITHDRAWN
    )


def selected_in_share(group, track) -> int:
    """How many the group has selected in its calls of the track: what it used of its share."""
    return _share_selections().filter(call__operating_group=group, call__track=track).count()


def allocation_rows_selected(programme, table: dict) -> list:
    """The rows of programs' allocation table with, beside each share, how many the group has
    already selected in the track — the least the share may be lowered to (one query)."""
    selected = {
        (row["call__operating_group"], row["call__track"]): row["n"]
        for row in _share_selections()
        .filter(call__programme=programme)
        .values("call__operating_group", "call__track")
        .annotate(n=Count("pk"))
    }
    tracks = [column.track for column in table["columns"]]
    return [
        (
            group,
            [
                (seats, selected.get((group.pk, track.pk), 0))
                for seats, track in zip(cells, tracks, strict=True)
            ],
            total,
        )
        for group, cells, total in table["rows"]
    ]
