"""QR check-in and check-out: the rotating signed code, the session's window, who may scan, the
lateness and early-leave minutes at their exact boundaries, and one record however often one
taps."""

import datetime
import threading

import pytest
from django.db import connection

from itda import factories
from itda.accounts.roles import Role
from itda.programs.models import Trainee
from itda.training import attendance as svc
from itda.training.models import Attendance, Session

pytestmark = pytest.mark.django_db

KST = factories.KST
DAY = datetime.date(2026, 7, 1)


def at(hour, minute, second=0):
    return datetime.datetime.combine(DAY, datetime.time(hour, minute, second), KST)


@pytest.fixture
def klass(regions, trainee):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[DAY])  # 09:00–18:00 KST
    enrollment = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    return session, enrollment


def scan(session, user, *, when, intent=svc.Intent.CHECK_IN):
    token = svc.qr_token(session=session, window=svc.qr_window(rule=session.cohort.rule, now=when))
    ticket = svc.checkin_ticket(session=session, token=token, now=when)
    return svc.attendance_scan(session=session, ticket=ticket, intent=intent, actor=user, now=when)


# --- The code ---------------------------------------------------------------------------------


def test_the_code_of_this_and_the_previous_window_work_an_older_one_does_not(klass):
    session, _ = klass
    shown = at(9, 0, 5)
    token = svc.qr_token(session=session, window=svc.qr_window(rule=session.cohort.rule, now=shown))
    assert svc.qr_token_valid(session=session, token=token, now=shown)
    # The code rotates every 30 s: one rotation later the screenshot still works (a phone that
    # scanned as it changed), two rotations later it is dead.
    assert svc.qr_token_valid(
        session=session, token=token, now=shown + datetime.timedelta(seconds=30)
    )
    assert not svc.qr_token_valid(
        session=session, token=token, now=shown + datetime.timedelta(seconds=60)
    )
    with pytest.raises(svc.AttendanceError, match="QR 코드가 만료"):
        svc.checkin_ticket(session=session, token=token, now=shown + datetime.timedelta(seconds=60))
    # Nor does a code from the future, or one of another session, or a guessed one.
    future = svc.qr_token(
        session=session, window=svc.qr_window(rule=session.cohort.rule, now=shown) + 1
    )
    assert not svc.qr_token_valid(session=session, token=future, now=shown)
    other = Session.objects.create(
        cohort=session.cohort,
        number=2,
        title="2",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    assert not svc.qr_token_valid(session=other, token=token, now=shown)
    assert not svc.qr_token_valid(session=session, token="A" * 16, now=shown)


def test_the_code_depends_on_the_sessions_secret(klass):
    session, _ = klass
    before = svc.qr_token(session=session, window=1000)
    session.qr_secret = "0" * 64
    assert svc.qr_token(session=session, window=1000) != before
    assert len(before) == 16 and "/" not in before and "+" not in before


def test_the_url_carries_the_public_address(klass, settings):
    session, _ = klass
    settings.ITDA_PUBLIC_URL = "https://itda.example.kr"
    url = svc.qr_url(session=session, now=at(9, 0))
    assert url.startswith(f"https://itda.example.kr/training/c/{session.pk}/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert svc.qr_token_valid(session=session, token=token, now=at(9, 0))


def test_a_ticket_lasts_three_minutes_and_only_for_its_session(klass):
    session, _ = klass
    token = svc.qr_token(
        session=session, window=svc.qr_window(rule=session.cohort.rule, now=at(9, 0))
    )
    ticket = svc.checkin_ticket(session=session, token=token, now=at(9, 0))
    assert svc.checkin_ticket_valid(session=session, ticket=ticket, now=at(9, 3))
    assert not svc.checkin_ticket_valid(session=session, ticket=ticket, now=at(9, 3, 1))
    assert not svc.checkin_ticket_valid(session=session, ticket=ticket + "x", now=at(9, 0))


# --- The window -------------------------------------------------------------------------------


def test_the_code_is_refused_outside_the_sessions_window(klass, trainee):
    session, _ = klass
    with pytest.raises(svc.AttendanceError, match="08:30부터"):
        scan(session, trainee, when=at(8, 29, 59))
    assert scan(session, trainee, when=at(8, 30)).status == "present"
    with pytest.raises(svc.AttendanceError, match="이미 끝났습니다"):
        scan(session, trainee, when=at(18, 0, 1), intent=svc.Intent.CHECK_OUT)


def test_a_ticket_does_not_outlive_the_session(klass, trainee):
    session, _ = klass
    token = svc.qr_token(
        session=session, window=svc.qr_window(rule=session.cohort.rule, now=at(17, 59))
    )
    ticket = svc.checkin_ticket(session=session, token=token, now=at(17, 59))
    with pytest.raises(svc.AttendanceError, match="이미 끝났습니다"):
        svc.attendance_scan(
            session=session, ticket=ticket, intent="in", actor=trainee, now=at(18, 0, 1)
        )
    assert not Attendance.objects.exists()


# --- Who ------------------------------------------------------------------------------------


def test_only_trainees_enrolled_in_the_class_may_check_in(klass, regions):
    session, _ = klass
    stranger = factories.user(username="stranger", role=Role.TRAINEE)
    factories.TraineeFactory(user=stranger, region=regions["seoul"])
    with pytest.raises(svc.AttendanceError, match="수강하는 교육생이 아닙니다"):
        scan(session, stranger, when=at(9, 0))
    waiting = factories.user(username="waiting", role=Role.TRAINEE)
    factories.enrollment(
        cohort=session.cohort,
        trainee=factories.TraineeFactory(user=waiting, region=regions["seoul"]),
        status="waitlisted",
        waitlist_position=1,
    )
    with pytest.raises(svc.AttendanceError, match="수강하는 교육생이 아닙니다"):
        scan(session, waiting, when=at(9, 0))
    assert not Attendance.objects.exists()


# --- Lateness and early leave at the boundary minutes -----------------------------------------


@pytest.mark.parametrize(
    ("arrives", "status"),
    [
        (at(8, 45), "present"),
        (at(9, 10, 0), "present"),  # exactly 10 minutes after the start: not yet late
        (at(9, 10, 1), "late"),
        (at(10, 0, 0), "late"),  # exactly 60 minutes: late, not yet absent
        (at(10, 0, 1), "absent"),
    ],
)
def test_checkin_status_at_the_boundaries(klass, trainee, arrives, status):
    session, enrollment = klass
    row = scan(session, trainee, when=arrives)
    assert (row.status, row.checked_in_at, row.source) == (status, arrives, "qr")
    assert Attendance.objects.get(enrollment=enrollment, session=session).status == status


@pytest.mark.parametrize(
    ("arrives", "leaves", "status"),
    [
        (at(9, 0), at(17, 50, 0), "present"),  # exactly 10 minutes before the end: not early
        (at(9, 0), at(17, 49, 59), "left_early"),
        (at(9, 20), at(17, 49, 59), "late_left_early"),
        (at(9, 20), at(18, 0), "late"),
    ],
)
def test_checkout_status_at_the_boundaries(klass, trainee, arrives, leaves, status):
    session, _ = klass
    scan(session, trainee, when=arrives)
    row = scan(session, trainee, when=leaves, intent=svc.Intent.CHECK_OUT)
    assert (row.status, row.checked_out_at) == (status, leaves)


def test_the_rules_minutes_are_data(klass, trainee):
    session, _ = klass
    rule = session.cohort.rule
    rule.late_after_minutes = 5
    rule.save()
    session = Session.objects.select_related("cohort__rule").get(pk=session.pk)
    assert scan(session, trainee, when=at(9, 5, 1)).status == "late"


# --- One record ------------------------------------------------------------------------------


def test_a_second_checkin_is_refused_and_a_second_checkout_too(klass, trainee):
    session, _ = klass
    scan(session, trainee, when=at(9, 0))
    with pytest.raises(svc.AttendanceError, match="이미 입실"):
        scan(session, trainee, when=at(9, 1))
    with pytest.raises(svc.AttendanceError, match="입실 기록이 없습니다"):
        other = factories.user(username="other", role=Role.TRAINEE)
        factories.enrollment(
            cohort=session.cohort,
            trainee=factories.TraineeFactory(
                user=other, region=session.cohort.course.operating_group.regions.first()
            ),
        )
        scan(session, other, when=at(17, 55), intent=svc.Intent.CHECK_OUT)
    scan(session, trainee, when=at(17, 55), intent=svc.Intent.CHECK_OUT)
    with pytest.raises(svc.AttendanceError, match="이미 퇴실"):
        scan(session, trainee, when=at(17, 56), intent=svc.Intent.CHECK_OUT)
    row = Attendance.objects.get()
    assert (row.checked_in_at, row.checked_out_at) == (at(9, 0), at(17, 55))


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_taps_make_one_record(regions, trainee):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[DAY])
    factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    session = Session.objects.select_related("cohort__rule").get(pk=session.pk)
    barrier = threading.Barrier(4)
    outcomes = []

    def tap():
        try:
            barrier.wait()
            scan(session, trainee, when=at(9, 0))
            outcomes.append("ok")
        except svc.AttendanceError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["이미 입실 처리되었습니다."] * 3
    assert Attendance.objects.filter(session=session).count() == 1


# --- The pages --------------------------------------------------------------------------------


@pytest.fixture
def live_session(regions, trainee):
    """A session running now (started five minutes ago), with the trainee enrolled."""
    from django.utils import timezone

    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    now = timezone.now()
    session = Session.objects.create(
        cohort=cohort,
        number=1,
        title="스마트공장 개론",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
    )
    factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    return session


def _link(session):
    from django.utils import timezone

    return svc.qr_url(session=session, now=timezone.now()).split("127.0.0.1:8000", 1)[1]


def test_a_trainee_opens_the_link_and_checks_in(client, login_as, trainee, live_session):
    login_as(trainee)
    page = client.get(_link(live_session))
    html = page.content.decode()
    assert page.status_code == 200 and "입실하기" in html and "스마트공장 개론" in html
    ticket = page.context["ticket"]
    done = client.post(_link(live_session), {"ticket": ticket, "intent": "in"})
    assert "입실 완료" in done.content.decode() and "출석" in done.content.decode()
    row = Attendance.objects.get(session=live_session)
    assert (row.status, row.source, row.recorded_by) == ("present", "qr", trainee)
    again = client.post(_link(live_session), {"ticket": ticket, "intent": "in"})
    assert again.status_code == 400 and "이미 입실 처리되었습니다" in again.content.decode()
    assert "퇴실하기" in client.get(_link(live_session)).content.decode()


def test_an_anonymous_scan_logs_in_and_comes_back_with_a_ticket(client, trainee, live_session):
    link = _link(live_session)
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    from urllib.parse import parse_qs, urlsplit

    back = parse_qs(urlsplit(response.url).query)["next"][0]
    assert back.startswith(link + "?ticket=")
    response = client.post(
        response.url, {"username": trainee.username, "password": factories.PASSWORD}
    )
    assert response.url == back
    assert "입실하기" in client.get(back).content.decode()


def test_an_old_code_shows_a_korean_message(client, login_as, trainee, live_session):
    login_as(trainee)
    response = client.get(f"/training/c/{live_session.pk}/{'A' * 16}/")
    assert response.status_code == 400
    assert "QR 코드가 만료되었습니다" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_trainee_of_another_class_is_told_so(client, login_as, live_session, regions):
    other = factories.user(username="other", role=Role.TRAINEE)
    factories.TraineeFactory(user=other, region=regions["seoul"])
    login_as(other)
    response = client.get(_link(live_session))
    assert response.status_code == 403 and "수강하는 교육생이 아닙니다" in response.content.decode()


def test_the_qr_screen_is_for_the_groups_staff(client, login_as, cast, live_session):
    login_as(cast["seoul_staff"])
    page = client.get(f"/training/sessions/{live_session.pk}/qr/").content.decode()
    assert "<svg" in page and 'hx-trigger="every 5s"' in page and "0</strong> / 1명" in page
    fragment = client.get(f"/training/sessions/{live_session.pk}/qr/code/")
    token = fragment.context["url"].rstrip("/").rsplit("/", 1)[1]
    from django.utils import timezone

    assert svc.qr_token_valid(session=live_session, token=token, now=timezone.now())
    client.logout()
    login_as(cast["busan_staff"])
    assert client.get(f"/training/sessions/{live_session.pk}/qr/").status_code == 404
    client.logout()
    login_as(cast["trainee"])
    assert client.get(f"/training/sessions/{live_session.pk}/qr/").status_code == 403
