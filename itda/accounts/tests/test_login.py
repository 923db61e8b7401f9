"""Login: each role lands on its own home; staff need TOTP; bad input changes nothing."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from itda import factories
from itda.accounts.roles import Role
from itda.conftest import totp_now

HOME_TEXT = {
    "admin": ("/operator/", "전담기관 운영자 홈"),
    "seoul_staff": ("/group/", "수도권 사업단"),
    "busan_staff": ("/group/", "동남권 사업단"),
    "company": ("/company/", "기업 담당자 홈"),
    "trainee": ("/trainee/", "내 정보"),
    "evaluator": ("/evaluator/", "배정된 평가"),
    "viewer": ("/viewer/", "개인정보를 표시하지 않습니다"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(HOME_TEXT))
def test_each_role_lands_on_its_own_home(cast, login_as, client, who):
    login_as(cast[who])
    response = client.get("/home/")
    url, text = HOME_TEXT[who]
    assert response.status_code == 302 and response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert text in page.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_in_korean(cast, client):
    response = client.post("/accounts/login/", {"username": "trainee", "password": "wrong-pass"})
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_without_totp_reaches_nothing(cast, client):
    client.post("/accounts/login/", {"username": "seoul_staff", "password": factories.PASSWORD})
    for url in ["/group/", "/registry/trainees/", "/home/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/otp/"), url
    api = client.get("/api/v1/me")
    assert api.status_code == 401


@pytest.mark.django_db
def test_wrong_totp_is_refused_and_right_one_accepted(cast, client):
    client.post("/accounts/login/", {"username": "admin", "password": factories.PASSWORD})
    response = client.post("/accounts/otp/", {"token": "000000"})
    device = cast["admin"].totpdevice_set.get()
    if totp_now(device) == "000000":  # one chance in a million
        pytest.skip("the current code happens to be 000000")
    assert response.status_code == 200
    assert "인증번호가 올바르지 않거나 만료되었습니다" in response.content.decode()
    assert client.get("/operator/").status_code == 302
    # django-otp throttles after a failure; the next right code is accepted once the delay ends.
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.throttling_failure_count = 0
    device.save()
    response = client.post("/accounts/otp/", {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get("/operator/").status_code == 200


@pytest.mark.django_db
def test_malformed_totp_gets_a_korean_message(cast, client):
    client.post("/accounts/login/", {"username": "admin", "password": factories.PASSWORD})
    response = client.post("/accounts/otp/", {"token": "12ab"})
    assert "인증번호는 숫자 6자리입니다." in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out(cast, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "trainee", "password": "wrong-pass"})
    response = client.post(
        "/accounts/login/", {"username": "trainee", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "로그인이 15분 동안 제한되었습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="trainee").failures_since_start >= 5


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(argon2, db):
    from itda.accounts.roles import Role
    from itda.accounts.services import user_create

    user = user_create(username="newbie", password="a-long-Passw0rd!", role=Role.TRAINEE)
    stored = get_user_model().objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_expired_session_sends_back_to_login(cast, login_as, client):
    login_as(cast["trainee"])
    assert client.get("/trainee/").status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get("/trainee/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_requests_slide_the_idle_timeout_saving_the_session_at_most_once_a_minute(
    cast, login_as, client, monkeypatch
):
    from django.contrib.sessions.models import Session

    login_as(cast["trainee"])
    key = client.session.session_key
    import time

    clock = [time.time() + 3600]  # later than the login's own save
    monkeypatch.setattr("itda.accounts.middleware.time.time", lambda: clock[0])

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    client.get("/trainee/")
    first = expiry()
    clock[0] += 59
    client.get("/trainee/")
    assert expiry() == first  # within the minute: no write
    clock[0] += 1
    client.get("/trainee/")
    assert expiry() > first  # a minute on: the 30-minute window starts again
    assert client.cookies["sessionid"]["max-age"] == 30 * 60


@pytest.mark.django_db
def test_missing_csrf_token_is_refused_and_changes_nothing(cast, login_as):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = login_as(cast["trainee"], Client()).cookies
    response = strict.post("/me/api-tokens/", {"name": "외부 연동"})
    assert response.status_code == 403
    assert "보안 확인에 실패했습니다" in response.content.decode()
    assert not cast["trainee"].api_tokens.exists()


@pytest.mark.django_db
def test_admin_is_for_superusers_only(cast, login_as, client):
    login_as(cast["seoul_staff"])
    refused = client.get("/admin/", follow=True)
    assert refused.status_code == 403 and "권한" in refused.content.decode()
    other = Client()
    login_as(cast["admin"], other)
    response = other.get("/admin/")
    body = response.content.decode()
    assert response.status_code == 200 and "잇다 itda 관리" in body
    # The sections are named in Korean (each app's verbose_name).
    assert "공모·신청" in body and "평가·선정" in body and "2단계 인증 기기" in body
    assert "Otp_Totp" not in body and "Axes" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.GROUP_STAFF])
def test_is_staff_without_superuser_is_refused_at_the_admin(regions, login_as, role):
    user = factories.user(username="staff_flag", role=role)
    user.is_staff, user.is_superuser = True, False
    user.save(update_fields=["is_staff", "is_superuser"])
    c = login_as(user, Client())
    assert c.get("/admin/", follow=True).status_code == 403
    assert c.get("/admin/recruitment/call/add/", follow=True).status_code == 403


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(cast, login_as, client):
    login_as(cast["trainee"])
    old_key = client.session.session_key
    client.post("/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get("/trainee/").status_code == 302


@pytest.mark.django_db
def test_login_issues_a_new_session_id(cast, client):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"username": "trainee", "password": factories.PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_the_totp_step_issues_a_new_session_id_and_ends_the_old_one(cast, client):
    client.post("/accounts/login/", {"username": "admin", "password": factories.PASSWORD})
    password_only = client.session.session_key
    device = cast["admin"].totpdevice_set.get()
    client.post("/accounts/otp/", {"token": totp_now(device)})
    assert client.get("/operator/").status_code == 200
    assert client.session.session_key != password_only
    # The key from before the second factor is no verified session (nor any session at all).
    replay = Client()
    replay.cookies["sessionid"] = password_only
    response = replay.get("/operator/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
