"""In Chromium, from each home page by clicking only (no typed URL but the home page): the
operator opens the 성과 지표 dashboard, a 산단 대개조 plan's outcomes (plan → 「스마트제조
고급인력 양성」 → trained → placed → hired) and downloads this month's national report as a
PDF and an Excel workbook (real files, the national row's counts the same in both); the
ministry viewer's dashboard shows "<5" and no person; a group's staff see their own region's
dashboard. One world (the plan outcomes' world: the KPI cast in the plan's hub complex)."""

import io
import re

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser,
    live_url,
    page,
)
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login_only,
    screenshot,
)
from itda.outcomes.reports import H_FUNNEL
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.test_plan_outcomes import world  # noqa: F401 - the shared world
from itda.outcomes.tests.test_reports import _sheets, _words
from itda.programs.models import Trainee

pytestmark = pytest.mark.browser


def _home(tab, user, where: str) -> None:
    login_only(tab, user)
    tab.goto("/home/")
    tab.wait_for_url(f"**/{where}/")


def _download(tab, link) -> bytes:
    with tab.expect_download() as download:
        link.click()
    return open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115 - playwright's path


def test_each_role_walks_from_home_to_its_outcomes(  # noqa: F811
    page,  # noqa: F811
    world,  # noqa: F811
    admin,
    viewer,
    seoul_staff,
    pdf_engine,
):
    kpi_snapshot_take(day=timezone.localdate())
    names = list(Trainee.objects.values_list("name", flat=True))

    # The operator: dashboard, then the plan's outcomes, then the monthly report.
    _home(page, admin, "operator")
    page.get_by_role("link", name="성과 지표", exact=True).click()
    expect(page.get_by_test_id("funnel-totals")).to_contain_text("전국")
    screenshot(page, "outcomes-walk-operator-dashboard.png")
    page.go_back()
    page.get_by_role("link", name="산단 대개조 계획 — 단계·진척").click()
    page.get_by_role("link", name="교육 → 연계 → 채용").first.click()
    page.wait_for_url(f"**/plans/{world['plan'].pk}/outcomes/")
    expect(page.locator("main")).to_contain_text(world["training"].name)
    row = page.locator("tr", has=page.locator('[data-stage="enrolled"]')).first
    stages = {
        stage: row.locator(f'[data-stage="{stage}"]').inner_text()
        for stage in ("enrolled", "completed", "placed", "hired_3m", "hired_6m")
    }
    assert stages == {
        "enrolled": "10",
        "completed": "8",
        "placed": "6",
        "hired_3m": "3",
        "hired_6m": "2",
    }
    screenshot(page, "outcomes-walk-plan-outcomes.png")
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="월간 성과 보고서").click()
    national = page.get_by_test_id("report-list").locator("tbody tr").first.locator("td").first
    pdf = _download(page, national.get_by_role("link", name="PDF"))
    xlsx = _download(page, national.get_by_role("link", name="엑셀"))
    assert pdf.startswith(b"%PDF-")
    text = _words(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    funnel = _sheets(xlsx)[H_FUNNEL]
    assert funnel[0][0] == "전국" and funnel[0][2] == 10  # 모집: the cast's ten
    assert H_FUNNEL in text
    assert _words(" ".join(str(v) for v in funnel[0] if v not in (None, ""))) in text
    screenshot(page, "outcomes-walk-reports.png")

    # The ministry viewer: totals with "<5", and nobody's name.
    _home(page, viewer, "viewer")
    page.get_by_role("link", name=re.compile(r"^성과 지표\(")).click()
    totals = page.get_by_test_id("funnel-totals")
    expect(totals).to_contain_text("<5")
    content = page.content()
    assert not [name for name in names if name in content]
    assert page.get_by_test_id("funnel-tracks").count() == 0
    screenshot(page, "outcomes-walk-viewer-dashboard.png")

    # A group's staff: their own group, no national total, no other group.
    _home(page, seoul_staff, "group")
    page.get_by_role("link", name="우리 사업단 성과 지표").click()
    totals = page.get_by_test_id("funnel-totals")
    expect(totals).to_contain_text("수도권 사업단")
    expect(totals).not_to_contain_text("전국")
    expect(page.locator("main")).not_to_contain_text("동남권")
    screenshot(page, "outcomes-walk-group-dashboard.png")
    assert_no_external_requests(page)
    assert_no_console_errors(page)
