"""In Chromium, starting from the home page only (no typed URLs): operating-group staff take the
roll-call of today's session, and a trainee on a phone finds the interview set with them and
opens their training."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser,
    live_url,
    page,
    phone_page,
)
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.matching.models import Interview, MatchRound, RoundStatus
from itda.outcomes.tests.home_world import position_of
from itda.programs.models import Company, Trainee
from itda.training.models import Attendance

pytestmark = pytest.mark.browser


@pytest.fixture
def today_cohort(regions, trainee):
    cohort, _ = factories.running_cohort(
        group=regions["capital_group"], track=regions["track"], days_held=2, days_left=5
    )
    (session,) = factories.sessions(
        cohort=cohort, days=[timezone.localdate()], start=(0, 0), end=(23, 59)
    )
    factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    classmate = factories.TraineeFactory(region=regions["seoul"], name="김동료")
    factories.enrollment(cohort=cohort, trainee=classmate)
    return session


def test_staff_take_todays_roll_call_from_their_home(page, cast, today_cohort):  # noqa: F811
    staff = cast["seoul_staff"]
    login(page, staff)
    page.goto("/home/")
    page.wait_for_url("**/group/")
    today = page.get_by_test_id("sessions-today")
    expect(today).to_contain_text(f"{today_cohort.number}차시")
    screenshot(page, "home-group-staff.png")
    today.get_by_role("link", name="호명 출석").click()
    page.get_by_role("button", name="김동료 결석").click()
    expect(page.get_by_test_id("roll-김동료").get_by_test_id("status")).to_have_text("결석")
    row = Attendance.objects.get(session=today_cohort, enrollment__trainee__name="김동료")
    assert (row.status, row.recorded_by) == ("absent", staff)
    screenshot(page, "home-group-staff-roll-call.png")
    assert_no_external_requests(page)
    assert_no_console_errors(page)


def test_a_trainee_finds_the_interview_and_opens_their_training_on_a_phone(  # noqa: F811
    phone_page,  # noqa: F811
    cast,
    regions,
    today_cohort,
):
    me = Trainee.objects.get(user=cast["trainee"])
    company = Company.objects.get(managers=cast["company"])
    position = position_of(
        company, regions["seoul"], regions["track"], "설비 인턴", "published", cast["company"]
    )
    round_ = MatchRound.objects.create(
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="1차 연계",
        trainee_deadline=timezone.now() + datetime.timedelta(days=2),
        company_deadline=timezone.now() + datetime.timedelta(days=4),
        status=RoundStatus.OPEN,
        created_by=cast["admin"],
    )
    Interview.objects.create(
        round=round_,
        position=position,
        trainee=me,
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
        place="본사 2층 면접실",
        created_by=cast["company"],
    )
    login(phone_page, cast["trainee"])
    phone_page.goto("/home/")
    phone_page.wait_for_url("**/trainee/")
    interviews = phone_page.get_by_test_id("interviews")
    expect(interviews).to_contain_text("본사 2층 면접실")
    expect(interviews).to_contain_text(company.name)
    width = phone_page.viewport_size["width"]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(phone_page, "home-trainee-phone.png")
    phone_page.get_by_role("link", name="내 교육 일정·출석 보기").click()
    phone_page.wait_for_url("**/trainee/training/")
    expect(phone_page.locator("main h1")).to_have_text("내 교육")
    expect(phone_page.locator("main")).to_contain_text(f"{today_cohort.cohort.number}기")
    screenshot(phone_page, "home-trainee-training-phone.png")
    assert_no_external_requests(phone_page)


def test_an_evaluator_withdraws_a_declared_conflict_from_their_home(page, cast, regions):  # noqa: F811
    from itda.evaluation import services
    from itda.evaluation.models import ConflictOfInterest, Evaluator

    call = factories.call(programme=regions["programme"], title="스마트공장 기업 모집")
    application = factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"])
    )
    conflict = services.conflict_declare(
        evaluator=Evaluator.objects.get(user=cast["evaluator"]),
        application=application,
        note="신청 기업 자문",
    )
    login(page, cast["evaluator"])
    page.goto("/home/")
    page.wait_for_url("**/evaluator/")
    declared = page.get_by_test_id("declared-conflicts")
    expect(declared).to_contain_text("신청 기업 자문")
    screenshot(page, "home-evaluator.png")
    page.once("dialog", lambda dialog: dialog.accept())
    declared.get_by_role("button", name="신고 철회").click()
    expect(page.locator("main")).to_contain_text("이해충돌 신고를 철회했습니다")
    assert not ConflictOfInterest.objects.filter(pk=conflict.pk).exists()
    assert_no_console_errors(page)


def test_a_company_books_a_business_zone_room_from_its_home(page, cast, regions):  # noqa: F811
    from itda.programs.models import RoomKind
    from itda.training.models import RoomBooking

    factories.room(
        region=regions["seoul"], name="회의실 A", kind=RoomKind.MEETING, venue_name="비즈니스 존"
    )
    login(page, cast["company"])
    page.goto("/home/")
    page.wait_for_url("**/company/")
    screenshot(page, "home-company-queue.png")
    page.get_by_role("link", name="비즈니스 존 회의실 예약").click()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = page.locator("form", has=page.get_by_label("사용 목적"))
    form.get_by_label("날짜").fill(tomorrow.isoformat())
    form.get_by_label("시작 시각").fill("10:00")
    form.get_by_label("종료 시각").fill("11:00")
    form.get_by_label("사용 목적").fill("협력사 품질 회의")
    form.get_by_label("참석 인원").fill("5")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("회의실 사용을 신청했습니다")
    booking = RoomBooking.objects.get(purpose="협력사 품질 회의")
    assert booking.company.managers.filter(pk=cast["company"].pk).exists()
    assert_no_console_errors(page)


def test_the_operator_publishes_a_waiting_position_from_the_home(page, cast, regions):  # noqa: F811
    from itda.internships.models import Position

    company = Company.objects.get(managers=cast["company"])
    waiting = position_of(
        company, regions["seoul"], regions["track"], "품질 검사 인턴", "submitted", cast["company"]
    )
    login(page, cast["admin"])
    page.goto("/home/")
    page.wait_for_url("**/operator/")
    decisions = page.get_by_test_id("decisions")
    expect(decisions).to_contain_text("검토를 기다리는 인턴 자리 (1건)")
    screenshot(page, "home-operator-queue.png")
    decisions.get_by_role("link", name=f"{company.name} · 품질 검사 인턴").click()
    page.get_by_role("button", name="게시 승인").click()
    expect(page.locator("main")).to_contain_text("처리했습니다")
    assert Position.objects.get(pk=waiting.pk).status == "published"
    assert_no_console_errors(page)
