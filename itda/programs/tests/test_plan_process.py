"""산단 대개조 as a process, on the real reference data (seed 003): stage moves and their trail,
refused moves, sub-project terms, progress against the body's and the annex's targets, and who
may see which plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from itda import factories
from itda.accounts.roles import Role
from itda.programs import plans, selectors
from itda.programs.models import (
    IndustrialComplex,
    OperatingGroup,
    PlanProgress,
    PlanStatus,
    PlanTransition,
    Region,
    TransformationPlan,
)
from itda.programs.services import reference_load


@pytest.fixture(scope="module")
def loaded(module_atomic):
    reference_load()


@pytest.fixture
def reference(loaded, db):
    """The reference data, loaded once for the module (each test's changes roll back)."""


@pytest.fixture
def operator(reference):
    return factories.user(username="plan_operator", role=Role.OPERATOR)


@pytest.fixture
def dongnam_staff(reference):
    """Staff of the MSS 동남권 group: 부산·울산·경남."""
    user = factories.user(username="dongnam_staff", role=Role.GROUP_STAFF)
    OperatingGroup.objects.get(programme__code="mss-smart-mfg-2026", zone="dongnam").staff.add(user)
    return user


def plan(region_code: str, year: int = 2021) -> TransformationPlan:
    return TransformationPlan.objects.get(region__code=region_code, round_year=year)


def trail(p: TransformationPlan) -> list[tuple[str, str]]:
    return list(p.transitions.order_by("pk").values_list("from_status", "to_status"))


def test_the_loader_records_the_seed_stage_and_a_reload_keeps_the_process_stage(operator):
    busan = plan("26")
    assert busan.status == PlanStatus.PRELIMINARY
    assert trail(busan) == [("", "preliminary")]
    assert busan.transitions.get().actor is None
    assert plan("47", 2020).status == PlanStatus.DESIGNATED

    plans.plan_transition(plan=busan, to=PlanStatus.REVIEW, actor=operator)
    reference_load()
    busan.refresh_from_db()
    assert busan.status == PlanStatus.REVIEW
    assert trail(busan) == [("", "preliminary"), ("preliminary", "review")]


def test_a_plan_walks_the_stages_and_each_move_is_a_trail_row(operator, login_as):
    jeju = TransformationPlan.objects.create(
        region=Region.objects.get(code="50"),
        round_year=2022,
        status=PlanStatus.APPLIED,
        source_document="시험",
    )
    plans.plan_transition(plan=jeju, to="consulting", actor=operator)
    plans.plan_transition(plan=jeju, to="applied", actor=operator, note="성과목표 근거 보완")
    plans.plan_transition(plan=jeju, to="consulting", actor=operator)
    plans.plan_transition(plan=jeju, to="evaluation", actor=operator)
    assert trail(jeju) == [
        ("applied", "consulting"),
        ("consulting", "applied"),
        ("applied", "consulting"),
        ("consulting", "evaluation"),
    ]
    back = jeju.transitions.get(to_status="applied")
    assert back.actor == operator and back.note == "성과목표 근거 보완" and back.at is not None

    # The rest of the line, through the operator's page.
    busan = plan("26")
    client = login_as(operator, Client())
    url = reverse("plans:plan_transition", args=[busan.pk])
    for to in ("review", "confirmed", "designated"):
        response = client.post(url, {"to": to, "note": f"{to} 메모"}, follow=True)
        assert response.status_code == 200
    busan.refresh_from_db()
    assert busan.status == PlanStatus.DESIGNATED
    assert trail(busan)[1:] == [
        ("preliminary", "review"),
        ("review", "confirmed"),
        ("confirmed", "designated"),
    ]
    page = client.get(reverse("plans:plan_manage", args=[busan.pk])).content.decode()
    assert "confirmed 메모" in page and "3년 지원(경쟁력강화사업지구 지정)" in page


@pytest.mark.parametrize(
    ("start", "to", "says"),
    [
        ("preliminary", "designated", "'예비선정' 단계에서 '3년 지원(경쟁력강화사업지구 지정)'"),
        ("applied", "evaluation", "'공모 접수' 단계에서 '평가'"),
        ("designated", "review", "옮길 수 없습니다"),
        ("not_selected", "review", "옮길 수 없습니다"),
        ("evaluation", "preliminary", "평가 결과를 공개할 때"),
        ("evaluation", "not_selected", "평가 결과를 공개할 때"),
        ("consulting", "applied", "보완할 내용을 메모에"),
    ],
)
def test_an_illegal_move_is_refused_in_korean_and_changes_nothing(operator, start, to, says):
    busan = plan("26")
    TransformationPlan.objects.filter(pk=busan.pk).update(status=start)
    before = PlanTransition.objects.count()
    with pytest.raises(plans.PlanError) as refused:
        plans.plan_transition(plan=busan, to=to, actor=operator)
    assert says in " ".join(refused.value.messages)
    busan.refresh_from_db()
    assert busan.status == start and PlanTransition.objects.count() == before


def test_only_the_operator_moves_a_plan(dongnam_staff, login_as):
    busan = plan("26")
    with pytest.raises(PermissionDenied):
        plans.plan_transition(plan=busan, to="review", actor=dongnam_staff)
    client = login_as(dongnam_staff, Client())
    response = client.post(reverse("plans:plan_transition", args=[busan.pk]), {"to": "review"})
    assert response.status_code == 403
    busan.refresh_from_db()
    assert busan.status == PlanStatus.PRELIMINARY


def test_a_refused_move_on_the_page_shows_the_reason(operator, login_as):
    busan = plan("26")
    client = login_as(operator, Client())
    response = client.post(
        reverse("plans:plan_transition", args=[busan.pk]), {"to": "designated"}, follow=True
    )
    assert "옮길 수 없습니다" in response.content.decode()
    busan.refresh_from_db()
    assert busan.status == PlanStatus.PRELIMINARY


def test_progress_is_read_against_both_the_body_and_the_annex_target(operator, login_as):
    """Busan: 생산액 5조원 in the body, 1.3조원 in the annex; both kept, both compared."""
    busan = plan("26")
    plans.progress_record(
        plan=busan,
        indicator="생산액 증가",
        value="0.2",
        unit="조원",
        as_of=datetime.date(2022, 12, 31),
        source="부산시 2022년 산단 대개조 추진실적",
        actor=operator,
    )
    client = login_as(operator, Client())
    response = client.post(
        reverse("plans:progress_add", args=[busan.pk]),
        {
            "indicator": "생산액 증가",
            "value": "0.65",
            "unit": "조원",
            "as_of": "2023-12-31",
            "source": "부산시 2023년 산단 대개조 추진실적",
        },
        follow=True,
    )
    assert "실적을 입력했습니다" in response.content.decode()
    entry = PlanProgress.objects.get(plan=busan, as_of=datetime.date(2023, 12, 31))
    assert entry.value == Decimal("0.65") and entry.entered_by == operator

    rows = {r.target.indicator: r for r in selectors.plan_progress_rows(busan)}
    production = rows["생산액 증가"]
    assert production.latest == entry  # the latest as-of day speaks
    assert len(production.entries) == 2
    assert production.target.body_display == "5조원"
    assert production.target.annex_display == "1.3조원"
    assert production.body_rate == "13%"  # 0.65 / 5
    assert production.annex_rate == "50%"  # 0.65 / 1.3
    assert rows["일자리 창출"].latest is None

    page = client.get(reverse("plans:plan_manage", args=[busan.pk])).content.decode()
    for text in ("목표 (본문)", "목표 (참고자료)", "5조원", "1.3조원", "0.65조원", "13%", "50%"):
        assert text in page, text
    assert "부산시 2023년 산단 대개조 추진실적" in page


def test_jobs_compare_across_the_count_units_and_money_converts(operator):
    busan = plan("26")
    plans.progress_record(
        plan=busan,
        indicator="일자리 창출",
        value=2500,
        unit="명",
        as_of=datetime.date(2023, 6, 30),
        source="고용보험 DB",
        actor=operator,
    )
    rows = {r.target.indicator: r for r in selectors.plan_progress_rows(busan)}
    # 1만 개 (body) and 1만명 (annex) read as one target, as the reference page reads them.
    assert rows["일자리 창출"].body_rate == rows["일자리 창출"].annex_rate == "25%"


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"indicator": "없는 지표"}, "수치 성과목표가 없습니다"),
        ({"unit": "개"}, "단위는 조원 중 하나"),
        ({"value": "-1"}, "0 이상"),
        ({"value": "많이"}, "숫자"),
        ({"as_of": datetime.date(2999, 1, 1)}, "오늘 이후"),
        ({"source": "  "}, "출처"),
    ],
)
def test_bad_progress_is_refused_and_nothing_is_stored(operator, fields, says):
    entry = {
        "indicator": "생산액 증가",
        "value": "1",
        "unit": "조원",
        "as_of": datetime.date(2023, 1, 1),
        "source": "부산시",
        **fields,
    }
    with pytest.raises(plans.PlanError) as refused:
        plans.progress_record(plan=plan("26"), actor=operator, **entry)
    assert says in " ".join(refused.value.messages)
    assert not PlanProgress.objects.exists()


def test_a_subproject_carries_budget_ministry_years_status_and_its_complexes(operator, login_as):
    busan = plan("26")
    training = next(
        sub for _task, sub in selectors.plan_smart_training(selectors.plan_detail(busan.pk))
    )
    hub = IndustrialComplex.objects.get(name="명지녹산국가산업단지")
    client = login_as(operator, Client())
    url = reverse("plans:subproject_edit", args=[training.pk])
    response = client.post(
        url,
        {
            "budget_krw": "11500000000",
            "ministry": "산업통상자원부",
            "starts_year": "2021",
            "ends_year": "2023",
            "status": "confirmed",
            "complexes": [hub.pk],
        },
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.budget_krw == 11_500_000_000 and training.ministry == "산업통상자원부"
    assert (training.starts_year, training.ends_year, training.status) == (2021, 2023, "confirmed")
    assert list(training.complexes.all()) == [hub]
    page = client.get(reverse("plans:plan_manage", args=[busan.pk])).content.decode()
    assert "11,500,000,000원" in page and "산업통상자원부" in page

    # A complex outside the plan, or years the wrong way round: refused, nothing changes.
    elsewhere = IndustrialComplex.objects.get(name="창원국가산업단지")
    with pytest.raises(plans.PlanError, match="대상지역이 아닌"):
        plans.subproject_update(
            subproject=training,
            actor=operator,
            budget_krw=1,
            ministry="",
            starts_year=None,
            ends_year=None,
            status="confirmed",
            complexes=[elsewhere],
        )
    response = client.post(
        url, {"budget_krw": "5", "starts_year": "2023", "ends_year": "2021", "status": "requested"}
    )
    assert "종료 연도는 시작 연도 이후" in response.content.decode()
    response = client.post(url, {"budget_krw": "1.5억", "status": "requested"})
    assert "원 단위 정수" in response.content.decode()
    training.refresh_from_db()
    assert training.budget_krw == 11_500_000_000 and list(training.complexes.all()) == [hub]


def test_staff_see_their_regions_plans_only(operator, dongnam_staff, login_as):
    busan, gyeonggi = plan("26"), plan("41")
    staff = login_as(dongnam_staff, Client())
    assert staff.get(reverse("plans:plan_manage", args=[busan.pk])).status_code == 200
    assert staff.get(reverse("plans:plan_manage", args=[gyeonggi.pk])).status_code == 404
    listed = staff.get(reverse("plans:plan_list")).content.decode()
    assert "부산광역시" in listed and "경기도" not in listed
    staff_page = staff.get(reverse("plans:plan_manage", args=[busan.pk])).content.decode()
    assert "단계 옮기기" not in staff_page and "실적 입력" not in staff_page
    assert staff.get(reverse("plans:subproject_edit", args=[1])).status_code == 403

    # The ministry viewer reads the aggregate overview (outcomes), not the staff pages.
    viewer = login_as(factories.user(username="ministry", role=Role.VIEWER), Client())
    assert viewer.get(reverse("plans:plan_manage", args=[gyeonggi.pk])).status_code == 403
    assert viewer.post(reverse("plans:progress_add", args=[busan.pk]), {}).status_code == 403

    company = login_as(factories.user(username="a_company", role=Role.COMPANY), Client())
    assert company.get(reverse("plans:plan_manage", args=[busan.pk])).status_code == 403
