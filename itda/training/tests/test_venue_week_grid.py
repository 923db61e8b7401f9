"""A venue's week as a calendar of days × hours: a session sits in its day's column from its
start hour, a company's request beside it marked apart; a week parameter that is garbage or out
of the era shows a week with a Korean notice and changes nothing (issue 15, pictures)."""

import datetime
import re

import pytest

from itda import factories
from itda.programs.models import Company, RoomKind
from itda.training import services
from itda.training.models import BookingKind, RoomBooking

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime.date(2026, 7, 1)  # the week of Monday 29 June 2026
THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def at(hour: int, day: datetime.date = WEDNESDAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), factories.KST)


@pytest.fixture
def venue_week(regions, seoul_staff, company):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    room = factories.room(region=regions["seoul"], name="강의·교육장")
    zone = factories.room(
        region=regions["seoul"],
        name="Business Zone",
        kind=RoomKind.MEETING,
        venue_name=room.venue.name,
    )
    services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="PLC 실습",
        starts_at=at(10),
        ends_at=at(12),
        room=room,
    )
    RoomBooking.objects.create(
        room=zone,
        during=(at(19, THURSDAY), at(20, THURSDAY)),
        kind=BookingKind.MEETING,
        purpose="기업 상담",
        company=Company.objects.get(managers=company),
        requested_by=company,
    )
    return room.venue


def _cell(html: str, weekday: int, hour: int) -> str:
    return re.search(rf'<td data-slot="{weekday}-{hour}">(.*?)</td>', html, re.S)[1]


def test_a_session_sits_in_its_day_and_hours(client, login_as, seoul_staff, venue_week):
    login_as(seoul_staff)
    html = client.get(f"/training/venues/{venue_week.pk}/", {"week": "2026-07-01"}).content.decode()
    assert "2026. 6. 29. ~ 7. 5." in html
    start = _cell(html, 2, 10)  # Wednesday, 10:00
    assert 'data-testid="booking-approved"' in start and "10:00–12:00" in start
    assert "PLC 실습" in start and "강의·교육장" in start
    assert "계속" in _cell(html, 2, 11) and "PLC 실습" not in _cell(html, 2, 11)
    for weekday, hour in ((2, 9), (2, 12), (1, 10), (3, 10)):
        empty = _cell(html, weekday, hour)
        assert "booking-" not in empty and "계속" not in empty
    # The request at 19:00 on Thursday widens the grid past 18:00 and reads as 신청.
    request = _cell(html, 3, 19)
    assert 'data-testid="booking-requested"' in request and "신청" in request
    hours = re.findall(r'<th scope="row" class="num">(\d\d):00</th>', html)
    assert hours == [f"{h:02d}" for h in range(9, 20)]


@pytest.mark.parametrize(
    "week, notice",
    [
        ("nonsense", "날짜로 지정하세요"),
        ("2026-02-30", "날짜로 지정하세요"),
        ("9999-12-31", "2100-12-31 사이여야 합니다"),
        ("0001-01-01", "1900-01-01부터"),
    ],
)
def test_a_bad_week_shows_a_week_with_a_korean_notice_and_changes_nothing(
    client, login_as, seoul_staff, venue_week, week, notice
):
    login_as(seoul_staff)
    before = list(RoomBooking.objects.values_list("pk", "status", "during"))
    response = client.get(f"/training/venues/{venue_week.pk}/", {"week": week})
    assert response.status_code == 200
    html = response.content.decode()
    assert notice in html and 'data-testid="venue-week"' in html
    assert list(RoomBooking.objects.values_list("pk", "status", "during")) == before
