"""Signup: the password is checked against the would-be user, and a race for one ID ends with
one account and a Korean form error for everyone else."""

import threading

import pytest
from django.db import connection
from django.test import Client

from itda.accounts.models import User

GOOD = {
    "role": "trainee",
    "display_name": "김잇다",
    "email": "itda@example.com",
    "password1": "blue-Harbor-Lantern-42",
    "password2": "blue-Harbor-Lantern-42",
}


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["kimitda2026", "kimitda2027!"])
def test_a_password_like_the_username_is_refused_in_korean(client, password):
    data = {**GOOD, "username": "kimitda2026", "password1": password, "password2": password}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "너무 유사합니다" in response.content.decode()
    assert not User.objects.filter(username="kimitda2026").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_for_one_username_make_one_account(regions):
    results: list[int | str] = []
    barrier = threading.Barrier(10)

    def sign_up():
        try:
            client = Client()
            barrier.wait()
            response = client.post("/accounts/signup/", {**GOOD, "username": "racer01"})
            body = response.content.decode()
            results.append(
                "taken"
                if response.status_code == 200 and "이미 사용 중인 아이디" in body
                else response.status_code
            )
        except Exception as error:  # noqa: BLE001 - a thread's failure is the test's result
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [302] + ["taken"] * 9
    assert User.objects.filter(username="racer01").count() == 1
