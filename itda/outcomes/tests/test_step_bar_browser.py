"""In Chromium on a phone: the trainee's step bar stacks its six steps one a line, inside the
screen, with the current one (인턴십 협약 대기, for a placed trainee) marked."""

import pytest

from itda import factories
from itda.browser_tests.conftest import (  # noqa: F401 - fixtures shared with the browser suite
    browser,
    live_url,
    phone_page,
)
from itda.browser_tests.helpers import assert_no_external_requests, login, screenshot
from itda.internships.models import Placement
from itda.internships.tests.conftest import make_position

pytestmark = pytest.mark.browser


def test_the_step_bar_fits_a_phone(phone_page, trainee, company, regions):  # noqa: F811
    me = trainee.trainee
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    position = make_position(company, regions["seoul"], regions["track"])
    Placement.objects.create(trainee=me, position=position, origin="test", created_by=company)
    login(phone_page, trainee)
    phone_page.goto("/trainee/")
    bar = phone_page.get_by_test_id("steps")
    bar.scroll_into_view_if_needed()
    current = bar.locator('[aria-current="step"]')
    assert current.inner_text().strip() == "인턴십 협약 대기"
    boxes = [item.bounding_box() for item in bar.locator("li").all()]
    assert len(boxes) == 6
    width = phone_page.viewport_size["width"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
    # One a line: each step below the one before it.
    assert all(b["y"] >= a["y"] + a["height"] - 1 for a, b in zip(boxes, boxes[1:], strict=False))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
    assert phone_page.get_by_role("link", name="내 인턴십 보기").is_visible()
    screenshot(phone_page, "trainee-steps-phone.png")
    assert_no_external_requests(phone_page)
