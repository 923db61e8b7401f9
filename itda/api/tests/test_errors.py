"""Bad input answers a clear Korean message with the right status code, and nothing changes."""

import pytest
from django.test import Client

from itda.accounts.models import PersonalDataAccess
from itda.api.errors import INVALID_INPUT, NOT_FOUND
from itda.api.tests.conftest import token_client

pytestmark = pytest.mark.django_db

HANGUL = range(0xAC00, 0xD7A4)


def _korean(text: str) -> bool:
    return any(ord(ch) in HANGUL for ch in text)


@pytest.fixture
def staff(seoul_staff):
    return token_client(seoul_staff)


@pytest.fixture
def reveal_path(world):
    return f"/api/v1/trainees/{world['trainees']['seoul'][0].pk}/reveal"


@pytest.mark.parametrize("body", ["{not json", '{"reason": ', "\xff\xfe", "{'reason': 'x'}"])
def test_a_malformed_json_body_answers_400(staff, reveal_path, body):
    response = staff.post(reveal_path, body, content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert _korean(detail) and "JSON" in detail
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "필수 항목입니다."),
        ({"reason": "짧음"}, "5자 이상 입력하세요."),
        ({"reason": "     　  "}, "5자 이상 입력하세요."),
        ({"reason": 12345}, "문자열이어야 합니다."),
        ({"reason": "가" * 301}, "300자 이하로 입력하세요."),
    ],
)
def test_an_invalid_body_answers_400_with_the_field_error(staff, reveal_path, body, message):
    response = staff.post(reveal_path, body, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == INVALID_INPUT
    assert [(e["field"], e["message"]) for e in payload["errors"]] == [("reason", message)]
    assert not PersonalDataAccess.objects.exists()


def test_a_json_body_that_is_not_an_object_answers_400(staff, reveal_path):
    response = staff.post(reveal_path, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == INVALID_INPUT


def test_an_empty_body_answers_400(staff, reveal_path):
    response = staff.post(reveal_path, "", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "필수 항목입니다."


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/trainees/abc",
        "/api/v1/trainees/0",
        "/api/v1/trainees/99999999999999999999999",
        "/api/v1/trainees?page=0",
        "/api/v1/trainees?page=abc",
        "/api/v1/trainees?page_size=1000",
        "/api/v1/complexes?page=99999999999999999999",
        "/api/v1/plans?round_year=abc",
    ],
)
def test_bad_query_or_path_input_answers_400_not_500(staff, world, path):
    response = staff.get(path)
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["detail"] == INVALID_INPUT
    assert payload["errors"] and all(_korean(e["message"]) for e in payload["errors"])
    assert "Traceback" not in response.content.decode()


def test_an_unknown_api_path_answers_json_404(regions):
    for path in ("/api/v1/nothing-here", "/api/v1/trainees/1/nothing", "/api/v1/trainees/"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": NOT_FOUND}


def test_a_wrong_method_answers_405(staff):
    assert staff.delete("/api/v1/trainees").status_code == 405


@pytest.mark.server_error
def test_an_unexpected_error_answers_500_without_a_traceback(staff, world, monkeypatch):
    from itda.api.routers import programs

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(programs, "personal_page", boom)
    response = staff.get("/api/v1/trainees")
    assert response.status_code == 500
    assert _korean(response.json()["detail"])
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
