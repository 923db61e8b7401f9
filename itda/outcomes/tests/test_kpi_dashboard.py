"""The 성과 지표 page: the viewer sees national and per-group totals with small counts
suppressed, a group's staff see their own group only, the operator sees everything; every rate
beside its formula; a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda.outcomes.tests.kpi_cast import build_cast

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
    assert "funnel-regions" not in page and "funnel-tracks" not in page  # totals only
    assert "itda 기본값 — 운영지침 확인 필요" in page


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


def test_the_operator_sees_everything(regions, admin, login_as):
    build_cast(regions, admin)
    page = _text(login_as(admin).get(URL))
    totals = _table(page, "funnel-totals")
    assert ">전국<" in totals and "수도권 사업단" in totals and "동남권 사업단" in totals
    assert "서울특별시" in _table(page, "funnel-regions")
    assert "Track1 테스트" in _table(page, "funnel-tracks")
    assert "37.5%" in page and "HRD-Net" in page


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
