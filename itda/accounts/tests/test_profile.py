"""내 정보: changing one's password, resetting a forgotten one by e-mail, replacing the
authenticator app, and the header link that leads there."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda import factories
from itda.accounts.models import ApiToken, LoginThrottle, User
from itda.accounts.services import api_token_create
from itda.conftest import totp_now

pytestmark = pytest.mark.django_db
NEW = "Bright-harbour-2026!"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _password_ok(user, password) -> bool:
    return User.objects.get(pk=user.pk).check_password(password)


# --- the header link ---------------------------------------------------------------------------


def test_every_signed_in_role_has_my_page_in_the_header(cast, login_as):
    for name, user in cast.items():
        client = login_as(user, Client())
        home = client.get("/home/", follow=True).content.decode()
        assert 'href="/me/"' in home and "내 정보" in home, name
        page = client.get("/me/").content.decode()
        assert user.get_username() in page and "비밀번호 변경" in page, name


# --- change ------------------------------------------------------------------------------------


def test_a_user_changes_their_password_and_stays_signed_in(trainee, login_as, client):
    login_as(trainee)
    _, _raw = api_token_create(user=trainee, name="스크립트")
    response = client.post(
        "/me/password/",
        {"password": factories.PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response.url == "/me/"
    assert _password_ok(trainee, NEW)
    assert client.get("/me/").status_code == 200  # this session goes on
    assert not ApiToken.objects.filter(user=trainee, revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "wrong-password", "new_password1": NEW, "new_password2": NEW},
         "비밀번호가 올바르지 않습니다."),
        ({"password": "", "new_password1": NEW, "new_password2": NEW},
         "본인 확인을 위해 현재 비밀번호를 입력하세요."),
        ({"password": factories.PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
         "새 비밀번호가 서로 다릅니다."),
        ({"password": factories.PASSWORD, "new_password1": "short1", "new_password2": "short1"},
         "최소 10자"),
        ({"password": factories.PASSWORD, "new_password1": "1234567890123",
          "new_password2": "1234567890123"}, "전부 숫자"),
        ({"password": factories.PASSWORD, "new_password1": factories.PASSWORD,
          "new_password2": factories.PASSWORD}, "현재 비밀번호와 같습니다"),
    ],
)  # fmt: skip
def test_a_bad_password_change_is_refused_in_korean_and_changes_nothing(
    company, login_as, client, data, message
):
    login_as(company)
    response = client.post("/me/password/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _password_ok(company, factories.PASSWORD)


def test_wrong_current_passwords_count_towards_the_account_lockout(trainee, login_as, client):
    login_as(trainee)
    client.post("/me/password/", {"password": "nope", "new_password1": NEW, "new_password2": NEW})
    assert LoginThrottle.objects.get(user=trainee).failures == 1


# --- reset -------------------------------------------------------------------------------------


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_a_reset_request_answers_the_same_with_or_without_an_account(company):
    company.email = "kim@example.kr"
    company.save(update_fields=["email"])
    known = Client().post("/accounts/password-reset/", {"email": "KIM@example.kr"})
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@example.kr"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1  # only the real account's address gets a mail
    assert mail.outbox[0].to == ["kim@example.kr"]
    assert "비밀번호 재설정" in mail.outbox[0].subject
    sent = Client().get(known.url).content.decode()
    assert "가입한 계정이 있으면" in sent and "itda 기본값" in sent


def test_a_reset_link_sets_a_new_password_once(trainee):
    trainee.email = "lee@example.kr"
    trainee.save(update_fields=["email"])
    Client().post("/accounts/password-reset/", {"email": "lee@example.kr"})
    link = _reset_link(mail.outbox[0])
    client = Client()
    form = client.get(link, follow=True)
    assert 'name="new_password1"' in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    bad = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "최소 10자" in bad.content.decode() and _password_ok(trainee, factories.PASSWORD)
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.url == "/accounts/password-reset/complete/"
    assert _password_ok(trainee, NEW)
    again = Client().get(link, follow=True).content.decode()
    assert "만료되었거나 이미 사용되었습니다" in again  # a used link stops working


def test_a_reset_link_expires(trainee, settings, monkeypatch):
    """Django's token carries its creation time; the clock is Django's, moved here."""
    settings.PASSWORD_RESET_TIMEOUT = 3600
    start = datetime.datetime(2026, 12, 1, 9, 0)

    def at(minutes):
        moment = start + datetime.timedelta(minutes=minutes)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: moment)

    at(0)
    uid = urlsafe_base64_encode(force_bytes(trainee.pk))
    link = f"/accounts/password-reset/{uid}/{default_token_generator.make_token(trainee)}/"
    at(59)
    assert 'name="new_password1"' in Client().get(link, follow=True).content.decode()
    at(61)
    page = Client().get(link, follow=True).content.decode()
    assert "만료되었거나 이미 사용되었습니다" in page and 'name="new_password1"' not in page


def test_reset_requests_are_limited_per_address_and_per_mailbox(company, settings):
    settings.ITDA_PASSWORD_RESET_PER_HOUR = 2
    company.email = "kim@example.kr"
    company.save(update_fields=["email"])
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert (
            client.post("/accounts/password-reset/", {"email": "kim@example.kr"}).status_code == 302
        )
    limited = client.post("/accounts/password-reset/", {"email": "other@example.kr"})
    assert limited.status_code == 429 and "요청이 너무 많습니다" in limited.content.decode()
    # From another address the answer is the usual one, but the mailbox gets nothing more.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/accounts/password-reset/", {"email": "kim@example.kr"}).status_code == 302
    assert len(mail.outbox) == 2


def test_a_malformed_reset_request_is_refused_in_korean():
    page = Client().post("/accounts/password-reset/", {"email": "not-an-email"})
    assert (
        page.status_code == 200 and "이메일 주소 형식이 올바르지 않습니다" in page.content.decode()
    )
    assert mail.outbox == []


# --- authenticator app -------------------------------------------------------------------------


def _fresh(device) -> TOTPDevice:
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return device


def test_a_trainee_enrols_an_app_from_a_qr_code_without_a_password(trainee, login_as, client):
    login_as(trainee)
    page = client.get("/accounts/otp/enrol/").content.decode()
    assert "<svg" in page and 'name="password"' not in page
    device = TOTPDevice.objects.get(user=trainee, confirmed=False)
    response = client.post("/accounts/otp/enrol/", {"token": totp_now(device)})
    assert response.url == "/me/"
    assert TOTPDevice.objects.get(user=trainee).confirmed


def test_replacing_the_app_needs_the_password_and_the_new_code(seoul_staff, login_as, client):
    old = seoul_staff.totpdevice_set.get()
    login_as(seoul_staff)
    page = client.get("/accounts/otp/enrol/").content.decode()
    assert 'name="password"' in page and "<svg" in page
    new = TOTPDevice.objects.get(user=seoul_staff, confirmed=False)
    refused = client.post("/accounts/otp/enrol/", {"password": "wrong", "token": totp_now(new)})
    assert "비밀번호가 올바르지 않습니다" in refused.content.decode()
    refused = client.post("/accounts/otp/enrol/", {"token": totp_now(new)})
    assert "현재 비밀번호를 입력하세요" in refused.content.decode()
    assert set(TOTPDevice.objects.filter(user=seoul_staff, confirmed=True)) == {old}
    response = client.post(
        "/accounts/otp/enrol/", {"password": factories.PASSWORD, "token": totp_now(_fresh(new))}
    )
    assert response.url == "/me/"
    assert list(TOTPDevice.objects.filter(user=seoul_staff)) == [new]
    new.refresh_from_db()
    assert new.confirmed
