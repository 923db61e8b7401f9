"""The KPI dashboard's reads (issue 14 §2): which cells of the funnel a user sees, from today's
snapshot when it has been taken, else counted live (not stored: a page view writes nothing).

- ministry / city viewer: the national total and each operating group's total, with counts of
  1–4 shown as "<5" and the rates built on them withheld (itda.lib.suppression);
- operating-group staff: their own group(s) in detail (by track and by 시·도), never the
  national total or another group's numbers;
- national operator: everything, by group, track and 시·도.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum

from itda.accounts.roles import Role
from itda.lib.suppression import shown_count
from itda.outcomes.kpis import FUNNEL, NATIONAL, Cell, KpiValue, funnel_counts, kpi_values
from itda.outcomes.models import KpiSnapshot
from itda.programs.models import OperatingGroup, Programme, Region, Track, TrackAllocation

HISTORY_DAYS = 30


@dataclass(frozen=True)
class Unit:
    """One row of the dashboard: the national total, a group, a track or a 시·도."""

    label: str
    counts: list  # FUNNEL order, suppressed where the viewer reads
    kpis: list[KpiValue]
    companies: int | str = 0
    target: int | None = None  # the selection target (선발 목표) where the documents set one


@dataclass
class Board:
    programme: Programme
    day: datetime.date
    live: bool  # counted on demand: no snapshot of the day yet
    suppress: bool
    own_groups_only: bool  # a group's staff: no national total, no other group
    totals: list[Unit] = field(default_factory=list)  # national and/or per group
    by_track: list[Unit] = field(default_factory=list)
    by_region: list[Unit] = field(default_factory=list)
    history: list[tuple[datetime.date, str, list]] = field(default_factory=list)


def _cells_of_day(programme: Programme, day: datetime.date, user) -> tuple[dict, bool]:
    """The day's cells (snapshot, or live when none was taken) that ``user`` may see."""
    rows = KpiSnapshot.objects.filter(programme=programme, day=day)
    if user.role == Role.GROUP_STAFF:
        rows = rows.visible_to(user)
    elif user.role == Role.VIEWER:
        rows = rows.filter(track__isnull=True, region__isnull=True)
    cells: dict[Cell, dict[str, int]] = {}
    for group, track, region, stage, value in rows.values_list(
        "operating_group", "track", "region", "stage", "value"
    ):
        cells.setdefault((group, track, region), {})[stage] = value
    if cells or KpiSnapshot.objects.filter(programme=programme, day=day).exists():
        return cells, False
    return funnel_counts(programme), True


def _shown(counts: dict[str, int], keys, suppress: bool) -> list:
    return [shown_count(counts.get(k, 0)) if suppress else counts.get(k, 0) for k in keys]


def _visible(cell: Cell, role: str, groups: set[int]) -> bool:
    group, track, region = cell
    if role == Role.VIEWER:
        return track is None and region is None
    if role == Role.GROUP_STAFF:
        return group in groups
    return True


def kpi_board(*, user, programme: Programme, day: datetime.date) -> Board:
    """The dashboard of ``programme`` on ``day`` as ``user`` may see it, in a constant number
    of queries."""
    role = user.role
    suppress = role == Role.VIEWER
    shown_groups = OperatingGroup.objects.filter(programme=programme).order_by("zone", "pk")
    if role == Role.GROUP_STAFF:
        shown_groups = shown_groups.filter(staff=user)
    groups = {g.pk: g for g in shown_groups}
    cells, live = _cells_of_day(programme, day, user)
    cells = {c: v for c, v in cells.items() if _visible(c, role, set(groups))}
    tracks = {t.pk: t for t in Track.objects.filter(programme=programme)}
    regions = {r.pk: r for r in Region.objects.order_by("code")}
    seats = dict(
        TrackAllocation.objects.filter(track__programme=programme)
        .values("operating_group")
        .annotate(total=Sum("seats"))
        .values_list("operating_group", "total")
    )

    def unit(label: str, cell: Cell, target: int | None = None) -> Unit:
        counts = cells.get(cell, {})
        return Unit(
            label=label,
            counts=_shown(counts, FUNNEL, suppress),
            kpis=kpi_values(counts, suppress=suppress),
            companies=_shown(counts, ["companies"], suppress)[0],
            target=target,
        )

    board = Board(
        programme=programme,
        day=day,
        live=live,
        suppress=suppress,
        own_groups_only=role == Role.GROUP_STAFF,
    )
    if not board.own_groups_only:
        board.totals.append(unit("전국", NATIONAL, programme.target_trainees))
    board.totals += [unit(g.name, (pk, None, None), seats.get(pk)) for pk, g in groups.items()]
    if not suppress:
        # The operator's splits are the national ones; a group's staff get their group's.
        splits = [None] if role == Role.OPERATOR else list(groups)

        def named(group, name):
            return name if group is None else f"{groups[group].name} · {name}"

        for group in splits:
            for pk, track in tracks.items():
                if (group, pk, None) in cells:
                    target = track.quota if group is None else None
                    board.by_track.append(unit(named(group, track.name), (group, pk, None), target))
            for pk, region in regions.items():
                if (group, None, pk) in cells:
                    board.by_region.append(unit(named(group, region.name), (group, None, pk)))
    board.history = _history(programme, day, user, groups, suppress)
    return board


def _history(programme, day, user, groups, suppress) -> list[tuple[datetime.date, str, list]]:
    """The stored days before ``day`` (up to HISTORY_DAYS): the national row (groups' rows for
    their staff), in the funnel's order."""
    rows = KpiSnapshot.objects.filter(
        programme=programme,
        day__lt=day,
        day__gte=day - datetime.timedelta(days=HISTORY_DAYS),
        track__isnull=True,
        region__isnull=True,
    )
    if user.role == Role.GROUP_STAFF:
        rows = rows.visible_to(user).filter(operating_group__in=list(groups))
    else:
        rows = rows.filter(operating_group__isnull=True)
    table: dict[tuple, dict[str, int]] = {}
    for snap_day, group, stage, value in rows.values_list(
        "day", "operating_group", "stage", "value"
    ):
        table.setdefault((snap_day, group), {})[stage] = value
    return [
        (
            snap_day,
            "전국" if group is None else groups[group].name,
            _shown(c, FUNNEL, suppress),
        )
        for (snap_day, group), c in sorted(
            table.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0), reverse=True
        )
    ]
