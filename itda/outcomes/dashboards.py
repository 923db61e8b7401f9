"""The KPI dashboard's reads (issue 14 §2): which cells of the funnel a user sees, from the
latest nightly snapshot (a few hundred aggregate rows, whatever the number of people), counted
live only while a programme has never been snapshotted (not stored: a page view writes
nothing).

- ministry / city viewer: national, per operating group, per 권역 and per 시·도 aggregates
  only, with counts of 1–4 shown as "<5", a second cell of every total withheld where the
  first could be worked out by subtraction, a count 1–4 away from the one shown at the end of
  the month before withheld (so today minus the history gives no small increase back), and
  the rates built on withheld counts withheld (itda.lib.suppression);
- operating-group staff: their own group(s) in detail (by track, 시·도, company kind and
  industrial complex), never the national total or another group's numbers;
- national operator: everything, by group, 권역, 시·도, track, company kind and complex.

Each section is a table with a chart beside it (outcomes.charts); the history is the last
snapshot of each month.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from itda.accounts.roles import Role
from itda.lib.suppression import series_suppressed, shown_value
from itda.outcomes import charts
from itda.outcomes.kpis import (
    COMPANY_STAGES,
    FUNNEL,
    NATIONAL,
    STAGE,
    STAGES,
    KpiValue,
    Stage,
    breakdown_counts,
    kpi_values,
)
from itda.outcomes.models import KpiSnapshot
from itda.outcomes.selectors import month_ends, snapshot_days, total_cells
from itda.programs.models import (
    CompanyKind,
    IndustrialComplex,
    OperatingGroup,
    Programme,
    Region,
    Track,
    TrackAllocation,
    Zone,
)

HISTORY_MONTHS = 12
# The company sections count from 연계 on: before it a trainee has no host company.
COMPANY_FUNNEL = tuple(k for k in FUNNEL if k in COMPANY_STAGES) + ("companies",)


@dataclass(frozen=True)
class Unit:
    """One row of a section: the national total, a group, a 권역, a 시·도, a track..."""

    label: str
    counts: list  # the section's stages, as the reader may see them
    kpis: list[KpiValue]
    companies: int | str = 0
    target: int | None = None  # the selection target (선발 목표) where the documents set one
    achieved: str = "—"  # 선발 ÷ 목표
    raw: dict = field(default_factory=dict, repr=False)  # for the charts: shown or None


@dataclass(frozen=True)
class Section:
    key: str  # the tables' data-testid suffix
    title: str
    units: list[Unit]
    stages: list[Stage]
    note: str = ""
    with_kpis: bool = True  # the people's funnel (not the company one): rates and targets
    chart: dict | None = None

    @property
    def chart_id(self) -> str:
        return f"kpi-{self.key}-chart"


@dataclass
class Board:
    programme: Programme
    day: datetime.date
    live: bool  # counted on demand: the programme has no snapshot yet
    suppress: bool
    own_groups_only: bool  # a group's staff: no national total, no other group
    sections: list[Section] = field(default_factory=list)
    funnel_chart: dict | None = None  # the first row's funnel (national, or the group's)
    funnel_label: str = ""
    funnel_rows: list[tuple[Stage, int | str]] = field(default_factory=list)
    history: list[tuple[datetime.date, str, list]] = field(default_factory=list)
    history_chart: dict | None = None
    # The selected companies against the programme's company target (national readers only):
    # (count as shown, 선정 ÷ 목표 as text).
    companies_progress: tuple[int | str, str] | None = None


def _cells_of_day(programme: Programme, day: datetime.date | None, user) -> tuple[dict, dict]:
    """The cells of the stored ``day`` (live counts when None) that ``user`` may see, split
    into (group, track, 시·도) cells and (group, company kind, complex) cells."""
    if day is None:
        counted = breakdown_counts(programme)
        cells, company_cells = counted.cells, counted.company_cells
    else:
        rows = KpiSnapshot.objects.filter(programme=programme, day=day)
        if user.role == Role.GROUP_STAFF:
            rows = rows.visible_to(user)
        elif user.role == Role.VIEWER:
            rows = rows.filter(track__isnull=True, company_kind="", complex__isnull=True)
        cells, company_cells = defaultdict(dict), defaultdict(dict)
        for group, track, region, kind, complex_, stage, value in rows.values_list(
            "operating_group", "track", "region", "company_kind", "complex", "stage", "value"
        ):
            if kind or complex_:
                company_cells[(group, kind or None, complex_)][stage] = value
            else:
                cells[(group, track, region)][stage] = value
    return cells, company_cells


def _visible(group, split: tuple, role: str, groups: set[int]) -> bool:
    """Whether a cell of ``group`` split by ``split`` (other keys) is for ``role``'s eyes."""
    if role == Role.VIEWER:
        # Totals only: national, a group's, a 시·도's (never a group within a 시·도).
        return all(v is None for v in split[:-1]) and (group is None or split[-1] is None)
    if role == Role.GROUP_STAFF:
        return group in groups
    return True


def kpi_board(*, user, programme: Programme, day: datetime.date) -> Board:
    """The dashboard of ``programme`` as it stood at the latest snapshot up to ``day``, as
    ``user`` may see it, in a constant number of queries."""
    role = user.role
    suppress = role == Role.VIEWER
    staff = role == Role.GROUP_STAFF
    shown_groups = OperatingGroup.objects.filter(programme=programme).order_by("zone", "pk")
    if staff:
        shown_groups = shown_groups.filter(staff=user)
    groups = {g.pk: g for g in shown_groups}
    days = snapshot_days(programme, day)
    shown_day = days[-1] if days else None
    cells, company_cells = _cells_of_day(programme, shown_day, user)
    cells = {c: v for c, v in cells.items() if _visible(c[0], c[1:], role, set(groups))}
    company_cells = {
        c: v
        for c, v in company_cells.items()
        if role != Role.VIEWER and _visible(c[0], c[1:], role, set(groups))
    }
    tracks = {t.pk: t for t in Track.objects.filter(programme=programme)}
    regions = {r.pk: r for r in Region.objects.order_by("code")}
    seats: dict[tuple, int] = defaultdict(int)
    for group, track, n in TrackAllocation.objects.filter(track__programme=programme).values_list(
        "operating_group", "track", "seats"
    ):
        seats[(group, None)] += n
        seats[(group, track)] += n

    # 권역 rows add up their 시·도 (each person lives in one 시·도, so the sum counts no one
    # twice); for a group's staff their own group is the 권역.
    zones = {z: [pk for pk, r in regions.items() if r.zone == z] for z in Zone.values}
    if not staff:
        cells = _with_zones(cells, zones)
    hidden, hidden_on = set(), {}
    if suppress:
        hidden, hidden_on = _viewer_series(
            programme, days, shown_day, cells, list(groups), zones, list(regions)
        )

    def unit(label: str, key, stages, counts: dict, target: int | None = None) -> Unit:
        def shown(stage):
            return shown_value((key, stage), {(key, stage): counts.get(stage, 0)}, hidden)

        withheld = {s.key for s in STAGES if (key, s.key) in hidden}
        selected = counts.get("selected", 0)
        achieved = "—"
        if target and "selected" not in withheld:
            achieved = f"{selected * 100 / target:.1f}%"
        return Unit(
            label=label,
            counts=[shown(k) for k in stages],
            kpis=kpi_values(counts, suppress=suppress, hidden=withheld),
            companies=shown("companies"),
            target=target,
            achieved=achieved,
            raw={k: None if k in withheld else counts.get(k, 0) for k in (*FUNNEL, "companies")},
        )

    def section(key, title, rows, *, note="", company=False) -> None:
        stages = COMPANY_FUNNEL if company else FUNNEL
        units = [unit(label, cell, stages, counts, target) for label, cell, counts, target in rows]
        if units:
            board.sections.append(
                Section(
                    key=key,
                    title=title,
                    units=units,
                    stages=[STAGE[k] for k in stages],
                    note=note,
                    with_kpis=not company,
                    chart=charts.section_chart(title, units, company=company),
                )
            )

    board = Board(
        programme=programme,
        day=shown_day or day,
        live=shown_day is None,
        suppress=suppress,
        own_groups_only=staff,
    )
    totals = (
        [] if staff else [("전국", NATIONAL, cells.get(NATIONAL, {}), programme.target_trainees)]
    )
    totals += [
        (g.name, (pk, None, None), cells.get((pk, None, None), {}), seats.get((pk, None)))
        for pk, g in groups.items()
    ]
    section("totals", "우리 사업단" if staff else "전국·사업단별", totals)
    # The operator's splits are the national ones; a group's staff get their group's.
    splits = list(groups) if staff else [None]

    def named(group, name):
        return name if group is None else f"{groups[group].name} · {name}"

    if not staff:
        section(
            "zones",
            "권역별(교육생 거주지 기준)",
            [
                (label, ("zone", z), cells[("zone", z)], None)
                for z, label in Zone.choices
                if ("zone", z) in cells
            ],
        )
    section(
        "regions",
        "시·도별(교육생 거주지 기준)",
        [
            (named(g, r.name), (g, None, pk), cells[(g, None, pk)], None)
            for g in splits
            for pk, r in regions.items()
            if (g, None, pk) in cells
        ],
    )
    if not suppress:
        section(
            "tracks",
            "트랙별",
            [
                (
                    named(g, t.name),
                    (g, pk, None),
                    cells[(g, pk, None)],
                    t.quota if g is None else seats.get((g, pk)),
                )
                for g in splits
                for pk, t in tracks.items()
                if (g, pk, None) in cells
            ],
        )
        note = (
            "연계 이후 단계만 셉니다: 그 전에는 교육생의 기업이 정해지지 않습니다(인턴 기업 기준)."
        )
        section(
            "company-kinds",
            "기업 유형별",
            [
                (named(g, label), (g, kind, None), company_cells[(g, kind, None)], None)
                for g in splits
                for kind, label in CompanyKind.choices
                if (g, kind, None) in company_cells
            ],
            note=note,
            company=True,
        )
        complexes = {
            c.pk: c
            for c in IndustrialComplex.objects.filter(
                pk__in={c[2] for c in company_cells if c[2] is not None}
            )
        }
        section(
            "complexes",
            "산업단지별",
            [
                (named(g, c.name), (g, None, pk), company_cells[(g, None, pk)], None)
                for g in splits
                for pk, c in sorted(complexes.items(), key=lambda kv: kv[1].name)
                if (g, None, pk) in company_cells
            ],
            note=note + " 산업단지에 입주하지 않은 기업은 전체 합계에만 들어갑니다.",
            company=True,
        )
    if board.sections:
        first = board.sections[0]
        board.funnel_chart = charts.funnel_chart(first.units[0])
        board.funnel_label = first.units[0].label
        board.funnel_rows = list(zip(first.stages, first.units[0].counts, strict=True))
    if not staff:
        companies = cells.get(NATIONAL, {}).get("companies", 0)
        target = programme.target_companies
        withheld = (NATIONAL, "companies") in hidden
        board.companies_progress = (
            shown_value((NATIONAL, "companies"), {(NATIONAL, "companies"): companies}, hidden),
            f"{companies * 100 / target:.1f}%" if target and not withheld else "—",
        )
    board.history = _history(programme, days, user, groups, hidden_on if suppress else None)
    board.history_chart = charts.history_chart(board.history)
    return board


def _with_zones(cells: dict, zones: dict) -> dict:
    """``cells`` with a ("zone", 권역) cell for each 권역 holding people: the sum of its 시·도
    (each person lives in one 시·도, so the sum counts no one twice)."""
    cells = dict(cells)
    for z, members in zones.items():
        total: dict[str, int] = defaultdict(int)
        for pk in members:
            for stage, n in cells.get((None, None, pk), {}).items():
                total[stage] += n
        if total:
            cells[("zone", z)] = dict(total)
    return cells


def viewer_sums(groups, zones: dict, regions) -> list[tuple]:
    """The totals a viewer's board holds, for every stage: 전국 = Σ 사업단 = Σ 권역 = Σ 시·도,
    and each 권역 = Σ its 시·도 (as ``suppressed_cells`` takes them)."""
    sums = []
    for stage in (s.key for s in STAGES):

        def at(cell, stage=stage):
            return (cell, stage)

        sums += [
            (at(NATIONAL), [at((g, None, None)) for g in groups]),
            (at(NATIONAL), [at(("zone", z)) for z in zones]),
            (at(NATIONAL), [at((None, None, r)) for r in regions]),
            *[
                (at(("zone", z)), [at((None, None, r)) for r in members])
                for z, members in zones.items()
            ],
        ]
    return sums


def _viewer_series(programme, days, shown_day, cells, groups, zones, regions) -> tuple[set, dict]:
    """The (cell, stage) pairs the viewer may not see today, and on each month's published
    day: small counts; a second cell of every total (전국 = Σ 사업단 = Σ 권역 = Σ 시·도, 권역 =
    Σ 시·도) that would give one back; and a count 1–4 away from the one shown the month
    before (itda.lib.suppression.series_suppressed), over every month the programme stored.
    All stages count, the ones only shown through a rate (중도탈락, 3·6개월 모두 채용) too."""
    earlier = month_ends([d for d in days if shown_day and d < shown_day.replace(day=1)])
    by_day = total_cells(programme, earlier, regions=True) if earlier else {}
    points = [_with_zones(by_day[d], zones) for d in earlier] + [cells]
    flat = [{(c, st): n for c, counts in p.items() for st, n in counts.items()} for p in points]
    withheld = series_suppressed(flat, viewer_sums(groups, zones, regions))
    return withheld[-1], dict(zip([*earlier, shown_day], withheld, strict=True))


def _history(programme, days, user, groups, hidden_on) -> list[tuple[datetime.date, str, list]]:
    """The last stored day of each of the latest HISTORY_MONTHS months: the national row
    (groups' rows for their staff), in the funnel's order, newest first. ``hidden_on`` (the
    viewer's) holds each day's withheld (cell, stage) pairs."""
    shown_days = month_ends(days)[-HISTORY_MONTHS:]
    rows = KpiSnapshot.objects.filter(
        programme=programme,
        day__in=shown_days,
        track__isnull=True,
        region__isnull=True,
        company_kind="",
        complex__isnull=True,
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

    def withheld(snap_day) -> set[str]:
        pairs = (hidden_on or {}).get(snap_day, set())
        return {stage for cell, stage in pairs if cell == NATIONAL}

    return [
        (
            snap_day,
            "전국" if group is None else groups[group].name,
            [shown_value(k, c, withheld(snap_day)) for k in FUNNEL],
        )
        for (snap_day, group), c in sorted(
            table.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0), reverse=True
        )
    ]
