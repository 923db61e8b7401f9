"""Every rule and date the call, programme, allowance and completion pages show carries its
origin (원문 / 원문 해석 / itda 기본값 — 운영지침 확인 필요 / 운영지침), read from the one registry
the reference load fills; and the operator replaces a default with the official word."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tinyhtml5 import parse

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation.seed import calls_seed
from itda.payments.services import allowance_compute
from itda.programs.models import (
    InternshipPayee,
    OriginKind,
    Programme,
    Region,
    RuleOrigin,
    TransformationPlan,
)
from itda.programs.services import reference_load_all, rule_origin_confirm
from itda.recruitment.models import Call, CallKind

pytestmark = pytest.mark.django_db

MSS = "mss-smart-mfg-2026"
JULY = [datetime.date(2026, 7, d) for d in range(1, 21)]


@pytest.fixture
def world(built, db):
    return built


@pytest.fixture(scope="module")
def built(module_atomic):
    """The real reference data and calls, and a July cohort of the MSS 수도권 group with one
    trainee at 17 of 20 days, computed; made once for the module (each test's changes roll
    back)."""
    reference_load_all()
    operator = factories.user(username="operator", role=Role.OPERATOR)
    calls_seed()
    mss = Programme.objects.get(code=MSS)
    group = mss.operating_groups.get(zone="capital")
    staff = factories.user(username="staff", role=Role.GROUP_STAFF)
    group.staff.add(staff)
    trainee_user = factories.user(username="trainee", role=Role.TRAINEE)
    trainee = factories.TraineeFactory(user=trainee_user, region=Region.objects.get(code="11"))
    cohort = factories.cohort(group=group, track=mss.tracks.get(code="track1"))
    enrollment = factories.enrollment(cohort=cohort, trainee=trainee)
    for session in factories.sessions(cohort=cohort, days=JULY)[:17]:
        factories.attendance(enrollment=enrollment, session=session, status="present")
    allowance_compute(as_of=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC))
    return {
        "operator": operator,
        "staff": staff,
        "trainee": trainee_user,
        "cohort": cohort,
        "calls": {c.kind: c for c in Call.objects.filter(programme=mss)},
        "plan_call": Call.objects.get(kind=CallKind.PLAN),
    }


class Page:
    """A rendered page split into the rule values it marks, the origin badges it shows, and
    the text left when both are taken out."""

    def __init__(self, html: str):
        self.marked: dict[str, list[str]] = {}
        self.badges: dict[str, str] = {}
        main = next(e for e in parse(html).iter() if e.tag.endswith("}main"))
        self.rest = re.sub(r"\s+", " ", self._walk(main))

    def _walk(self, el) -> str:
        # A disagreement notice is the registry's own words about the sources.
        if el.get("data-disagreement"):
            return el.tail or ""
        key, origin = el.get("data-rule"), el.get("data-origin-key")
        if key:
            self.marked.setdefault(key, []).append("".join(el.itertext()))
        if origin:
            badge = next(e for e in el.iter() if e.get("data-origin-kind"))
            self.badges[origin] = badge.get("data-origin-kind")
        if key or origin:
            return el.tail or ""
        inner = (el.text or "") + "".join(self._walk(child) for child in el)
        return inner + (el.tail or "")


def _page(client, url) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.content.decode())


def _pages(world, login_as) -> dict[str, Page]:
    anonymous = Client()
    staff = login_as(world["staff"], Client())
    trainee = login_as(world["trainee"], Client())
    calls = world["calls"]
    return {
        "call list": _page(anonymous, reverse("recruitment:call_list")),
        "company call": _page(
            anonymous, reverse("recruitment:call_detail", args=[calls["company"].pk])
        ),
        "group call": _page(
            anonymous, reverse("recruitment:call_detail", args=[calls["operating_group"].pk])
        ),
        "plan call": _page(
            anonymous, reverse("recruitment:call_detail", args=[world["plan_call"].pk])
        ),
        "mss programme": _page(anonymous, reverse("programs:programme_detail", args=[MSS])),
        "incheon programme": _page(
            anonymous, reverse("programs:programme_detail", args=["incheon-smart-mfg-2021"])
        ),
        "plan programme": _page(
            anonymous, reverse("programs:programme_detail", args=["complex-transformation-2021"])
        ),
        "staff allowance": _page(
            staff, reverse("payments:cohort_detail", args=[world["cohort"].pk])
        ),
        "my allowance": _page(trainee, reverse("payments:my_allowance")),
        "completion": _page(staff, reverse("completion:cohort", args=[world["cohort"].pk])),
        "my training": _page(trainee, reverse("outcomes:my_training")),
    }


# Values of rules that must never show without their marker, page by page: each pattern is
# searched in the text left after the marked values and the badges are taken out.
UNMARKED_NEVER = {
    "call list": [r"\d{1,2}:\d{2}", r"\d{4}-\d{2}-\d{2}"],
    "company call": [
        r"\d{1,2}:\d{2}",
        r"2026년 \d+월",
        r"\d+점",
        r"\d+명 이상",
        r"평가위원 \d",
        r"소기업·중기업",
    ],
    "group call": [r"\d{1,2}:\d{2}", r"2026년 \d+월", r"\d+점"],
    "plan call": [r"\d{1,2}:\d{2}", r"2021년 \d+월", r"\d+점", r"평가위원 \d"],
    "mss programme": [
        r"\d+여 개사",
        r"목표 \d+여 명",
        r"\d{1,3}(,\d{3})+원",
        r"\d+개월 이내",
        r"8월 1일",
    ],
    "incheon programme": [r"사업기간 \d"],
    "staff allowance": [r"% 이상이면 전액", r"미만이면", r"결석 1회"],
    "my allowance": [r"% 이상이면 전액", r"미만이면", r"결석 1회"],
    "completion": [r"출석률 \d", r"결석 1회 ·"],
    "my training": [r"수료 기준 \d", r"\d회마다"],
}


def test_every_rule_and_date_on_the_pages_carries_its_origin(world, login_as):
    pages = _pages(world, login_as)
    for name, page in pages.items():
        assert page.marked, f"{name}: no rule marked at all"
        missing = set(page.marked) - set(page.badges)
        assert not missing, f"{name}: rules without an origin badge: {missing}"
        assert set(page.badges.values()) <= set(OriginKind.values), name
        for pattern in UNMARKED_NEVER.get(name, []):
            found = re.search(pattern, page.rest)
            assert not found, f"{name}: rule value {found.group()!r} shown without its origin"
    # The call's scheme: every criterion and weight is marked, and the weights say whose.
    company = pages["company call"]
    assert company.marked[f"{MSS}.company_call.weights"] == ["40", "30", "30"]
    assert company.badges[f"{MSS}.company_call.weights"] == OriginKind.DEFAULT
    assert company.badges[f"{MSS}.company_call.criteria"] == OriginKind.SOURCE
    assert company.marked[f"{MSS}.company_call.cutoff"] == ["60점"]
    assert company.badges[f"{MSS}.company_call.hours"] == OriginKind.DEFAULT
    assert company.badges[f"{MSS}.company_call.closes"] == OriginKind.SOURCE
    group = pages["group call"]
    assert group.marked[f"{MSS}.operating_group_call.weights"] == ["30", "25", "25", "20"]
    assert group.badges[f"{MSS}.operating_group_call.opens"] == OriginKind.DEFAULT
    assert group.badges[f"{MSS}.operating_group_call.cutoff"] == OriginKind.DEFAULT
    assert company.marked[f"{MSS}.company_call.company_sizes"] == ["소기업·중기업"]
    assert company.badges[f"{MSS}.company_call.company_sizes"] == OriginKind.READING
    plan = pages["plan call"]
    assert plan.badges["complex-transformation-2021.plan_call.closes"] == OriginKind.DEFAULT
    assert plan.badges["complex-transformation-2021.plan_call.weights"] == OriginKind.DEFAULT
    assert plan.badges["complex-transformation-2021.plan_call.evaluators"] == OriginKind.SOURCE


def test_a_trainee_call_shows_who_may_apply_and_its_age_limit_with_their_origins(world):
    """The group's own window hours are its data; the rules screening applies are shown with
    their origin: the release's 구직자, and the 청년 age (ours) — another limit as the call's."""
    mss = Programme.objects.get(code=MSS)
    track1 = mss.tracks.get(code="track1")
    group = mss.operating_groups.get(zone="capital")
    youth, older = (
        factories.call(
            programme=mss,
            kind=CallKind.TRAINEE,
            track=track1,
            operating_group=group,
            title=f"수도권 Track1 교육생 모집 ({age})",
            eligibility={"max_age": age},
        )
        for age in (34, 39)
    )
    page = _page(Client(), reverse("recruitment:call_detail", args=[youth.pk]))
    assert page.badges[f"{MSS}.trainee_call.job_seekers"] == OriginKind.SOURCE
    assert page.marked[f"{MSS}.trainee_call.max_age"] == ["만 34세 이하"]
    assert page.badges[f"{MSS}.trainee_call.max_age"] == OriginKind.DEFAULT
    for pattern in (r"만 \d+세", r"구직자\("):
        assert not re.search(pattern, page.rest), pattern
    page = _page(Client(), reverse("recruitment:call_detail", args=[older.pk]))
    assert f"{MSS}.trainee_call.max_age" not in page.marked
    assert "만 39세 이하 (공고에서 정한 연령 상한)" in page.rest


def test_the_80_percent_rules_are_itda_defaults_with_their_precedent_not_the_release(
    world, login_as
):
    for key in (
        f"{MSS}.allowance.full_rate",
        f"{MSS}.training.completion_rate",
        f"{MSS}.training.incidents_per_absence",
    ):
        origin = RuleOrigin.objects.get(key=key)
        assert origin.kind == OriginKind.DEFAULT
        assert "국민내일배움카드" in origin.precedent
        assert "보도자료" not in origin.document and not origin.quote
    html = unescape(
        login_as(world["trainee"], Client()).get(reverse("payments:my_allowance")).content.decode()
    )
    page = Page(html)
    assert page.marked[f"{MSS}.allowance.full_rate"] == ["80% 이상이면 전액"]
    assert page.badges[f"{MSS}.allowance.full_rate"] == OriginKind.DEFAULT
    assert "itda 기본값 — 운영지침 확인 필요" in html
    assert "국민내일배움카드 훈련장려금" in html
    assert "근거: 중소벤처기업부" not in html
    # The monthly amount is the release's own words.
    assert page.badges[f"{MSS}.allowance.amount"] == OriginKind.SOURCE


def test_a_date_the_source_gives_as_a_month_is_shown_as_a_month(world):
    html = Client().get(reverse("programs:programme_detail", args=[MSS])).content.decode()
    page = Page(html)
    assert page.marked[f"{MSS}.window.internship"] == ["2026년 8월"]
    assert page.badges[f"{MSS}.window.internship"] == OriginKind.SOURCE
    assert "8월 1일" not in html and "8/1" not in html
    listing = Client().get(reverse("programs:programme_list")).content.decode()
    assert "2026년 8월" in listing and "8월 1일" not in listing
    # A period the source gives in years (2021. ~ 2022.) is shown in years.
    incheon = Page(
        Client()
        .get(reverse("programs:programme_detail", args=["incheon-smart-mfg-2021"]))
        .content.decode()
    )
    assert incheon.marked["incheon-smart-mfg-2021.period_start"] == ["2021년"]
    assert incheon.marked["incheon-smart-mfg-2021.period_end"] == ["2022년"]


def test_where_the_sources_disagree_the_page_says_so(world):
    html = unescape(Client().get(reverse("programs:programme_detail", args=[MSS])).content.decode())
    assert html.count("<strong>원문이 서로 다릅니다") == 2
    assert f'data-disagreement="{MSS}.internship.recipient"' in html
    assert f'data-disagreement="{MSS}.headcounts"' in html
    jeonbuk = TransformationPlan.objects.get(region__code="52", round_year=2021)
    html = unescape(
        Client().get(reverse("programs:plan_detail", args=[jeonbuk.pk])).content.decode()
    )
    # One overall notice for the targets (not only per-row marks), one for 익산제2 vs 익산일반산단.
    assert html.count("<strong>원문이 서로 다릅니다") == 2
    assert "공통 지표 없이" in html and "익산일반산단" in html


def test_the_operator_records_the_official_origin_with_who_and_when(world, login_as):
    key = f"{MSS}.allowance.full_rate"
    client = login_as(world["operator"], Client())
    listing = client.get(reverse("registry:rule_origins")).content.decode()
    assert f'data-origin-row="{key}"' in listing
    pk = RuleOrigin.objects.get(key=key).pk
    response = client.post(
        reverse("registry:rule_origin_confirm", args=[pk]),
        {
            "document": "2026 스마트제조 전문인력 육성사업 운영지침",
            "place": "제12조",
            "quote": "출석률 80% 이상",
        },
    )
    assert response.status_code == 302
    origin = RuleOrigin.objects.get(key=key)
    assert origin.kind == OriginKind.OFFICIAL
    assert origin.confirmed_by == world["operator"] and origin.confirmed_at is not None
    assert (origin.place, origin.precedent) == ("제12조", "")
    event = origin.events.order_by("pgh_id").last()
    assert event.kind == OriginKind.OFFICIAL and event.confirmed_by_id == world["operator"].pk
    # Every page now says 운영지침, and a new reference load leaves the operator's word alone.
    reference_load_all()
    assert RuleOrigin.objects.get(key=key).kind == OriginKind.OFFICIAL
    html = login_as(world["trainee"], Client()).get(reverse("payments:my_allowance"))
    assert Page(html.content.decode()).badges[key] == OriginKind.OFFICIAL


def test_only_the_operator_may_confirm_an_origin(world, login_as):
    key = f"{MSS}.company_call.cutoff"
    with pytest.raises(PermissionDenied):
        rule_origin_confirm(key=key, document="운영지침", actor=world["staff"])
    response = login_as(world["staff"], Client()).post(
        reverse("registry:rule_origin_confirm", args=[RuleOrigin.objects.get(key=key).pk]),
        {"document": "운영지침"},
    )
    assert response.status_code == 403
    assert RuleOrigin.objects.get(key=key).kind == OriginKind.DEFAULT


def test_the_registry_refuses_an_origin_without_what_its_kind_needs():
    for fields, message in (
        ({"kind": OriginKind.SOURCE, "document": "보도자료"}, "원문 인용"),
        ({"kind": OriginKind.READING, "document": "보도자료", "quote": "…"}, "어떻게 읽었는지"),
        ({"kind": OriginKind.DEFAULT}, "선례"),
        ({"kind": OriginKind.OFFICIAL, "document": "운영지침"}, "확인한 사람"),
    ):
        with pytest.raises(ValidationError, match=message):
            RuleOrigin(key="x.y", label="시험", **fields).full_clean()


def test_who_receives_the_internship_money_is_a_programme_setting_shown_as_a_reading(world):
    url = reverse("programs:programme_detail", args=[MSS])
    page = Page(Client().get(url).content.decode())
    assert page.marked[f"{MSS}.internship.recipient"] == ["인턴에게 인턴수당으로 지급"]
    assert page.badges[f"{MSS}.internship.recipient"] == OriginKind.READING
    Programme.objects.filter(code=MSS).update(internship_allowance_payee=InternshipPayee.COMPANY)
    html = Client().get(url).content.decode()
    assert Page(html).marked[f"{MSS}.internship.recipient"] == ["기업에 인건비 일부로 지원"]
    assert "인건비 지원 (기업 인턴십)" in html and "인턴수당 (기업 인턴십)" not in html
