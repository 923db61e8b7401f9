"""The pages people use most stay within their query budget (issue 16), so an N+1 fails here.

The world: the KPI cast (10 trainees applying, enrolled, 6 placed, 6 internships, outcomes) in
수도권, five more companies and four statements. Each HTML list and detail page of the main
registries has a budget a little above what it costs today (an N+1 over several rows would
exceed it); each API list costs the same for one row a page as for every row of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.api.tests.conftest import session_client
from itda.internships.models import Internship, Position
from itda.outcomes.tests.kpi_cast import build_cast
from itda.payments.models import Statement
from itda.payments.tests.money_world import statement
from itda.recruitment.models import Application
from itda.training.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions, admin):
    """The cast, more companies and statements; a page of each list has several rows."""
    people = build_cast(regions, admin)
    factories.CompanyFactory.create_batch(5, region=regions["seoul"])
    for person in people[:4]:
        statement(group=regions["capital_group"], trainee=person)
    return people


def _pages(people) -> dict[str, str]:
    """Every page measured: name → path (the objects are the world's)."""
    call = Application.objects.filter(trainee=people[0]).order_by("pk").first().call
    cohort = Cohort.objects.get()
    return {
        "company list": "/registry/companies/",
        "company detail": f"/registry/companies/{Position.objects.get().company_id}/",
        "trainee list": "/registry/trainees/",
        "trainee detail": f"/registry/trainees/{people[0].pk}/",
        "application list": f"/recruitment/calls/{call.pk}/applications/",
        "application detail": f"/applications/{Application.objects.order_by('pk').first().pk}/",
        "course list": "/training/courses/",
        "course detail": f"/training/courses/{cohort.course_id}/",
        "cohort detail": f"/training/cohorts/{cohort.pk}/",
        "position detail": f"/positions/{Position.objects.get().pk}/",
        "internship list": "/internships/",
        "internship detail": f"/internships/{Internship.objects.order_by('pk').first().pk}/",
        "statement list": "/money/statements/",
        "statement detail": f"/money/statements/{Statement.objects.order_by('pk').first().pk}/",
    }


# Queries of one request by the national operator (session, user, second factor included).
# Each page's header counts the reader's unread notifications (one query, notifications).
BUDGETS = {
    "company list": 8,
    "company detail": 8,
    "trainee list": 8,
    "trainee detail": 8,
    "application list": 12,
    "application detail": 10,
    "course list": 13,
    "course detail": 13,
    "cohort detail": 21,
    "position detail": 6,
    "internship list": 13,
    "internship detail": 24,
    "statement list": 12,
    "statement detail": 7,
}


@pytest.mark.parametrize("name", BUDGETS)
def test_each_page_stays_within_its_query_budget(world, admin, name, django_assert_max_num_queries):
    client = session_client(admin)
    path = _pages(world)[name]
    assert client.get(path).status_code == 200  # the session's first save is not the page's
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(path)
    assert response.status_code == 200


# The world has one course, cohort and position: their lists are covered by the pages above.
API_LISTS = [
    "companies",
    "trainees",
    "applications",
    "enrollments",
    "placements",
    "internships",
    "outcomes",
    "statements",
]


@pytest.mark.parametrize("name", API_LISTS)
def test_an_api_list_costs_the_same_for_one_row_or_all(world, admin, name):
    client = session_client(admin)
    path = f"/api/v1/{name}"
    client.get(path)  # the session's first save is not the list's
    with CaptureQueriesContext(connection) as one_row:
        first = client.get(path, {"page_size": 1}).json()
    with CaptureQueriesContext(connection) as all_rows:
        every = client.get(path, {"page_size": 100}).json()
    assert every["count"] >= 3, "the world gives this list several rows"
    assert len(every["items"]) == every["count"] and len(first["items"]) == 1
    assert len(all_rows) <= len(one_row) <= 9
