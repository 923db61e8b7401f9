"""Who needs a second factor: staff and the ministry viewer always; companies and trainees once
they enrol an authenticator app, which they may do themselves."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda import factories
from itda.conftest import totp_now

pytestmark = pytest.mark.django_db


def _password_step(client, user):
    return client.post(
        "/accounts/login/", {"username": user.username, "password": factories.PASSWORD}
    )


def test_the_ministry_viewer_needs_totp(cast, client, login_as):
    response = _password_step(client, cast["viewer"])
    assert response.url.startswith("/accounts/otp/")
    assert client.get("/viewer/").url.startswith("/accounts/otp/")
    assert client.get("/api/v1/me").status_code == 401
    login_as(cast["viewer"], Client())  # the cast fixture logs the viewer in through TOTP


def test_a_required_role_without_a_device_is_sent_to_enrol(cast, client):
    TOTPDevice.objects.filter(user=cast["viewer"]).delete()
    _password_step(client, cast["viewer"])
    response = client.get("/accounts/otp/")
    assert response.status_code == 302 and response.url == "/accounts/otp/enrol/"
    page = client.get(response.url).content.decode()
    assert "이 역할은 로그인할 때" in page and "<svg" in page


def test_a_company_enrols_totp_and_then_needs_it(cast, client):
    company = cast["company"]
    _password_step(client, company)
    assert client.get("/company/").status_code == 200  # optional: not enrolled yet
    page = client.get("/accounts/otp/enrol/")
    assert "등록은 선택입니다" in page.content.decode() and "itda-qr-svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=company, confirmed=False)
    wrong = client.post("/accounts/otp/enrol/", {"token": "000000"})
    if totp_now(device) != "000000":
        assert "인증번호가 올바르지 않습니다" in wrong.content.decode()
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
    before = client.session.session_key
    response = client.post("/accounts/otp/enrol/", {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    device.refresh_from_db()
    assert device.confirmed

    # The code just used is spent (django-otp refuses a replay); the next login is a later window.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    again = Client()
    assert _password_step(again, company).url.startswith("/accounts/otp/")
    assert again.get("/company/").url.startswith("/accounts/otp/")
    again.post("/accounts/otp/", {"token": totp_now(device)})
    assert again.get("/company/").status_code == 200


def test_an_enrolled_device_cannot_be_replaced_with_only_the_password(cast, client):
    trainee = cast["trainee"]
    TOTPDevice.objects.create(user=trainee, name="인증 앱", confirmed=True)
    _password_step(client, trainee)
    response = client.get("/accounts/otp/enrol/")
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")
    assert not TOTPDevice.objects.filter(user=trainee, confirmed=False).exists()
