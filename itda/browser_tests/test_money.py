"""In a real browser at 375px (the narrowest common phone): the trainee reads their statements,
each amount's arithmetic step by step and where its payment stands, without sideways scrolling,
and downloads the paid month's confirmation."""

import pytest
from playwright.sync_api import expect

from itda.browser_tests.conftest import _close_page, _open_page
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.payments.tests.money_world import AUGUST, internship_record, statement
from itda.programs.models import Trainee

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
NARROW = {"width": 375, "height": 812}


def test_the_trainee_reads_their_money_on_a_375px_phone(browser, live_url, request, cast, regions):
    me = Trainee.objects.get(user=cast["trainee"])
    paid = statement(group=regions["capital_group"], trainee=me, state="paid", actor=cast["admin"])
    statement(
        group=regions["capital_group"],
        trainee=me,
        kind="internship_allowance",
        month=AUGUST,
        state="approved",
        record=internship_record(15),
        actor=cast["admin"],
    )
    context, page = _open_page(browser, live_url, request, viewport=NARROW, mobile=True)
    try:
        login(page, cast["trainee"])
        page.goto("/money/me/")
        expect(page.get_by_test_id("total-paid")).to_have_text("400,000원")
        expect(page.get_by_test_id("total-pending")).to_have_text("1,428,570원")
        # The newest month's arithmetic is open; the older one opens on a tap.
        expect(
            page.get_by_text("10원 미만 버림(국고금 관리법 제47조) → 1,428,570원")
        ).to_be_visible()
        older = page.locator(f'[data-statement="{paid.pk}"]')
        older.get_by_text("계산 과정 보기").click()
        expect(
            older.get_by_text("출석 인정 16차시 / 훈련 20차시 = 80% ≥ 80% → 400,000원")
        ).to_be_visible()
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        screenshot(page, "money-me-375.png")
        with page.expect_download() as download:
            older.get_by_role("link", name="지급 확인서 PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
        assert_no_external_requests(page)
        assert_no_console_errors(page)
    finally:
        _close_page(context, page, request, "-375")
