"""A company or trainee who enrolled an authenticator app may remove it, giving password and a
current code again; a role that requires the second factor cannot drop it by itself."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda import factories
from itda.accounts import services
from itda.conftest import totp_now

pytestmark = pytest.mark.django_db
URL = "/me/otp/remove/"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=True)


def _fresh(device) -> TOTPDevice:
    """The login just spent this window's code (django-otp refuses a replay) and a wrong code
    throttles the next try: clear both, as waiting would."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return device


def test_a_trainee_removes_their_app_and_then_logs_in_with_the_password_alone(
    trainee, login_as, client
):
    device = _enrolled(trainee)
    login_as(trainee)
    assert URL in client.get("/accounts/otp/enrol/").content.decode()  # the way there
    page = client.get(URL).content.decode()
    assert 'name="password"' in page and 'name="token"' in page
    response = client.post(URL, {"password": factories.PASSWORD, "token": totp_now(_fresh(device))})
    assert response.status_code == 302 and response.url == "/home/"
    assert not TOTPDevice.objects.filter(user=trainee).exists()
    assert client.get("/trainee/").status_code == 200  # this session goes on
    again = Client()
    response = again.post(
        "/accounts/login/", {"username": trainee.username, "password": factories.PASSWORD}
    )
    assert response.url == "/home/"  # no TOTP step any more
    assert again.get("/trainee/").status_code == 200


def test_a_wrong_code_or_password_keeps_the_app(company, login_as, client):
    device = _enrolled(company)
    login_as(company)
    device = _fresh(device)
    wrong_code = "000000" if totp_now(device) != "000000" else "111111"
    page = client.post(URL, {"password": factories.PASSWORD, "token": wrong_code})
    assert page.status_code == 200
    assert "인증번호가 올바르지 않거나 만료되었습니다" in page.content.decode()
    page = client.post(URL, {"password": "not-the-password", "token": totp_now(_fresh(device))})
    assert "비밀번호가 올바르지 않습니다" in page.content.decode()
    assert TOTPDevice.objects.filter(user=company, confirmed=True).count() == 1


def test_a_password_only_session_is_sent_to_the_totp_step(company, client):
    _enrolled(company)
    client.post("/accounts/login/", {"username": company.username, "password": factories.PASSWORD})
    response = client.post(URL, {"password": factories.PASSWORD, "token": "123456"})
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")
    assert TOTPDevice.objects.filter(user=company).exists()


@pytest.mark.parametrize("who", ["viewer", "seoul_staff", "evaluator"])
def test_a_role_that_requires_totp_is_told_to_ask_the_operator(who, cast, login_as, client):
    user = cast[who]
    device = user.totpdevice_set.get()
    login_as(user)
    page = client.get(URL).content.decode()
    assert "전담기관에 인증 앱 재설정을 요청하세요" in page
    assert 'name="token"' not in page
    assert URL not in client.get("/accounts/otp/enrol/").content.decode()
    response = client.post(URL, {"password": factories.PASSWORD, "token": totp_now(_fresh(device))})
    assert response.status_code == 403
    assert "전담기관에 인증 앱 재설정을 요청하세요" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    with pytest.raises(ValidationError, match="직접 해제할 수 없습니다"):
        services.totp_devices_remove(actor=user)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_without_an_app_there_is_nothing_to_remove(trainee, login_as, client):
    login_as(trainee)
    page = client.get(URL).content.decode()
    assert "등록된 인증 앱이 없습니다" in page and 'name="token"' not in page
    response = client.post(URL, {"password": factories.PASSWORD, "token": "123456"})
    assert response.status_code == 200 and not TOTPDevice.objects.filter(user=trainee).exists()
