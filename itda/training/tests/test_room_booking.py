"""Rooms are never double-booked: sessions book their room with the session, companies' Business
Zone requests hold nothing until approved, and the database refuses overlaps — also when many
requests arrive at once."""

import datetime
import threading
from html import unescape

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itda import factories
from itda.programs.models import Company, RoomKind
from itda.training import services
from itda.training.models import BookingKind, BookingStatus, RoomBooking, Session

KST = factories.KST
DAY = datetime.date(2026, 7, 2)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), KST)


@pytest.fixture
def cohort(regions):
    return factories.cohort(group=regions["capital_group"], track=regions["track"])


@pytest.fixture
def lecture_room(regions):
    return factories.room(region=regions["seoul"], name="강의·교육장")


@pytest.fixture
def business_zone(lecture_room):
    return factories.room(
        region=lecture_room.venue.region,
        name="오픈형 회의실(Business Zone)",
        kind=RoomKind.MEETING,
        venue_name=lecture_room.venue.name,
    )


def _session_post(client, cohort, room, start="10:00", end="12:00", title="PLC 실습"):
    return client.post(
        f"/training/cohorts/{cohort.pk}/sessions/new/",
        {"title": title, "date": "2026-07-02", "start": start, "end": end, "room": room.pk},
    )


def _future(hour: int, days: int = 7) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return at(hour, day=day)


# --- Sessions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_books_its_room_and_an_overlap_is_refused_in_korean(
    client, login_as, seoul_staff, cohort, lecture_room, regions
):
    login_as(seoul_staff)
    assert _session_post(client, cohort, lecture_room).status_code == 302
    session = Session.objects.get()
    assert session.number == 1 and session.starts_at == at(10)
    assert session.booking.status == BookingStatus.APPROVED
    assert session.booking.kind == BookingKind.SESSION and session.booking.room == lecture_room

    other = factories.cohort(
        group=regions["capital_group"], track=regions["track"], code="T1-OTHER"
    )
    response = _session_post(client, other, lecture_room, start="11:00", end="13:00")
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "선택한 공간은 10:00–12:00에 이미 '" in html and "PLC 실습' 일정으로 예약되어" in html
    assert Session.objects.count() == 1 and RoomBooking.objects.count() == 1


@pytest.mark.django_db
def test_adjacent_bookings_are_both_allowed(seoul_staff, cohort, lecture_room):
    for start, end in ((10, 12), (12, 14)):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="실습",
            starts_at=at(start),
            ends_at=at(end),
            room=lecture_room,
        )
    assert RoomBooking.objects.holding().filter(room=lecture_room).count() == 2
    assert list(cohort.sessions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_session_lies_within_the_cohort_and_ends_after_it_starts(
    client, login_as, seoul_staff, cohort, lecture_room
):
    with pytest.raises(services.TrainingError, match="교육기간\\(2026-07-01~2026-07-31\\) 안에"):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="x",
            starts_at=at(10, day=datetime.date(2026, 8, 3)),
            ends_at=at(12, day=datetime.date(2026, 8, 3)),
        )
    login_as(seoul_staff)
    html = _session_post(client, cohort, lecture_room, start="12:00", end="10:00").content.decode()
    assert "종료 시각은 시작 시각보다 늦어야 합니다." in html
    assert not Session.objects.exists() and not RoomBooking.objects.exists()


@pytest.mark.django_db
def test_the_session_form_is_plain_and_korean(client, login_as, seoul_staff, cohort):
    login_as(seoul_staff)
    html = client.get(f"/training/cohorts/{cohort.pk}/").content.decode()
    for label in ("차시 내용", "교과목", "날짜", "시작 시각", "종료 시각", "교육장 공간", "강사명"):
        assert f">{label}<" in html, label
    assert 'type="date" name="date"' in html and 'type="time" name="start"' in html
    assert ">저장</button>" in html


@pytest.mark.django_db
def test_a_room_of_another_region_cannot_be_used(seoul_staff, cohort, regions):
    busan_room = factories.room(region=regions["busan"], venue_name="부산 교육장")
    with pytest.raises(services.TrainingError, match="이 사업단이 운영하는 교육장"):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="x",
            starts_at=at(10),
            ends_at=at(12),
            room=busan_room,
        )


@pytest.mark.django_db
def test_editing_a_session_moves_its_booking_unless_the_slot_is_taken(
    client, login_as, seoul_staff, cohort, lecture_room
):
    first, second = (
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title=title,
            starts_at=at(start),
            ends_at=at(start + 2),
            room=lecture_room,
        )
        for title, start in (("오전", 9), ("오후", 14))
    )
    login_as(seoul_staff)
    data = {"title": "오후", "date": "2026-07-03", "start": "13:00", "end": "15:00"}
    response = client.post(
        f"/training/sessions/{second.pk}/edit/", data | {"room": lecture_room.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    second.booking.refresh_from_db()
    assert second.starts_at == at(13, day=datetime.date(2026, 7, 3))
    assert second.booking.during.lower == second.starts_at
    # Onto the morning session's slot: refused, nothing moves.
    response = client.post(
        f"/training/sessions/{second.pk}/edit/",
        data | {"date": "2026-07-02", "start": "10:00", "end": "12:00", "room": lecture_room.pk},
    )
    assert "선택한 공간은 09:00–11:00에 이미 '" in unescape(response.content.decode())
    second.refresh_from_db()
    assert second.starts_at == at(13, day=datetime.date(2026, 7, 3))
    assert first.booking.pk != second.booking.pk


@pytest.mark.django_db
def test_a_session_with_attendance_is_not_deleted(
    client, login_as, seoul_staff, cohort, lecture_room, regions
):
    session = services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="x",
        starts_at=at(10),
        ends_at=at(12),
        room=lecture_room,
    )
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record = factories.attendance(enrollment=enrollment, session=session, status="present")
    login_as(seoul_staff)
    client.post(f"/training/sessions/{session.pk}/delete/")
    assert Session.objects.filter(pk=session.pk).exists()
    with pytest.raises(services.TrainingError, match="출결 기록이 있는 차시는 삭제할 수 없습니다"):
        services.session_delete(actor=seoul_staff, session=session)
    record.delete()
    client.post(f"/training/sessions/{session.pk}/delete/")
    assert not Session.objects.filter(pk=session.pk).exists()
    # The room is free again: a new session can take the slot.
    assert RoomBooking.objects.holding().count() == 0
    services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="y",
        starts_at=at(10),
        ends_at=at(12),
        room=lecture_room,
    )


@pytest.mark.django_db
def test_another_groups_staff_cannot_add_sessions(
    client, login_as, busan_staff, cohort, lecture_room
):
    login_as(busan_staff)
    assert _session_post(client, cohort, lecture_room).status_code == 404
    with pytest.raises(services.TrainingError, match="권한이 없습니다"):
        services.session_create(
            actor=busan_staff, cohort=cohort, title="x", starts_at=at(10), ends_at=at(12)
        )
    assert not Session.objects.exists()


# --- Business Zone ----------------------------------------------------------------------------


def _request(company_user, room, start=10, end=12, purpose="협력사 미팅"):
    return services.meeting_request(
        actor=company_user,
        room=room,
        starts_at=_future(start),
        ends_at=_future(end),
        purpose=purpose,
        attendees=6,
    )


@pytest.mark.django_db
def test_a_company_requests_the_business_zone_and_staff_approve(
    client, login_as, company, seoul_staff, business_zone
):
    login_as(company)
    day = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        "/training/meetings/",
        {
            "room": business_zone.pk,
            "date": day,
            "start": "10:00",
            "end": "12:00",
            "purpose": "협력사 미팅",
            "attendees": 6,
        },
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert booking.status == BookingStatus.REQUESTED and booking.kind == BookingKind.MEETING
    assert booking.company == Company.objects.get(managers=company)
    assert "신청</span>" in client.get("/training/meetings/").content.decode()

    login_as(seoul_staff)
    assert "협력사 미팅" in client.get("/training/venues/").content.decode()
    client.post(f"/training/bookings/{booking.pk}/approve/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED and booking.decided_by == seoul_staff


@pytest.mark.django_db
def test_a_company_may_request_only_the_business_zone(company, lecture_room):
    with pytest.raises(services.TrainingError, match="Business Zone"):
        _request(company, lecture_room)


@pytest.mark.django_db
def test_requests_do_not_hold_the_room_and_an_overlapping_approval_is_refused(
    company, seoul_staff, business_zone
):
    first = _request(company, business_zone, 10, 12, purpose="첫 회의")
    second = _request(company, business_zone, 11, 13, purpose="둘째 회의")
    services.booking_decide(actor=seoul_staff, booking=first, approve=True)
    with pytest.raises(services.TrainingError) as refused:
        services.booking_decide(actor=seoul_staff, booking=second, approve=True)
    assert "선택한 공간은 10:00–12:00에 이미 '첫 회의' 일정으로 예약되어 있습니다." in str(
        refused.value
    )
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED


@pytest.mark.django_db
def test_rejecting_needs_a_note(company, seoul_staff, business_zone):
    booking = _request(company, business_zone)
    with pytest.raises(services.TrainingError, match="반려 사유"):
        services.booking_decide(actor=seoul_staff, booking=booking, approve=False)
    services.booking_decide(actor=seoul_staff, booking=booking, approve=False, note="공사 중")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED and booking.decision_note == "공사 중"


@pytest.mark.django_db
def test_a_company_sees_and_cancels_only_its_own_requests(
    client, login_as, company, business_zone, regions
):
    mine = _request(company, business_zone, purpose="우리 회의")
    other_user = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_user)
    theirs = _request(other_user, business_zone, 14, 15, purpose="남의 회의")
    login_as(company)
    html = client.get("/training/meetings/").content.decode()
    assert "우리 회의" in html and "남의 회의" not in html
    assert client.post(f"/training/meetings/{theirs.pk}/cancel/").status_code == 404
    client.post(f"/training/meetings/{mine.pk}/cancel/")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == BookingStatus.CANCELLED and theirs.status == BookingStatus.REQUESTED


@pytest.mark.django_db
def test_staff_of_another_group_cannot_see_or_decide(
    client, login_as, company, busan_staff, business_zone
):
    booking = _request(company, business_zone, purpose="수도권 회의")
    login_as(busan_staff)
    assert "수도권 회의" not in client.get("/training/venues/").content.decode()
    assert client.get(f"/training/venues/{business_zone.venue_id}/").status_code == 404
    assert client.post(f"/training/bookings/{booking.pk}/approve/").status_code == 404
    with pytest.raises(services.TrainingError, match="권한이 없습니다"):
        services.booking_decide(actor=busan_staff, booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


# --- The room calendar --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_week_shows_approved_and_requested_bookings_apart_in_constant_queries(
    client, login_as, seoul_staff, company, cohort, lecture_room, business_zone
):
    services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="오전",
        starts_at=at(9),
        ends_at=at(11),
        room=lecture_room,
    )
    login_as(seoul_staff)
    url = f"/training/venues/{lecture_room.venue_id}/?week=2026-07-01"

    def render():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return response.content.decode(), len(ctx.captured_queries)

    html, few = render()
    assert "2026. 6. 29. ~ 7. 5." in html and "?week=2026-07-06" in html
    assert 'data-testid="booking-approved"' in html and "09:00–11:00" in html
    for hour in (12, 14, 16):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="오후",
            starts_at=at(hour),
            ends_at=at(hour + 1),
            room=lecture_room,
        )
    RoomBooking.objects.create(
        room=business_zone,
        during=(at(10), at(11)),
        kind=BookingKind.MEETING,
        purpose="기업 회의",
        company=Company.objects.get(managers=company),
        requested_by=company,
    )
    html, many = render()
    assert many == few
    assert html.count('data-testid="booking-approved"') == 4
    assert html.count('data-testid="booking-requested"') == 1 and "is-warning" in html


# --- Concurrency: the database is the referee --------------------------------------------------


def _race(workers):
    """Run the callables together (a barrier starts them), each on its own connection."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(i, work):
        try:
            barrier.wait()
            results[i] = ("ok", work())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_sessions_in_one_room_one_wins(seoul_staff, regions, lecture_room):
    # Eight cohorts, so that nothing but the room is shared (no cohort lock serialises them).
    cohorts = [
        factories.cohort(group=regions["capital_group"], track=regions["track"], code=f"C{i}")
        for i in range(8)
    ]

    def create(cohort, start):
        return lambda: services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title=f"동시 {start}",
            starts_at=at(10, start),
            ends_at=at(12, start),
            room=lecture_room,
        )

    results = _race([create(c, i) for i, c in enumerate(cohorts)])
    won = [r for kind, r in results if kind == "ok"]
    lost = [r for kind, r in results if kind == "error"]
    assert len(won) == 1 and len(lost) == 7
    for exc in lost:
        assert isinstance(exc, services.TrainingError), exc
        assert "선택한 공간은 10:" in str(exc) and "예약되어 있습니다" in str(exc)
    assert RoomBooking.objects.holding().filter(room=lecture_room).count() == 1
    assert Session.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_of_overlapping_requests_one_wins(
    company, seoul_staff, admin, business_zone
):
    first = _request(company, business_zone, 10, 12)
    second = _request(company, business_zone, 11, 13)
    results = _race(
        [
            lambda: services.booking_decide(actor=seoul_staff, booking=first, approve=True),
            lambda: services.booking_decide(actor=admin, booking=second, approve=True),
        ]
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    (exc,) = [r for kind, r in results if kind == "error"]
    assert isinstance(exc, services.TrainingError) and "예약되어 있습니다" in str(exc)
    statuses = sorted(RoomBooking.objects.values_list("status", flat=True))
    assert statuses == [BookingStatus.APPROVED, BookingStatus.REQUESTED]


@pytest.mark.django_db
def test_companies_see_when_the_business_zone_is_taken_but_not_by_whom(
    client, login_as, company, seoul_staff, business_zone, regions
):
    other_user = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_user)
    theirs = _request(other_user, business_zone, 14, 16, purpose="비공개 협상")
    services.booking_decide(actor=seoul_staff, booking=theirs, approve=True)
    _request(other_user, business_zone, 9, 10, purpose="대기 중 신청")
    login_as(company)
    html = client.get("/training/meetings/").content.decode()
    (taken,) = [line for line in html.splitlines() if 'data-testid="taken"' in line]
    assert "14:00–16:00" in taken
    assert "비공개 협상" not in html and "대기 중 신청" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["cohort", "venues"])
def test_schedule_pages_run_a_constant_number_of_queries(
    client, login_as, seoul_staff, company, cohort, lecture_room, business_zone, page
):
    login_as(seoul_staff)
    url = f"/training/cohorts/{cohort.pk}/" if page == "cohort" else "/training/venues/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add(hour):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="실습",
            starts_at=at(hour),
            ends_at=at(hour + 1),
            room=lecture_room,
        )
        _request(company, business_zone, hour, hour + 1)

    add(9)
    few = queries()
    for hour in range(10, 17):
        add(hour)
    assert queries() == few


@pytest.mark.django_db
def test_staff_hold_a_room_for_an_event_and_cancel_it(
    client, login_as, seoul_staff, busan_staff, regions, lecture_room
):
    # Staff book from today on (a past day is refused), so the event and the cohort it
    # collides with lie a week ahead.
    day = timezone.localdate() + datetime.timedelta(days=7)
    cohort = factories.cohort(
        group=regions["capital_group"], track=regions["track"], starts_on=day, ends_on=day
    )
    login_as(seoul_staff)
    data = {
        "room": lecture_room.pk,
        "kind": "event",
        "date": f"{day:%Y-%m-%d}",
        "start": "13:00",
        "end": "17:00",
        "purpose": "선도사례 전시 설명회",
    }
    response = client.post(f"/training/venues/{lecture_room.venue_id}/book/", data)
    assert response["Location"].endswith(f"?week={day:%Y-%m-%d}")
    event = RoomBooking.objects.get(purpose="선도사례 전시 설명회")
    assert event.status == BookingStatus.APPROVED and event.kind == BookingKind.EVENT
    # The event holds the room: a session over it is refused, naming the event.
    with pytest.raises(services.TrainingError, match="13:00–17:00에 이미 '선도사례 전시 설명회'"):
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="x",
            starts_at=at(16, day=day),
            ends_at=at(18, day=day),
            room=lecture_room,
        )
    with pytest.raises(services.TrainingError, match="사업단 담당자만 예약"):
        services.booking_create(
            actor=busan_staff,
            room=lecture_room,
            starts_at=at(8, day=day),
            ends_at=at(9, day=day),
            purpose="x",
        )
    client.post(f"/training/bookings/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.status == BookingStatus.CANCELLED
    assert (
        services.session_create(
            actor=seoul_staff,
            cohort=cohort,
            title="x",
            starts_at=at(16, day=day),
            ends_at=at(18, day=day),
            room=lecture_room,
        ).booking.status
        == BookingStatus.APPROVED
    )
