"""Rounds over the API follow the pages' scope: a trainee sees their own choices and result,
a company its own rankings and placements, staff their regions; others get Korean errors."""

import pytest

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.api.errors import FORBIDDEN, NOT_FOUND
from itda.api.tests.conftest import session_client, token_client
from itda.matching import services
from itda.matching.tests.conftest import AFTER

pytestmark = pytest.mark.django_db


def _publish(ranked_round, staff):
    return services.round_publish(
        round_=ranked_round["round"], algorithm="trainee-proposing", actor=staff, now=AFTER
    )


def test_a_trainee_gets_only_their_own_choices_and_result(ranked_round, trainee, seoul_staff):
    round_, people, positions = (
        ranked_round["round"],
        ranked_round["people"],
        ranked_round["positions"],
    )
    me = people["me"]
    client = token_client(trainee)
    assert [r["id"] for r in client.get("/api/v1/rounds").json()] == [round_.pk]
    ranks = client.get(f"/api/v1/rounds/{round_.pk}/rankings").json()
    assert ranks["rankings"] == []
    assert [(c["trainee_id"], c["position_id"], c["rank"]) for c in ranks["choices"]] == [
        (me.pk, positions[n].pk, i) for i, n in enumerate("ABC", start=1)
    ]
    early = client.get(f"/api/v1/rounds/{round_.pk}/results")
    assert early.status_code == 404 and "발표하지 않은" in early.json()["detail"]
    run = _publish(ranked_round, seoul_staff)
    result = client.get(f"/api/v1/rounds/{round_.pk}/results").json()
    assert result["input_sha256"] == run.input_sha256
    (row,) = result["assignments"]
    assert (row["trainee_id"], row["position_id"], row["choice_rank"]) == (
        me.pk,
        positions["C"].pk,
        3,
    )
    assert row["trainee"] != me.name  # masked
    assert row["why_not"][1].endswith("기업이 회원님을 순위에 올리지 않음")


def test_a_company_gets_its_own_rankings_and_placements(ranked_round, company, seoul_staff):
    round_, people, positions = (
        ranked_round["round"],
        ranked_round["people"],
        ranked_round["positions"],
    )
    client = session_client(company)
    ranks = client.get(f"/api/v1/rounds/{round_.pk}/rankings").json()
    assert len(ranks["rankings"]) == 5 and len(ranks["choices"]) == 7
    _publish(ranked_round, seoul_staff)
    result = client.get(f"/api/v1/rounds/{round_.pk}/results").json()
    assert {(a["trainee_id"], a["position_id"]) for a in result["assignments"]} == {
        (people["me"].pk, positions["C"].pk),
        (people["t2"].pk, positions["A"].pk),
        (people["t3"].pk, positions["B"].pk),
        (people["t4"].pk, positions["C"].pk),
    }
    assert PersonalDataAccess.objects.filter(actor=company, path__contains="/results").exists()
    # After publication the positions offer only the seats still free.
    free = client.get(f"/api/v1/rounds/{round_.pk}/positions").json()
    assert [(p["id"], p["free_seats"]) for p in free] == [
        (positions["C"].pk, 1),
        (positions["D"].pk, 1),
    ]


def test_a_company_of_another_region_sees_nothing(ranked_round, regions):
    stranger = factories.user(username="busan_company", role="company")
    factories.CompanyFactory(region=regions["busan"]).managers.add(stranger)
    client = token_client(stranger)
    assert client.get("/api/v1/rounds").json() == []
    response = client.get(f"/api/v1/rounds/{ranked_round['round'].pk}/rankings")
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}


def test_staff_see_their_groups_rounds_whole_and_others_not(
    ranked_round, seoul_staff, busan_staff, viewer
):
    round_ = ranked_round["round"]
    _publish(ranked_round, seoul_staff)
    seoul = token_client(seoul_staff)
    ranks = seoul.get(f"/api/v1/rounds/{round_.pk}/rankings").json()
    assert len(ranks["choices"]) == 7 and len(ranks["rankings"]) == 5
    result = seoul.get(f"/api/v1/rounds/{round_.pk}/results").json()
    assert len(result["assignments"]) == 5
    assert sum(a["position_id"] is None for a in result["assignments"]) == 1
    busan = token_client(busan_staff)
    assert busan.get("/api/v1/rounds").json() == []
    assert busan.get(f"/api/v1/rounds/{round_.pk}/results").status_code == 404
    response = token_client(viewer).get("/api/v1/rounds")
    assert response.status_code == 403 and response.json() == {"detail": FORBIDDEN}
