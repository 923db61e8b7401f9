"""The cohort list is searched on the server by course and state, and shown a page at a time
(with the shared pagination include), keeping the search across pages."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.training.enrolment_views import COHORTS_PER_PAGE
from itda.training.models import Cohort

pytestmark = pytest.mark.django_db


def test_search_by_course_and_state(regions, cast, login_as, client):
    group, track = regions["capital_group"], regions["track"]
    factories.cohort(group=group, track=track, code="WELD", number=1)  # July: finished by now
    running = factories.cohort(
        group=group,
        track=track,
        code="PLC",
        number=1,
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2026, 12, 30),
    )
    Cohort.objects.filter(pk=running.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    login_as(cast["seoul_staff"])

    def rows(query: str) -> int:
        return client.get(f"/training/cohorts/{query}").content.decode().count("기 명단</a>")

    assert rows("") == 2
    assert rows("?q=plc") == 1
    assert rows("?state=running") == 1
    assert rows("?state=finished") == 1
    assert rows("?state=upcoming") == 0
    assert rows("?q=WELD&state=running") == 0
    assert (
        "조건에 맞는 기수가 없습니다."
        in client.get("/training/cohorts/?q=없는과정").content.decode()
    )
    # A state that is no state filters nothing rather than failing.
    assert rows("?state=bogus") == 2


def test_a_page_at_a_time(regions, cast, login_as, client):
    for number in range(1, COHORTS_PER_PAGE + 2):
        factories.cohort(group=regions["capital_group"], track=regions["track"], number=number)
    login_as(cast["seoul_staff"])
    first = client.get("/training/cohorts/?q=T1").content.decode()
    assert first.count("기 명단</a>") == COHORTS_PER_PAGE
    assert f"기수 {COHORTS_PER_PAGE + 1}개" in first
    assert 'href="?q=T1&amp;page=2"' in first  # the search is kept on the next page
    second = client.get("/training/cohorts/?q=T1&page=2").content.decode()
    assert second.count("기 명단</a>") == 1
    # Busan's staff see none of Seoul's cohorts on any page.
    client.logout()
    login_as(cast["busan_staff"])
    assert client.get("/training/cohorts/").content.decode().count("기 명단</a>") == 0
