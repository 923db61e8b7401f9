"""Token and session auth: who gets in, who gets a Korean 401, and what a token use writes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from itda.accounts.models import ApiToken
from itda.accounts.services import api_token_create, api_token_revoke
from itda.api.errors import UNAUTHENTICATED
from itda.api.tests.conftest import session_client, token_client

pytestmark = pytest.mark.django_db


def test_a_token_identifies_its_user(seoul_staff):
    response = token_client(seoul_staff).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "seoul_staff"
    assert body["role"] == "group_staff"
    assert body["role_label"] == "사업단 담당자"
    assert body["operating_groups"] == ["수도권 사업단"]


def test_me_lists_the_companies_a_manager_manages(company):
    body = token_client(company).get("/api/v1/me").json()
    assert body["company_ids"] == list(company.companies.values_list("pk", flat=True))
    assert body["operating_groups"] == []


def test_me_names_the_trainee_record_of_a_trainee(trainee):
    body = token_client(trainee).get("/api/v1/me").json()
    assert body["trainee_id"] == trainee.trainee.pk


def test_a_revoked_token_answers_401(seoul_staff):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    api_token_revoke(token=token)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED}


@pytest.mark.parametrize(
    "header",
    ["Bearer itda_not-a-real-token", "Bearer somethingelse", "Token abc", "Bearer "],
)
def test_an_unknown_or_malformed_token_answers_401(admin, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == UNAUTHENTICATED


def test_a_token_of_a_deactivated_user_answers_401(seoul_staff):
    client = token_client(seoul_staff)
    seoul_staff.is_active = False
    seoul_staff.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401


def test_anonymous_gets_a_korean_401_not_a_login_redirect(regions):
    for path in ("/api/v1/me", "/api/v1/trainees", "/api/v1/companies/1", "/api/v1/stats/regions"):
        response = Client().get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json() == {"detail": UNAUTHENTICATED}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_only_the_digest_is_stored_and_the_token_is_looked_up_by_it(seoul_staff):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    assert raw not in {token.digest, token.prefix}
    assert ApiToken.objects.get(digest=ApiToken.digest_of(raw)) == token


def test_last_used_at_is_written_at_most_once_a_minute(seoul_staff, django_assert_num_queries):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/me")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: no write

    earlier = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at > earlier


def test_a_second_use_within_the_minute_makes_no_write(seoul_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(seoul_staff)
    client.get("/api/v1/me")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/me")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_staff_session_without_totp_answers_401(seoul_staff, admin):
    for user in (seoul_staff, admin):
        response = session_client(user, verified=False).get("/api/v1/me")
        assert response.status_code == 401
        assert "인증" in response.json()["detail"]


def test_a_staff_session_after_totp_is_let_in(seoul_staff):
    response = session_client(seoul_staff).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "seoul_staff"


def test_a_session_of_a_non_staff_role_needs_no_totp(company, viewer):
    for user in (company, viewer):
        assert session_client(user).get("/api/v1/me").status_code == 200


def test_session_auth_checks_csrf_on_unsafe_methods(seoul_staff, world):
    trainee = world["trainees"]["seoul"][0]
    client = session_client(seoul_staff)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/api/v1/trainees/{trainee.pk}/reveal",
        {"reason": "수당 지급 확인"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    client.get("/api/v1/docs")  # the docs page sets the CSRF cookie, as in a browser
    response = client.post(
        f"/api/v1/trainees/{trainee.pk}/reveal",
        {"reason": "수당 지급 확인"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 200


def test_token_auth_needs_no_csrf(seoul_staff, world):
    trainee = world["trainees"]["seoul"][0]
    client = token_client(seoul_staff)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/api/v1/trainees/{trainee.pk}/reveal",
        {"reason": "수당 지급 확인"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_an_expired_token_answers_401(seoul_staff):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    assert timedelta(days=89) < token.expires_at - token.created_at <= timedelta(days=90)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me").status_code == 401


def test_a_password_change_revokes_the_users_tokens(seoul_staff):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    seoul_staff.set_password("a-brand-New-passphrase-7")
    seoul_staff.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401
    token.refresh_from_db()
    assert token.revoked_reason == "password"


def test_deactivation_revokes_the_tokens_for_good(seoul_staff):
    token, raw = api_token_create(user=seoul_staff, name="연동")
    seoul_staff.is_active = False
    seoul_staff.save(update_fields=["is_active"])
    seoul_staff.is_active = True
    seoul_staff.save(update_fields=["is_active"])
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401
    token.refresh_from_db()
    assert token.revoked_reason == "deactivated"


def test_the_token_page_lists_created_expiry_last_use_and_why_revoked(seoul_staff):
    used, raw = api_token_create(user=seoul_staff, name="사용한 토큰")
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    used.refresh_from_db()
    seoul_staff.set_password("a-brand-New-passphrase-7")
    seoul_staff.save()
    body = session_client(seoul_staff).get("/me/api-tokens/").content.decode()
    local = timezone.localtime
    row = body[body.index("사용한 토큰") :].split("</tr>")[0]
    assert local(used.created_at).strftime("%Y-%m-%d %H:%M") in row
    assert local(used.expires_at).strftime("%Y-%m-%d %H:%M") in row
    assert local(used.last_used_at).strftime("%Y-%m-%d %H:%M") in row
    assert "폐기됨 (비밀번호 변경)" in row
