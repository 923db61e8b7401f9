"""The cohort list tells how a finished cohort ended ("18명 중 16명 수료 · 2명 중도탈락"), counted
in the list's one query whatever the number of cohorts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itda import factories
from itda.training.models import Cohort

pytestmark = pytest.mark.django_db


def _finished(regions, number: int, completed: int, withdrawn: int) -> Cohort:
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"], number=number)
    for i in range(completed + withdrawn):
        factories.enrollment(
            cohort=cohort,
            trainee=factories.TraineeFactory(region=regions["seoul"]),
            status="completed" if i < completed else "withdrawn",
        )
    Cohort.objects.filter(pk=cohort.pk).update(completed_at=timezone.now())
    return cohort


def _list(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/training/cohorts/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_finished_cohort_reads_completed_and_dropped(regions, cast, login_as, client):
    _finished(regions, 1, completed=16, withdrawn=2)
    running = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        number=2,
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2026, 12, 31),
        capacity=20,
    )
    factories.enrollment(cohort=running, trainee=factories.TraineeFactory(region=regions["seoul"]))
    login_as(cast["seoul_staff"])
    page, _ = _list(client)
    assert "18명 중 16명 수료 · 2명 중도탈락" in page
    assert "1/20" in page  # a running cohort still reads places taken


def test_the_list_costs_the_same_queries_for_more_cohorts(regions, cast, login_as, client):
    _finished(regions, 1, completed=2, withdrawn=1)
    login_as(cast["seoul_staff"])
    _, one = _list(client)
    for number in range(2, 6):
        _finished(regions, number, completed=2, withdrawn=1)
    page, five = _list(client)
    assert page.count("3명 중 2명 수료 · 1명 중도탈락") == 5
    assert five == one
