"""Operating-group staff open a trainee call for their region, with the default scheme."""

import pytest
from django.test import Client

from itda.recruitment.models import Call


def _form(regions, **overrides):
    data = {
        "title": "수도권 Track1 교육생 모집",
        "track": regions["track"].pk,
        "description": "스마트공장 운영 기초·실무 교육",
        "opens_at": "2026-11-20T09:00",
        "closes_at": "2026-12-04T18:00",
        "birth_year_min": "1991",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_group_staff_open_a_trainee_call(cast, regions, login_as):
    client = login_as(cast["seoul_staff"], Client())
    bad = client.post(
        "/recruitment/calls/new/trainee/", _form(regions, closes_at="2026-11-19T18:00")
    )
    assert "접수 마감은 접수 시작보다 늦어야 합니다." in bad.content.decode()
    assert not Call.objects.exists()
    response = client.post("/recruitment/calls/new/trainee/", _form(regions))
    call = Call.objects.get()
    assert response.status_code == 302 and response.url == f"/calls/{call.pk}/"
    assert call.operating_group == regions["capital_group"] and call.kind == "trainee"
    assert call.closes_at.isoformat() == "2026-12-04T09:00:00+00:00"  # 18:00 KST
    assert call.eligibility == {"birth_year_min": 1991} and call.consent_version
    assert [c.max_points for c in call.scheme.criteria.all()] == [40, 30, 30]
    # No share of the national Track 1 target set for the group yet: no seat count is taken
    # from the national figure (see programs/tests/test_allocations.py).
    assert call.scheme.total_seats is None


@pytest.mark.django_db
def test_only_group_staff_open_trainee_calls(cast, regions, login_as):
    for who in ("viewer", "company", "evaluator"):
        client = login_as(cast[who], Client())
        assert client.post("/recruitment/calls/new/trainee/", _form(regions)).status_code == 403
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_group_cannot_open_a_trainee_call_past_its_programme(cast, regions, login_as):
    client = login_as(cast["seoul_staff"], Client())
    response = client.post(
        "/recruitment/calls/new/trainee/", _form(regions, closes_at="2027-01-15T18:00")
    )
    assert response.status_code == 200
    assert (
        "접수 마감은 사업기간(2026-05-20~2026-12-31) 안에 있어야 합니다."
        in response.content.decode()
    )
    assert not Call.objects.exists()
