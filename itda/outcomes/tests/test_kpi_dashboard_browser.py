"""In Chromium: the viewer's 성과 지표 page draws every chart from the locally served Chart.js
(nothing fetched from elsewhere, no console error), the history's lines differ in point shape
and dash (readable without colour), and the withheld counts are not drawn."""

import pytest
from django.utils import timezone

from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser,
    live_url,
    page,
)
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast

pytestmark = pytest.mark.browser


def test_the_viewer_sees_every_chart_drawn_without_colour_alone(page, regions, admin, viewer):  # noqa: F811
    build_cast(regions, admin)
    kpi_snapshot_take(day=timezone.localdate())
    login(page, viewer)
    page.goto("/kpis/")
    canvases = page.locator("canvas[data-itda-chart]")
    n = canvases.count()
    assert n >= 5  # funnel, totals, 권역, 시·도, history
    page.wait_for_function(
        "n => window.Chart && [...document.querySelectorAll('canvas[data-itda-chart]')]"
        ".filter(c => Chart.getChart(c)).length === n",
        arg=n,
    )
    history = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-itda-chart=\"kpi-history-chart\"]'))"
        ".data.datasets.map(d => [d.pointStyle, JSON.stringify(d.borderDash)])"
    )
    assert len({style for style, _ in history}) == len(history) == 8
    bars = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-itda-chart=\"kpi-funnel-chart\"]'))"
        ".data.datasets[0].data"
    )
    assert bars == [10, 10, 10, 8, 6, 5, None, None]  # 채용 3 and 2: withheld, not drawn
    assert_no_console_errors(page)
    assert_no_external_requests(page)
    screenshot(page, "kpi-dashboard-viewer.png")
