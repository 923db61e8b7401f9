"""공공데이터: the programme's national and per-group aggregates as a CSV anyone may download
(issue 14 §5), documented in docs/open-data.md. It reads the last nightly snapshot of the
latest ended month only,
never the pipeline's rows, so a public hit costs one small query; it is suppressed as the
ministry viewer's pages are (1–4 shown as "<5", a second cell where a total or last month's
figure would give one back, rates built on them withheld) and holds
nothing finer than an operating group (no track, no 시·도, no person)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from itda.lib.suppression import SUPPRESSED, WITHHELD, series_suppressed, shown_value
from itda.outcomes.kpis import FUNNEL, STAGE, kpi_values
from itda.outcomes.models import KpiSnapshot
from itda.outcomes.selectors import month_ends, snapshot_days, total_cells
from itda.programs.models import OperatingGroup, Programme

# Documented column by column in docs/open-data.md; a change there goes with a change here.
COLUMNS = (
    "기준일",
    "사업코드",
    "사업명",
    "집계단위",
    "사업단",
    "항목구분",
    "항목코드",
    "항목명",
    "값",
    "산식",
    "비고",
)
COUNTED = (*FUNNEL, "withdrawn", "companies")
SUPPRESSED_NOTE = "5명 미만 비공개"
WITHHELD_NOTE = "분자 또는 분모가 비공개라 비공개"
SUM_NOTE = "합계나 지난달 값에서 다른 값이 드러나지 않도록 비공개"
NO_BASE_NOTE = "분모가 0이라 산출하지 않음"
MAX_AGE = 60 * 60  # the snapshot changes nightly


def _latest_units() -> list[tuple]:
    """(day, programme, group or None, counts) for each programme's published day — its last
    snapshot before this month began: the CSV is anyone's to download every night, and a
    figure that moved by 1–4 between two nights would give a small count back, so a month is
    published once it has ended (itda 기본값 — 운영지침 확인 필요). The national row, then every
    operating group of the programme (a group with no rows yet reads 0 throughout)."""
    this_month = timezone.localdate().replace(day=1)
    latest = dict(
        KpiSnapshot.objects.filter(day__lt=this_month)
        .values("programme")
        .annotate(day=Max("day"))
        .values_list("programme", "day")
    )
    counts: dict[tuple, dict[str, int]] = {}
    rows = KpiSnapshot.objects.filter(
        day__in=set(latest.values()),
        track__isnull=True,
        region__isnull=True,
        company_kind="",
        complex__isnull=True,
    ).values_list("programme", "day", "operating_group", "stage", "value")
    for programme, day, group, stage, value in rows:
        if latest[programme] == day:
            counts.setdefault((programme, group), {})[stage] = value
    groups = OperatingGroup.objects.filter(programme__in=list(latest)).order_by("zone", "pk")
    units = []
    for programme in Programme.objects.filter(pk__in=list(latest)).order_by("code"):
        day = latest[programme.pk]
        units.append((day, programme, None, counts.get((programme.pk, None), {})))
        units += [
            (day, programme, g, counts.get((programme.pk, g.pk), {}))
            for g in groups
            if g.programme_id == programme.pk
        ]
    return units


def _etag(request) -> str:
    marks = KpiSnapshot.objects.aggregate(day=Max("day"), at=Max("taken_at"))
    return hashlib.sha256(f"{marks['day']}|{marks['at']}".encode()).hexdigest()[:32]


def _hidden(units: list[tuple]) -> tuple[dict, set]:
    """Every count of the CSV and the ones it withholds: 1–4; a second cell wherever the
    national row (the sum of its groups) would give a withheld group's count back; and a count
    1–4 away from the one the CSV showed at the end of an earlier month (each month's last
    snapshot, lib.suppression.series_suppressed), so two downloads a month apart do not give
    a small increase back."""
    values = {
        (programme.pk, group and group.pk, stage): counts.get(stage, 0)
        for _day, programme, group, counts in units
        for stage in COUNTED
    }
    programmes: dict[Programme, tuple] = {}
    for day, programme, group, _counts in units:
        members = programmes.setdefault(programme, (day, []))[1]
        if group is not None:
            members.append(group.pk)
    hidden = set()
    for programme, (day, members) in programmes.items():
        earlier = month_ends(snapshot_days(programme, day.replace(day=1) - datetime.timedelta(1)))
        points = [
            {
                (programme.pk, group, stage): cells.get((group, None, None), {}).get(stage, 0)
                for group in (None, *members)
                for stage in COUNTED
            }
            for cells in total_cells(programme, earlier).values()
        ]
        points.append({k: v for k, v in values.items() if k[0] == programme.pk})
        sums = [
            ((programme.pk, None, stage), [(programme.pk, g, stage) for g in members])
            for stage in COUNTED
        ]
        hidden |= series_suppressed(points, sums)[-1]
    return values, hidden


def kpi_csv_text() -> str:
    """The CSV (without BOM): counts then KPIs, per programme, national row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    units = _latest_units()
    values, hidden = _hidden(units)
    for day, programme, group, counts in units:
        unit = ("전국", "") if group is None else ("사업단", group.name)
        head = (f"{day:%Y-%m-%d}", programme.code, programme.name, *unit)
        withheld = set()
        for stage in COUNTED:
            cell = (programme.pk, group and group.pk, stage)
            shown = shown_value(cell, values, hidden)
            note = {SUPPRESSED: SUPPRESSED_NOTE, WITHHELD: SUM_NOTE}.get(shown, "")
            if cell in hidden:
                withheld.add(stage)
            writer.writerow((*head, "인원", stage, STAGE[stage].label, shown, "", note))
        for kpi in kpi_values(counts, suppress=True, hidden=withheld):
            note = WITHHELD_NOTE if kpi.suppressed else "" if kpi.rate is not None else NO_BASE_NOTE
            rate = "" if kpi.rate is None else f"{kpi.rate:.1f}"
            writer.writerow((*head, "지표", kpi.kpi.key, kpi.kpi.name, rate, kpi.kpi.formula, note))
    return out.getvalue()


@login_not_required
@require_GET
@condition(etag_func=_etag)
def kpi_csv(request):
    """공개 CSV: UTF-8 with a BOM (Excel in Korea reads it as UTF-8 only with one)."""
    response = HttpResponse("\ufeff" + kpi_csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="itda-kpis.csv"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
