"""In a real browser: the national operator writes a call and its scheme from the operator home
(no typed URL, no /admin/), sees the public page in preview, and publishes it."""

import pytest
from playwright.sync_api import expect

from itda.browser_tests.helpers import assert_no_external_requests, login, screenshot
from itda.recruitment.models import Call

pytestmark = pytest.mark.browser


def test_the_operator_writes_previews_and_publishes_a_call(page, cast, regions):
    # Required fields are marked with an asterisk inside their labels: fields are found by id.
    login(page, cast["admin"])
    page.goto("/operator/")
    page.get_by_role("link", name="공모·모집 관리").click()
    page.get_by_role("link", name="새 공고 작성").click()

    page.locator("#id_programme").select_option(label=regions["programme"].name)
    page.locator("#id_kind").select_option(label="참여기업")
    page.locator("#id_title").fill("2026 하반기 참여기업 추가 모집")
    page.locator("#id_opens_at").fill("2026-06-01T09:00")
    page.locator("#id_closes_at").fill("2026-06-30T18:00")
    # KRDS draws the box over the input: a person clicks the label.
    page.locator('label[for="id_company_kinds_0"]').click()
    page.locator('[name="documents-0-name"]').fill("사업계획서")
    page.locator('label[for="id_documents-0-allowed_kinds_0"]').click()  # PDF
    page.locator('label[for="id_documents-0-allowed_kinds_1"]').click()  # 한글(HWP/HWPX)
    expect(page.locator("#id_documents-0-allowed_kinds_1")).to_be_checked()
    screenshot(page, "call-editor-1-call.png")
    page.get_by_role("button", name="저장하고 평가 기준표로").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("평가 기준표")
    page.locator("#id_name").fill("참여기업 선정 평가표")
    for i, (code, name, weight) in enumerate(
        [("capability", "스마트제조 역량", "40"), ("hiring", "고용 연계 가능성", "60")]
    ):
        page.locator(f'[name="criteria-{i}-code"]').fill(code)
        page.locator(f'[name="criteria-{i}-name"]').fill(name)
        page.locator(f'[name="criteria-{i}-weight"]').fill(weight)
        page.locator(f'[name="criteria-{i}-max_points"]').fill(weight)
    screenshot(page, "call-editor-2-scheme.png")
    page.get_by_role("button", name="저장", exact=True).click()

    expect(page.get_by_test_id("call-preview")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 하반기 참여기업 추가 모집")
    expect(page.get_by_text("고용 연계 가능성")).to_be_visible()
    expect(page.get_by_text("사업계획서 (필수) — PDF, 한글(HWP/HWPX)")).to_be_visible()
    screenshot(page, "call-editor-3-preview.png")
    page.get_by_role("button", name="공고 공개").click()

    expect(page.get_by_text("공고를 공개했습니다")).to_be_visible()
    expect(page.get_by_test_id("call-preview")).to_have_count(0)
    assert "/admin/" not in page.url
    call = Call.objects.get(title="2026 하반기 참여기업 추가 모집")
    assert call.published_at is not None and call.eligibility == {
        "company_kinds": ["smart_factory"]
    }
    assert call.scheme.criteria.count() == 2
    assert_no_external_requests(page)
