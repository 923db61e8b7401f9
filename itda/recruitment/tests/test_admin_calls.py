"""The national operator opens a call in the admin, with its window and documents."""

import pytest
from django.test import Client

from itda.recruitment.models import Call


@pytest.mark.django_db
def test_operator_opens_a_call_in_the_admin(cast, regions, login_as):
    client = login_as(cast["admin"], Client())
    response = client.post(
        "/admin/recruitment/call/add/",
        {
            "programme": regions["programme"].pk,
            "kind": "company",
            "title": "2026 하반기 참여기업 모집",
            "description": "",
            "opens_at_0": "2026-12-08",
            "opens_at_1": "09:00:00",
            "closes_at_0": "2026-12-22",
            "closes_at_1": "18:00:00",
            "eligibility": "{}",
            "consent_text": "동의",
            "consent_version": "v1",
            "appeal_days": "7",
            "source_note": "",
            "requirements-TOTAL_FORMS": "1",
            "requirements-INITIAL_FORMS": "0",
            "requirements-0-name": "사업계획서",
            "requirements-0-required": "on",
            "requirements-0-allowed_kinds": '["pdf"]',
            "requirements-0-max_size_mb": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(title="2026 하반기 참여기업 모집")
    # Entered as Korean wall-clock time, stored as the same instant in UTC.
    assert call.opens_at.isoformat() == "2026-12-08T00:00:00+00:00"
    assert call.requirements.get().allowed_kinds == ["pdf"]
