"""The 성과 지표 page: the viewer sees national, per-group, per-권역 and per-시·도 totals with
small counts suppressed (and a second cell where a total would give one back), a group's staff
see their own group only, the operator sees everything; every rate beside its formula, every
chart beside its table; a constant number of queries."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.outcomes.tests.kpi_cast import build_cast
from itda.programs.models import Programme
from itda.recruitment.models import Application

pytestmark = pytest.mark.django_db

URL = "/kpis/"


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _table(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</table>', page)
    return match.group(1) if match else ""


def test_the_viewer_sees_totals_with_small_counts_suppressed(regions, admin, viewer, login_as):
    build_cast(regions, admin)
    page = _text(login_as(viewer).get(URL))
    totals = _table(page, "funnel-totals")
    # 전국 and 수도권: 10 10 10 8 6 5, then 3 and 2 hired, shown as <5; 동남권 has none: 0.
    assert (
        '<th scope="row">전국</th><td>10</td><td>10</td><td>10</td><td>8</td><td>6</td>' in totals
    )
    assert "<td>5</td><td>&lt;5</td><td>&lt;5</td>" in totals
    assert '<th scope="row">동남권 사업단</th><td>0</td>' in totals
    kpis = _table(page, "kpis-totals")
    assert "80.0%" in kpis and "수료 8 ÷ 수강 10 × 100" in kpis
    assert "75.0%" in kpis  # 연계 6 ÷ 수료 8
    # 3 and 2 hires are suppressed, and so is every rate built on them.
    for hidden in ("37.5%", "25.0%", "66.7%", "채용 3개월 3 ÷"):
        assert hidden not in page
    assert "채용 3개월 &lt;5 ÷ 수료 8 × 100" in kpis
    # Regional aggregates, never a split by track, company or group × 시·도.
    assert '<th scope="row">서울특별시</th><td>10</td>' in _table(page, "funnel-regions")
    assert '<th scope="row">수도권</th><td>10</td>' in _table(page, "funnel-zones")
    for detail in ("funnel-tracks", "funnel-company-kinds", "funnel-complexes", " · 서울"):
        assert detail not in page
    assert "itda 기본값 — 운영지침 확인 필요" in page
    _no_small_count_shown(page)


def _no_small_count_shown(page: str) -> None:
    """No table cell and no chart value of the page is a count of 1 to 4."""
    cells = re.findall(r"<td>(\d+)</td>", page)
    assert cells and not [n for n in cells if 0 < int(n) < 5]
    for config in re.findall(r'<script id="[^"]*" type="application/json">(.*?)</script>', page):
        for dataset in json.loads(config)["data"]["datasets"]:
            assert not [n for n in dataset["data"] if n is not None and 0 < n < 5]


def test_a_total_never_gives_a_hidden_count_back(regions, admin, viewer, login_as):
    build_cast(regions, admin)
    # Two applicants in 부산 to the 동남권 call: 전국 12 = 수도권 10 + 동남권 2 would give the
    # 2 back, so 수도권's 10 is withheld too, and the same in the 권역 and 시·도 tables.
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["dongnam_group"],
    )
    for _ in range(2):
        factories.application(call=call, trainee=factories.TraineeFactory(region=regions["busan"]))
    page = _text(login_as(viewer).get(URL))
    totals = _table(page, "funnel-totals")
    assert '<th scope="row">전국</th><td>12</td><td>10</td>' in totals
    assert '<th scope="row">수도권 사업단</th><td>비공개</td><td>10</td>' in totals
    assert '<th scope="row">동남권 사업단</th><td>&lt;5</td><td>0</td>' in totals
    zones = _table(page, "funnel-zones")
    assert '<th scope="row">수도권</th><td>비공개</td>' in zones
    assert '<th scope="row">동남권</th><td>&lt;5</td>' in zones
    regions_table = _table(page, "funnel-regions")
    assert '<th scope="row">서울특별시</th><td>비공개</td><td>10</td>' in regions_table
    assert '<th scope="row">부산광역시</th><td>&lt;5</td>' in regions_table
    # The charts leave both out as well.
    chart = json.loads(re.search(r'id="kpi-totals-chart" type="application/json">(.*?)<', page)[1])
    assert chart["data"]["datasets"][0]["data"] == [10, 10, 0]  # 선발: shown for all three
    _no_small_count_shown(page)


def test_every_chart_has_its_table_beside_it(regions, admin, login_as):
    build_cast(regions, admin)
    page = _text(login_as(admin).get(URL))
    charts = re.findall(r'data-itda-chart="([^"]+)"', page)
    assert {"kpi-funnel-chart", "kpi-totals-chart", "kpi-regions-chart"} <= set(charts)
    for chart in charts:
        # The canvas, its table in the same grid, and the JSON it is drawn from.
        grid = re.search(rf'data-itda-chart="{chart}".*?</table>', page)[0]
        assert "<table" in grid
        assert f'id="{chart}" type="application/json"' in page
    assert "vendor/chart.umd.min.js" in page and "cdn" not in page.lower()


def test_a_group_sees_only_its_own_region(regions, admin, seoul_staff, busan_staff, login_as):
    build_cast(regions, admin)
    busan = _text(login_as(busan_staff).get(URL))
    assert "수도권" not in busan and "전국" not in _table(busan, "funnel-totals")
    assert '<th scope="row">동남권 사업단</th><td>0</td>' in busan
    assert "서울" not in busan and "80.0%" not in busan
    seoul = _text(login_as(seoul_staff, the_client=None).get(URL))
    assert "동남권" not in seoul and ">전국<" not in seoul
    assert "37.5%" in seoul  # the group's own detail is not suppressed
    assert "수도권 사업단 · 서울특별시" in _table(seoul, "funnel-regions")
    assert "수도권 사업단 · Track1 테스트" in _table(seoul, "funnel-tracks")


def test_a_groups_dashboard_never_includes_another_regions_people(
    regions, admin, seoul_staff, busan_staff, login_as
):
    build_cast(regions, admin)
    build_cast(regions, admin, group=regions["dongnam_group"], region=regions["busan"])
    factories.TraineeFactory.create_batch(3, region=regions["busan"])
    for staff, own, other in (
        (seoul_staff, "수도권", ("동남권", "부산", "20")),
        (busan_staff, "동남권", ("수도권", "서울", "20")),
    ):
        page = _text(login_as(staff, the_client=None).get(URL))
        assert f"{own} 사업단 · " in _table(page, "funnel-regions")
        for word in other:
            assert f">{word}" not in page, (own, word)
        # The company splits (the cast's host company) are the group's own too.
        kinds = _table(page, "funnel-company-kinds")
        assert f"{own} 사업단 · 스마트공장 도입 제조기업</th><td>6</td>" in kinds


def test_the_operator_sees_everything(regions, admin, login_as):
    build_cast(regions, admin)
    page = _text(login_as(admin).get(URL))
    totals = _table(page, "funnel-totals")
    assert ">전국<" in totals and "수도권 사업단" in totals and "동남권 사업단" in totals
    assert "서울특별시" in _table(page, "funnel-regions")
    assert '<th scope="row">수도권</th><td>10</td>' in _table(page, "funnel-zones")
    # Against each target: the track's 400 and the national 600 (선발 10).
    tracks = _table(page, "funnel-tracks")
    assert "Track1 테스트</th><td>10</td>" in tracks and "<td>400</td><td>2.5%</td>" in tracks
    assert "HRD-Net" in page and "37.5%" in page
    # By the host company's kind: 6 placed, 5 interned, 3 and 2 hired.
    kinds = _table(page, "funnel-company-kinds")
    assert "스마트공장 도입 제조기업</th><td>6</td><td>5</td><td>3</td><td>2</td>" in kinds
    complexes = _table(page, "funnel-complexes")
    assert "서울 테스트 국가산업단지</th><td>6</td><td>5</td><td>3</td><td>2</td>" in complexes


def test_the_page_takes_a_constant_number_of_queries(regions, admin, login_as):
    client = login_as(admin)
    build_cast(regions, admin)
    with CaptureQueriesContext(connection) as small:
        _text(client.get(URL))
    build_cast(regions, admin, group=regions["dongnam_group"], region=regions["busan"])
    with CaptureQueriesContext(connection) as large:
        _text(client.get(URL))
    assert len(small) == len(large)


def test_other_roles_are_refused(regions, cast, login_as):
    for role in ("company", "trainee", "evaluator"):
        assert login_as(cast[role], Client()).get(URL).status_code == 403


def test_the_viewer_home_suppresses_small_counts_too(regions, cast, login_as):
    page = _text(login_as(cast["viewer"]).get("/viewer/"))
    # One company and one trainee, both in Seoul: "<5" in the table and the totals, left out
    # of the chart's data.
    assert '<th scope="row">서울특별시</th><td>&lt;5</td><td>&lt;5</td>' in page
    assert page.count('"data": [null, 0, 0]') == 2  # 서울, 부산, 경기: 기업 and 교육생
    assert "성과 지표" in page


def test_the_viewer_home_withholds_a_second_region(regions, viewer, login_as):
    factories.CompanyFactory.create_batch(2, region=regions["seoul"])
    factories.CompanyFactory.create_batch(6, region=regions["busan"])
    page = _text(login_as(viewer).get("/viewer/"))
    # 8 = 서울 2 + 부산 6 + 경기 0: showing 부산's 6 would give 서울's 2 back.
    assert '<th scope="row">서울특별시</th><td>&lt;5</td>' in page
    assert '<th scope="row">부산광역시</th><td>비공개</td>' in page
    assert "<strong>8</strong>" in page
    assert page.count('"data": [null, null, 0]') == 1  # 기업: both left out of the chart
    _no_small_count_shown(page)


def test_the_selected_companies_are_measured_against_the_company_target(
    regions, admin, viewer, login_as
):
    programme = regions["programme"]
    Programme.objects.filter(pk=programme.pk).update(target_companies=480)
    call = factories.call(programme=programme, kind="company")
    for _ in range(6):
        factories.application(
            call=call, company=factories.CompanyFactory(region=regions["seoul"]), result="selected"
        )
    factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"]), result="not_selected"
    )
    page = _text(login_as(admin).get(URL))
    assert "참여기업 선정 6개사, 달성률(참여기업 선정 ÷ 참여기업 목표 × 100) 1.2%" in page
    Application.objects.filter(call=call, result="selected").first().delete()
    viewer_page = _text(login_as(viewer, the_client=None).get(URL))
    # 5 selected: shown; the viewer reads the same measure.
    assert "참여기업 선정 5개사, 달성률(참여기업 선정 ÷ 참여기업 목표 × 100) 1.0%" in viewer_page
