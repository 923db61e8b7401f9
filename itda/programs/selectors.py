"""Reads for the public reference pages: regions, complexes, 대개조 plans, programmes.

Every function runs a fixed number of queries whatever the number of rows (select_related and
prefetch_related), and the helpers below turn seed values into Korean display strings."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from itda.accounts.roles import Role
from itda.lib.search import search
from itda.programs.models import (
    Company,
    ComplexFigure,
    IndustrialComplex,
    InternshipPayee,
    KeyTask,
    OperatingGroup,
    PlanProgress,
    PlanSite,
    PlanTarget,
    PlanTransition,
    Programme,
    ProgrammeWindow,
    Region,
    SiteRole,
    Source,
    SubProject,
    TrackAllocation,
    TrackAllocationChange,
    Trainee,
    TransformationPlan,
    Venue,
    target_ceiling,
)
from itda.programs.services import REFERENCE_DIR

# --- Registry search ---------------------------------------------------------------------------


def trainee_search(*, q: str = "", region: Region | None = None, status: str = "") -> QuerySet:
    """Trainees for the registry list, by name or mobile number, region and employment
    status (scope them with visible_to: ``personal_page`` does)."""
    rows = Trainee.objects.select_related("region", "preferred_track")
    rows = search(rows, q, names=["name"], phones=["phone"])
    if region is not None:
        rows = rows.filter(region=region)
    if status:
        rows = rows.filter(employment_status=status)
    return rows


def company_search(*, q: str = "", region: Region | None = None, status: str = "") -> QuerySet:
    """Companies for the registry list, by name or 사업자등록번호 (any part of its digits),
    region and kind."""
    rows = Company.objects.select_related("region")
    rows = search(rows, q, names=["name"], numbers=["business_number"])
    if region is not None:
        rows = rows.filter(region=region)
    if status:
        rows = rows.filter(kind=status)
    return rows


# --- Korean number formats ---------------------------------------------------------------------


def covering_group(programme: Programme | int, region_path: str) -> Subquery:
    """The programme's operating group that covers the 시·도 at ``region_path``: who manages a
    national call's or round's rows (a group whose region it is)."""
    groups = OperatingGroup.objects.filter(programme=programme, regions=OuterRef(region_path))
    return Subquery(groups.order_by("pk").values("pk")[:1])


def _plain(value: Decimal | int | float) -> str:
    """63.80 → "63.8", 19577 → "19,577"."""
    text = f"{Decimal(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_krw(amount: int | None) -> str:
    """Won as a Korean document writes it: 11,500,000,000 → "115억원", 400,000 → "400,000원"."""
    if amount is None:
        return "-"
    for unit, size in (("조원", 10**12), ("억원", 10**8)):
        if abs(amount) >= size:
            return f"{_plain(Decimal(amount) / size)}{unit}"
    return f"{amount:,}원"


def format_value(value: Decimal | None, unit: str) -> str:
    """A seed figure with its unit: (63.8, "조원") → "63.8조원", (250000, "명") → "250,000명"."""
    if value is None:
        return "-"
    return f"{_plain(value)}{unit}"


def figure_display(figure: ComplexFigure) -> str:
    """ "63.8조원 (12%)", or "59.5%" where the seed gives only a share."""
    share = f"{_plain(figure.share_pct)}%" if figure.share_pct is not None else ""
    if figure.value is None:
        return share or "-"
    value = format_value(figure.value, figure.unit)
    return f"{value} ({share})" if share else value


# Money units the seed uses, in 억원, so that "5조원" and "3,200억원" compare.
_MONEY_IN_EOK = {"조원": Decimal(10000), "억원": Decimal(1), "원": Decimal("0.00000001")}


def _comparable(target: PlanTarget) -> Decimal | None:
    if target.value is None:
        return None
    return target.value * _MONEY_IN_EOK.get(target.unit, Decimal(1))


# --- Regions -----------------------------------------------------------------------------------


def region_list() -> QuerySet[Region]:
    """The 17 시·도 with their 권역 operating groups and counts of complexes and plans."""
    return Region.objects.annotate(
        n_complexes=Count("complexes", distinct=True),
        n_plans=Count("plans", distinct=True),
    ).prefetch_related(
        Prefetch(
            "operating_groups",
            queryset=OperatingGroup.objects.select_related("programme").order_by("pk"),
        )
    )


# --- Complexes ---------------------------------------------------------------------------------


def _plan_sites() -> Prefetch:
    return Prefetch(
        "plan_sites",
        queryset=PlanSite.objects.select_related("plan__region").order_by("plan__round_year"),
    )


def complex_list() -> QuerySet[IndustrialComplex]:
    """Every complex and area the seeds name, with region, figures and plan roles."""
    return IndustrialComplex.objects.select_related("region").prefetch_related(
        "figures", _plan_sites()
    )


def with_figure_map(complexes) -> list[IndustrialComplex]:
    """Attach ``figure_map`` (metric → display string) to each complex, from prefetched rows."""
    rows = list(complexes)
    for complex_ in rows:
        complex_.figure_map = {f.metric: figure_display(f) for f in complex_.figures.all()}
    return rows


def complex_detail(pk: int) -> IndustrialComplex:
    """One complex with its figures, its places in plans and the venues in it; 404 if unknown."""
    queryset = IndustrialComplex.objects.select_related("region").prefetch_related(
        "figures",
        _plan_sites(),
        Prefetch(
            "venues", queryset=Venue.objects.filter(is_demo=False).select_related("programme")
        ),
    )
    return get_object_or_404(queryset, pk=pk)


# --- Plans -------------------------------------------------------------------------------------


@cache
def plans_overview() -> dict[str, Any]:
    """The programme-level facts of 산업단지 대개조 (committee, indicators, smart-green counts)."""
    with (REFERENCE_DIR / "plans.json").open(encoding="utf-8") as fh:
        overview = json.load(fh)["overview"]
    overview["call_opened_on"] = date.fromisoformat(overview["call_opened_on"])
    return overview


def plan_list() -> QuerySet[TransformationPlan]:
    """All ten plans with region, sites (hub first) and target and sub-project counts."""
    return (
        TransformationPlan.objects.select_related("region")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_subprojects=Count("key_tasks__subprojects", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "sites",
                queryset=PlanSite.objects.select_related("complex").order_by("order"),
            )
        )
    )


def plan_detail(pk: int) -> TransformationPlan:
    """One plan with everything its page shows; 404 if unknown."""
    queryset = TransformationPlan.objects.select_related("region").prefetch_related(
        Prefetch(
            "sites",
            queryset=PlanSite.objects.select_related("complex__region")
            .prefetch_related("complex__figures")
            .order_by("order"),
        ),
        Prefetch("targets", queryset=PlanTarget.objects.order_by("order", "source")),
        Prefetch(
            "key_tasks",
            queryset=KeyTask.objects.prefetch_related("subprojects").order_by("order"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class TargetRow:
    """One indicator of a plan, as stated in the body and in the annex."""

    indicator: str
    body: PlanTarget | None = None
    annex: PlanTarget | None = None

    @property
    def body_display(self) -> str:
        return format_value(self.body.value, self.body.unit) if self.body else ""

    @property
    def annex_display(self) -> str:
        return format_value(self.annex.value, self.annex.unit) if self.annex else ""

    @property
    def status(self) -> str:
        """ "differs" when both state a value and the values differ; else which sources state it."""
        if self.body and self.annex:
            body, annex = _comparable(self.body), _comparable(self.annex)
            if body is not None and annex is not None and body != annex:
                return "differs"
            return "same"
        return "body_only" if self.body else "annex_only"


def plan_target_rows(plan: TransformationPlan) -> list[TargetRow]:
    """A plan's targets paired by indicator: body and annex side by side."""
    rows: dict[str, TargetRow] = {}
    for target in plan.targets.all():
        row = rows.setdefault(target.indicator, TargetRow(indicator=target.indicator))
        if target.source == Source.BODY:
            row.body = target
        else:
            row.annex = target
    return list(rows.values())


def plan_smart_training(plan: TransformationPlan) -> list[tuple[KeyTask, SubProject]]:
    """The 「스마트제조 고급인력 양성」 sub-projects of a plan, with their key task."""
    return [
        (task, sub)
        for task in plan.key_tasks.all()
        for sub in task.subprojects.all()
        if sub.is_smart_manufacturing_training
    ]


# --- A plan as a process: stage trail, sub-projects, progress against targets ----------------


def plans_visible_to(user) -> QuerySet[TransformationPlan]:
    """The plans a signed-in user may read: staff those of their groups' 시·도 (the scope
    rule); the operator every plan; the ministry viewer every plan too, for the aggregate
    overview only (a plan holds no personal data; its pages of detail are staff pages)."""
    if user.is_authenticated and user.role == Role.VIEWER:
        return TransformationPlan.objects.all()
    return TransformationPlan.objects.visible_to(user)


def plan_manage_detail(user, pk: int) -> TransformationPlan:
    """One plan for the staff page, with its trail and sub-projects; 404 outside the user's
    scope, so another region's plan looks like a missing one."""
    queryset = (
        plans_visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("targets", queryset=PlanTarget.objects.order_by("order", "source")),
            Prefetch(
                "key_tasks",
                queryset=KeyTask.objects.prefetch_related(
                    Prefetch(
                        "subprojects", queryset=SubProject.objects.prefetch_related("complexes")
                    )
                ).order_by("order"),
            ),
            Prefetch("transitions", queryset=PlanTransition.objects.select_related("actor")),
            Prefetch(
                "sites", queryset=PlanSite.objects.select_related("complex").order_by("order")
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _in_unit(value: Decimal, unit: str, target: PlanTarget) -> Decimal | None:
    """``value`` in the target's unit: money converts (조원, 억원, 원); money never compares
    with a count; counts compare as they are ('1만 개' and '1만명' are one target, as
    ``TargetRow.status`` reads them)."""
    money = (unit in _MONEY_IN_EOK, target.unit in _MONEY_IN_EOK)
    if all(money):
        return value * _MONEY_IN_EOK[unit] / _MONEY_IN_EOK[target.unit]
    return None if any(money) else value


@dataclass
class ProgressRow:
    """One indicator: its body and annex targets, and the progress entered against it."""

    target: TargetRow
    entries: list[PlanProgress]  # newest as-of day first

    @property
    def latest(self) -> PlanProgress | None:
        return self.entries[0] if self.entries else None

    @property
    def actual_display(self) -> str:
        return format_value(self.latest.value, self.latest.unit) if self.latest else ""

    def _rate(self, target: PlanTarget | None) -> str:
        if target is None or target.value in (None, 0) or self.latest is None:
            return ""
        actual = _in_unit(self.latest.value, self.latest.unit, target)
        if actual is None:
            return "단위가 달라 비교하지 않음"
        return f"{_plain((actual / target.value * 100).quantize(Decimal('0.1')))}%"

    @property
    def body_rate(self) -> str:
        return self._rate(self.target.body)

    @property
    def annex_rate(self) -> str:
        return self._rate(self.target.annex)


def plan_progress_rows(plan: TransformationPlan) -> list[ProgressRow]:
    """A plan's targets paired by indicator (body and annex) with their progress entries."""
    entries: dict[str, list[PlanProgress]] = {}
    for entry in plan.progress.select_related("entered_by").order_by("-as_of", "-pk"):
        entries.setdefault(entry.indicator, []).append(entry)
    return [ProgressRow(row, entries.get(row.indicator, [])) for row in plan_target_rows(plan)]


def subproject_complexes(subproject: SubProject, plan: TransformationPlan) -> tuple[list, bool]:
    """The complexes a sub-project answers for, and whether they are the default: the ones the
    operator set, or else every site of its plan (itda 기본값 — 운영지침 확인 필요)."""
    chosen = list(subproject.complexes.all())
    if chosen:
        return chosen, False
    return [site.complex for site in plan.sites.all()], True


# --- The plan diagram (server-rendered SVG, no style attributes) -------------------------------


@dataclass
class DiagramNode:
    """A box in the plan diagram."""

    site: PlanSite
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    subtitle: str
    number: int | None = None

    @property
    def left(self) -> float:
        return round(self.x - self.width / 2, 1)

    @property
    def top(self) -> float:
        return round(self.y - self.height / 2, 1)

    @property
    def is_hub(self) -> bool:
        return self.site.role == SiteRole.HUB

    @property
    def is_area(self) -> bool:
        return self.site.role == SiteRole.LINKED_AREA

    def text_y(self, index: int) -> float:
        first = self.y - (len(self.lines) + 1) * 9 + 14
        return round(first + index * 18, 1)

    @property
    def line_rows(self) -> list[tuple[str, float]]:
        return [(line, self.text_y(i)) for i, line in enumerate(self.lines)]

    @property
    def subtitle_y(self) -> float:
        return self.text_y(len(self.lines)) + 1


@dataclass
class DiagramEdge:
    """A line from the hub to a linked site, numbered for the legend."""

    number: int
    x1: float
    y1: float
    x2: float
    y2: float
    hub: DiagramNode
    node: DiagramNode

    def _visible_middle(self) -> float:
        """Where along the line (0 = hub centre, 1 = node centre) the visible part's middle is."""
        dx, dy = abs(self.x2 - self.x1) or 1e-9, abs(self.y2 - self.y1) or 1e-9

        def leave(width: float, height: float) -> float:
            return min(width / 2 / dx, height / 2 / dy)

        start = leave(self.hub.width, self.hub.height)
        end = 1 - leave(self.node.width, self.node.height)
        return (start + end) / 2

    @property
    def mid_x(self) -> float:
        return round(self.x1 + (self.x2 - self.x1) * self._visible_middle(), 1)

    @property
    def mid_y(self) -> float:
        return round(self.y1 + (self.y2 - self.y1) * self._visible_middle(), 1)

    @property
    def label_y(self) -> float:
        return round(self.mid_y + 5, 1)


@dataclass
class Diagram:
    """The hub in the centre, linked complexes and areas around it."""

    width: int
    height: int
    hub: DiagramNode | None
    links: list[DiagramNode] = field(default_factory=list)
    edges: list[DiagramEdge] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        """The viewBox, cropped to the boxes with a margin, so no band of the picture is empty."""
        nodes = ([self.hub] if self.hub else []) + self.links
        if not nodes:
            return f"0 0 {self.width} {self.height}"
        top = min(n.top for n in nodes) - 12
        bottom = max(n.top + n.height for n in nodes) + 12
        return f"0 {round(top, 1)} {self.width} {round(bottom - top, 1)}"


def _text_width(text: str, size: float) -> float:
    # Hangul is about one em wide, Latin letters and digits about 0.6 em.
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _wrap(name: str, limit: int = 12) -> list[str]:
    if len(name) <= limit:
        return [name]
    if " " in name:
        head, _, tail = name.rpartition(" ")
        return [head, tail]
    return [name[:limit], name[limit:]]


def _node(site: PlanSite, x: float, y: float, number: int | None = None) -> DiagramNode:
    lines = _wrap(site.complex.name)
    prefix = f"{number}. " if number else ""
    subtitle = site.get_role_display()
    if site.industries:
        subtitle = f"{subtitle} · {site.industries}"
    if len(subtitle) > 22:
        subtitle = subtitle[:21] + "…"
    name_width = max(_text_width(prefix + line, 15) for line in lines)
    width = max(name_width, _text_width(subtitle, 12)) + 28
    height = 18 * (len(lines) + 1) + 18
    return DiagramNode(site, x, y, round(width, 1), height, lines, subtitle, number)


def plan_diagram(plan: TransformationPlan) -> Diagram:
    """Lay a plan's sites out around its hub: positions on an ellipse, edges from the hub."""
    width, height = 800, 480
    cx, cy, rx, ry = width / 2, height / 2, 270, 165
    sites = list(plan.sites.all())
    hub_site = next((s for s in sites if s.role == SiteRole.HUB), None)
    linked = [s for s in sites if s.role != SiteRole.HUB]
    diagram = Diagram(width, height, _node(hub_site, cx, cy) if hub_site else None)
    if not linked or diagram.hub is None:
        return diagram
    n = len(linked)
    start = -90.0 if n % 2 else -90.0 + 180.0 / n
    for i, site in enumerate(linked):
        angle = math.radians(start + 360.0 * i / n)
        x, y = round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1)
        node = _node(site, x, y, number=i + 1)
        # Keep every box inside the picture.
        node.x = min(max(node.x, node.width / 2 + 4), width - node.width / 2 - 4)
        diagram.links.append(node)
        diagram.edges.append(DiagramEdge(i + 1, cx, cy, node.x, node.y, diagram.hub, node))
    return diagram


# --- Programmes --------------------------------------------------------------------------------


def programme_list() -> QuerySet[Programme]:
    """Both programmes with tracks, budgets, windows, operating groups and venues."""
    return Programme.objects.prefetch_related(
        "tracks",
        "budgets",
        "windows",
        Prefetch("operating_groups", queryset=OperatingGroup.objects.order_by("pk")),
        Prefetch("venues", queryset=Venue.objects.filter(is_demo=False)),
    )


def programme_detail(code: str) -> Programme:
    """One programme with everything its page shows; 404 if unknown."""
    queryset = Programme.objects.prefetch_related(
        "tracks",
        "budgets",
        "executors",
        Prefetch("windows", queryset=ProgrammeWindow.objects.select_related("origin")),
        Prefetch(
            "operating_groups",
            queryset=OperatingGroup.objects.prefetch_related(
                Prefetch("regions", queryset=Region.objects.order_by("code"))
            ).order_by("pk"),
        ),
        Prefetch(
            "venues",
            queryset=Venue.objects.filter(is_demo=False)
            .select_related("region", "complex")
            .prefetch_related("rooms"),
        ),
    )
    return get_object_or_404(queryset, code=code)


def programme_windows(programme: Programme) -> list[ProgrammeWindow]:
    """A programme's schedule in date order; a window with only a deadline sorts by it."""
    return sorted(programme.windows.all(), key=lambda w: w.opens_on or w.closes_on or date.max)


@dataclass
class BudgetRow:
    """One funding source of a programme's budget, formatted."""

    label: str
    amount_krw: int
    display: str
    share_pct: str


def programme_budget(programme: Programme) -> tuple[list[BudgetRow], int | None]:
    """Budget rows by funding source (from prefetched rows) and the total in won."""
    budgets = sorted(programme.budgets.all(), key=lambda b: -b.amount_krw)
    if not budgets:
        return [], None
    total = sum(b.amount_krw for b in budgets)
    rows = [
        BudgetRow(
            b.get_source_display(),
            b.amount_krw,
            format_krw(b.amount_krw),
            f"{b.amount_krw * 100 / total:.1f}%" if total else "-",
        )
        for b in budgets
    ]
    return rows, total


@dataclass
class AllowanceRow:
    """A monthly allowance of a programme, with its cap."""

    label: str
    monthly: str
    months: int
    maximum: str
    origin: str  # the RuleOrigin key name under the programme's prefix


def programme_allowances(programme: Programme) -> list[AllowanceRow]:
    """The training and internship allowances, if the programme pays them."""
    rows = []
    for label, monthly, months, origin in (
        (
            "훈련수당 (실무·기술교육)",
            programme.training_allowance_monthly_krw,
            programme.training_months_max,
            "training.allowance",
        ),
        (
            "인턴수당 (기업 인턴십)"
            if programme.internship_allowance_payee == InternshipPayee.INTERN
            else "인건비 지원 (기업 인턴십)",
            programme.internship_allowance_monthly_krw,
            programme.internship_months_max,
            "internship.allowance",
        ),
    ):
        if monthly is not None and months is not None:
            rows.append(
                AllowanceRow(label, f"{monthly:,}원", months, f"{monthly * months:,}원", origin)
            )
    return rows


# --- Landing -----------------------------------------------------------------------------------


def landing_counts() -> dict[str, int]:
    """Headline counts for the public landing page, in three queries."""
    counts = Region.objects.aggregate(
        regions=Count("pk", distinct=True),
        complexes=Count("complexes", distinct=True),
    )
    counts.update(
        Programme.objects.aggregate(
            programmes=Count("pk", distinct=True),
            operating_groups=Count("operating_groups", distinct=True),
        )
    )
    counts.update(
        TransformationPlan.objects.aggregate(
            plans=Count("pk"), plans_2021=Count("pk", filter=Q(round_year=2021))
        )
    )
    return counts


def _count_per_region(model) -> Coalesce:
    rows = (
        model.objects.filter(region=OuterRef("pk"))
        .order_by()
        .values("region")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def region_registration_counts() -> QuerySet[Region]:
    """Regions with ``n_companies`` and ``n_trainees``: aggregates, no personal data."""
    return Region.objects.annotate(
        n_companies=_count_per_region(Company), n_trainees=_count_per_region(Trainee)
    ).order_by("code")


# --- National targets shared among the groups ----------------------------------------------


@dataclass(frozen=True)
class AllocationColumn:
    """One track's column of the allocation table: its national target and the groups' sum."""

    track: Any
    total: int
    ceiling: int | None

    @property
    def over(self) -> bool:
        return self.ceiling is not None and self.total > self.ceiling


def allocation_table(programme: Programme) -> dict:
    """The groups × tracks table of allocations with each track's target, tolerance and sum,
    the programme-wide sum against the trainee target, and the latest changes (fixed queries)."""
    tracks = list(programme.tracks.exclude(quota__isnull=True).order_by("code"))
    groups = list(programme.operating_groups.order_by("zone"))
    seats = {
        (a.operating_group_id, a.track_id): a.seats
        for a in TrackAllocation.objects.filter(track__programme=programme)
    }
    columns = [
        AllocationColumn(
            track=t,
            total=sum(n for (_, track), n in seats.items() if track == t.pk),
            ceiling=t.ceiling,
        )
        for t in tracks
    ]
    total = sum(seats.values())
    return {
        "columns": columns,
        "rows": [
            (
                g,
                [seats.get((g.pk, t.pk)) for t in tracks],
                sum(seats.get((g.pk, t.pk)) or 0 for t in tracks),
            )
            for g in groups
        ],
        "total": total,
        "trainee_ceiling": target_ceiling(
            programme.target_trainees, programme.target_tolerance_pct
        ),
        "events": TrackAllocationChange.objects.filter(allocation__track__programme=programme)
        .select_related("allocation__track", "allocation__operating_group", "actor")
        .order_by("-at", "-pk")[:50],
    }
