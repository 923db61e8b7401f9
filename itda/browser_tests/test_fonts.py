"""Hangul renders in Pretendard GOV, served by itda itself (no Korean system font is needed)."""

import pytest
from django.urls import reverse

from itda.browser_tests.helpers import (
    assert_no_external_requests,
    assert_no_failed_requests,
    screenshot,
    wait_for_fonts,
)

pytestmark = pytest.mark.browser

FONT_FACES = """() => Array.from(document.fonts)
    .filter((face) => face.family.replace(/["']/g, "") === "Pretendard GOV")
    .map((face) => ({weight: face.weight, status: face.status}))"""


def test_login_page_renders_hangul_in_pretendard_gov(page):
    page.goto(reverse("accounts:login"))
    wait_for_fonts(page)

    assert page.evaluate("""() => document.fonts.check('16px "Pretendard GOV"', '가나다')""")
    faces = page.evaluate(FONT_FACES)
    assert any(face["status"] == "loaded" for face in faces), faces
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert body_font.replace('"', "").replace("'", "").startswith("Pretendard GOV"), body_font

    assert_no_external_requests(page)
    assert_no_failed_requests(page, "/static/")
    screenshot(page, "fonts-login.png")
