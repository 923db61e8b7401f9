"""The monthly report: one set of figures in three files. The HWPX passes python-hwpx's
KS X 6101 validator and reads back with its Hangul headings; the PDF's text holds every number
of the Excel workbook; the viewer's copy is suppressed; a group reads its own report only."""

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdf
import pytest
from django.http import Http404
from django.utils import timezone

from itda import factories
from itda.internships.models import Placement, Position
from itda.outcomes import reports
from itda.outcomes.opendata import kpi_csv_text
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast

pytestmark = pytest.mark.django_db

HEADINGS = (reports.H_FUNNEL, reports.H_KPIS, reports.H_DEFINITIONS, reports.H_BASIS)


def _figures(regions, user, scope=reports.NATIONAL_SCOPE):
    return reports.report_figures(
        user=user, programme=regions["programme"], month=timezone.localdate(), scope=scope
    )


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in book}


def _hwpx_text(data: bytes) -> str:
    from hwpx import HwpxDocument

    return _words(HwpxDocument.open(io.BytesIO(data)).text.plain())


def test_hwpx_passes_the_validator_and_reads_back_its_headings(regions, admin, tmp_path):
    build_cast(regions, admin)
    figures = _figures(regions, admin)
    path = tmp_path / "report.hwpx"
    path.write_bytes(reports.report_hwpx(figures))
    validator = Path(sys.executable).parent / "hwpx-validate"
    run = subprocess.run([validator, path], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All schema validations passed" in run.stdout
    text = _hwpx_text(path.read_bytes())
    for heading in (figures.title, *HEADINGS):
        assert heading in text
    assert "수료 8 ÷ 수강 10 × 100" in text  # the table cells came along


def test_the_pdf_holds_the_same_numbers_as_the_excel(regions, admin, pdf_engine):
    build_cast(regions, admin)
    figures = _figures(regions, admin)
    sheets = _sheets(reports.report_xlsx(figures))
    pdf = pypdf.PdfReader(io.BytesIO(reports.report_pdf(figures)))
    text = _words(" ".join(page.extract_text() for page in pdf.pages))
    for heading in HEADINGS:
        assert heading in text
    funnel = sheets[reports.H_FUNNEL]
    assert funnel[0][:11] == ("전국", None, 10, 10, 10, 8, 6, 5, 3, 2, 0)
    for row in funnel:  # every count of every row, in the PDF's row in the same order
        assert _words(" ".join(str(v) for v in row if v not in (None, ""))) in text
    rates = [row[2] for row in sheets[reports.H_KPIS]]
    assert {"80.0%", "10.0%", "75.0%", "37.5%", "25.0%", "66.7%"} <= set(rates)
    for label, name, rate, _formula in sheets[reports.H_KPIS]:
        assert f"{label} {name} {rate}" in text


def test_the_viewers_report_is_suppressed_in_every_format(regions, admin, viewer, pdf_engine):
    build_cast(regions, admin)
    figures = _figures(regions, viewer)
    funnel = _sheets(reports.report_xlsx(figures))[reports.H_FUNNEL]
    # Totals only (national, then each group), hires of 3 and 2 shown as <5.
    assert [row[0] for row in funnel] == ["전국", "수도권 사업단", "동남권 사업단"]
    assert funnel[0][8:10] == ("<5", "<5")
    pdf = pypdf.PdfReader(io.BytesIO(reports.report_pdf(figures)))
    pdf_text = _words(" ".join(p.extract_text() for p in pdf.pages))
    hwpx_text = _hwpx_text(reports.report_hwpx(figures))
    for text in (pdf_text, hwpx_text):
        assert "채용 3개월 <5 ÷ 수료 8 × 100" in text
        for hidden in ("37.5%", "25.0%", "66.7%", "채용 3개월 3 ÷"):
            assert hidden not in text


def test_a_group_reads_its_own_report_only(regions, admin, seoul_staff, busan_staff):
    build_cast(regions, admin)
    capital = str(regions["capital_group"].pk)
    with pytest.raises(Http404):
        _figures(regions, busan_staff, scope=capital)
    with pytest.raises(Http404):
        _figures(regions, seoul_staff)  # no national report for a group
    own = _figures(regions, seoul_staff, scope=capital)
    labels = [row[0] for row in own.tables[0].rows]
    assert labels[0] == "수도권 사업단" and "동남권 사업단" not in labels and "전국" not in labels
    assert "시·도 · 서울특별시" in labels  # the group's own detail, unsuppressed
    assert own.tables[0].rows[0][8] == 3


def test_the_downloads_answer_each_format_and_refuse_another_group(
    regions, admin, busan_staff, login_as
):
    build_cast(regions, admin)
    code, month = regions["programme"].code, f"{timezone.localdate():%Y-%m}"
    client = login_as(admin)
    listing = client.get("/kpis/reports/")
    assert listing.status_code == 200
    assert f"/kpis/reports/{code}/{month}/national.xlsx" in listing.content.decode()
    for fmt, magic in (("xlsx", b"PK"), ("hwpx", b"PK")):
        response = client.get(f"/kpis/reports/{code}/{month}/national.{fmt}")
        assert response.status_code == 200 and response.content.startswith(magic)
        assert f"national.{fmt}" in response["Content-Disposition"]
    busan = login_as(busan_staff, the_client=type(client)())
    capital = regions["capital_group"].pk
    assert busan.get(f"/kpis/reports/{code}/{month}/{capital}.xlsx").status_code == 404
    assert busan.get(f"/kpis/reports/{code}/{month}/national.xlsx").status_code == 404
    assert busan.get(f"/kpis/reports/{code}/2026-13/national.xlsx").status_code == 404


def test_the_viewers_pdf_download_is_suppressed(regions, admin, viewer, login_as, pdf_engine):
    build_cast(regions, admin)
    code, month = regions["programme"].code, f"{timezone.localdate():%Y-%m}"
    response = login_as(viewer).get(f"/kpis/reports/{code}/{month}/national.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    text = _words(" ".join(page.extract_text() for page in pdf.pages))
    assert "전국" in text and "채용 3개월 <5 ÷ 수료 8 × 100" in text
    assert "37.5%" not in text


def test_the_viewer_cannot_subtract_a_group_back_from_the_national_total(regions, viewer):
    """전국 103 = 수도권 100 + 동남권 3: with 3 shown as <5, 100 is withheld too, in the national
    report and in the group's own."""
    from itda.outcomes.models import KpiSnapshot

    day = reports.month_day(timezone.localdate().replace(day=1), timezone.localdate())
    for group, value in (
        (None, 103),
        (regions["capital_group"], 100),
        (regions["dongnam_group"], 3),
    ):
        KpiSnapshot.objects.create(
            day=day,
            programme=regions["programme"],
            operating_group=group,
            stage="enrolled",
            value=value,
        )
    enrolled = 1 + reports.FUNNEL.index("enrolled") + 1  # after 구분 and 선발 목표
    national = {row[0]: row[enrolled] for row in _figures(regions, viewer).tables[0].rows}
    assert national == {"전국": 103, "수도권 사업단": "비공개", "동남권 사업단": "<5"}
    own = _figures(regions, viewer, scope=str(regions["capital_group"].pk)).tables[0].rows
    assert own[0][enrolled] == "비공개"


def test_a_stored_day_reads_its_totals_not_a_company_kinds_cell(regions, admin):
    # Two of the six placements move to a 제조AI company: the kind cells hold 4 and 2 on the
    # same (no group, no track, no 시·도) cell as the national 6 — the report and the CSV read
    # from the stored day must still say 6.
    people = build_cast(regions, admin)
    other = Position.objects.get(placements__trainee=people[0])
    other.pk = None
    other.company = factories.CompanyFactory(region=regions["seoul"], kind="ai_supplier")
    other.save()
    Placement.objects.filter(trainee__in=people[:2]).update(position=other)
    kpi_snapshot_take(day=timezone.localdate())
    placed = 2 + reports.FUNNEL.index("placed")  # after 구분 and 선발 목표
    assert _figures(regions, admin).tables[0].rows[0][placed] == 6
    # The CSV publishes ended months: the same figures stored on last month's last day.
    kpi_snapshot_take(day=timezone.localdate().replace(day=1) - datetime.timedelta(days=1))
    assert ",전국,,인원,placed,연계,6,," in kpi_csv_text()
