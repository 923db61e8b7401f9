"""Differencing across months (lib.suppression.series_suppressed, docs/open-data.md): with the
cast stored at last month's end (8 completed) and one more completion stored today (9), this
month minus last month would give the 1 back. The viewer's dashboard (today's figures and the
monthly history) and this month's report withhold today's 수료 and the rates built on it, while
last month's 8 stays shown; the operator sees 9. (The open-data CSV publishes ended months
only; its own test walks two of them: test_opendata.)"""

import datetime
import re

import pytest
from django.utils import timezone

from itda.outcomes.reports import report_figures
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast
from itda.training.models import Enrollment

pytestmark = pytest.mark.django_db

# The 수료 column of a funnel row: 모집, 선발, 수강, then 수료.
COMPLETED = 3


@pytest.fixture
def months(regions, admin):
    build_cast(regions, admin)
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    kpi_snapshot_take(day=last_month_end)
    Enrollment.objects.filter(status="not_completed").update(status="completed")
    kpi_snapshot_take(day=today)
    return today, last_month_end


def _row(table: str, label: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{label}</th>(.*?)</tr>", table)
    return re.findall(r"<td>(.*?)</td>", row[1])


def test_the_viewers_dashboard_withholds_a_small_monthly_increase(months, admin, viewer, login_as):
    today, last_month_end = months
    page = re.sub(r"\s+", " ", login_as(viewer).get("/kpis/").content.decode())
    totals = page[page.index('data-testid="funnel-totals"') :]
    assert _row(totals, "전국")[COMPLETED] == "비공개"
    assert _row(totals, "수도권 사업단")[COMPLETED] == "비공개"
    assert "80.0%" not in page and "90.0%" not in page  # 수료율 on a withheld 수료
    history = page[page.index('data-testid="kpi-history"') :]
    # The history row's cells: 구분, then the funnel.
    assert _row(history, f"{today:%Y-%m-%d}")[1 + COMPLETED] == "비공개"
    assert _row(history, f"{last_month_end:%Y-%m-%d}")[1 + COMPLETED] == "8"
    assert "직전에 공개한 달의 값과 1~4명 차이" in page
    assert "itda 기본값 — 운영지침 확인 필요" in page
    operator = re.sub(r"\s+", " ", login_as(admin).get("/kpis/").content.decode())
    operator_totals = operator[operator.index('data-testid="funnel-totals"') :]
    assert _row(operator_totals, "전국")[COMPLETED] == "9"
    assert "수료 9 ÷ 수강 10 × 100" in operator


def test_the_viewers_reports_withhold_it_too(months, regions, viewer):
    today, last_month_end = months
    programme = regions["programme"]
    this_month = report_figures(user=viewer, programme=programme, month=today)
    last_month = report_figures(user=viewer, programme=programme, month=last_month_end)
    # The funnel table's rows: 구분, 선발 목표, then the funnel.
    assert this_month.tables[0].rows[0][2 + COMPLETED] == "비공개"
    assert last_month.tables[0].rows[0][2 + COMPLETED] == 8
    assert any("직전에 공개한 달의 값과 1~4명 차이" in note for note in this_month.notes)
