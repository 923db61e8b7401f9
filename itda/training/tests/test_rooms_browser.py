"""In Chromium: staff add a session through the cohort page's '차시 추가' form, a second session
over the same slot in another cohort is refused in Korean, and the venue's week shows the
booking."""

import datetime

import pytest

from itda import factories
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
from itda.training.models import RoomBooking, Session

pytestmark = pytest.mark.browser


def _add_session(page, cohort, title):  # noqa: F811
    page.goto(f"/training/cohorts/{cohort.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="저장"))
    form.get_by_label("차시 내용").fill(title)
    form.get_by_label("날짜").fill("2026-07-02")
    form.get_by_label("시작 시각").fill("10:00")
    form.get_by_label("종료 시각").fill("12:00")
    form.get_by_label("교육장 공간").select_option(label="테스트 교육장 강의·교육장")
    form.get_by_label("강사명").fill("김강사")
    form.get_by_role("button", name="저장").click()


def test_staff_add_a_session_and_cannot_double_book_the_room(page, seoul_staff, regions):  # noqa: F811
    group, track = regions["capital_group"], regions["track"]
    first = factories.cohort(group=group, track=track, code="T1-A")
    second = factories.cohort(group=group, track=track, code="T1-B")
    room = factories.room(region=regions["seoul"], name="강의·교육장")
    login(page, seoul_staff)

    _add_session(page, first, "PLC 기초")
    page.wait_for_url(f"**/training/cohorts/{first.pk}/")
    assert "1차시를 추가했습니다." in page.locator("main").inner_text()
    assert "PLC 기초" in page.get_by_test_id("session-row").inner_text()

    _add_session(page, second, "MES 실습")
    alert = page.locator("main [role=alert]")
    assert "선택한 공간은 10:00–12:00에 이미" in alert.inner_text()
    assert Session.objects.count() == 1 and RoomBooking.objects.count() == 1
    screenshot(page, "training-session-overlap.png")

    page.goto(f"/training/venues/{room.venue_id}/?week={datetime.date(2026, 7, 2)}")
    assert "10:00–12:00" in page.get_by_test_id("booking-approved").inner_text()
    screenshot(page, "training-venue-week.png")
    assert_no_console_errors(page)
    assert_no_external_requests(page)
