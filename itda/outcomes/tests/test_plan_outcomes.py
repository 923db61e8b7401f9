"""Plan → 「스마트제조 고급인력 양성」 → trained → placed → hired, on the KPI cast placed in the
plan's hub complex (kpi_cast): its cohort meets in a venue there and its company sits there.

Hand-counted from the cast: 수강 10 (the waitlisted one is not), 수료 8, 연계 6 (the cancelled
placement is not), 채용 3개월 3 (the still-subsidised hire and the unverified one are not),
채용 6개월 2. Noise in a complex the sub-project does not cover: another cohort with 2
completers and another company's placement — none of it counts."""

import datetime

import pytest
from django.db import reset_queries
from django.test import Client
from django.urls import reverse

from itda import factories
from itda.accounts.roles import Role
from itda.internships.models import Placement, Position
from itda.outcomes.services import plan_funnel_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast
from itda.programs.models import (
    Company,
    IndustrialComplex,
    KeyTask,
    PlanSite,
    SiteRole,
    SubProject,
    TransformationPlan,
    Venue,
)
from itda.training.models import BookingKind, BookingStatus, Enrollment, RoomBooking, Session

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))


def _meets_in(cohort, complex_, name: str, actor) -> None:
    """One session of ``cohort`` booked (approved) in a room of a venue inside ``complex_``."""
    room = factories.room(region=complex_.region, venue_name=name)
    Venue.objects.filter(pk=room.venue_id).update(complex=complex_)
    start = datetime.datetime.combine(cohort.starts_on, datetime.time(9), KST)
    booking = RoomBooking.objects.create(
        room=room,
        during=(start, start + datetime.timedelta(hours=8)),
        kind=BookingKind.SESSION,
        status=BookingStatus.APPROVED,
        purpose="교육",
        requested_by=actor,
    )
    Session.objects.create(
        cohort=cohort,
        number=cohort.sessions.count() + 1,
        title="1차시",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        booking=booking,
    )


@pytest.fixture
def world(regions, admin):
    seoul = regions["seoul"]
    hub = IndustrialComplex.objects.create(name="시험국가산단", kind="national", region=seoul)
    linked = IndustrialComplex.objects.create(name="시험연계산단", kind="general", region=seoul)
    elsewhere = IndustrialComplex.objects.create(name="다른산단", kind="general", region=seoul)
    plan = TransformationPlan.objects.create(
        region=seoul, round_year=2021, status="preliminary", source_document="시험"
    )
    PlanSite.objects.create(plan=plan, complex=hub, role=SiteRole.HUB)
    PlanSite.objects.create(plan=plan, complex=linked, role=SiteRole.LINKED_COMPLEX, order=1)
    task = KeyTask.objects.create(plan=plan, name="인력양성")
    training = SubProject.objects.create(key_task=task, name="스마트제조 고급인력 양성")
    SubProject.objects.create(key_task=task, name="고용안정선제패키지", order=1)

    people = build_cast(regions, admin)
    cohort = people[0].enrollments.get().cohort
    _meets_in(cohort, hub, "허브 교육장", admin)
    Company.objects.filter(positions__placements__trainee=people[0]).update(complex=hub)

    # Noise outside the covered complexes.
    other_cohort = factories.cohort(
        group=regions["capital_group"], track=regions["track"], code="ELSEWHERE"
    )
    for person in factories.TraineeFactory.create_batch(2, region=seoul):
        factories.enrollment(cohort=other_cohort, trainee=person, status="completed")
    _meets_in(other_cohort, elsewhere, "다른 교육장", admin)
    far = factories.CompanyFactory(region=seoul, complex=elsewhere)
    position = Position.objects.create(
        company=far,
        track=regions["track"],
        title="-",
        duties="-",
        seats=1,
        region=seoul,
        site_address="-",
        mentor_name="-",
        status="published",
        created_by=admin,
    )
    Placement.objects.create(
        trainee=people[7],
        position=position,
        state="started",
        origin="test",
        operating_group=regions["capital_group"],
        created_by=admin,
    )
    return {"plan": plan, "training": training, "hub": hub, "elsewhere": elsewhere}


def _stages(html: str) -> dict[str, str]:
    found = {}
    for stage in ("enrolled", "completed", "placed", "hired_3m", "hired_6m"):
        cell = html.split(f'data-stage="{stage}">', 1)[1]
        found[stage] = cell.split("<", 1)[0]
    return found


def test_the_plan_page_follows_the_subproject_to_trained_placed_and_hired(world, admin, login_as):
    client = login_as(admin, Client())
    html = client.get(reverse("outcomes:plan_outcomes", args=[world["plan"].pk])).content.decode()
    assert _stages(html) == {
        "enrolled": "10",
        "completed": "8",
        "placed": "6",
        "hired_3m": "3",
        "hired_6m": "2",
    }
    assert "스마트제조 고급인력 양성" in html and "고용안정선제패키지" not in html
    # No complexes chosen: every site of the plan, labelled as our default.
    assert "계획의 대상지역 전부: itda 기본값 — 운영지침 확인 필요" in html
    assert "시험연계산단" in html


def test_the_subprojects_chosen_complexes_decide_who_counts(world, admin, login_as):
    world["training"].complexes.set([IndustrialComplex.objects.get(name="시험연계산단")])
    client = login_as(admin, Client())
    html = client.get(reverse("outcomes:plan_outcomes", args=[world["plan"].pk])).content.decode()
    assert set(_stages(html).values()) == {"0"}
    assert "itda 기본값" in html  # the linkage rule itself is ours


def test_the_viewer_sees_small_counts_suppressed_and_staff_of_another_region_get_404(
    world, busan_staff, seoul_staff, login_as
):
    viewer = login_as(factories.user(username="ministry", role=Role.VIEWER), Client())
    overview = viewer.get(reverse("outcomes:plan_overview")).content.decode()
    assert _stages(overview) == {
        "enrolled": "10",
        "completed": "8",
        "placed": "6",
        "hired_3m": "&lt;5",
        "hired_6m": "&lt;5",
    }
    url = reverse("outcomes:plan_outcomes", args=[world["plan"].pk])
    assert viewer.get(url).status_code == 403  # the detail is the staff's
    busan = login_as(busan_staff, Client())
    assert busan.get(url).status_code == 404
    assert "data-stage" not in busan.get(reverse("outcomes:plan_overview")).content.decode()
    seoul = login_as(seoul_staff, Client())
    assert _stages(seoul.get(url).content.decode())["hired_3m"] == "3"
    assert _stages(seoul.get(reverse("outcomes:plan_overview")).content.decode())["placed"] == "6"


LIVE = {"enrolled": "10", "completed": "8", "placed": "6", "hired_3m": "3", "hired_6m": "2"}


def test_after_a_night_the_pages_read_the_stored_counts_until_the_next_night(
    world, admin, login_as, django_assert_max_num_queries
):
    """Right after the snapshot the pages equal the live count; a raw row added afterwards
    changes nothing until the next night stores it: the pages read the aggregates."""
    day = datetime.date(2026, 12, 1)
    assert plan_funnel_snapshot_take(day=day) == 5 + 2  # five stages + one cohort's two counts
    assert plan_funnel_snapshot_take(day=day) == 7  # taken twice, stored once
    client = login_as(admin, Client())
    url = reverse("outcomes:plan_outcomes", args=[world["plan"].pk])
    reset_queries()  # a request resets the query log: count from an empty one
    with django_assert_max_num_queries(100) as stored_read:
        html = client.get(url).content.decode()
    stored_read_queries = len(stored_read.captured_queries)  # read before the log is reset
    assert _stages(html) == LIVE
    assert "2026-12-01 야간 집계 기준" in html
    viewer = login_as(factories.user(username="ministry", role=Role.VIEWER), Client())
    overview = viewer.get(reverse("outcomes:plan_overview")).content.decode()
    assert _stages(overview) == {**LIVE, "hired_3m": "&lt;5", "hired_6m": "&lt;5"}

    cohort = Enrollment.objects.filter(status="completed").first().cohort
    for person in factories.TraineeFactory.create_batch(3, region=world["hub"].region):
        factories.enrollment(cohort=cohort, trainee=person, status="completed")
    # Not counted until the next night; and the page's queries do not grow with the rows.
    reset_queries()
    with django_assert_max_num_queries(stored_read_queries):
        assert _stages(client.get(url).content.decode()) == LIVE
    plan_funnel_snapshot_take(day=day + datetime.timedelta(days=1))
    html = client.get(url).content.decode()
    assert _stages(html)["enrolled"] == "13" and _stages(html)["completed"] == "11"
    assert "2026-12-02 야간 집계 기준" in html
