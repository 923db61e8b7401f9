"""In a real browser: every role logs in through the real forms (TOTP where required) and sees
its own home page; an anonymous visitor opens a 대개조 plan and sees its targets."""

import pytest

from itda import factories
from itda.browser_tests.helpers import assert_no_external_requests, screenshot
from itda.conftest import totp_now
from itda.programs.models import TransformationPlan
from itda.programs.services import reference_load

pytestmark = pytest.mark.browser

HOME = {
    "admin": ("/operator/", "전담기관 운영자 홈"),
    "seoul_staff": ("/group/", "수도권 사업단"),
    "company": ("/company/", "기업 담당자 홈"),
    "trainee": ("/trainee/", "내 정보"),
    "evaluator": ("/evaluator/", "배정된 평가"),
    "viewer": ("/viewer/", "사업 현황"),
}


@pytest.mark.parametrize("who", sorted(HOME))
def test_role_logs_in_and_sees_its_home(page, live_url, cast, who):
    user = cast[who]
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="로그인").click()
    if user.needs_second_factor:
        page.wait_for_url("**/accounts/otp/**")
        page.get_by_label("인증번호 (6자리)").fill(totp_now(user.totpdevice_set.get()))
        page.get_by_role("button", name="확인").click()
    url, text = HOME[who]
    page.wait_for_url(f"**{url}")
    assert text in page.locator("main").inner_text()
    assert_no_external_requests(page)
    screenshot(page, f"home-{who}.png")


def test_anonymous_visitor_reads_a_plan_with_its_targets(page, live_url):
    reference_load()
    busan = TransformationPlan.objects.get(region__short_name="부산", round_year=2021)
    page.goto(f"{live_url}/reference/plans/{busan.pk}/")
    main = page.locator("main")
    text = main.inner_text()
    assert "스마트 그린 모빌리티" in text
    assert "5조" in text and "1.3조" in text  # body and annex disagree: both shown
    assert main.locator("svg").count() >= 1
    assert "명지" in main.locator("svg").first.inner_html()
    assert_no_external_requests(page)
    screenshot(page, "plan-busan.png")


def test_viewer_sees_aggregates_as_a_chart_and_no_personal_data(page, live_url, cast):
    from itda.browser_tests.helpers import assert_no_console_errors, login

    login(page, cast["viewer"])
    page.goto(f"{live_url}/viewer/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-itda-chart]'))"
    )
    bars = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-itda-chart]'))"
        ".data.datasets.map(d => d.data)"
    )
    # The cast's one company and one trainee, both in Seoul: under 5, so left out of the chart
    # (null) and shown as "<5" in the table beside it.
    assert all(value in (0, None) for data in bars for value in data)
    assert all(None in data for data in bars)
    assert "<5" in page.locator("main table").inner_text()
    assert "홍길" not in page.locator("main").inner_text()  # trainee names never appear
    assert_no_console_errors(page)
    screenshot(page, "home-viewer-chart.png")
