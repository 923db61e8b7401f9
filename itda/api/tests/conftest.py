"""API test helpers: clients that call as a cast member, by session or by token, and a small
world of companies and trainees in three regions (the cast comes from itda/conftest.py)."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from itda import factories
from itda.accounts.services import api_token_create


def session_client(user, *, verified: bool = True) -> Client:
    """A client logged in as ``user``; staff have passed TOTP unless ``verified`` is False."""
    client = Client()
    client.force_login(user)
    if verified and user.needs_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
    return client


def token_client(user) -> Client:
    """A client that sends a fresh API token of ``user`` and no cookie."""
    _, raw = api_token_create(user=user, name="테스트")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def world(regions):
    """Two companies and three trainees in each of 서울, 경기, 부산."""
    made = {"companies": {}, "trainees": {}}
    for key in ("seoul", "gyeonggi", "busan"):
        region = regions[key]
        made["companies"][key] = factories.CompanyFactory.create_batch(2, region=region)
        made["trainees"][key] = factories.TraineeFactory.create_batch(3, region=region)
    return made
