"""Accessibility (KWCAG 2.2, checked as WCAG 2.2 A/AA) in Chromium over one shared world.

- axe-core, served from node_modules (nothing fetched at run time), on every main page of every
  role: the role's home, each page its home and menu link to, and one detail page of each kind
  those pages' tables link to. No serious or critical violation.
- Keyboard only: a trainee checks in from the QR link; an evaluator fills and saves a score sheet.
  Focus is visible at every stop, and the task is done.
- A 390-px phone: the roll-call and the schedule scroll down, never sideways.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from itda import factories
from itda.browser_tests import helpers
from itda.browser_tests.conftest import DESKTOP, PHONE
from itda.evaluation.models import Assignment, Criterion, Evaluator, Panel, Scheme, ScoreSheet
from itda.outcomes.tests import home_world
from itda.training import attendance as attendance_svc
from itda.training.models import Attendance

pytestmark = pytest.mark.browser

AXE = helpers.REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0-2.2 A and AA: what KWCAG 2.2 asks of a public site.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

# Links that are not pages to read: files, the API and admin, the room's QR image. A ranking's
# page is left out: home_world's rankings are stubs without a computed result.
NOT_A_PAGE = re.compile(
    r"/(api|admin|static|media)/|export|download|evidence|excel|template|/pdf/"
    r"|\.(csv|xlsx|pdf|zip|svg|png)$|/qr/code/|/accounts/logout/|/rankings/\d+/"
)
# Pages every role has, the same for each: checked once, for the first role that links to them.
SHARED = re.compile(r"/(reference|me|accounts|calls)/")
# Pages of one kind differ only in their numbers: one of each kind is enough.
NUMBER = re.compile(r"/\d+/")


def _kind(path: str) -> str:
    return NUMBER.sub("/#/", path)


def _new_page(browser, live_url: str, *, phone: bool):
    """A page whose context lets the test inject axe: Playwright adds the script inline, which the
    site's CSP (script-src 'self') refuses; every other test keeps the CSP."""
    context = browser.new_context(
        base_url=live_url,
        viewport=PHONE if phone else DESKTOP,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        is_mobile=phone,
        has_touch=phone,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    helpers.record_requests(page, live_url)
    return page


def axe_violations(page) -> list[str]:
    """The page's serious and critical WCAG A/AA violations, one line each with its targets."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                         resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:6])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def _links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "(els) => els.map((a) => a.href)")
    origin = urlsplit(page.url)[:2]
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts[:2] == origin and not NOT_A_PAGE.search(parts.path):
            out.append(parts.path)
    return out


def _sweep(page, home: str, shared_seen: set[str], extra=()) -> dict[str, list[str]]:
    """axe on the home, the pages it and the menu link to (and ``extra``, main pages deeper down),
    and one page of each kind those pages link to: {path: violations} for every page checked. A
    page every role has (SHARED) is checked once per screen size: ``shared_seen`` carries its kind
    to the next role."""
    seen: set[str] = set()
    found: dict[str, list[str]] = {}

    def visit(path: str) -> bool:
        kind = _kind(path)
        if kind in seen or kind in shared_seen:
            return False
        seen.add(kind)
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a file, not a page
            if "Download is starting" in str(error):
                return False
            raise
        landed = _kind(urlsplit(page.url).path)
        if (
            response is None
            or not response.ok
            or "html" not in response.headers.get("content-type", "")
        ):
            return False
        if landed != kind and landed in seen | shared_seen:  # a redirect to a page checked
            return False
        seen.add(landed)
        if SHARED.match(landed):
            shared_seen.add(landed)
        found[urlsplit(page.url).path] = axe_violations(page)
        return True

    visit(home)
    first = _links(page, "main a[href], #itda-nav a[href], #krds-header a[href]") + list(extra)
    further = []
    for path in first:
        if visit(path):
            further += _links(page, "main a[href]")
    for path in further:
        visit(path)
    return found


def _scored_call(world, cast, regions):
    """A company call with a two-criterion scheme, one application assigned to the evaluator."""
    call = factories.call(programme=regions["programme"], title="스마트공장 도입 기업 모집")
    scheme = Scheme.objects.create(call=call, name="기준표", evaluators_per_application=1)
    criteria = [("plan", "사업 계획", 60), ("effect", "기대 효과", 40)]
    for order, (code, name, points) in enumerate(criteria):
        Criterion.objects.create(
            scheme=scheme, code=code, name=name, weight=points, max_points=points, order=order
        )
    me = Evaluator.objects.get(user=cast["evaluator"])
    Panel.objects.create(call=call, chair=me).members.set([me])
    application = factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"]), screening="eligible"
    )
    return Assignment.objects.create(application=application, evaluator=me)


@pytest.fixture
def world(cast, regions):
    built = home_world.build(regions, cast)
    built["assignment"] = _scored_call(built, cast, regions)
    return built


ROLES = [
    ("admin", "/operator/", False),
    ("seoul_staff", "/group/", False),
    ("company", "/company/", False),
    ("trainee", "/trainee/", True),
    ("evaluator", "/evaluator/", False),
    ("viewer", "/viewer/", False),
]
# The cohort's page (its schedule and attendance) is two lists deep from the staff's homes.
DEEPER = {"admin": "/training/cohorts/{pk}/", "seoul_staff": "/training/cohorts/{pk}/"}


def test_every_main_page_of_every_role_has_no_serious_axe_violation(browser, live_url, cast, world):
    report = []
    shared_seen: dict[bool, set[str]] = {False: set(), True: set()}  # desktop, phone
    for who, home, phone in ROLES:
        page = _new_page(browser, live_url, phone=phone)
        helpers.login(page, cast[who])
        deeper = [DEEPER[who].format(pk=world["seoul"]["cohort"].pk)] if who in DEEPER else []
        found = _sweep(page, home, shared_seen[phone], deeper)
        page.context.close()
        print(f"{who}: {len(found)} pages: {' '.join(sorted(found))}")
        assert home in found
        for path, problems in found.items():
            report += [f"{who} {path}: {problem}" for problem in problems]
    assert not report, "axe violations:\n  " + "\n  ".join(report)


# --- Keyboard only ---------------------------------------------------------------------------

# Where focus is now and whether it shows: an outline or a focus ring drawn as a box shadow; a
# form field, as KRDS draws it, by its border going from 1 px grey to 2 px of the active colour.
FOCUS_STOP = """(selector) => {
  const el = document.activeElement;
  el.getAnimations().forEach((a) => a.finish());  // the style focus ends at, not mid-transition
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const field = el.matches('input, textarea, select') && parseFloat(style.borderTopWidth) >= 2;
  return {
    what: `${el.tagName.toLowerCase()}#${el.id} ${(el.textContent || '').trim().slice(0, 30)}`,
    visible: el !== document.body && (outline || style.boxShadow !== 'none' || field),
    arrived: el.matches(selector),
  };
}"""


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 60) -> None:
    """Press ``key`` until focus is on ``selector``; focus must be visible at every stop."""
    for _ in range(limit):
        page.keyboard.press(key)
        stop = page.evaluate(FOCUS_STOP, selector)
        assert stop["visible"], f"focus is not visible on {stop['what']}"
        if stop["arrived"]:
            return
    raise AssertionError(f"{key} × {limit} never reached {selector}")


def test_a_trainee_checks_in_on_a_phone_with_the_keyboard_only(browser, live_url, cast, world):
    session = world["seoul"]["session"]
    page = _new_page(browser, live_url, phone=True)
    helpers.login(page, cast["trainee"])
    page.goto(urlsplit(attendance_svc.qr_url(session=session, now=timezone.now())).path)
    expect(page.locator("main")).to_contain_text(session.title)
    tab_to(page, "main button[type=submit]")
    expect(page.locator(":focus")).to_have_text("입실하기")
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("입실 완료")
    row = Attendance.objects.get(session=session, enrollment=world["seoul"]["enrollment"])
    assert (row.source, row.checked_in_at is not None) == ("qr", True)
    page.context.close()


def test_an_evaluator_fills_and_saves_a_score_sheet_with_the_keyboard_only(
    browser, live_url, cast, world
):
    assignment = world["assignment"]
    page = _new_page(browser, live_url, phone=False)
    helpers.login(page, cast["evaluator"])
    page.goto("/evaluator/")
    tab_to(page, f"main a[href='/evaluation/assignments/{assignment.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/evaluation/assignments/{assignment.pk}/")
    tab_to(page, "#id_points_plan")
    page.keyboard.type("52.5")
    tab_to(page, "#id_comment_plan")
    page.keyboard.type("구체적인 도입 계획")
    tab_to(page, "#id_points_effect")
    page.keyboard.type("31")
    expect(page.locator("output[data-sheet-total]")).to_have_text("83.5")
    # Back to the first score with Shift+Tab, and the arrow keys step it by 0.5.
    tab_to(page, "#id_points_plan", key="Shift+Tab")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_points_plan")).to_have_value("53")
    tab_to(page, "main button[value=save]")
    page.keyboard.press("Space")
    expect(page.locator("main")).to_contain_text("임시저장했습니다")
    sheet = ScoreSheet.objects.get(assignment=assignment)
    scores = {s.criterion.code: (float(s.points), s.comment) for s in sheet.scores.all()}
    assert scores == {"plan": (53.0, "구체적인 도입 계획"), "effect": (31.0, "")}
    assert sheet.status == "draft"
    page.context.close()


# --- A 390-px phone --------------------------------------------------------------------------

NO_SIDEWAYS_SCROLL = """() => {
  const root = document.scrollingElement;
  return [root.scrollWidth, root.clientWidth];
}"""


def test_the_roll_call_and_the_schedule_fit_a_390_px_phone(browser, live_url, cast, world):
    session = world["seoul"]["session"]
    pages = [
        ("seoul_staff", f"/training/sessions/{session.pk}/roll-call/"),
        ("trainee", "/trainee/training/"),
    ]
    for who, path in pages:
        page = _new_page(browser, live_url, phone=True)
        helpers.login(page, cast[who])
        page.goto(path)
        expect(page.locator("main table")).to_be_visible()
        width, client = page.evaluate(NO_SIDEWAYS_SCROLL)
        helpers.screenshot(page, f"phone-{who}-{path.strip('/').replace('/', '-')}.png")
        assert width <= client, f"{path} scrolls sideways on a 390-px phone: {width} > {client}"
        page.context.close()
