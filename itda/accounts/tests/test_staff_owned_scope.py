"""Staff-owned things (calls, courses, cohorts, sessions, rounds, venues, rooms) go through the
one scope door: the operator sees all, group staff their groups' (and national ones), others
nothing; another group's call page is a 404, and a page's counts follow the scope of its rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.matching.models import MatchRound
from itda.programs.models import OperatingGroup, Room, Venue
from itda.recruitment.models import Call
from itda.training.models import Cohort, Course, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def capital_things(regions, admin):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, 1)])
    room = factories.room(region=regions["seoul"])
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    now = datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)
    round_ = MatchRound.objects.create(
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 라운드",
        trainee_deadline=now,
        company_deadline=now,
        created_by=admin,
    )
    return {
        Call: call,
        Course: cohort.course,
        Cohort: cohort,
        Session: session,
        MatchRound: round_,
        Venue: room.venue,
        Room: room,
        OperatingGroup: regions["capital_group"],
    }


def test_staff_owned_things_are_scoped_by_the_group_that_runs_them(capital_things, cast):
    for model, thing in capital_things.items():
        seen = {
            name: model.objects.visible_to(user).filter(pk=thing.pk).exists()
            for name, user in cast.items()
        }
        assert seen == {
            "admin": True,
            "seoul_staff": True,
            "busan_staff": False,
            "viewer": False,
            "evaluator": False,
            "company": False,
            "trainee": False,
        }, model.__name__


def test_national_calls_and_rounds_are_every_group_s_to_follow(regions, admin, cast):
    call = factories.call(programme=regions["programme"])
    assert Call.objects.visible_to(cast["busan_staff"]).filter(pk=call.pk).exists()
    assert Call.objects.visible_to(cast["seoul_staff"]).filter(pk=call.pk).exists()
    assert not Call.objects.visible_to(cast["company"]).filter(pk=call.pk).exists()


def test_another_group_s_call_page_is_missing(capital_things, cast, login_as):
    url = f"/recruitment/calls/{capital_things[Call].pk}/applications/"
    assert login_as(cast["busan_staff"]).get(url).status_code == 404
    assert login_as(cast["seoul_staff"], Client()).get(url).status_code == 200
    assert login_as(cast["company"], Client()).get(url).status_code == 403
    screening = f"/recruitment/calls/{capital_things[Call].pk}/screening/"
    assert login_as(cast["viewer"], Client()).post(screening).status_code == 403


def _stat(html: str, label: str) -> str:
    match = re.search(rf'itda-stat-label">{label}</span><strong>([^<]*)</strong>', html)
    assert match, label
    return match.group(1)


def test_a_national_call_s_counts_follow_the_rows_scope(regions, cast, login_as):
    call = factories.call(programme=regions["programme"])
    for region in ("seoul", "seoul", "gyeonggi", "busan"):
        factories.application(call=call, company=factories.CompanyFactory(region=regions[region]))
    factories.application(
        call=call, company=factories.CompanyFactory(region=regions["busan"]), submitted=False
    )
    url = f"/recruitment/calls/{call.pk}/applications/"
    pages = {
        who: login_as(cast[who], Client()).get(url).content.decode()
        for who in ("admin", "seoul_staff", "busan_staff")
    }
    counts = {who: (_stat(html, "제출"), _stat(html, "작성 중")) for who, html in pages.items()}
    assert counts == {"admin": ("4", "1"), "seoul_staff": ("3", "0"), "busan_staff": ("1", "1")}
    assert "볼 수 있는 신청 2건" in pages["busan_staff"]


def test_the_call_page_s_queries_do_not_grow_for_group_staff(regions, cast, login_as):
    call = factories.call(programme=regions["programme"])
    factories.application(call=call, company=factories.CompanyFactory(region=regions["busan"]))
    client = login_as(cast["busan_staff"])
    url = f"/recruitment/calls/{call.pk}/applications/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(10):
        factories.application(call=call, company=factories.CompanyFactory(region=regions["busan"]))
        factories.application(call=call, company=factories.CompanyFactory(region=regions["seoul"]))
    assert queries() == few
