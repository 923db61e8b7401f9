"""A forwarded QR link: each check-in records the address and the browser it came from, and the
roll-call flags one phone checking in several trainees or a check-in from elsewhere (issue 10,
item 18)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.programs.models import Trainee
from itda.training import attendance as svc
from itda.training.models import Attendance, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_class(regions, trainee):
    """A session running now with three trainees enrolled."""
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    now = timezone.now()
    session = Session.objects.create(
        cohort=cohort,
        number=1,
        title="스마트공장 개론",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
    )
    users = [trainee]
    for name in ("trainee2", "trainee3"):
        user = factories.user(username=name, role=Role.TRAINEE)
        factories.TraineeFactory(user=user, region=regions["seoul"])
        users.append(user)
    for user in users:
        factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=user))
    return session, users


def _link(session):
    return svc.qr_url(session=session, now=timezone.now()).split("127.0.0.1:8000", 1)[1]


def _check_in(client, login_as, user, session, *, ip):
    """Log ``user`` in on ``client`` (one phone's browser) and check in from ``ip``."""
    # The test client's logout drops every cookie; a browser's keeps the device cookie.
    device = client.cookies.get(svc.DEVICE_COOKIE)
    client.logout()
    if device is not None:
        client.cookies[svc.DEVICE_COOKIE] = device.value
    login_as(user, client)
    page = client.get(_link(session), REMOTE_ADDR=ip)
    done = client.post(
        _link(session), {"ticket": page.context["ticket"], "intent": "in"}, REMOTE_ADDR=ip
    )
    assert done.status_code == 200, done.content.decode()[:300]
    return Attendance.objects.get(session=session, enrollment__trainee__user=user)


def test_each_check_in_records_the_address_and_a_hashed_device(login_as, live_class):
    session, (me, *_) = live_class
    phone = Client()
    row = _check_in(phone, login_as, me, session, ip="10.1.2.3")
    cookie = phone.cookies[svc.DEVICE_COOKIE].value
    assert row.checkin_ip == "10.1.2.3"
    assert row.checkin_device == svc.device_key(cookie) and cookie not in row.checkin_device
    assert phone.cookies[svc.DEVICE_COOKIE]["httponly"]


def test_the_roll_call_flags_one_phone_for_several_trainees_and_another_address(
    client, login_as, seoul_staff, live_class
):
    session, (me, second, third) = live_class
    friends_phone, own_phone = Client(), Client()
    # Two trainees on one phone in the room, the third on their own phone from home.
    _check_in(friends_phone, login_as, me, session, ip="10.1.2.3")
    _check_in(friends_phone, login_as, second, session, ip="10.1.2.3")
    _check_in(own_phone, login_as, third, session, ip="203.0.113.9")
    login_as(seoul_staff)
    html = client.get(f"/training/sessions/{session.pk}/roll-call/").content.decode()
    rows = {
        user.username: html.split(f'data-testid="roll-{name}"', 1)[1].split("</tr>", 1)[0]
        for user, name in ((u, Trainee.objects.get(user=u).name) for u in (me, second, third))
    }
    assert 'data-testid="shared-device"' in rows["trainee"] and "같은 기기 2명" in rows["trainee"]
    assert 'data-testid="shared-device"' in rows["trainee2"]
    assert 'data-testid="shared-device"' not in rows["trainee3"]
    assert 'data-testid="other-ip"' in rows["trainee3"]
    assert 'data-testid="other-ip"' not in rows["trainee"]


def test_a_row_changed_in_place_keeps_its_flags(client, login_as, seoul_staff, live_class):
    session, (me, second, third) = live_class
    friends_phone = Client()
    _check_in(friends_phone, login_as, me, session, ip="10.1.2.3")
    _check_in(friends_phone, login_as, second, session, ip="10.1.2.3")
    _check_in(Client(), login_as, third, session, ip="203.0.113.9")
    login_as(seoul_staff)

    def mark(user, status):
        enrollment = Attendance.objects.get(session=session, enrollment__trainee__user=user)
        url = f"/training/sessions/{session.pk}/roll-call/{enrollment.enrollment_id}/"
        response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return response.content.decode()

    fragment = mark(me, "late")
    assert fragment.startswith("<tr") and "같은 기기 2명" in fragment
    assert 'data-testid="shared-device"' in fragment
    assert 'data-testid="other-ip"' in mark(third, "absent")
    # A refused change re-renders the row with its refusal and still with its flags.
    refused = mark(second, "nonsense")
    assert "출결 상태를 다시 선택해 주세요." in refused
    assert 'data-testid="shared-device"' in refused


def test_no_flags_when_everyone_used_their_own_phone_in_the_room(
    client, login_as, seoul_staff, live_class
):
    session, users = live_class
    for user in users:
        _check_in(Client(), login_as, user, session, ip="10.1.2.3")
    login_as(seoul_staff)
    html = client.get(f"/training/sessions/{session.pk}/roll-call/").content.decode()
    assert "shared-device" not in html and "other-ip" not in html
