"""Linkage end to end in a real browser: a trainee ranks three positions, the company ranks its
applicants, staff run a dry run and publish, and the trainee sees where they are placed and why
not their first choice."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests.helpers import assert_no_external_requests, login_only, screenshot
from itda.matching import services
from itda.matching.models import MatchRun
from itda.matching.tests.conftest import make_position, past_deadlines
from itda.programs.models import Company, Trainee

pytestmark = pytest.mark.browser


@pytest.fixture
def linkage(regions, trainee, company, seoul_staff):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    me = Trainee.objects.get(user=trainee)
    rival = factories.TraineeFactory(
        region=regions["seoul"], user=factories.user(username="rival", role="trainee")
    )
    for person in (me, rival):
        factories.enrollment(cohort=cohort, trainee=person, status="completed")
    own = Company.objects.get(managers=company)
    positions = {
        name: make_position(company, own, regions, name, 1)
        for name in ("설비 운영", "품질 관리", "데이터 분석")
    }
    now = timezone.now()
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계 (E2E)",
        trainee_deadline=now + datetime.timedelta(hours=1),
        company_deadline=now + datetime.timedelta(hours=2),
    )
    # Another trainee wants the first position too.
    services.trainee_choices_save(
        round_=round_, trainee=rival, positions=[positions["설비 운영"]], actor=rival.user
    )
    return {"round": round_, "me": me, "rival": rival, "positions": positions}


def test_rank_dry_run_publish_and_explain(page, linkage, trainee, company, seoul_staff):
    round_, me, rival, positions = (
        linkage["round"],
        linkage["me"],
        linkage["rival"],
        linkage["positions"],
    )

    # The trainee ranks three positions, best first.
    login_only(page, trainee)
    page.goto("/trainee/rounds/")
    page.get_by_role("link", name="인턴 자리 보기").click()
    for name in ("설비 운영", "품질 관리", "데이터 분석"):
        card = page.get_by_test_id("position-card").filter(has_text=name)
        card.get_by_role("button", name="지망에 추가").click()
        expect(
            page.get_by_test_id("position-card").filter(has_text=name).get_by_role("button")
        ).to_have_text("지망 취소")
    expect(page.locator("main")).to_contain_text("지망 3/10")

    # The company ranks: the rival above the trainee for 설비 운영, the trainee alone for 데이터
    # 분석, nobody for 품질 관리.
    login_only(page, company)
    page.goto("/company/rounds/")
    for name, ranks in (("설비 운영", {rival: "1", me: "2"}), ("데이터 분석", {me: "1"})):
        page.get_by_role("link", name=name).click()
        for person, rank in ranks.items():
            page.locator(f"#rank-{person.pk}").fill(rank)
        page.get_by_role("button", name="순위 저장").click()
        expect(page.locator("main")).to_contain_text(f"순위를 저장했습니다 ({len(ranks)}명)")
        page.goto("/company/rounds/")

    # Both deadlines pass; staff compare the algorithms on a dry run, then publish.
    past_deadlines(round_)
    login_only(page, seoul_staff)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_role("link", name="모의 실행").click()
    expect(page.get_by_test_id("placed-trainee-proposing")).to_have_text("2")
    expect(page.get_by_test_id("blocking-trainee-proposing")).to_have_text("0")
    # The breakdowns are drawn from the local Chart.js, the algorithms' bars told apart by a
    # fill pattern as well as by colour.
    page.wait_for_function(
        "() => window.Chart && [...document.querySelectorAll('canvas[data-itda-chart]')]"
        ".every(c => Chart.getChart(c))"
    )
    patterned = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-itda-chart=\"dry-match-rank-chart\"]'))"
        ".data.datasets.map(d => d.backgroundColor instanceof CanvasPattern)"
    )
    assert patterned == [False, True, True]
    assert not MatchRun.objects.exists()  # a dry run stores nothing
    screenshot(page, "linkage-dry-run.png")
    page.locator("label", has_text="발표하면 되돌릴 수 없고").click()
    page.get_by_role("button", name="결과 발표").click()
    expect(page.locator("main")).to_contain_text("결과를 발표했습니다: 2명 배정")
    run = MatchRun.objects.get()
    # The screen shows the check value's first 12 characters, the whole one on hover.
    expect(page.get_by_test_id("input-sha")).to_have_text(f"{run.input_sha256[:12]}…")
    expect(page.get_by_test_id("input-sha")).to_have_attribute("title", run.input_sha256)

    # The trainee sees the placement and why not the first and second choices.
    login_only(page, trainee)
    page.goto("/trainee/rounds/")
    page.get_by_role("link", name="수도권 1차 연계 (E2E) 결과 보기").click()
    company_name = positions["설비 운영"].company.name
    expect(page.get_by_test_id("placement")).to_contain_text(f"배정: {company_name} · 데이터 분석")
    why = page.get_by_test_id("why-not")
    expect(why).to_contain_text(
        f"1지망 {company_name} · 설비 운영: 정원 1명을 회원님보다 높게 평가한 지원자로 채움 "
        "(배정된 교육생은 기업 순위 1위 이내, 회원님 2위)"
    )
    expect(why).to_contain_text(
        f"2지망 {company_name} · 품질 관리: 기업이 회원님을 순위에 올리지 않음"
    )
    assert_no_external_requests(page)
    screenshot(page, "linkage-result.png")
