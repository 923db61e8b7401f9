"""Per-account lockout over all addresses, growing with each lockout, seen and ended by the
national operator."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.accounts import services
from itda.accounts.backends import LockoutAwareModelBackend
from itda.accounts.models import AccountLockout, LoginThrottle

pytestmark = pytest.mark.django_db

LOCKED = "비밀번호를 여러 번 잘못 입력하여 계정이"


def _fail_from_many_addresses(client, username, times=10):
    # Two tries per address: django-axes (5 per account and address) never steps in.
    for i in range(times):
        client.post(
            "/accounts/login/",
            {"username": username, "password": "wrong-pass"},
            REMOTE_ADDR=f"10.0.0.{i // 2 + 1}",
        )


def test_failures_from_many_addresses_lock_the_account(cast, client):
    _fail_from_many_addresses(client, "trainee")
    response = client.post(
        "/accounts/login/",
        {"username": "trainee", "password": factories.PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    lockout = AccountLockout.objects.get(user=cast["trainee"])
    assert lockout.failures == 10 and lockout.ip_address == "10.0.0.5"
    assert timedelta(minutes=14) < lockout.until - lockout.started_at <= timedelta(minutes=15)


def test_each_further_lockout_doubles_the_period_and_a_login_resets_it(cast, client):
    user = cast["trainee"]

    def lock_once() -> timedelta:
        LoginThrottle.objects.filter(user=user).update(locked_until=None)  # the last one ended
        for _ in range(10):
            lockout = services.login_failure_record(username="trainee", ip_address="10.0.0.1")
        return lockout.until - lockout.started_at

    periods = [lock_once() for _ in range(4)]
    minutes = [round(p.total_seconds() / 60) for p in periods]
    assert minutes == [15, 30, 60, 120]
    LoginThrottle.objects.filter(user=user).update(locked_until=None)
    client.post("/accounts/login/", {"username": "trainee", "password": factories.PASSWORD})
    assert "_auth_user_id" in client.session
    assert round(lock_once().total_seconds() / 60) == 15


def test_the_period_stops_growing_at_the_maximum():
    assert services.lockout_period(1) == timedelta(minutes=15)
    assert services.lockout_period(8) == timedelta(hours=24)
    assert services.lockout_period(10**6) == timedelta(hours=24)


def test_failures_while_locked_count_for_nothing_and_the_right_password_is_refused(cast):
    for _ in range(10):
        services.login_failure_record(username="trainee", ip_address="10.0.0.1")
    for _ in range(30):
        assert services.login_failure_record(username="trainee", ip_address="10.0.0.1") is None
    assert AccountLockout.objects.count() == 1
    # Any login form: the backend itself refuses the right password while the account is locked.
    backend = LockoutAwareModelBackend()
    assert backend.authenticate(None, username="trainee", password=factories.PASSWORD) is None


def test_the_operator_sees_lockouts_and_ends_one_and_that_is_recorded(cast, login_as, client):
    _fail_from_many_addresses(Client(), "company")
    login_as(cast["admin"])
    page = client.get("/login-lockouts/").content.decode()
    assert "company" in page and "잠김" in page and "itda 기본값 — 운영지침 확인 필요" in page
    lockout = AccountLockout.objects.get(user=cast["company"])
    assert client.post(f"/login-lockouts/{lockout.pk}/release/").status_code == 302
    lockout.refresh_from_db()
    assert lockout.released_by == cast["admin"] and lockout.released_at is not None
    assert "해제됨 (admin" in client.get("/login-lockouts/").content.decode()
    person = Client()
    response = person.post(
        "/accounts/login/", {"username": "company", "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and "_auth_user_id" in person.session


@pytest.mark.parametrize("who", ["seoul_staff", "viewer", "company"])
def test_only_the_national_operator_sees_or_ends_lockouts(cast, login_as, client, who):
    _fail_from_many_addresses(Client(), "trainee")
    lockout = AccountLockout.objects.get()
    login_as(cast[who])
    assert client.get("/login-lockouts/").status_code == 403
    assert client.post(f"/login-lockouts/{lockout.pk}/release/").status_code == 403
    lockout.refresh_from_db()
    assert lockout.released_at is None
    assert services.login_failure_record(username="trainee", ip_address="10.0.0.1") is None


def test_a_lockout_that_ended_cannot_be_released(cast, login_as, client):
    _fail_from_many_addresses(Client(), "trainee")
    lockout = AccountLockout.objects.get()
    AccountLockout.objects.filter(pk=lockout.pk).update(until=timezone.now())
    login_as(cast["admin"])
    assert client.post(f"/login-lockouts/{lockout.pk}/release/").status_code == 404
