"""The public reference pages: anyone, without logging in, can browse the seed data in Korean."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itda.programs.models import (
    IndustrialComplex,
    PlanSite,
    Region,
    SiteRole,
    TransformationPlan,
)
from itda.programs.services import reference_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(module_atomic):
    reference_load()


@pytest.fixture
def reference(loaded, db):
    """The reference data, loaded once for the module (each test's changes roll back)."""


def plan(region_code: str, year: int = 2021) -> TransformationPlan:
    return TransformationPlan.objects.get(region__code=region_code, round_year=year)


def get_ok(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["landing", "region_list", "complex_list", "plan_list", "programme_list"],
)
def test_list_pages_are_public(client, reference, name):
    html = get_ok(client, reverse(f"programs:{name}"))
    assert "로그인" in html  # the anonymous header, not a redirect to the login page


def test_landing_links_to_every_reference_page(client, reference):
    html = get_ok(client, reverse("programs:landing"))
    for name in ("region_list", "complex_list", "plan_list", "programme_list"):
        assert f'href="{reverse(f"programs:{name}")}"' in html
    assert "교육 → 연계 → 채용" in html


def test_region_list_shows_all_seventeen(client, reference):
    html = get_ok(client, reverse("programs:region_list"))
    for region in Region.objects.all():
        assert region.name in html
    assert "<caption>" in html and 'scope="col"' in html
    assert "수도권 스마트제조 전문인력 사업단" in html


def test_complex_list_and_detail_show_banwol_sihwa_figures(client, reference):
    html = get_ok(client, reverse("programs:complex_list"))
    assert "반월시화국가산업단지" in html
    assert "63.8조원 (12%)" in html
    assert "19,577개사 (15%)" in html
    assert "250,000명 (19%)" in html
    banwol = IndustrialComplex.objects.get(name="반월시화국가산업단지")
    detail = get_ok(client, reverse("programs:complex_detail", args=[banwol.pk]))
    assert "(기여도) 생산액 63.8조원(12%)" in detail
    assert "경기도" in detail and "거점산단" in detail


def test_plan_list_shows_committee_indicators_and_smart_green_counts(client, reference):
    html = get_ok(client, reverse("programs:plan_list"))
    assert "민간 평가위원 9인" in html
    for indicator in (
        "지역진단 전략성",
        "거점·연계지역 적절성",
        "혁신계획 타당성",
        "성과목표 실현가능성",
    ):
        assert indicator in html
    assert re.search(r"2020년</th><td[^>]*>7개", html)
    assert re.search(r"2021년</th><td[^>]*>10개", html)
    assert re.search(r"2025년</th><td[^>]*>15개", html)
    for p in TransformationPlan.objects.all():
        assert reverse("programs:plan_detail", args=[p.pk]) in html


def test_busan_plan_page_shows_both_targets_side_by_side(client, reference):
    html = get_ok(client, reverse("programs:plan_detail", args=[plan("26").pk]))
    assert "5조원" in html and "1.3조원" in html
    assert "생산액 5조 원 증대" in html and "생산 1.3조원 증대" in html
    assert "불일치" in html
    assert "itda-compare-col is-changed" in html
    # Where body and annex agree there is no disagreement marker: Gyeonggi's targets match.
    gyeonggi = get_ok(client, reverse("programs:plan_detail", args=[plan("41").pk]))
    assert "불일치" not in gyeonggi
    assert "일치" in gyeonggi


def test_plan_page_draws_hub_and_links_in_an_svg(client, reference):
    busan = plan("26")
    html = get_ok(client, reverse("programs:plan_detail", args=[busan.pk]))
    svg = html[html.index("<svg") : html.index("</svg>")]
    hub = busan.sites.get(role=SiteRole.HUB)
    assert hub.complex.name in svg
    links = busan.sites.exclude(role=SiteRole.HUB)
    assert links.count() == 4
    for site in links:
        assert site.complex.name in svg
        assert site.linkage_function in html
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html


def test_plan_page_highlights_the_smart_manufacturing_training_subproject(client, reference):
    html = get_ok(client, reverse("programs:plan_detail", args=[plan("48").pk]))
    assert "<mark>스마트제조고급 인력양성</mark>" in html
    assert "스마트제조 고급인력 양성" in html


def test_2020_plan_page_says_what_is_missing(client, reference):
    html = get_ok(client, reverse("programs:plan_detail", args=[plan("28", 2020).pk]))
    assert "남동국가산업단지" in html
    assert "경쟁력강화사업지구" in html
    assert "<svg" in html


def test_unknown_plan_and_programme_are_404(client, reference):
    missing = TransformationPlan.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("programs:plan_detail", args=[missing])).status_code == 404
    url = reverse("programs:programme_detail", args=["no-such-programme"])
    assert client.get(url).status_code == 404
    url = reverse("programs:complex_detail", args=[missing])
    assert client.get(url).status_code == 404


def test_mss_programme_page(client, reference):
    html = get_ok(client, reverse("programs:programme_detail", args=["mss-smart-mfg-2026"]))
    assert "400,000원" in html and "2,000,000원" in html
    assert "400명" in html and "80명" in html
    assert "480여 개사" in html and "600여 명" in html
    assert "2026년 5월 20일" in html and "2026년 6월 12일" in html and "2026년 6월 5일" in html
    assert html.count("스마트제조 전문인력 사업단") == 7
    assert "실제 사업단은 선정 후 입력" in html


def test_incheon_programme_page(client, reference):
    html = get_ok(client, reverse("programs:programme_detail", args=["incheon-smart-mfg-2021"]))
    for text in ("115억원", "80억원", "24억원", "11억원", "인하대학교", "한국폴리텍Ⅱ대학"):
        assert text in html
    assert "산업현장 스마트화관" in html and "479㎡" in html and "2022년 11월 18일" in html
    assert "오픈형 회의실(Business Zone)" in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_more_rows():
    """One more complex and plan with sites, so a per-row query would show up."""
    jeju = Region.objects.get(code="50")
    extra = IndustrialComplex.objects.create(name="시험산업단지", kind="general", region=jeju)
    extra_plan = TransformationPlan.objects.create(
        region=jeju, round_year=2022, status="preliminary", source_document="시험"
    )
    PlanSite.objects.create(plan=extra_plan, complex=extra, role=SiteRole.HUB)


@pytest.mark.parametrize(
    "name",
    ["landing", "region_list", "complex_list", "plan_list", "programme_list"],
)
def test_list_pages_run_a_constant_number_of_queries(
    client, reference, django_assert_max_num_queries, name
):
    url = reverse(f"programs:{name}")
    before = _queries(client, url)
    _add_more_rows()
    with django_assert_max_num_queries(before):
        client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)


def test_detail_pages_run_a_constant_number_of_queries(
    client, reference, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(reverse("programs:plan_detail", args=[plan("26").pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("programs:programme_detail", args=["mss-smart-mfg-2026"]))
    banwol = IndustrialComplex.objects.get(name="반월시화국가산업단지")
    with django_assert_max_num_queries(8):
        client.get(reverse("programs:complex_detail", args=[banwol.pk]))
