"""Reference data is public, paginated, nested, and read with a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda.api.tests.conftest import token_client
from itda.programs.models import (
    ComplexFigure,
    IndustrialComplex,
    KeyTask,
    PlanSite,
    PlanTarget,
    Programme,
    ProgrammeBudget,
    ProgrammeExecutor,
    ProgrammeWindow,
    Region,
    Room,
    SubProject,
    Track,
    TransformationPlan,
    Venue,
)

pytestmark = pytest.mark.django_db

_serial = iter(range(1, 10_000))


def add_reference(regions, *, count: int = 1) -> None:
    """``count`` more of everything the reference endpoints nest, each with children."""
    for _ in range(count):
        n = next(_serial)
        region = Region.objects.create(
            code=f"{50 + n:02d}", name=f"테스트도{n}", short_name=f"테{n}", zone="gangwon"
        )
        hub = IndustrialComplex.objects.create(
            name=f"거점산단{n}", kind="national", region=region, smart_green_year=2021
        )
        link = IndustrialComplex.objects.create(name=f"연계산단{n}", kind="general", region=region)
        for metric in ("production", "jobs"):
            ComplexFigure.objects.create(
                complex=hub, metric=metric, value=Decimal("63.8"), unit="조원", source_text="원문"
            )
        plan = TransformationPlan.objects.create(
            region=region, round_year=2021, status="preliminary", source_document="003"
        )
        PlanSite.objects.create(plan=plan, complex=hub, role="hub")
        PlanSite.objects.create(plan=plan, complex=link, role="linked_complex", order=1)
        for source in ("body", "annex"):
            PlanTarget.objects.create(
                plan=plan,
                indicator="생산액 증가",
                value=5,
                unit="조원",
                source=source,
                source_text=f"{source} 원문",
            )
        task = KeyTask.objects.create(plan=plan, name="일자리 창출")
        SubProject.objects.create(key_task=task, name="스마트제조 고급인력 양성")
        SubProject.objects.create(key_task=task, name="공동 물류센터")

        programme = Programme.objects.create(
            code=f"prog-{n}",
            name=f"사업{n}",
            ministry="중소벤처기업부",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            source_document="004",
        )
        Track.objects.create(programme=programme, code="T1", name="운영인력", placement_kind="ojt")
        Track.objects.create(programme=programme, code="T2", name="AI 개발", placement_kind="pbl")
        ProgrammeBudget.objects.create(programme=programme, source="national", amount_krw=10**9)
        ProgrammeWindow.objects.create(
            programme=programme, name="기업 모집", closes_on=datetime.date(2026, 6, 12)
        )
        ProgrammeExecutor.objects.create(
            programme=programme, name="중소벤처기업진흥공단", role="전담기관"
        )
        group = programme.operating_groups.create(name=f"사업단{n}", zone="gangwon")
        group.regions.add(region, regions["seoul"])
        venue = Venue.objects.create(
            name=f"스마트화관{n}",
            programme=programme,
            region=region,
            complex=hub,
            address="인천광역시 남동구",
            floor_area_m2=479,
        )
        Room.objects.create(venue=venue, name="교육장", kind="lecture", capacity=30)
        Room.objects.create(venue=venue, name="회의실", kind="meeting", capacity=8)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


LISTS = [
    "/api/v1/regions",
    "/api/v1/complexes",
    "/api/v1/plans",
    "/api/v1/programmes",
    "/api/v1/venues",
]


@pytest.mark.parametrize("path", LISTS)
def test_reference_lists_are_public(regions, path):
    add_reference(regions)
    response = Client().get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) > 0


@pytest.mark.parametrize("path", LISTS)
def test_reference_lists_take_a_fixed_number_of_queries(regions, path):
    add_reference(regions, count=1)
    client = Client()
    few = _queries(client, path)
    add_reference(regions, count=4)
    assert client.get(path).json()["count"] > 1
    assert _queries(client, path) == few


def test_regions_list_the_real_rows(regions):
    body = Client().get("/api/v1/regions").json()
    assert [(r["code"], r["name"], r["zone_label"]) for r in body["items"]] == [
        ("11", "서울특별시", "수도권"),
        ("26", "부산광역시", "동남권"),
        ("41", "경기도", "수도권"),
    ]


def test_complexes_carry_their_figures_and_filter_by_region(regions):
    add_reference(regions, count=2)
    hub = IndustrialComplex.objects.filter(name__startswith="거점산단").first()
    body = Client().get("/api/v1/complexes", {"region": hub.region.code}).json()
    assert {c["name"] for c in body["items"]} == {hub.name, hub.name.replace("거점", "연계")}
    detail = Client().get(f"/api/v1/complexes/{hub.pk}").json()
    assert detail["kind_label"] == "국가산업단지"
    assert {(f["metric_label"], f["value"], f["unit"]) for f in detail["figures"]} == {
        ("생산액", "63.80", "조원"),
        ("고용", "63.80", "조원"),
    }


def test_plan_detail_nests_sites_targets_tasks_and_subprojects(regions):
    add_reference(regions)
    plan = TransformationPlan.objects.get()
    listed = Client().get("/api/v1/plans").json()["items"][0]
    assert listed["hub"]["name"] == plan.sites.get(role="hub").complex.name
    detail = Client().get(f"/api/v1/plans/{plan.pk}").json()
    assert [s["role_label"] for s in detail["sites"]] == ["거점산단", "연계산단"]
    # The body and the annex may disagree; both are kept.
    assert sorted(t["source_label"] for t in detail["targets"]) == ["본문", "참고자료"]
    assert detail["key_tasks"][0]["name"] == "일자리 창출"
    assert [
        (s["name"], s["is_smart_manufacturing_training"])
        for s in detail["key_tasks"][0]["subprojects"]
    ] == [("스마트제조 고급인력 양성", True), ("공동 물류센터", False)]


def test_plan_detail_takes_a_fixed_number_of_queries(regions):
    add_reference(regions)
    plan = TransformationPlan.objects.get()
    client = Client()
    few = _queries(client, f"/api/v1/plans/{plan.pk}")
    for i in range(5):
        task = KeyTask.objects.create(plan=plan, name=f"과제{i}", order=i + 1)
        SubProject.objects.create(key_task=task, name=f"사업{i}")
    assert _queries(client, f"/api/v1/plans/{plan.pk}") == few


def test_programmes_nest_tracks_budgets_windows_executors_groups_and_venues(regions):
    add_reference(regions)
    programme = Programme.objects.get(code__startswith="prog-")
    detail = Client().get(f"/api/v1/programmes/{programme.pk}").json()
    assert [t["code"] for t in detail["tracks"]] == ["T1", "T2"]
    assert detail["tracks"][1]["placement_kind_label"] == "문제해결형(PBL) 직무훈련"
    # Track figures are national targets with the operator's tolerance, not hard seats.
    assert {"quota", "tolerance_pct"} <= set(detail["tracks"][1])
    assert detail["budgets"] == [
        {"source": "national", "source_label": "국비", "amount_krw": 1_000_000_000}
    ]
    assert detail["windows"][0]["closes_on"] == "2026-06-12"
    assert detail["executors"] == [{"name": "중소벤처기업진흥공단", "role": "전담기관"}]
    group = detail["operating_groups"][0]
    assert sorted(r["code"] for r in group["regions"]) == sorted(
        ["11", programme.venues.get().region.code]
    )
    assert "staff" not in group  # group staff are people, not reference data
    assert [r["name"] for r in detail["venues"][0]["rooms"]] == ["교육장", "회의실"]


def test_a_missing_reference_row_answers_404(regions):
    for path in ("/api/v1/complexes/999999", "/api/v1/plans/999999", "/api/v1/programmes/999999"):
        response = Client().get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "찾을 수 없습니다."}


def test_reference_lists_paginate(regions):
    add_reference(regions, count=3)
    client = Client()
    first = client.get("/api/v1/regions", {"page_size": 2}).json()
    second = client.get("/api/v1/regions", {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == Region.objects.count() == 6
    assert len(first["items"]) == len(second["items"]) == 2
    assert {r["id"] for r in first["items"]}.isdisjoint({r["id"] for r in second["items"]})


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin", "/api/v1/trainees"),
        ("seoul_staff", "/api/v1/trainees"),
        ("admin", "/api/v1/companies"),
        ("seoul_staff", "/api/v1/companies"),
        ("viewer", "/api/v1/stats/regions"),
    ],
)
def test_registry_lists_take_a_fixed_number_of_queries(cast, regions, who, path):
    from itda import factories

    client = token_client(cast[who])
    for key in ("seoul", "busan"):
        factories.TraineeFactory(region=regions[key])
        factories.CompanyFactory(region=regions[key])
    client.get(path)  # the token's first use writes last_used_at once
    few = _queries(client, path)
    for key in ("seoul", "gyeonggi", "busan"):
        factories.TraineeFactory.create_batch(4, region=regions[key])
        factories.CompanyFactory.create_batch(4, region=regions[key])
    assert _queries(client, path) == few
