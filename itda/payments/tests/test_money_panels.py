"""The money pages' programme-wide actions: the budget panel by funding source and kind for the
whole programme (operator) with the group's share (staff); the whole programme-month computed
in one action; the operator's income class, logged, with the recomputation it needs."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from itda import factories
from itda.payments.ledger import ledger_post
from itda.payments.models import AllowanceLine, Budget, Statement
from itda.payments.statements import statements_compute
from itda.programs.models import ProgrammeSetting, ProgrammeSettingChange

from .batch_world import approved
from .conftest import JULY, record

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode()).split('id="main-content"')[1]


def _cells(html: str, marker: str) -> list[str]:
    row = html.split(marker + ">")[1].split("</tr>")[0]
    return [c.split(">", 1)[1].split("</t")[0] for c in row.split("<t")[1:]]


@pytest.fixture
def spent(regions):
    """Budgets: 국비 10,000,000 and 지방비 5,000,000 for internships, 국비 3,000,000 for training.
    Committed: 2,000,000 (수도권) + 1,500,000 (동남권) 국비 internship money, of which the
    수도권 2,000,000 paid; 500,000 지방비 internship money of 동남권."""
    programme = regions["programme"]
    for source, kind, amount in (
        ("national", "internship_allowance", 10_000_000),
        ("local", "internship_allowance", 5_000_000),
        ("national", "training_allowance", 3_000_000),
    ):
        Budget.objects.create(programme=programme, source=source, kind=kind, amount_krw=amount)
    capital = approved(regions)
    dongnam = approved(regions, amount=2_000_000, group="dongnam_group")
    common = {"programme": programme, "kind": "internship_allowance", "memo": "테스트"}
    ledger_post(**common, source="national", entry_type="commit", amount_krw=2_000_000,
                statement=capital)  # fmt: skip
    ledger_post(**common, source="national", entry_type="pay", amount_krw=2_000_000,
                statement=capital)  # fmt: skip
    ledger_post(**common, source="national", entry_type="commit", amount_krw=1_500_000,
                statement=dongnam)  # fmt: skip
    ledger_post(**common, source="local", entry_type="commit", amount_krw=500_000,
                statement=dongnam)  # fmt: skip


def test_the_operator_sees_the_whole_programmes_budget_by_source_and_kind(spent, cast, login_as):
    html = _main(login_as(cast["admin"], Client()).get("/money/statements/"))
    assert _cells(html, 'data-budget="national-internship_allowance"') == [
        "국비", "인턴수당", "10,000,000원", "3,500,000원", "2,000,000원", "6,500,000원",
    ]  # fmt: skip
    # 국비: 13,000,000 budget (10,000,000 + 3,000,000), 3,500,000 committed, 9,500,000 left.
    assert _cells(html, 'data-budget-source="국비"') == [
        "재원 소계: 국비", "13,000,000원", "3,500,000원", "2,000,000원", "9,500,000원",
    ]  # fmt: skip
    assert _cells(html, 'data-budget-source="지방비"')[1:] == [
        "5,000,000원", "500,000원", "0원", "4,500,000원",
    ]  # fmt: skip
    # 인턴수당 over both sources: 15,000,000, 4,000,000 committed.
    assert _cells(html, 'data-budget-kind="인턴수당"')[1:] == [
        "15,000,000원", "4,000,000원", "2,000,000원", "11,000,000원",
    ]  # fmt: skip
    assert _cells(html, "data-budget-total")[1:] == [
        "18,000,000원", "4,000,000원", "2,000,000원", "14,000,000원",
    ]  # fmt: skip
    assert "사업단 약정" not in html
    assert "itda 기본값" in html


def test_group_staff_see_the_programme_and_their_groups_share(spent, cast, login_as):
    html = _main(login_as(cast["seoul_staff"], Client()).get("/money/statements/"))
    # The programme's figures, then the 수도권 share: its 2,000,000 committed and paid.
    assert _cells(html, 'data-budget="national-internship_allowance"') == [
        "국비", "인턴수당", "10,000,000원", "3,500,000원", "2,000,000원", "6,500,000원",
        "2,000,000원", "2,000,000원",
    ]  # fmt: skip
    assert _cells(html, 'data-budget="local-internship_allowance"')[-2:] == ["0원", "0원"]
    busan = _main(login_as(cast["busan_staff"], Client()).get("/money/statements/"))
    assert _cells(busan, 'data-budget="national-internship_allowance"')[-2:] == [
        "1,500,000원",
        "0원",
    ]
    assert _cells(busan, 'data-budget="local-internship_allowance"')[-2:] == ["500,000원", "0원"]


def test_staff_compute_the_whole_programme_month_in_one_action(
    regions, july_cohort, cast, login_as
):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 16)
    assert not AllowanceLine.objects.exists()
    client = login_as(cast["seoul_staff"], Client())
    response = client.post(
        "/money/statements/compute/",
        {"programme": regions["programme"].pk, "month": "2026-07", "kind": ""},
        follow=True,
    )
    # The cohort's allowance lines and the month's statements of every kind, in one action.
    assert AllowanceLine.objects.filter(enrollment=enrollment).count() == 1
    (statement,) = Statement.objects.filter(trainee=enrollment.trainee)
    assert (statement.kind, statement.amount_krw) == ("training_allowance", 400_000)
    html = unescape(response.content.decode())
    assert "2026년 7월 전체 지급 명세를 계산했습니다" in html
    assert "훈련수당 신규 1건" in html and "인턴수당 신규 0건" in html
    # Again: nothing changes.
    client.post(
        "/money/statements/compute/",
        {"programme": regions["programme"].pk, "month": "2026-07", "kind": ""},
    )
    assert Statement.objects.get().pk == statement.pk


def _settings(programme) -> str:
    return reverse("outcomes:programme_settings", kwargs={"code": programme.code})


def test_the_operator_sets_the_income_class_logged_and_the_next_computation_withholds(
    regions, july_cohort, admin, login_as
):
    programme = regions["programme"]
    client = login_as(admin, Client())
    page = _main(client.get(_settings(programme)))
    assert "itda 기본값" in page and "원천징수 없음" in page
    response = client.post(
        _settings(programme),
        {"form": "income", "income-income_class": "business", "income-reason": "사업 지침 확정"},
        follow=True,
    )
    programme.refresh_from_db()
    assert programme.income_class == "business"
    change = ProgrammeSettingChange.objects.get(programme=programme)
    assert (change.setting, change.old_value, change.new_value, change.reason) == (
        ProgrammeSetting.INCOME_CLASS,
        "원천징수 없음",
        "사업소득",
        "사업 지침 확정",
    )
    html = unescape(response.content.decode())
    assert "산정 상태의 명세는 지급 명세 화면에서 다시 계산하면" in html
    # 400,000 gross: 사업소득 3% = 12,000 + 지방소득세 1,200 = 13,200 withheld → 386,800.
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 20)
    from itda.payments.services import allowance_compute

    allowance_compute(cohorts=[cohort.pk])
    statements_compute(programme=programme, month=JULY[0], kind="training_allowance")
    statement = Statement.objects.get(trainee=enrollment.trainee)
    assert (statement.gross_krw, statement.amount_krw) == (400_000, 386_800)


def test_only_the_operator_sets_the_income_class(regions, cast, login_as):
    programme = regions["programme"]
    client = login_as(cast["seoul_staff"], Client())
    assert client.get(_settings(programme)).status_code == 403
    response = client.post(
        _settings(programme),
        {"form": "income", "income-income_class": "other", "income-reason": "임의 변경"},
    )
    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.income_class is None
    # The operator without a reason: refused in Korean, nothing changed.
    response = login_as(cast["admin"], Client()).post(
        _settings(programme), {"form": "income", "income-income_class": "other"}
    )
    assert response.status_code == 400
    assert "변경 사유를 입력하세요." in response.content.decode()
    assert not ProgrammeSettingChange.objects.exists()
