"""Payment statements over the API: scoped exactly as the pages (staff their region's, a company
its wage support, a trainee their own; another's answers 404 like a missing one), names masked,
the arithmetic step by step, looks logged, in the OpenAPI schema."""

import pytest

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.api.api import api
from itda.api.errors import FORBIDDEN, NOT_FOUND
from itda.api.tests.conftest import session_client, token_client
from itda.payments.tests.money_world import AUGUST, internship_record, statement
from itda.programs.models import Company, Trainee

pytestmark = pytest.mark.django_db

ROUNDED = "10원 미만 버림(국고금 관리법 제47조) → 1,428,570원"


@pytest.fixture
def money(cast, regions):
    capital, dongnam = regions["capital_group"], regions["dongnam_group"]
    me = Trainee.objects.get(user=cast["trainee"])
    firm = Company.objects.get(managers=cast["company"])
    return {
        "mine": statement(
            group=capital,
            trainee=me,
            kind="internship_allowance",
            month=AUGUST,
            state="paid",
            record=internship_record(15),
            actor=cast["admin"],
        ),
        "company": statement(
            group=capital, company=firm, kind="wage_support", record=internship_record(21)
        ),
        "seoul_other": statement(
            group=capital, trainee=factories.TraineeFactory(region=regions["seoul"])
        ),
        "busan": statement(
            group=dongnam, trainee=factories.TraineeFactory(region=regions["busan"])
        ),
    }


def _ids(client, query="") -> set[int]:
    response = client.get(f"/api/v1/statements{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_each_role_lists_exactly_its_scope(cast, money):
    m = {k: s.pk for k, s in money.items()}
    assert _ids(token_client(cast["trainee"])) == {m["mine"]}
    assert _ids(token_client(cast["company"])) == {m["company"]}
    assert _ids(token_client(cast["seoul_staff"])) == {m["mine"], m["company"], m["seoul_other"]}
    assert _ids(token_client(cast["busan_staff"])) == {m["busan"]}
    assert _ids(session_client(cast["admin"])) == set(m.values())


def test_the_list_filters_masks_and_logs(cast, money):
    client = token_client(cast["seoul_staff"])
    assert _ids(client, "?kind=wage_support") == {money["company"].pk}
    assert _ids(client, "?state=paid&month=2026-08-15") == {money["mine"].pk}
    assert _ids(client, "?month=2026-07-01") == {money["company"].pk, money["seoul_other"].pk}
    assert client.get("/api/v1/statements?state=nope").status_code == 400
    assert client.get("/api/v1/statements?month=10000-01-01").status_code == 400
    rows = {r["id"]: r for r in client.get("/api/v1/statements").json()["items"]}
    mine = rows[money["mine"].pk]
    name = money["mine"].trainee.name
    assert mine["payee"] == {
        "type": "trainee",
        "id": money["mine"].trainee_id,
        "name": name[0] + "*" * (len(name) - 2) + name[-1],
    }
    assert (mine["month"], mine["period_last_day"], mine["amount_krw"]) == (
        "2026-08-01",
        "2026-08-31",
        1_428_570,
    )
    assert (mine["state"], mine["state_label"], mine["kind_label"]) == (
        "paid",
        "지급 완료",
        "인턴수당",
    )
    assert PersonalDataAccess.objects.filter(
        subject_type="payments.statement", action="list", actor=cast["seoul_staff"]
    ).exists()


def test_the_detail_carries_the_arithmetic(cast, money):
    response = token_client(cast["trainee"]).get(f"/api/v1/statements/{money['mine'].pk}")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["amount_krw"] == 1_428_570
    assert item["steps"][-1] == ROUNDED
    assert (
        "2,000,000원 × 15일 ÷ 21일(그 달 근무일) = 1,428,571.42…원 → 원 미만 버림 1,428,571원"
        in item["steps"]
    )
    log = PersonalDataAccess.objects.get(subject_type="payments.statement", action="view")
    assert (log.actor, log.subject_ids) == (cast["trainee"], [money["mine"].pk])


@pytest.mark.parametrize(
    ("who", "others"),
    [
        ("trainee", ["company", "seoul_other", "busan"]),
        ("company", ["mine", "seoul_other", "busan"]),
        ("busan_staff", ["mine", "company", "seoul_other"]),
        ("seoul_staff", ["busan"]),
    ],
)
def test_anothers_statement_answers_404_like_a_missing_one(cast, money, who, others):
    client = token_client(cast[who])
    missing = client.get("/api/v1/statements/999999999")
    assert missing.status_code == 404
    for key in others:
        response = client.get(f"/api/v1/statements/{money[key].pk}")
        assert response.status_code == 404, (who, key)
        assert response.json() == missing.json() == {"detail": NOT_FOUND}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EVALUATOR, Role.MENTOR])
def test_roles_without_statements_get_403(regions, money, role):
    client = token_client(factories.user(username=f"u_{role}", role=role))
    for url in ("/api/v1/statements", f"/api/v1/statements/{money['mine'].pk}"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json() == {"detail": FORBIDDEN}


def test_the_operations_are_in_the_openapi_schema():
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    assert "get" in paths["/api/v1/statements"]
    assert "get" in paths["/api/v1/statements/{statement_id}"]
    assert paths["/api/v1/statements"]["get"]["tags"] == ["지급 명세"]
