"""In Chromium on a 390 px phone: staff open the cohort's 출결 현황 from the cohort page; the heat
map scrolls sideways inside its own box while the page itself does not."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser,
    live_url,
    phone_page,
)
from itda.browser_tests.helpers import assert_no_console_errors, login, screenshot

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_heat_map_scrolls_in_its_box_on_a_phone(phone_page, seoul_staff, running_cohort):  # noqa: F811
    page, cohort = phone_page, running_cohort["cohort"]
    later = timezone.localdate() + datetime.timedelta(days=4)
    factories.sessions(cohort=cohort, days=[later + datetime.timedelta(days=i) for i in range(8)])
    login(page, seoul_staff)
    page.goto(f"/training/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="출결 현황(차시별 표)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("출결 현황")
    expect(page.get_by_test_id("heat-row")).to_have_count(2)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    box = page.locator(".itda-heat-wrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside
    screenshot(page, "attendance-heatmap-390.png")
    assert_no_console_errors(page)
