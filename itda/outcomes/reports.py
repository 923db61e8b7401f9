"""The monthly outcomes report (issue 14 §5): national, or one operating group's, built once as
figures (``report_figures``) and rendered three ways from those same figures — a PDF (fixed
copy), an HWPX (editable, KS X 6101) and an Excel workbook — so the three never disagree.

A month's figures are the funnel counts as they stood on its last day: that day's nightly
snapshot (outcomes.KpiSnapshot), or counted live while the month runs or when no snapshot was
taken. Who may read which report, and how much of it:

- national operator: the national report (by group, track and 시·도) and any group's;
- operating-group staff: their own group's report only (another group's is a 404);
- ministry / city viewer: the national report and any group's totals, with counts of 1–4
  shown as "<5", a second group's withheld where the national total would give one back, a
  count 1–4 away from the one last month's report showed withheld (so two months' reports do
  not give the month's small increase back), and the rates built on them withheld
  (itda.lib.suppression).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from itda.accounts.roles import Role
from itda.lib.excel import workbook_sheets_bytes
from itda.lib.pdf import render_pdf
from itda.lib.suppression import RULE_TEXT, series_suppressed, shown_value
from itda.outcomes.kpis import FUNNEL, KPIS, NATIONAL, STAGE, Cell, funnel_counts, kpi_values
from itda.outcomes.models import KpiSnapshot
from itda.outcomes.selectors import month_ends, snapshot_days, total_cells
from itda.programs.models import OperatingGroup, Programme, Region, Track, TrackAllocation

REPORT_ROLES = (Role.OPERATOR, Role.GROUP_STAFF, Role.VIEWER)
NATIONAL_SCOPE = "national"

# The report's headings, in order; the tests read them back out of every format.
H_FUNNEL = "1. 단계별 인원"
H_KPIS = "2. 성과 지표"
H_DEFINITIONS = "3. 지표 정의와 출처"
H_BASIS = "4. 작성 기준"
CUTOFF_NOTE = (
    "월간 보고서의 수치는 그 달 마지막 날 기준 누적 인원입니다 (itda 기본값 — 운영지침 확인 필요)."
)


@dataclass(frozen=True)
class Table:
    """One table of the report, its cells as shown (a count, "<5", a rate, text)."""

    heading: str
    headers: tuple[str, ...]
    rows: list[tuple]


@dataclass(frozen=True)
class ReportFigures:
    programme: Programme
    month: datetime.date  # the month's first day
    day: datetime.date  # the day the counts are of
    scope_label: str  # 전국 or the group's name
    live: bool  # counted on demand: no snapshot of that day
    suppressed: bool
    made_at: datetime.datetime
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.month:%Y년 %-m월} {self.programme.name} 성과 보고서 — {self.scope_label}"

    @property
    def filename(self) -> str:
        """The file name without extension (ASCII: it travels in a header)."""
        scope = "national" if self.scope_label == "전국" else "group"
        return f"itda-report-{self.programme.code}-{self.month:%Y-%m}-{scope}"


def month_day(month: datetime.date, today: datetime.date) -> datetime.date:
    """The day a month's report counts to: its last day, or today while the month runs."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, today)


def report_groups(user, programme: Programme):
    """The operating groups whose report ``user`` may read."""
    groups = OperatingGroup.objects.filter(programme=programme).order_by("zone", "pk")
    return groups.visible_to(user) if user.role == Role.GROUP_STAFF else groups


def _cells(programme: Programme, day: datetime.date) -> tuple[dict[Cell, dict[str, int]], bool]:
    # The (group, track, 시·도) cells only: a company kind's or complex's row has no track
    # and no 시·도 either, and would overwrite its group's total.
    rows = KpiSnapshot.objects.filter(
        programme=programme, day=day, company_kind="", complex__isnull=True
    ).values_list("operating_group", "track", "region", "stage", "value")
    cells: dict[Cell, dict[str, int]] = {}
    for group, track, region, stage, value in rows:
        cells.setdefault((group, track, region), {})[stage] = value
    if cells:
        return cells, False
    return funnel_counts(programme), True


def report_figures(
    *, user, programme: Programme, month: datetime.date, scope: str = NATIONAL_SCOPE
) -> ReportFigures:
    """The report's figures for ``scope`` ("national" or a group's id as text), as ``user``
    may read them. Raises Http404 for a scope the user may not read."""
    if user.role not in REPORT_ROLES:
        raise Http404
    groups = list(report_groups(user, programme))
    if scope == NATIONAL_SCOPE:
        if user.role == Role.GROUP_STAFF:
            raise Http404
        group = None
    else:
        group = next((g for g in groups if str(g.pk) == scope), None)
        if group is None:
            raise Http404
    suppress = user.role == Role.VIEWER
    day = month_day(month.replace(day=1), timezone.localdate())
    cells, live = _cells(programme, day)
    tracks = list(Track.objects.filter(programme=programme).order_by("code", "pk"))
    regions = list(Region.objects.order_by("code"))
    # A group's target is the seats allocated to it across tracks (as on the dashboard).
    seats = dict(
        TrackAllocation.objects.filter(track__programme=programme)
        .values("operating_group")
        .annotate(total=Sum("seats"))
        .values_list("operating_group", "total")
    )

    # (label, cell, target): the rows of the report, totals first.
    if group is None:
        totals = [("전국", NATIONAL, programme.target_trainees)] + [
            (g.name, (g.pk, None, None), seats.get(g.pk)) for g in groups
        ]
        key = None
    else:
        totals = [(group.name, (group.pk, None, None), seats.get(group.pk))]
        key = group.pk
    detail = []
    if not suppress:
        detail = [
            (f"트랙 · {t.name}", (key, t.pk, None), t.quota if key is None else None)
            for t in tracks
            if (key, t.pk, None) in cells
        ]
        detail += [
            (f"시·도 · {r.name}", (key, None, r.pk), None)
            for r in regions
            if (key, None, r.pk) in cells
        ]

    # The viewer's cells: 1–4 withheld, a second group's wherever the national total (the
    # sum of the groups) would give one back, and a count 1–4 away from the one the month
    # before showed (lib.suppression.series_suppressed) — worked out over every group and
    # every earlier month whatever the scope, so the national report and a group's report,
    # and this month's and last month's, withhold the same cells.
    counted = (*FUNNEL, "companies")
    values, hidden = {}, set()
    if suppress:
        parts = [(g.pk, None, None) for g in groups]
        before = month.replace(day=1) - datetime.timedelta(days=1)
        earlier = month_ends(snapshot_days(programme, before))
        points = [*total_cells(programme, earlier).values(), cells]
        flat = [
            {(c, s): point.get(c, {}).get(s, 0) for c in (NATIONAL, *parts) for s in counted}
            for point in points
        ]
        values = flat[-1]
        hidden = series_suppressed(
            flat, [((NATIONAL, s), [(c, s) for c in parts]) for s in counted]
        )[-1]

    def shown(cell, counts: dict, stage: str):
        return shown_value((cell, stage), values, hidden) if suppress else counts.get(stage, 0)

    funnel_rows = []
    kpi_rows = []
    for label, cell, target in totals + detail:
        counts = cells.get(cell, {})
        funnel_rows.append(
            (
                label,
                "" if target is None else target,
                *(shown(cell, counts, s) for s in FUNNEL),
                shown(cell, counts, "companies"),
            )
        )
        withheld = {s for s in FUNNEL if (cell, s) in hidden}
        for value in kpi_values(counts, suppress=suppress, hidden=withheld):
            kpi_rows.append((label, value.kpi.name, value.shown, value.explained))

    tables = [
        Table(
            H_FUNNEL,
            ("구분", "선발 목표", *(STAGE[s].label for s in FUNNEL), "참여기업"),
            funnel_rows,
        ),
        Table(H_KPIS, ("구분", "지표", "값", "산식(값)"), kpi_rows),
        Table(
            H_DEFINITIONS,
            ("지표", "산식", "출처", "설명"),
            [(k.name, k.formula, k.source, k.note) for k in KPIS],
        ),
    ]
    notes = [
        f"기준일: {day:%Y-%m-%d}"
        + (" (그 날의 스냅숏이 없어 현재 자료로 집계)" if live else " (야간 스냅숏)"),
        CUTOFF_NOTE,
        "인원은 단계별 중복 없는 교육생 수, 참여기업은 기업 공모에서 선정된 기업 수입니다.",
    ]
    if suppress:
        notes.append(RULE_TEXT)
    return ReportFigures(
        programme=programme,
        month=month.replace(day=1),
        day=day,
        scope_label="전국" if group is None else group.name,
        live=live,
        suppressed=suppress,
        made_at=timezone.localtime(),
        tables=tables,
        notes=notes,
    )


# --- renderers --------------------------------------------------------------------------------


def report_pdf(figures: ReportFigures) -> bytes:
    """The fixed copy: A4 landscape, Pretendard GOV (itda.lib.pdf)."""
    return render_pdf(
        html_template="outcomes/report/report.html",
        css_template="outcomes/report/report.css",
        context={"r": figures, "basis_heading": H_BASIS},
    )


def report_xlsx(figures: ReportFigures) -> bytes:
    """The same figures as a workbook: one sheet per table, and the basis first."""
    about = (
        "보고서 정보",
        ("항목", "내용"),
        [("제목", figures.title), ("작성 일시", f"{figures.made_at:%Y-%m-%d %H:%M}")]
        + [(H_BASIS, note) for note in figures.notes],
    )
    return workbook_sheets_bytes([about] + [(t.heading, t.headers, t.rows) for t in figures.tables])


def report_hwpx(figures: ReportFigures) -> bytes:
    """The editable copy, an OWPML (KS X 6101) document written by python-hwpx."""
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.add_heading(figures.title, level=1)
    doc.add_paragraph(f"작성 일시 {figures.made_at:%Y-%m-%d %H:%M}")
    for table in figures.tables:
        doc.add_heading(table.heading, level=2)
        grid = doc.add_table(len(table.rows) + 1, len(table.headers))
        for col, text in enumerate(table.headers):
            grid.cell(0, col).text = text
        for row, values in enumerate(table.rows, start=1):
            for col, value in enumerate(values):
                grid.cell(row, col).text = str(value)
    doc.add_heading(H_BASIS, level=2)
    for note in figures.notes:
        doc.add_paragraph(note)
    return doc.to_bytes()
