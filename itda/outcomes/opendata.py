"""공공데이터: the programme's national and per-group aggregates as a CSV anyone may download
(issue 14 §5), documented in docs/open-data.md. It reads the latest nightly snapshot only,
never the pipeline's rows, so a public hit costs one small query; it is suppressed as the
ministry viewer's pages are (1–4 shown as "<5", rates built on them withheld) and holds
nothing finer than an operating group (no track, no 시·도, no person)."""

from __future__ import annotations

import csv
import hashlib
import io

from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from itda.lib.suppression import is_suppressed, shown_count
from itda.outcomes.kpis import FUNNEL, STAGE, kpi_values
from itda.outcomes.models import KpiSnapshot

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
WITHHELD_NOTE = "분자 또는 분모가 5명 미만이라 비공개"
NO_BASE_NOTE = "분모가 0이라 산출하지 않음"
MAX_AGE = 60 * 60  # the snapshot changes nightly


def _latest_rows():
    """Each programme's latest snapshot day's national and group rows."""
    latest = KpiSnapshot.objects.values("programme").annotate(day=Max("day"))
    days = {row["programme"]: row["day"] for row in latest}
    rows = KpiSnapshot.objects.filter(track__isnull=True, region__isnull=True).select_related(
        "programme", "operating_group"
    )
    return [r for r in rows.filter(day__in=set(days.values())) if days[r.programme_id] == r.day]


def _etag(request) -> str:
    marks = KpiSnapshot.objects.aggregate(day=Max("day"), at=Max("taken_at"))
    return hashlib.sha256(f"{marks['day']}|{marks['at']}".encode()).hexdigest()[:32]


def kpi_csv_text() -> str:
    """The CSV (without BOM): counts then KPIs, per programme, national row first."""
    cells: dict[tuple, dict[str, int]] = {}
    for row in _latest_rows():
        key = (row.day, row.programme, row.operating_group)
        cells.setdefault(key, {})[row.stage] = row.value
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    order = sorted(
        cells, key=lambda k: (k[1].code, k[2] is not None, k[2] and k[2].zone, k[2] and k[2].pk)
    )
    for day, programme, group in order:
        counts = cells[(day, programme, group)]
        unit = ("전국", "") if group is None else ("사업단", group.name)
        head = (f"{day:%Y-%m-%d}", programme.code, programme.name, *unit)
        for stage in COUNTED:
            value = counts.get(stage, 0)
            note = SUPPRESSED_NOTE if is_suppressed(value) else ""
            writer.writerow(
                (*head, "인원", stage, STAGE[stage].label, shown_count(value), "", note)
            )
        for kpi in kpi_values(counts, suppress=True):
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
