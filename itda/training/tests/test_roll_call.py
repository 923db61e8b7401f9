"""The roll-call: the whole class on one page, one click a person (htmx swaps the row), for the
cohort's instructors and the group's staff only, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.training import attendance as svc
from itda.training.models import Attendance, AttendanceSource

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 7, 1)


def _class(regions, size, *, code="T1-BASIC"):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"], code=code)
    (session,) = factories.sessions(cohort=cohort, days=[DAY])
    enrollments = [
        factories.enrollment(
            cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
        )
        for _ in range(size)
    ]
    return session, enrollments


@pytest.fixture
def klass(regions):
    return _class(regions, 3)


def _url(session, *rest):
    return "/".join([f"/training/sessions/{session.pk}/roll-call", *map(str, rest)]) + "/"


def test_one_click_sets_a_status_and_htmx_gets_the_row_back(client, login_as, seoul_staff, klass):
    session, (first, *_) = klass
    login_as(seoul_staff)
    page = client.get(_url(session)).content.decode()
    assert first.trainee.name in page and "미기록" in page
    response = client.post(_url(session, first.pk), {"status": "late"}, HTTP_HX_REQUEST="true")
    row_html = response.content.decode()
    assert row_html.lstrip().startswith(f'<tr id="roll-{first.pk}"') and "<html" not in row_html
    assert '<span class="itda-badge">지각</span>' in row_html
    row = Attendance.objects.get(enrollment=first, session=session)
    assert (row.status, row.source, row.recorded_by) == ("late", "roll_call", seoul_staff)
    # A second click changes the same row; a plain form post (no htmx) returns to the page.
    response = client.post(_url(session, first.pk), {"status": "excused"})
    assert response.status_code == 302 and response.url == _url(session)
    assert Attendance.objects.get(enrollment=first, session=session).status == "excused"
    assert Attendance.objects.count() == 1


def test_a_roll_call_keeps_the_scanned_times(klass, seoul_staff):
    session, (first, *_) = klass
    scanned = datetime.datetime(2026, 7, 1, 9, 3, tzinfo=factories.KST)
    factories.attendance(
        enrollment=first, session=session, status="present", checked_in_at=scanned, source="qr"
    )
    row = svc.roll_call_set(
        session=session, enrollment=first, status="left_early", actor=seoul_staff
    )
    assert (row.status, row.source, row.checked_in_at) == ("left_early", "roll_call", scanned)


def test_a_status_outside_the_roll_calls_choices_is_refused(client, login_as, seoul_staff, klass):
    session, (first, *_) = klass
    login_as(seoul_staff)
    response = client.post(
        _url(session, first.pk), {"status": "late_left_early"}, HTTP_HX_REQUEST="true"
    )
    assert "출결 상태를 다시 선택해 주세요" in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_of_another_class_cannot_be_marked(client, login_as, seoul_staff, klass, regions):
    session, _ = klass
    other_session, (outsider,) = _class(regions, 1, code="OTHER")
    login_as(seoul_staff)
    assert client.post(_url(session, outsider.pk), {"status": "present"}).status_code == 404
    with pytest.raises(svc.AttendanceError):
        svc.roll_call_set(session=session, enrollment=outsider, status="present", actor=seoul_staff)
    assert not Attendance.objects.exists()


def test_the_page_view_is_logged(client, login_as, seoul_staff, klass):
    session, enrollments = klass
    login_as(seoul_staff)
    client.get(_url(session))
    log = PersonalDataAccess.objects.get(actor=seoul_staff, subject_type="training.enrollment")
    assert (log.action, log.subject_ids) == ("list", sorted(e.pk for e in enrollments))


def test_who_may_open_it(client, login_as, cast, klass, regions):
    session, (first, *_) = klass
    for name, expected in [
        ("admin", 200),
        ("seoul_staff", 200),
        ("busan_staff", 404),
        ("trainee", 403),
        ("company", 403),
        ("viewer", 403),
        ("evaluator", 403),
    ]:
        client.logout()
        login_as(cast[name])
        assert client.get(_url(session)).status_code == expected, name
        assert client.post(_url(session, first.pk), {"status": "absent"}).status_code in (
            expected if expected != 200 else 302,
        ), name
    assert Attendance.objects.filter(recorded_by=cast["busan_staff"]).count() == 0
    # An instructor of the cohort who belongs to another group's staff still takes the roll.
    instructor = factories.user(username="instructor", role=Role.GROUP_STAFF)
    regions["dongnam_group"].staff.add(instructor)
    session.cohort.instructors.add(instructor)
    client.logout()
    login_as(instructor)
    assert client.get(_url(session)).status_code == 200


def _queries(client, session):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url(session))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_class(client, login_as, seoul_staff, regions):
    small, five = _class(regions, 5, code="SMALL")
    big, forty = _class(regions, 40, code="BIG")
    for enrollments, session in ((five, small), (forty, big)):
        for e in enrollments[::2]:
            factories.attendance(
                enrollment=e, session=session, status="present", source=AttendanceSource.QR
            )
    login_as(seoul_staff)
    _queries(client, small)  # warm caches (content types, the session row)
    n_small, html_small = _queries(client, small)
    n_big, html_big = _queries(client, big)
    assert html_small.count('class="itda-roll-call-buttons"') == 5
    assert html_big.count('class="itda-roll-call-buttons"') == 40
    assert html_big.count('<span class="itda-badge">출석</span>') == 20
    assert n_small == n_big, (n_small, n_big)
