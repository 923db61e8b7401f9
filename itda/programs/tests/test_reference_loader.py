"""The reference data loader: what the seeds say ends up in the database, once."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from itda.programs.models import (
    ComplexFigure,
    IndustrialComplex,
    KeyTask,
    OperatingGroup,
    PlanSite,
    PlanTarget,
    Programme,
    ProgrammeBudget,
    Region,
    Room,
    SubProject,
    Track,
    TransformationPlan,
    Venue,
    Zone,
)
from itda.programs.services import reference_load, reference_load_all

pytestmark = pytest.mark.django_db

MODELS = (
    Region,
    IndustrialComplex,
    ComplexFigure,
    TransformationPlan,
    PlanSite,
    PlanTarget,
    KeyTask,
    SubProject,
    Programme,
    ProgrammeBudget,
    Track,
    OperatingGroup,
    Venue,
    Room,
)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def loaded(module_atomic):
    return reference_load_all()


@pytest.fixture
def reference(loaded, db):
    """What the first load returned; the data stays for the module (each test's changes roll
    back)."""
    return loaded


def test_headline_counts(reference):
    assert Region.objects.count() == 17
    assert TransformationPlan.objects.count() == 10
    assert Programme.objects.count() == 3  # MSS 2026, Incheon 2021–22, 대개조 2021 지역 선정
    assert OperatingGroup.objects.count() == 8  # the 7 MSS 사업단 and the 스마트화관 operator
    assert Track.objects.count() == 2
    assert Venue.objects.count() == 1
    assert Room.objects.count() == 4
    assert reference["region"] == 17
    assert reference["transformationplan"] == 10
    assert reference["created"] > 0


def test_regions_use_real_codes_and_the_special_self_governing_names(reference):
    codes = set(Region.objects.values_list("code", flat=True))
    assert codes == {
        "11", "26", "27", "28", "29", "30", "31", "36", "41",
        "43", "44", "46", "47", "48", "50", "51", "52",
    }  # fmt: skip
    assert Region.objects.get(code="11").name == "서울특별시"
    assert Region.objects.get(code="51").name == "강원특별자치도"
    assert Region.objects.get(code="52").name == "전북특별자치도"
    assert Region.objects.get(code="50").zone == Zone.JEJU


def test_loading_twice_changes_nothing(reference):
    before = table_counts()
    second = reference_load()
    assert table_counts() == before
    assert second["created"] == 0
    assert second["updated"] == 0
    assert second["deleted"] == 0
    # No duplicate by natural key.
    assert (
        IndustrialComplex.objects.values("name").distinct().count() == before["IndustrialComplex"]
    )


def test_loader_repairs_an_edited_row_and_prunes_stale_children(reference):
    busan = TransformationPlan.objects.get(region__code="26", round_year=2021)
    busan.vision = "틀린 비전"
    busan.save()
    stray = PlanTarget.objects.create(
        plan=busan, indicator="없는 지표", source="body", source_text="없음", order=99
    )
    result = reference_load()
    busan.refresh_from_db()
    assert busan.vision == "스마트 그린 모빌리티 & 글로벌 스마트물류 허브 구축"
    assert not PlanTarget.objects.filter(pk=stray.pk).exists()
    assert result["updated"] == 1
    assert result["deleted"] == 1


def test_management_command_prints_one_line(reference, capsys):
    call_command("load_reference")
    out = capsys.readouterr().out.strip()
    assert out.startswith("reference data loaded:")
    assert "\n" not in out
    assert "created=0" in out


def test_busan_keeps_both_production_targets_with_their_sources(reference):
    busan = TransformationPlan.objects.get(region__code="26", round_year=2021)
    body = busan.targets.get(indicator="생산액 증가", source="body")
    annex = busan.targets.get(indicator="생산액 증가", source="annex")
    assert (body.value, body.unit) == (Decimal("5"), "조원")
    assert (annex.value, annex.unit) == (Decimal("1.3"), "조원")
    assert body.source_text == "생산액 5조 원 증대"
    assert annex.source_text == "생산 1.3조원 증대"


def test_banwol_sihwa_figures(reference):
    banwol = IndustrialComplex.objects.get(name="반월시화국가산업단지")
    assert banwol.kind == "national"
    assert banwol.region.code == "41"
    assert banwol.smart_green_year == 2019
    figures = {f.metric: f for f in banwol.figures.all()}
    assert (figures["production"].value, figures["production"].unit) == (Decimal("63.8"), "조원")
    assert figures["production"].share_pct == Decimal("12")
    assert figures["firms"].value == 19577
    assert figures["firms"].share_pct == Decimal("15")
    assert figures["jobs"].value == 250000
    assert figures["jobs"].share_pct == Decimal("19")
    assert figures["jobs"].source_text == "고용 25만명(19%)"


def test_every_2021_plan_has_full_content_and_a_smart_manufacturing_training_subproject(
    reference,
):
    plans = TransformationPlan.objects.filter(round_year=2021)
    assert {p.region.short_name for p in plans} == {"경기", "경남", "부산", "울산", "전북"}
    for plan in plans:
        assert plan.main_industries and plan.vision and plan.governance
        assert 30 <= plan.requested_subproject_count <= 51
        assert plan.sites.filter(role="hub").count() == 1
        assert plan.sites.exclude(role="hub").exists()
        assert plan.targets.exists()
        assert 3 <= plan.key_tasks.count() <= 4
        subs = SubProject.objects.filter(key_task__plan=plan)
        assert [s for s in subs if s.is_smart_manufacturing_training], plan


def test_2020_plans_hold_only_what_the_seed_says(reference):
    plans = TransformationPlan.objects.filter(round_year=2020)
    hubs = {p.region.short_name: p.sites.get(role="hub").complex.name for p in plans}
    assert hubs == {
        "경북": "구미국가산업단지",
        "광주": "광주첨단국가산업단지",
        "대구": "성서일반산업단지",
        "인천": "남동국가산업단지",
        "전남": "여수국가산업단지",
    }
    for plan in plans:
        assert plan.status == "designated"
        assert plan.main_industries == "" and plan.vision == ""
        assert plan.requested_subproject_count is None
        assert not plan.targets.exists() and not plan.key_tasks.exists()
        assert plan.sites.count() == 1


def test_linked_sites_carry_their_linkage_function(reference):
    gyeonggi = TransformationPlan.objects.get(region__code="41", round_year=2021)
    pangyo = gyeonggi.sites.get(complex__name="판교제2테크노밸리")
    assert pangyo.role == "linked_complex"
    assert pangyo.linkage_function == "ICT혁신역량과 신산업 창업지원, 제조·ICT 융합 사업모델 창출"
    busan = TransformationPlan.objects.get(region__code="26", round_year=2021)
    assert busan.sites.filter(role="linked_area").count() == 2


def test_mss_2026_programme(reference):
    mss = Programme.objects.get(code="mss-smart-mfg-2026")
    assert (mss.target_companies, mss.target_trainees) == (480, 600)
    assert mss.training_allowance_monthly_krw == 400_000
    assert mss.training_months_max == 1
    assert mss.internship_allowance_monthly_krw == 2_000_000
    assert mss.internship_months_max == 3
    tracks = {t.code: t for t in mss.tracks.all()}
    assert (tracks["track1"].quota, tracks["track1"].placement_kind) == (400, "ojt")
    assert (tracks["track2"].quota, tracks["track2"].placement_kind) == (80, "pbl")
    windows = {w.name: w for w in mss.windows.all()}
    company = windows["참여기업(스마트제조 우수기업) 모집"]
    assert (company.opens_on.isoformat(), company.closes_on.isoformat()) == (
        "2026-05-20",
        "2026-06-12",
    )
    assert windows["사업단 모집"].closes_on.isoformat() == "2026-06-05"
    assert windows["우수기업 인턴십"].opens_on.isoformat() == "2026-08-01"


def test_seven_operating_groups_cover_all_seventeen_regions_once(reference):
    groups = OperatingGroup.objects.filter(programme__code="mss-smart-mfg-2026")
    assert groups.count() == 7
    covered = [r.code for g in groups for r in g.regions.all()]
    assert sorted(covered) == sorted(Region.objects.values_list("code", flat=True))
    capital = groups.get(zone=Zone.CAPITAL)
    assert capital.name == "수도권 스마트제조 전문인력 사업단"
    assert {r.short_name for r in capital.regions.all()} == {"서울", "인천", "경기"}
    assert {r.short_name for r in groups.get(zone=Zone.HONAM).regions.all()} == {
        "광주",
        "전북",
        "전남",
    }


def test_incheon_programme_budget_executors_and_venue(reference):
    incheon = Programme.objects.get(code="incheon-smart-mfg-2021")
    budget = {b.source: b.amount_krw for b in incheon.budgets.all()}
    assert budget == {
        "national": 8_000_000_000,
        "local": 2_400_000_000,
        "private": 1_100_000_000,
    }
    assert sum(budget.values()) == 11_500_000_000
    assert (incheon.starts_on.year, incheon.ends_on.year) == (2021, 2022)
    executors = set(incheon.executors.values_list("name", flat=True))
    assert {"인하대학교", "인천대학교", "한국폴리텍Ⅱ대학"} <= executors
    assert incheon.ministry == "산업통상자원부"
    assert incheon.managing_agency == "한국산업단지공단"
    venue = incheon.venues.get()
    assert venue.name == "산업현장 스마트화관"
    assert venue.floor_area_m2 == 479
    assert venue.opened_on.isoformat() == "2022-11-18"
    assert venue.complex.name == "남동국가산업단지"
    assert "능허대로 583" in venue.address
    assert set(venue.rooms.values_list("name", flat=True)) == {
        "강의·교육장",
        "전시공간",
        "사무실",
        "오픈형 회의실(Business Zone)",
    }
