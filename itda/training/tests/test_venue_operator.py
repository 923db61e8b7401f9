"""A venue with its own operator organisation (the 스마트화관, run for the Incheon programme) is
run by that organisation alone: it decides the venue's Business Zone requests and holds its
rooms for its courses, while the MSS 수도권 group — whose regions include 인천 — does neither."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.programs.models import (
    OperatingGroup,
    Programme,
    Region,
    RoomKind,
    Venue,
    Zone,
)
from itda.programs.services import reference_load
from itda.training import services
from itda.training.models import BookingStatus, RoomBooking

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(regions):
    """인천 (covered by the MSS 수도권 group too) and the 스마트화관 run by its own programme's
    operator organisation, with a lecture room and the Business Zone."""
    incheon = Region.objects.create(code="28", name="인천광역시", short_name="인천", zone="capital")
    regions["capital_group"].regions.add(incheon)
    programme = Programme.objects.create(
        code="incheon-test",
        name="스마트제조 고급인력 양성사업 (테스트)",
        ministry="산업통상자원부",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        source_document="test",
    )
    operator = OperatingGroup.objects.create(
        programme=programme, name="스마트화관 운영기관", zone=Zone.CAPITAL
    )
    operator.regions.add(incheon)
    lecture = factories.room(region=incheon, name="강의·교육장", venue_name="산업현장 스마트화관")
    Venue.objects.filter(pk=lecture.venue_id).update(operator=operator)
    zone = factories.room(
        region=incheon,
        name="오픈형 회의실(Business Zone)",
        kind=RoomKind.MEETING,
        venue_name="산업현장 스마트화관",
    )
    staff = factories.user(username="hall_staff", role=Role.GROUP_STAFF)
    operator.staff.add(staff)
    firm = factories.CompanyFactory(region=incheon, smart_factory_level="basic")
    manager = factories.user(username="incheon_company", role=Role.COMPANY)
    firm.managers.add(manager)
    return {
        "operator": operator,
        "staff": staff,
        "lecture": lecture,
        "zone": zone,
        "manager": manager,
        "venue": lecture.venue,
    }


def _request(hall) -> RoomBooking:
    day = timezone.localdate() + datetime.timedelta(days=5)
    start = datetime.datetime.combine(day, datetime.time(14), factories.KST)
    return services.meeting_request(
        actor=hall["manager"],
        room=hall["zone"],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        purpose="스마트공장 도입 상담",
        attendees=4,
    )


def test_the_venues_operator_approves_its_business_zone_and_the_mss_group_cannot(
    client, login_as, seoul_staff, hall
):
    booking = _request(hall)
    login_as(seoul_staff)
    assert "스마트공장 도입 상담" not in client.get("/training/venues/").content.decode()
    assert client.get(f"/training/venues/{hall['venue'].pk}/").status_code == 404
    response = client.post(f"/training/bookings/{booking.pk}/approve/")
    assert response.status_code == 404
    with pytest.raises(services.TrainingError, match="처리할 권한이 없습니다"):
        services.booking_decide(actor=seoul_staff, booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED

    client.logout()
    login_as(hall["staff"])
    assert "스마트공장 도입 상담" in client.get("/training/venues/").content.decode()
    assert client.post(f"/training/bookings/{booking.pk}/approve/").status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == (BookingStatus.APPROVED, hall["staff"])


def test_the_operator_runs_its_courses_in_the_hall_and_the_mss_group_may_not_book_it(
    regions, seoul_staff, hall
):
    own = factories.employee_cohort(group=hall["operator"], level="basic", code="HALL-BASIC")
    start = datetime.datetime.combine(own.starts_on, datetime.time(9), factories.KST)
    session = services.session_create(
        actor=hall["staff"],
        cohort=own,
        title="스마트공장 기초 단계 진단",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        room=hall["lecture"],
    )
    assert session.booking.room == hall["lecture"]
    assert session.booking.status == BookingStatus.APPROVED

    mss = factories.employee_cohort(group=regions["capital_group"], level="basic", code="MSS-B")
    with pytest.raises(services.TrainingError, match="이 사업단이 운영하는 교육장의 공간만"):
        services.session_create(
            actor=seoul_staff,
            cohort=mss,
            title="기초",
            starts_at=start + datetime.timedelta(days=1),
            ends_at=start + datetime.timedelta(days=1, hours=3),
            room=hall["lecture"],
        )


def test_the_reference_data_gives_the_smart_hall_to_the_incheon_programmes_operator():
    reference_load()
    venue = Venue.objects.select_related("operator__programme").get(name="산업현장 스마트화관")
    assert venue.operator.programme.code == "incheon-smart-mfg-2021"
    assert venue.operator.programme == venue.programme
    assert {r.short_name for r in venue.operator.regions.all()} == {"인천"}
    mss = OperatingGroup.objects.get(programme__code="mss-smart-mfg-2026", zone=Zone.CAPITAL)
    assert not Venue.objects.visible_to(_staff_of(mss)).filter(pk=venue.pk).exists()
    assert Venue.objects.visible_to(_staff_of(venue.operator)).filter(pk=venue.pk).exists()


def _staff_of(group):
    user = factories.user(username=f"staff-{group.pk}", role=Role.GROUP_STAFF)
    group.staff.add(user)
    return user
