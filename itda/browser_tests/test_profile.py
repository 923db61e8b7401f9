"""In a real browser on a 390px phone: a trainee starts from their home page, opens 내 정보 from
the header and changes the bank account their allowance is paid into (password again), and then
sees it masked."""

import pytest
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests.helpers import (
    assert_no_console_errors,
    assert_no_external_requests,
    login,
    screenshot,
)
from itda.programs.models import Trainee

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_trainee_changes_their_bank_account_from_home_on_a_phone(phone_page, trainee):
    page = phone_page
    me = Trainee.objects.get(user=trainee)
    login(page, trainee)
    page.goto("/home/")
    page.locator("#krds-header").get_by_role("link", name="내 정보").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("내 정보")
    page.get_by_role("link", name="연락처·보유 역량·계좌 보기·변경").click()
    expect(page.get_by_text("110-****-3456")).to_be_visible()  # the factory's account, masked
    page.get_by_role("link", name="계좌 변경").click()
    page.get_by_label("은행").select_option(label="카카오뱅크")
    page.get_by_label("계좌번호").fill("3333-01-2345678")
    page.get_by_label("예금주").fill(me.name)
    page.get_by_label("현재 비밀번호").fill(factories.PASSWORD)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "profile-bank-form-390.png")
    page.get_by_role("button", name="계좌 저장").click()
    expect(page.get_by_text("계좌를 저장했습니다.")).to_be_visible()
    expect(page.get_by_text("333-****-5678")).to_be_visible()
    assert "3333012345678" not in page.content()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "profile-bank-saved-390.png")
    me.refresh_from_db()
    assert (me.bank_name, me.bank_account, me.bank_holder) == (
        "카카오뱅크",
        "3333012345678",
        me.name,
    )
    assert_no_external_requests(page)
    assert_no_console_errors(page)
