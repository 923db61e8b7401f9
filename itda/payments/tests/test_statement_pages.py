"""Statement pages: the trainee sees their own statements with each amount's arithmetic, the
payment state and the totals (on a phone); the company its wage support; the operating group
its region's, masked, filtered and a page at a time, with the month's computation, approval and
the budget figures; the ministry viewer totals only. Another's statement is a 404 everywhere."""

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.payments.ledger import ledger_post
from itda.payments.models import Budget, Statement, StatementState, StatementTransition
from itda.payments.services import allowance_compute
from itda.programs.models import Company, Programme, Trainee

from .conftest import AFTER, record
from .money_world import AUGUST, JULY, internship_record, statement, training_record

pytestmark = pytest.mark.django_db

FULL_MONTH = "출석 인정 16차시 / 훈련 20차시 = 80% ≥ 80% → 400,000원"
# 2,000,000 × 15 / 21 = 1,428,571.42… → 1,428,571원 → 1,428,570원 (10원 미만 버림).
PRORATED = "2,000,000원 × 15일 ÷ 21일(그 달 근무일) = 1,428,571.42…원 → 원 미만 버림 1,428,571원"
ROUNDED = "10원 미만 버림(국고금 관리법 제47조) → 1,428,570원"


def _html(response) -> str:
    """The page's main content (no navigation, no footer)."""
    assert response.status_code == 200, response.status_code
    page = unescape(response.content.decode())
    return page.split('id="main-content"')[1].split("</main>")[0]


@pytest.fixture
def money(cast, regions):
    """The cast's trainee: July's training allowance paid, August's internship allowance
    approved; the cast's company: August's wage support for two interns in draft; a Seoul
    stranger's and a Busan trainee's statements."""
    capital, dongnam = regions["capital_group"], regions["dongnam_group"]
    me = Trainee.objects.get(user=cast["trainee"])
    me.name = "김쀍챱"  # outside the web font's subset: the PDF must still carry it
    me.save(update_fields=["name"])
    firm = Company.objects.get(managers=cast["company"])
    admin = cast["admin"]
    w = {
        "paid": statement(group=capital, trainee=me, state="paid", actor=admin),
        "approved": statement(
            group=capital,
            trainee=me,
            kind="internship_allowance",
            month=AUGUST,
            state="approved",
            record=internship_record(15),
            actor=admin,
        ),
        "company": statement(
            group=capital,
            company=firm,
            kind="wage_support",
            month=AUGUST,
            record=(2_000_000 + 1_428_570, internship_record(21)[1] + internship_record(15)[1]),
        ),
        "stranger": statement(
            group=capital,
            trainee=factories.TraineeFactory(region=regions["seoul"], name="박남남"),
            record=training_record(13, 20),
        ),
        "busan": statement(
            group=dongnam,
            trainee=factories.TraineeFactory(region=regions["busan"], name="최부산"),
            record=training_record(18, 20),
        ),
        "busan_company": statement(
            group=dongnam,
            company=factories.CompanyFactory(region=regions["busan"], name="부산정밀"),
            kind="wage_support",
            month=AUGUST,
            record=internship_record(20),
        ),
    }
    w["me"], w["firm"] = me, firm
    return w


def test_the_trainee_sees_each_statement_its_arithmetic_state_and_totals(cast, login_as, money):
    client = login_as(cast["trainee"], Client())
    html = _html(client.get("/money/me/"))
    assert FULL_MONTH in html and PRORATED in html and ROUNDED in html
    assert "2026년 7월 훈련수당" in html and "2026년 8월 인턴수당" in html
    assert "2026. 7. 1. ~ 7. 31." in html
    paid = html.split('data-testid="total-paid">')[1].split("<")[0]
    pending = html.split('data-testid="total-pending">')[1].split("<")[0]
    assert (paid, pending) == ("400,000원", "1,428,570원")
    assert "지급 완료" in html and "승인" in html
    # A PDF for the paid one only.
    assert f"/money/statements/{money['paid'].pk}/pdf/" in html
    assert f"/money/statements/{money['approved'].pk}/pdf/" not in html
    # Nobody else's: the stranger's 13/20 and the Busan trainee's 18/20 are not here.
    assert "13차시" not in html and "18차시" not in html and "기업 인건비" not in html
    log = PersonalDataAccess.objects.get(subject_type="payments.statement")
    assert sorted(log.subject_ids) == sorted([money["paid"].pk, money["approved"].pk])


def test_the_company_sees_its_wage_support_per_intern(cast, login_as, money):
    client = login_as(cast["company"], Client())
    html = _html(client.get("/money/me/"))
    assert "기업 인건비 지원" in html and "3,428,570원" in html
    assert "2,000,000원 × 21일 ÷ 21일(그 달 근무일) = 2,000,000원" in html and ROUNDED in html
    assert "훈련수당" not in html and "부산정밀" not in html
    assert "1,990,470원" not in html  # Busan's company: 2,000,000 × 20 / 21, cut


def test_the_phone_page_declares_the_viewport_and_uses_no_wide_table(cast, login_as, money):
    """At 375px the page stacks: cards and a definition list, not a table to scroll."""
    response = login_as(cast["trainee"], Client()).get("/money/me/")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in response.text
    main = _html(response)
    assert "<table" not in main and 'class="itda-card"' in main


def test_other_roles_are_refused_the_payee_page(cast, login_as, money):
    for who in ("seoul_staff", "viewer", "evaluator"):
        assert login_as(cast[who], Client()).get("/money/me/").status_code == 403


@pytest.mark.parametrize("kind", ["paid", "company", "busan"])
def test_another_payees_statement_answers_404(cast, login_as, money, kind):
    """The trainee may open their own and nothing else; the company likewise."""
    who = "company" if kind != "company" else "trainee"
    client = login_as(cast[who], Client())
    for suffix in ("", "pdf/"):
        assert client.get(f"/money/statements/{money[kind].pk}/{suffix}").status_code == 404
    denied = PersonalDataAccess.objects.filter(action="denied", subject_type="payments.statement")
    assert denied.count() == 2


def test_the_payee_opens_their_own_statement_with_its_steps(cast, login_as, money):
    html = _html(
        login_as(cast["trainee"], Client()).get(f"/money/statements/{money['approved'].pk}/")
    )
    assert PRORATED in html and ROUNDED in html and "김쀍챱" in html
    assert "승인</button>" not in html  # approving is staff's


def test_staff_list_their_regions_statements_masked_and_logged(cast, login_as, money):
    client = login_as(cast["seoul_staff"], Client())
    html = _html(client.get("/money/statements/"))
    assert "김*챱" in html and "박*남" in html and "김쀍챱" not in html and "박남남" not in html
    assert money["firm"].name in html
    assert "최*산" not in html and "부산정밀" not in html  # 동남권's
    log = PersonalDataAccess.objects.get(subject_type="payments.statement", action="list")
    assert sorted(log.subject_ids) == sorted(
        money[k].pk for k in ("paid", "approved", "company", "stranger")
    )
    busan = _html(login_as(cast["busan_staff"], Client()).get("/money/statements/"))
    assert "최*산" in busan and "부산정밀" in busan and "김*챱" not in busan
    everyone = _html(login_as(cast["admin"], Client()).get("/money/statements/"))
    assert "최*산" in everyone and "김*챱" in everyone


def _rows_shown(html: str) -> set[int]:
    return {int(part.split('"')[0]) for part in html.split('data-statement="')[1:]}


def test_the_list_filters_by_month_kind_and_state(cast, login_as, money):
    client = login_as(cast["seoul_staff"], Client())

    def shown(query):
        return _rows_shown(_html(client.get(f"/money/statements/?{query}")))

    assert shown("month=2026-07") == {money["paid"].pk, money["stranger"].pk}
    assert shown("month=2026-08&kind=wage_support") == {money["company"].pk}
    assert shown("state=paid") == {money["paid"].pk}
    assert shown("state=approved&month=2026-08") == {money["approved"].pk}
    # A bad filter is ignored, not a server error.
    assert len(shown("month=july&kind=nope")) == 4


def test_the_list_takes_the_same_queries_for_few_or_many(cast, login_as, money, regions):
    client = login_as(cast["seoul_staff"], Client())
    with CaptureQueriesContext(connection) as few:
        client.get("/money/statements/")
    for _ in range(12):
        statement(
            group=regions["capital_group"],
            company=factories.CompanyFactory(region=regions["seoul"]),
            kind="wage_support",
            month=AUGUST,
            record=internship_record(19),
        )
    with CaptureQueriesContext(connection) as many:
        html = _html(client.get("/money/statements/"))
    assert len(_rows_shown(html)) == 16
    assert len(many) == len(few)


def test_the_list_is_paginated(cast, login_as, money, regions):
    for _ in range(50):
        statement(
            group=regions["capital_group"],
            trainee=factories.TraineeFactory(region=regions["seoul"]),
            month=datetime.date(2026, 9, 1),
        )
    client = login_as(cast["seoul_staff"], Client())
    first = _rows_shown(_html(client.get("/money/statements/")))
    second = _rows_shown(_html(client.get("/money/statements/?page=2")))
    assert (len(first), len(second)) == (50, 4) and not first & second


def test_staff_see_a_statement_masked_with_its_steps_and_approve_a_draft(cast, login_as, money):
    stranger = money["stranger"]
    client = login_as(cast["seoul_staff"], Client())
    html = _html(client.get(f"/money/statements/{stranger.pk}/"))
    assert "박*남" in html and "박남남" not in html
    assert "출석 인정 13차시 / 훈련 20차시 = 65% < 80% → 400,000원 × 13 / 20 = 260,000원" in html
    response = client.post(f"/money/statements/{stranger.pk}/approve/")
    assert response.status_code == 302
    stranger.refresh_from_db()
    assert stranger.state == StatementState.APPROVED
    transition = StatementTransition.objects.get(statement=stranger)
    assert (transition.from_state, transition.to_state, transition.actor) == (
        "draft",
        "approved",
        cast["seoul_staff"],
    )
    # Twice: refused in Korean, nothing changes.
    again = client.post(f"/money/statements/{stranger.pk}/approve/", follow=True)
    assert "'승인' 상태의 지급 명세는 승인으로 바꿀 수 없습니다." in _html(again)
    assert StatementTransition.objects.filter(statement=stranger).count() == 1


def test_another_regions_staff_get_404_and_change_nothing(cast, login_as, money):
    stranger = money["stranger"]
    client = login_as(cast["busan_staff"], Client())
    for url in (
        f"/money/statements/{stranger.pk}/",
        f"/money/statements/{money['paid'].pk}/pdf/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/money/statements/{stranger.pk}/approve/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.state == StatementState.DRAFT
    for who in ("trainee", "company", "viewer"):
        response = login_as(cast[who], Client()).post(f"/money/statements/{stranger.pk}/approve/")
        assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.state == StatementState.DRAFT


def test_staff_compute_a_month_from_the_allowance_lines(cast, login_as, regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"], name="정칠월")
    )
    record(enrollment, sessions, ["present"] * 17)
    allowance_compute(as_of=AFTER)
    client = login_as(cast["seoul_staff"], Client())
    body = {
        "programme": regions["programme"].pk,
        "month": "2026-07",
        "kind": "training_allowance",
    }
    response = client.post("/money/statements/compute/", body, follow=True)
    html = _html(response)
    assert "2026년 7월 지급 명세를 계산했습니다: 신규 1건" in html
    made = Statement.objects.get(trainee=enrollment.trainee)
    assert (made.amount_krw, made.state, made.period_start) == (400_000, "draft", JULY)
    assert "정*월" in html and "출석 인정 17차시 / 훈련 20차시 = 85% ≥ 80% → 400,000원" not in html
    assert "출석 인정 17차시 / 훈련 20차시 = 85% ≥ 80% → 400,000원" in _html(
        client.get(f"/money/statements/{made.pk}/")
    )
    # Bad input: a clear Korean message, nothing computed.
    bad = client.post("/money/statements/compute/", {**body, "month": "7월"}, follow=True)
    assert "월을 2026-07 형식으로 입력하세요." in _html(bad)
    assert Statement.objects.count() == 1


def test_a_group_cannot_compute_a_programme_it_does_not_run(cast, login_as, regions):
    other = Programme.objects.create(
        code="other",
        name="다른 사업",
        ministry="중소벤처기업부",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        source_document="test",
    )
    client = login_as(cast["seoul_staff"], Client())
    body = {"programme": other.pk, "month": "2026-07", "kind": "training_allowance"}
    html = _html(client.post("/money/statements/compute/", body, follow=True))
    assert "계산할 수 있는 사업을 고르세요." in html


def test_the_budget_panel_reads_the_ledger(cast, login_as, money, regions):
    programme = regions["programme"]
    Budget.objects.create(
        programme=programme, source="national", kind="training_allowance", amount_krw=10_000_000
    )
    common = {"programme": programme, "source": "national", "kind": "training_allowance"}
    ledger_post(**common, entry_type="commit", amount_krw=800_000, memo="승인")
    ledger_post(**common, entry_type="pay", amount_krw=400_000, memo="지급")
    html = _html(login_as(cast["seoul_staff"], Client()).get("/money/statements/"))
    row = html.split('data-budget="national-training_allowance">')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
    assert [c.split(">", 1)[1] for c in cells] == [
        "국비",
        "훈련수당",
        "10,000,000원",
        "800,000원",
        "400,000원",
        "9,200,000원",
        # The group's share: entries of no statement of theirs.
        "0원",
        "0원",
    ]


def test_the_viewer_sees_totals_only_with_small_counts_hidden(cast, login_as, money, regions):
    for _ in range(5):
        statement(
            group=regions["dongnam_group"],
            trainee=factories.TraineeFactory(region=regions["busan"]),
            state="paid",
            actor=cast["admin"],
        )
    client = login_as(cast["viewer"], Client())
    html = _html(client.get("/money/totals/"))
    counts = [c.split("</td>")[0] for c in html.split('data-testid="count">')[1:]]
    # 동남권 July training: 1 draft + 5 paid = 6; every other cell has fewer than five.
    assert "6" in counts and counts.count("<5") == len(counts) - 1
    assert "2,000,000원" in html  # the five paid Busan months (400,000원 each)
    for name in ("김쀍챱", "김*챱", "박남남", "최부산", "부산정밀", money["firm"].name):
        assert name not in html
    for url in ("/money/statements/", "/money/me/", f"/money/statements/{money['paid'].pk}/"):
        assert client.get(url).status_code == 403
    assert login_as(cast["seoul_staff"], Client()).get("/money/totals/").status_code == 403
