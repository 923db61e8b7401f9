"""In a real browser: staff add today's session on the cohort page → a trainee opens the QR link
on a phone, logs in and checks in → staff open the roll-call and see them as 출석, then mark
another trainee with one click (htmx swaps the row, no reload)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    record_requests,
    screenshot,
)
from itda.conftest import totp_now
from itda.programs.models import Trainee
from itda.training import attendance as svc
from itda.training.models import Attendance, Session

pytestmark = pytest.mark.browser


@pytest.fixture
def cohort_now(regions, trainee):
    today = timezone.localdate()
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=20),
    )
    factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    classmate = factories.TraineeFactory(region=regions["seoul"], name="김동료")
    factories.enrollment(cohort=cohort, trainee=classmate)
    return cohort


def _session_times() -> tuple[str, str]:
    """Start a few minutes ago and end later today (KST), as HH:MM for the form."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - datetime.timedelta(minutes=3), midnight)
    end = min(now + datetime.timedelta(hours=3), midnight.replace(hour=23, minute=59))
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def test_staff_add_a_session_a_trainee_checks_in_by_phone_and_the_roll_call_shows_them(
    browser, live_url, phone_page, cast, cohort_now
):
    trainee = cast["trainee"]
    name = Trainee.objects.get(user=trainee).name

    # Staff sign in (password + TOTP) and add today's session on the cohort page.
    staff = cast["seoul_staff"]
    context = browser.new_context(base_url=live_url, locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    record_requests(page, live_url)
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(staff.username)
    page.get_by_label("비밀번호").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="로그인").click()
    page.wait_for_url("**/accounts/otp/**")
    page.get_by_label("인증번호 (6자리)").fill(totp_now(staff.totpdevice_set.get()))
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state()
    page.goto(f"/training/cohorts/{cohort_now.pk}/")
    starts, ends = _session_times()
    form = page.locator("form", has=page.get_by_role("button", name="저장"))
    form.get_by_label("차시 내용").fill("스마트공장 운영 기초")
    form.get_by_label("날짜").fill(timezone.localdate().isoformat())
    form.get_by_label("시작 시각").fill(starts)
    form.get_by_label("종료 시각").fill(ends)
    form.get_by_role("button", name="저장").click()
    expect(page.get_by_test_id("session-row")).to_contain_text("스마트공장 운영 기초")
    session_now = Session.objects.get(cohort=cohort_now)

    # The code the room's screen shows now, opened as a phone camera would (not logged in).
    link = urlsplit(svc.qr_url(session=session_now, now=timezone.now())).path
    phone = phone_page
    phone.goto(link)
    phone.wait_for_url("**/accounts/login/**")
    phone.get_by_label("아이디").fill(trainee.username)
    phone.get_by_label("비밀번호").fill(factories.PASSWORD)
    phone.locator("main").get_by_role("button", name="로그인").click()
    phone.wait_for_url(f"**{link}?ticket=*")
    expect(phone.locator("main")).to_contain_text("스마트공장 운영 기초")
    button = phone.get_by_role("button", name="입실하기")
    box = button.bounding_box()
    assert box["width"] >= 250 and box["height"] >= 56  # a big target on a 390 px screen
    button.click()
    expect(phone.locator("main h1")).to_have_text("입실 완료")
    expect(phone.get_by_test_id("state")).to_have_text("출석")
    screenshot(phone, "attendance-checked-in-phone.png")
    assert Attendance.objects.get(session=session_now).source == "qr"
    assert_no_external_requests(phone)

    # Staff, still signed in, open the room's screen and the roll-call.
    # The room's screen: a big QR code and the headcount, refreshed by htmx; nothing the CSP
    # refuses (no inline script or style).
    page.goto(f"/training/sessions/{session_now.pk}/qr/")
    expect(page.get_by_test_id("headcount")).to_contain_text("1 / 2명 입실")
    assert page.locator("svg.itda-qr-svg").bounding_box()["width"] >= 300
    screenshot(page, "attendance-qr.png")
    page.goto(f"/training/sessions/{session_now.pk}/roll-call/")
    expect(page.get_by_test_id(f"roll-{name}").get_by_test_id("status")).to_have_text("출석")
    # One click marks the classmate absent; htmx swaps only that row (the page is not reloaded).
    page.evaluate("window.itdaNotReloaded = true")
    page.get_by_role("button", name="김동료 결석").click()
    expect(page.get_by_test_id("roll-김동료").get_by_test_id("status")).to_have_text("결석")
    assert page.evaluate("window.itdaNotReloaded") is True
    screenshot(page, "attendance-roll-call.png")
    row = Attendance.objects.get(session=session_now, enrollment__trainee__name="김동료")
    assert (row.status, row.source, row.recorded_by) == ("absent", "roll_call", staff)
    assert_no_external_requests(page)
    assert_no_console_errors(page)
    assert_no_console_errors(phone)
    context.close()
