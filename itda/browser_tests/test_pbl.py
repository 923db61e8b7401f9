"""In a real browser: the intern opens 내 인턴십 › PBL on a phone, reads the problem, hands in a
file for a milestone (a renamed program first: refused in Korean) and sees it wait for review;
the mentor accepts it on a desktop; the phone page never scrolls sideways."""

import datetime

import pytest
from playwright.sync_api import expect

from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.internships import pbl
from itda.internships.models import Milestone
from itda.internships.tests.conftest import setup  # noqa: F401 - a fixture
from itda.internships.tests.pbl_support import EXE, PDF, pbl_internship

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def planned(setup, seoul_staff, company, trainee, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    internship = pbl_internship(setup, seoul_staff, company, trainee)
    pbl.problem_set(
        internship=internship,
        title="프레스 설비 이상 탐지",
        description="진동 센서 데이터로 설비 이상을 미리 알아내는 모델을 만든다.",
        expected_outcome="탐지 모델, 결과 보고서",
        actor=company,
    )
    pbl.milestone_create(
        internship=internship,
        title="데이터 수집과 정제",
        due_on=datetime.date(2026, 8, 28),
        actor=company,
    )
    return internship


def test_the_intern_hands_in_on_a_phone_and_the_mentor_accepts(
    phone_page,
    page,
    planned,
    trainee,
    setup,  # noqa: F811
):
    login(phone_page, trainee)
    phone_page.goto("/me/internship/")
    phone_page.get_by_role("link", name="PBL 과제와 마일스톤 보기").click()
    expect(phone_page.get_by_role("heading", name="프레스 설비 이상 탐지")).to_be_visible()
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)

    files = phone_page.get_by_label("산출물 올리기")
    files.set_input_files(
        {"name": "결과.pdf", "mimeType": "application/pdf", "buffer": EXE}  # a renamed program
    )
    phone_page.get_by_role("button", name="제출").click()
    expect(phone_page.get_by_text("파일 내용이 PDF 형식이 아닙니다")).to_be_visible()
    files = phone_page.get_by_label("산출물 올리기")
    files.set_input_files({"name": "결과.pdf", "mimeType": "application/pdf", "buffer": PDF})
    phone_page.get_by_label("설명").fill("1차 정제본")
    phone_page.get_by_role("button", name="제출").click()
    expect(phone_page.get_by_text("버전 1을 제출했습니다")).to_be_visible()
    expect(phone_page.get_by_test_id("milestone-state")).to_have_text("검토 대기")
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(phone_page, "pbl-intern-phone.png")
    assert_no_external_requests(phone_page)
    assert_no_console_errors(phone_page)

    login(page, setup["mentor"].user)
    page.goto(f"/internships/{planned.pk}/pbl/")
    expect(page.get_by_test_id("latest")).to_have_text("결과.pdf")
    milestone = Milestone.objects.get()
    page.locator(f'label[for="decision-{milestone.pk}-accepted"]').click()  # KRDS styles the label
    page.get_by_role("button", name="검토 저장").click()
    expect(page.get_by_text("검토 결과를 저장했습니다")).to_be_visible()
    assert Milestone.objects.get().state == "accepted"

    phone_page.reload()
    expect(phone_page.get_by_test_id("milestone-state")).to_have_text("승인")
