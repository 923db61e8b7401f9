"""In a real browser: staff confirm a cohort's completion and issue its certificates; anyone with
the QR link verifies one on a phone."""

import datetime

import pytest

from itda import factories
from itda.browser_tests.helpers import assert_no_external_requests, login, screenshot
from itda.training.models import Certificate
from itda.training.tests.conftest import certificate_pdfs  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

DAYS = [datetime.date(2026, 7, d) for d in range(1, 6)]


def test_staff_confirm_issue_and_a_phone_verifies(
    page,
    phone_page,
    live_url,
    regions,
    seoul_staff,
    certificate_pdfs,  # noqa: F811
):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    sessions = factories.sessions(cohort=cohort, days=DAYS)
    for name, attended in (("남궁뚫례", 5), ("홍길동", 3)):
        trainee = factories.TraineeFactory(region=regions["seoul"], name=name)
        enrollment = factories.enrollment(cohort=cohort, trainee=trainee)
        for session in sessions[:attended]:
            factories.attendance(enrollment=enrollment, session=session, status="present")

    login(page, seoul_staff)
    page.goto(f"{live_url}/training/cohorts/{cohort.pk}/completion/")
    main = page.locator("main")
    assert "수료 예정 1명 / 2명" in main.inner_text()
    page.get_by_role("button", name="수료 판정 확정").click()
    page.wait_for_load_state()
    assert "수료 1명, 미수료 1명" in main.inner_text()
    page.get_by_role("button", name="수료증 일괄 발급").click()
    page.wait_for_load_state()
    assert "발급 1건 / 수료 1명" in main.inner_text()
    screenshot(page, "completion-staff.png")
    assert_no_external_requests(page)

    code = Certificate.objects.get().verification_code
    phone_page.goto(f"{live_url}/certificates/verify/{code}/")
    text = phone_page.locator("main").inner_text()
    assert "정상 발급된 수료증" in text and "남**례" in text and "남궁뚫례" not in text
    screenshot(phone_page, "certificate-verify-phone.png")
