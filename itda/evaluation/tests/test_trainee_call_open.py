"""Operating-group staff open a trainee call for their region in the call editor (the old
one-page form folded into it): the trainee consent notice and the default trainee scheme are
filled in, labelled as itda defaults, and the window is checked in Korean."""

import pytest
from django.test import Client

from itda.recruitment.models import Call
from itda.recruitment.services import TRAINEE_CONSENT_TEXT

pytestmark = pytest.mark.django_db


def _form(regions, **overrides):
    data = {
        "title": "수도권 Track1 교육생 모집",
        "track": regions["track"].pk,
        "description": "스마트공장 운영 기초·실무 교육",
        "opens_at": "2026-11-20T09:00",
        "closes_at": "2026-12-04T18:00",
        "appeal_days": "7",
        "consent_text": TRAINEE_CONSENT_TEXT,
        "consent_version": "trainee-v1",
        "birth_year_min": "1991",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_editor_replaces_the_old_page(cast, login_as):
    client = login_as(cast["seoul_staff"], Client())
    assert 'href="/recruitment/calls/new/"' in client.get("/group/").content.decode()
    page = client.get("/recruitment/calls/new/").content.decode()
    # The group's new call starts with the trainee consent notice.
    assert TRAINEE_CONSENT_TEXT[:30] in page
    assert client.get("/recruitment/calls/new/trainee/").status_code == 404


def test_group_staff_open_a_trainee_call_with_the_default_scheme(cast, regions, login_as):
    client = login_as(cast["seoul_staff"], Client())
    bad = client.post("/recruitment/calls/new/", _form(regions, closes_at="2026-11-19T18:00"))
    assert "접수 마감은 접수 시작보다 늦어야 합니다." in bad.content.decode()
    assert not Call.objects.exists()
    response = client.post("/recruitment/calls/new/", _form(regions))
    call = Call.objects.get()
    assert response.url == f"/recruitment/calls/{call.pk}/scheme/"
    assert call.operating_group == regions["capital_group"] and call.kind == "trainee"
    assert call.closes_at.isoformat() == "2026-12-04T09:00:00+00:00"  # 18:00 KST
    assert call.eligibility == {"birth_year_min": 1991} and call.consent_version
    # The scheme editor starts from the default trainee scheme, labelled as itda's default.
    scheme = client.get(response.url).content.decode()
    assert "itda 기본값 — 운영지침 확인 필요" in scheme
    for value in ('value="job_fit"', 'value="motivation"', 'value="basics"', 'value="40"'):
        assert value in scheme, value
    # No share of the national Track 1 target set for the group yet: no seat count is taken
    # from the national figure (see programs/tests/test_allocations.py).
    assert 'name="total_seats" value=' not in scheme


def test_only_programme_staff_open_calls(cast, regions, login_as):
    for who in ("viewer", "company", "evaluator"):
        client = login_as(cast[who], Client())
        assert client.post("/recruitment/calls/new/", _form(regions)).status_code == 403
    assert not Call.objects.exists()


def test_a_group_cannot_open_a_trainee_call_past_its_programme(cast, regions, login_as):
    client = login_as(cast["seoul_staff"], Client())
    response = client.post("/recruitment/calls/new/", _form(regions, closes_at="2027-01-15T18:00"))
    assert response.status_code == 400
    assert (
        "접수 마감은 사업기간(2026-05-20~2026-12-31) 안에 있어야 합니다."
        in response.content.decode()
    )
    assert not Call.objects.exists()
