"""Internship agreements over the API: the caller's scope only (another region's, company's or
intern's internship answers 404 like a missing one), the parties' moves with the service's rules
(a stale version is refused in Korean and changes nothing), masked names, logged looks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.api.errors import FORBIDDEN, INVALID_INPUT, NOT_FOUND
from itda.api.tests.conftest import session_client, token_client
from itda.internships import agreements
from itda.internships.models import Internship, InternshipAcceptance, StartWave
from itda.internships.tests.conftest import WAVE_FIRST, more_internships, propose
from itda.internships.tests.conftest import setup as agreement_world  # noqa: F401 - a fixture
from itda.lib import masking
from itda.programs.models import Trainee

pytestmark = pytest.mark.django_db

STALE = "협약 내용이 바뀌었습니다. 바뀐 내용을 읽고 다시 수락하세요."


@pytest.fixture
def agreement(agreement_world):  # noqa: F811 - the imported fixture
    """The agreements tests' world: a placement of 수도권 사업단, a wave, a mentor."""
    return agreement_world


@pytest.fixture
def internship(agreement, seoul_staff):
    return propose(agreement, seoul_staff)


@pytest.fixture
def strangers(regions, busan_staff):
    """Side B: 부산 staff, another company's manager, another trainee, another company's mentor."""
    other_manager = factories.user(username="other_company", role=Role.COMPANY)
    other_company = factories.CompanyFactory(region=regions["seoul"])
    other_company.managers.add(other_manager)
    other_trainee = factories.user(username="other_trainee", role=Role.TRAINEE)
    factories.TraineeFactory(user=other_trainee, region=regions["seoul"])
    other_mentor, _ = agreements.mentor_create(
        company=other_company, username="other_mentor", name="박멘토", actor=other_manager
    )
    return {
        "busan_staff": busan_staff,
        "other_company": other_manager,
        "other_trainee": other_trainee,
        "other_mentor": other_mentor.user,
    }


def _url(internship, action=""):
    return f"/api/v1/internships/{internship.pk}" + (f"/{action}" if action else "")


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


# --- list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["seoul_staff", "company", "trainee", "admin"])
def test_the_parties_and_the_operator_list_the_internship(cast, internship, who):
    body = token_client(cast[who]).get("/api/v1/internships").json()
    assert [row["id"] for row in body["items"]] == [internship.pk]
    row = body["items"][0]
    assert row["state"] == "proposed" and row["state_label"] == "협약 대기"
    assert row["terms_version"] == 1 and row["wave"]["label"] == "2026년 8월 1차"
    assert row["mentor"] == {"name": "김*토", "title": "생산팀장"}


def test_the_mentor_lists_their_companys_internships(agreement, internship):
    body = token_client(agreement["mentor"].user).get("/api/v1/internships").json()
    assert [row["id"] for row in body["items"]] == [internship.pk]


def test_strangers_list_nothing(internship, strangers):
    for user in strangers.values():
        body = token_client(user).get("/api/v1/internships").json()
        assert body == {"items": [], "count": 0, "page": 1, "pages": 1}, user


@pytest.mark.parametrize("who", ["viewer", "evaluator"])
def test_viewers_and_evaluators_get_403(cast, internship, who):
    client = token_client(cast[who])
    for path in ("/api/v1/internships", _url(internship)):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json() == {"detail": FORBIDDEN}


def test_the_list_masks_the_intern_and_logs_the_page(seoul_staff, internship):
    name = internship.placement.trainee.name
    response = token_client(seoul_staff).get("/api/v1/internships")
    assert name not in response.content.decode()
    assert response.json()["items"][0]["intern"]["name"] == masking.mask_name(name)
    row = PersonalDataAccess.objects.get()
    assert (row.action, row.subject_type, row.subject_ids) == (
        "list",
        "internships.internship",
        [internship.pk],
    )
    assert "no-store" in response["Cache-Control"]


def test_the_list_filters_by_state_programme_and_wave(
    agreement, internship, seoul_staff, company, admin, regions
):
    (other,) = more_internships(agreement, seoul_staff, company, admin, regions, 1)
    agreements.internship_cancel(internship=other, reason="중복 제안", actor=seoul_staff)
    client = token_client(seoul_staff)

    def ids(**query):
        return [row["id"] for row in client.get("/api/v1/internships", query).json()["items"]]

    assert ids() == [internship.pk, other.pk]
    assert ids(state="proposed") == [internship.pk]
    assert ids(state="cancelled") == [other.pk]
    assert ids(programme=regions["programme"].pk) == [internship.pk, other.pk]
    assert ids(programme=987654) == []
    wave = StartWave.objects.get()
    assert ids(wave=wave.pk, state="cancelled") == [other.pk]
    assert ids(wave=987654) == []


@pytest.mark.parametrize("query", [{"state": "finished"}, {"programme": "abc"}, {"wave": 0}])
def test_a_bad_filter_answers_a_korean_400(seoul_staff, internship, query):
    response = token_client(seoul_staff).get("/api/v1/internships", query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == INVALID_INPUT
    assert body["errors"][0]["field"] == next(iter(query))


def test_the_list_takes_the_same_queries_for_one_or_many(
    agreement, internship, seoul_staff, company, admin, regions
):
    client = token_client(seoul_staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/internships").status_code == 200
        return len(queries)

    client.get("/api/v1/me")  # the token's first use of the minute writes last_used_at
    one = count()
    more_internships(agreement, seoul_staff, company, admin, regions, 4)
    assert client.get("/api/v1/internships").json()["count"] == 5
    assert count() == one


# --- detail ------------------------------------------------------------------------------------


def test_the_detail_shows_terms_acceptance_and_mentor_masked(agreement, internship, company):
    agreements.internship_accept(internship=internship, version=1, actor=company)
    response = token_client(company).get(_url(internship))
    assert response.status_code == 200
    body = response.json()
    assert (body["starts_on"], body["ends_on"]) == ("2026-08-03", "2026-10-31")
    assert (body["days_per_week"], body["hours_per_week"]) == (5, 40)
    assert body["workplace"] == "서울 구로구 디지털로 1"
    assert body["agreement_version"] == "itda 인턴십 협약서 2026-1 · 버전 1"
    assert body["my_party"] == "company"
    assert body["mentor"] == {"name": "김*토", "title": "생산팀장"}
    assert body["monthly_amount_krw"] == 2_000_000
    by_party = {a["party"]: a for a in body["acceptances"]}
    assert list(by_party) == ["company", "intern", "group"]
    assert by_party["company"]["accepted"] is True
    assert by_party["company"]["text_version"] == "itda 인턴십 협약서 2026-1 · 버전 1"
    assert by_party["intern"] == {
        "party": "intern",
        "party_label": "인턴",
        "accepted": False,
        "accepted_at": None,
        "accepted_by": None,
        "text_version": None,
    }
    text = response.content.decode()
    assert internship.placement.trainee.name not in text and "김멘토" not in text
    assert PersonalDataAccess.objects.get().action == "view"


def test_another_scopes_internship_answers_404_like_a_missing_one(internship, strangers):
    for user in strangers.values():
        client = token_client(user)
        other = client.get(_url(internship))
        missing = client.get("/api/v1/internships/987654321")
        assert other.status_code == missing.status_code == 404, user
        assert other.json() == missing.json() == {"detail": NOT_FOUND}
        assert "설비 운영 인턴" not in other.content.decode()
    denied = PersonalDataAccess.objects.filter(action="denied")
    assert denied.count() == len(strangers)
    assert {tuple(row.subject_ids) for row in denied} == {(internship.pk,)}


# --- moves -------------------------------------------------------------------------------------


def test_the_three_parties_accept_through_the_api(internship, company, trainee, seoul_staff):
    for user in (company, trainee):
        response = _post(token_client(user), _url(internship, "accept"), {"version": 1})
        assert response.status_code == 200
        assert response.json()["state"] == "proposed"
    response = _post(session_client(seoul_staff), _url(internship, "accept"), {"version": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "active" and all(a["accepted"] for a in body["acceptances"])
    internship.refresh_from_db()
    assert internship.state == "active"
    assert sorted(internship.acceptances.values_list("party", flat=True)) == [
        "company",
        "group",
        "intern",
    ]


def test_a_stale_version_is_refused_in_korean_and_nothing_changes(
    agreement, internship, company, seoul_staff
):
    agreements.internship_terms_change(
        internship=internship, workplace="서울 금천구 가산로 9", actor=seoul_staff
    )
    response = _post(token_client(company), _url(internship, "accept"), {"version": 1})
    assert response.status_code == 409
    assert response.json() == {"detail": STALE}
    assert not InternshipAcceptance.objects.exists()
    response = _post(token_client(company), _url(internship, "accept"), {"version": 2})
    assert response.status_code == 200


def test_accepting_twice_or_in_a_closed_state_is_refused(internship, company, trainee):
    client = token_client(company)
    assert _post(client, _url(internship, "accept"), {"version": 1}).status_code == 200
    again = _post(client, _url(internship, "accept"), {"version": 1})
    assert (again.status_code, again.json()["detail"]) == (409, "이 협약 버전은 이미 수락했습니다.")
    _post(token_client(trainee), _url(internship, "decline"), {"reason": "다른 기업에 취업"})
    late = _post(token_client(trainee), _url(internship, "accept"), {"version": 1})
    assert late.status_code == 409
    assert late.json()["detail"] == "'거절' 상태의 인턴십은 수락할 수 없습니다."
    assert InternshipAcceptance.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"version": 0}, {"version": "x"}])
def test_a_bad_accept_body_answers_400(internship, company, body):
    response = _post(token_client(company), _url(internship, "accept"), body)
    assert response.status_code == 400
    assert response.json()["detail"] == INVALID_INPUT
    assert not InternshipAcceptance.objects.exists()


def test_the_intern_declines_with_a_reason(internship, trainee):
    response = _post(token_client(trainee), _url(internship, "decline"), {"reason": " 진학 "})
    assert response.status_code == 200
    assert response.json()["state"] == "declined"
    internship.refresh_from_db()
    assert internship.placement.state == "cancelled"
    assert internship.transitions.last().note == "인턴 거절: 진학"


def test_a_decline_needs_a_reason_and_a_declining_role(internship, trainee, seoul_staff, agreement):
    short = _post(token_client(trainee), _url(internship, "decline"), {"reason": " 네 "})
    assert short.status_code == 400
    assert short.json()["errors"][0]["message"] == "2자 이상 입력하세요."
    for user in (seoul_staff, agreement["mentor"].user):
        response = _post(token_client(user), _url(internship, "decline"), {"reason": "사정 변경"})
        assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.state == "proposed"


def test_staff_cancel_with_a_reason_and_others_may_not(internship, seoul_staff, company):
    refused = _post(token_client(company), _url(internship, "cancel"), {"reason": "중복 제안"})
    assert refused.status_code == 403
    response = _post(token_client(seoul_staff), _url(internship, "cancel"), {"reason": "중복 제안"})
    assert response.status_code == 200
    internship.refresh_from_db()
    assert internship.state == "cancelled"
    assert internship.transitions.last().note == "중복 제안"
    again = _post(token_client(seoul_staff), _url(internship, "cancel"), {"reason": "중복 제안"})
    assert again.status_code == 409
    assert "취소" in again.json()["detail"]


def test_strangers_moves_answer_404_and_change_nothing(internship, strangers):
    moves = {
        "accept": {"version": 1},
        "decline": {"reason": "남의 협약"},
        "cancel": {"reason": "남의 협약"},
    }
    for name, user in strangers.items():
        client = token_client(user)
        for action, body in moves.items():
            response = _post(client, _url(internship, action), body)
            # A role that never makes this move is refused first (403); a party of another
            # scope gets exactly the missing-record answer.
            assert response.status_code in (403, 404), (name, action)
            if response.status_code == 404:
                assert response.json() == {"detail": NOT_FOUND}
        own_moves = {
            "busan_staff": ("accept", "cancel"),
            "other_company": ("accept", "decline"),
            "other_trainee": ("accept", "decline"),
        }.get(name, ())
        for action in own_moves:
            assert _post(client, _url(internship, action), moves[action]).status_code == 404
    internship.refresh_from_db()
    assert (internship.state, internship.acceptances.count()) == ("proposed", 0)


def test_a_session_move_needs_the_csrf_token(internship, company):
    client = session_client(company)
    client.handler.enforce_csrf_checks = True
    response = _post(client, _url(internship, "accept"), {"version": 1})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not InternshipAcceptance.objects.exists()
    client.get("/api/v1/docs")  # sets the CSRF cookie, as the site's pages do
    response = client.post(
        _url(internship, "accept"),
        {"version": 1},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 200


def test_a_move_is_logged_as_an_update(internship, trainee):
    _post(token_client(trainee), _url(internship, "accept"), {"version": 1})
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.action, row.subject_ids) == (trainee, "update", [internship.pk])


def test_an_anonymous_caller_gets_401(internship):
    from django.test import Client

    assert Client().get("/api/v1/internships").status_code == 401
    assert _post(Client(), _url(internship, "accept"), {"version": 1}).status_code == 401
    assert Internship.objects.get().state == "proposed"


def test_the_wave_start_is_the_agreements(internship, trainee):
    body = token_client(trainee).get(_url(internship)).json()
    assert body["wave"]["first_start"] == WAVE_FIRST.isoformat()
    assert body["intern"]["id"] == Trainee.objects.get(user=trainee).pk
