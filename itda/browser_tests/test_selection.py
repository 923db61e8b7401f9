"""End to end in a real browser: a company applies to an open call → the operator closes it
early, screens, forms the panel and assigns → three evaluators score (TOTP logins) and the
chair closes the round → the operator ranks, confirms and publishes (each box ticked) → the
company sees its result."""

import pytest
from playwright.sync_api import expect

from itda import factories
from itda.accounts.roles import Role
from itda.browser_tests.helpers import assert_no_external_requests, record_requests, screenshot
from itda.conftest import totp_now
from itda.evaluation.models import Criterion, Scheme

pytestmark = pytest.mark.browser

SCORES = {"스마트제조 역량": "36", "취업매력도": "27", "고용 연계": "24"}  # 87 of 100


@pytest.fixture
def setup(cast, regions):
    call = factories.call(programme=regions["programme"], title="2027 참여기업 모집 (E2E)")
    scheme = Scheme.objects.create(
        call=call,
        name="참여기업 평가표",
        method="mean",
        evaluators_per_application=3,
        total_seats=10,
    )
    for order, (code, name, points) in enumerate(
        [("cap", "스마트제조 역량", 40), ("attr", "취업매력도", 30), ("hire", "고용 연계", 30)]
    ):
        Criterion.objects.create(
            scheme=scheme, code=code, name=name, weight=points, max_points=points, order=order
        )
    evaluators = []
    for i, name in enumerate(["김평가", "이심사", "박검토"]):
        user = factories.user(username=f"judge{i}", role=Role.EVALUATOR)
        evaluators.append(factories.EvaluatorFactory(user=user, name=name, region=regions["seoul"]))
    return {"call": call, "evaluators": evaluators}


def _login(browser, live_url, user):
    context = browser.new_context(
        base_url=live_url,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    record_requests(page, live_url)
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="로그인").click()
    if user.needs_second_factor:
        page.wait_for_url("**/accounts/otp/**")
        page.get_by_label("인증번호 (6자리)").fill(totp_now(user.totpdevice_set.get()))
        page.get_by_role("button", name="확인").click()
    page.wait_for_load_state()
    return context, page


def _tick(page, label: str) -> None:
    """Tick a KRDS checkbox the way a person does: its label is what takes the click."""
    page.locator("label", has_text=label).click()
    assert page.get_by_label(label).is_checked()


def test_open_call_to_published_result(browser, live_url, cast, setup):
    call = setup["call"]

    # The company opens the call and applies.
    company_ctx, company = _login(browser, live_url, cast["company"])
    company.goto("/calls/")
    company.get_by_role("link", name=call.title).click()
    company.get_by_role("link", name="신청서 작성").click()
    company.get_by_label("참여 동기와 스마트제조 역량").fill("MES와 설비 데이터를 운영합니다.")
    company.get_by_label("인턴 직무와 멘토링 계획").fill("생산관리 보조, 현장 멘토 1:1")
    company.get_by_label("희망 인턴 수").fill("2")
    company.get_by_label("인턴십 후 채용 계획").fill("우수 인턴 정규직 채용")
    _tick(company, "개인정보 수집·이용에 동의합니다")
    company.locator("main").get_by_role("button", name="제출").click()
    company.wait_for_url("**/applications/*/")
    expect(company.locator("main")).to_contain_text("접수번호")
    application_url = company.url

    # The operator closes the call early (on record), then screens, forms the panel and assigns.
    op_ctx, op = _login(browser, live_url, cast["admin"])
    op.goto(f"/recruitment/calls/{call.pk}/applications/")
    op.get_by_role("button", name="자격 검토 실행").click()
    expect(op.locator("main")).to_contain_text("접수 중인 공모입니다")
    op.get_by_label("조기 마감 사유").fill("목표 신청 기업 수 도달")
    _tick(op, "지금 접수를 마감하며, 다시 열 수 없음을 확인했습니다")
    op.get_by_role("button", name="지금 접수 마감").click()
    expect(op.locator("main")).to_contain_text("접수를 마감했습니다")
    op.get_by_role("button", name="자격 검토 실행").click()
    expect(op.locator("main")).to_contain_text("적격 1건")
    op.get_by_role("link", name="평가 진행 (위원회·배정·순위)").click()
    for evaluator in setup["evaluators"]:
        _tick(op, evaluator.name)
    op.get_by_label("위원장").select_option(label=str(setup["evaluators"][0]))
    op.get_by_role("button", name="위원회 저장").click()
    op.get_by_role("button", name="배정 실행 (다시 실행해도 제출된 평가표는 유지)").click()
    expect(op.locator("main")).to_contain_text("배정했습니다")

    # Each evaluator scores; the chair closes the round.
    for i, evaluator in enumerate(setup["evaluators"]):
        ctx, page = _login(browser, live_url, evaluator.user)
        page.goto("/evaluator/")
        page.get_by_role("link", name="평가하기").first.click()
        assert "김대표" not in page.locator("main").inner_text()  # no representative's name
        for name, points in SCORES.items():
            page.get_by_label(f"{name} 점수", exact=False).fill(points)
        page.locator("main").get_by_role("button", name="제출").click()
        expect(page.locator("main")).to_contain_text("제출")
        expect(page.get_by_role("button", name="임시저장")).to_have_count(0)
        if i == 0:
            chair_ctx, chair = ctx, page
        else:
            ctx.close()
    chair.goto("/evaluator/")
    chair.once("dialog", lambda dialog: dialog.accept())  # "평가를 마감할까요?"
    chair.get_by_role("button", name="평가 마감").click()
    expect(chair.locator("main")).to_contain_text("평가를 마감했습니다")
    chair_ctx.close()

    # The operator ranks, confirms and publishes.
    op.goto(f"/evaluation/calls/{call.pk}/")
    op.get_by_role("button", name="순위 계산").click()
    expect(op.locator("main")).to_contain_text("순위를 계산했습니다")
    op.locator("main").get_by_role("link", name="계산됨").first.click()
    _tick(op, "되돌릴 수 없는 작업임을 확인했습니다")
    op.get_by_role("button", name="확정 (입력 고정)").click()
    expect(op.locator("main")).to_contain_text("확정했습니다")
    _tick(op, "되돌릴 수 없는 작업임을 확인했습니다")
    op.get_by_role("button", name="결과 공개").click()
    expect(op.locator("main")).to_contain_text("공개했습니다")
    op_ctx.close()

    # The company sees its result and the breakdown by criterion.
    company.goto(application_url)
    company.get_by_role("link", name="결과와 항목별 점수 보기").click()
    expect(company.locator("main")).to_contain_text("종합 점수")
    text = company.locator("main").inner_text()
    assert "선정" in text and "87.0점" in text
    assert "스마트제조 역량" in text and "36.00" in text
    assert all(e.name not in text for e in setup["evaluators"])
    assert_no_external_requests(company)
    screenshot(company, "selection-result.png")
    company_ctx.close()
