"""Applications over the API follow the same scope: an evaluator gets only assigned,
conflict-free applications; a conflicted one answers 404 like a missing one."""

import pytest
from django.test import Client

from itda import factories
from itda.evaluation.models import Assignment, ConflictOfInterest, Evaluator


@pytest.mark.django_db
def test_evaluator_sees_only_assigned_conflict_free_applications(cast, regions, login_as):
    call = factories.call(programme=regions["programme"])
    me = Evaluator.objects.get(user=cast["evaluator"])
    assigned, conflicted, other = (
        factories.application(call=call, company=factories.CompanyFactory(region=regions["seoul"]))
        for _ in range(3)
    )
    for app in (assigned, conflicted):
        Assignment.objects.create(application=app, evaluator=me)
    ConflictOfInterest.objects.create(application=conflicted, evaluator=me, source="declared")
    client = login_as(cast["evaluator"], Client())
    listed = client.get("/api/v1/applications").json()
    assert [row["id"] for row in listed["items"]] == [assigned.pk]
    assert client.get(f"/api/v1/applications/{assigned.pk}").status_code == 200
    blocked = client.get(f"/api/v1/applications/{conflicted.pk}")
    missing = client.get("/api/v1/applications/99999999")
    assert blocked.status_code == missing.status_code == 404
    assert blocked.json() == missing.json()
    assert client.get(f"/api/v1/applications/{other.pk}").status_code == 404


@pytest.mark.django_db
def test_calls_are_public_and_viewers_get_no_applications(cast, regions, login_as):
    call = factories.call(programme=regions["programme"])
    public = Client().get("/api/v1/calls").json()
    assert [c["id"] for c in public] == [call.pk] and public[0][
        "programme_code"
    ] == "test-programme"
    viewer = login_as(cast["viewer"], Client())
    assert viewer.get("/api/v1/applications").status_code == 403
