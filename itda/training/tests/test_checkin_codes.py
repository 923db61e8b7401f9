"""출석 코드: nominated employees have no login, so they check in with the room's QR code and a
personal code issued with their nomination (issue 11 §4). The code names one place in one
cohort, is stored only as a hash, can be reissued or revoked, and a guesser is held back; the
roll-call shows code check-ins with the same device and address flags as trainees'."""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.training import attendance as svc
from itda.training import checkin_codes
from itda.training.models import (
    Attendance,
    CheckinCode,
    CheckinCodeFailure,
    Cohort,
    EmployeeNomination,
    Session,
)
from itda.training.nominations import nomination_create, nomination_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(regions):
    return factories.employee_cohort(group=regions["capital_group"])


def _nominated(company_a, staff, cohort, *, phone="010-2222-3333", name="정재직", accept=True):
    """A nomination through the service, accepted by ``staff``; returns it and its code."""
    nomination = nomination_create(
        actor=company_a.managers.get(),
        company=company_a,
        cohort=cohort,
        name=name,
        phone=phone,
        birth_date=datetime.date(1990, 4, 5),
    )
    code = nomination.issued_code
    if accept:
        nomination = nomination_decide(actor=staff, nomination=nomination, accept=True)
    return nomination, code


def _running(cohort) -> Session:
    """The cohort's days moved to today (time has passed since the nomination), with a
    session that started five minutes ago."""
    today = timezone.localdate()
    Cohort.objects.filter(pk=cohort.pk).update(starts_on=today, ends_on=today)
    now = timezone.now()
    return Session.objects.create(
        cohort=cohort,
        number=cohort.sessions.count() + 1,
        title="스마트공장 단계별 실습",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
    )


def _link(session) -> str:
    return urlsplit(svc.qr_url(session=session, now=timezone.now())).path


def _scan(phone: Client, session, code, *, intent="in", ip="10.1.2.3"):
    """The employee's phone opens the QR link (no login) and sends the code."""
    page = phone.get(_link(session), REMOTE_ADDR=ip)
    assert page.status_code == 200, unescape(page.content.decode())[:400]
    return phone.post(
        _link(session),
        {"ticket": page.context["ticket"], "code": code, "intent": intent},
        REMOTE_ADDR=ip,
    )


def test_the_company_gets_the_code_once_and_only_its_hash_is_kept(
    client, login_as, company, company_a, cohort
):
    login_as(company)
    response = client.post(
        "/training/nominations/",
        {
            "cohort": cohort.pk,
            "name": "정재직",
            "phone": "010-2222-3333",
            "birth_date": "1990-04-05",
        },
    )
    assert response.status_code == 200
    nomination, code = response.context["issued"]
    html = unescape(response.content.decode())
    assert code in html and "한 번만 보입니다" in html
    assert len(checkin_codes.normalised(code)) == 10
    row = CheckinCode.objects.get(nomination=nomination)
    assert row.digest == checkin_codes.digest_of(code)
    assert checkin_codes.normalised(code) not in row.digest
    # Read again, the list shows the code's state, never the code.
    again = unescape(client.get("/training/nominations/").content.decode())
    assert code not in again and "사용 가능" in again


def test_a_nominee_checks_in_and_out_with_the_code_and_the_roll_call_shows_it(
    client, login_as, company_a, seoul_staff, cohort
):
    first, first_code = _nominated(company_a, seoul_staff, cohort)
    second, second_code = _nominated(
        company_a, seoul_staff, cohort, phone="010-2222-4444", name="한동료"
    )
    session = _running(cohort)
    phone = Client()
    # Anonymous: the code form, not the login page.
    page = phone.get(_link(session))
    assert page.status_code == 200 and "출석 코드" in page.content.decode()
    done = _scan(phone, session, first_code.lower().replace("-", " "))  # typed loosely
    assert done.status_code == 200, unescape(done.content.decode())[:400]
    assert "정*직 님" in unescape(done.content.decode())
    row = Attendance.objects.get(enrollment=first.enrollment, session=session)
    assert (row.status, row.source, row.recorded_by) == ("present", "code", None)
    assert row.checkin_code.nomination == first and row.checkin_ip == "10.1.2.3"
    assert row.checkin_device == svc.device_key(phone.cookies[svc.DEVICE_COOKIE].value)

    again = _scan(phone, session, first_code)
    assert again.status_code == 400 and "이미 입실 처리되었습니다" in again.content.decode()
    # A colleague on the same phone, and later from elsewhere: the roll-call flags both.
    assert _scan(phone, session, second_code).status_code == 200
    login_as(seoul_staff)
    html = client.get(f"/training/sessions/{session.pk}/roll-call/").content.decode()
    mine = html.split('data-testid="roll-정재직"', 1)[1].split("</tr>", 1)[0]
    assert "같은 기기 2명" in mine and 'data-testid="by-code"' in mine

    out = _scan(phone, session, first_code, intent="out")
    assert out.status_code == 200
    row.refresh_from_db()
    assert row.checked_out_at is not None and row.status == "left_early"


def test_a_wrong_code_is_counted_until_the_address_is_held_back(
    settings, company_a, seoul_staff, cohort
):
    settings.AXES_FAILURE_LIMIT = 3
    _, code = _nominated(company_a, seoul_staff, cohort)
    session = _running(cohort)
    phone = Client()
    wrong = "AAAAA-BBBBB" if code != "AAAAA-BBBBB" else "CCCCC-DDDDD"
    first = _scan(phone, session, wrong)
    assert first.status_code == 400
    assert "출석 코드가 맞지 않습니다" in first.content.decode()
    assert "2번 더 틀리면 15분 동안 입력할 수 없습니다" in first.content.decode()
    _scan(phone, session, "짧은코드")
    third = _scan(phone, session, wrong)
    assert "15분 동안 입력할 수 없습니다" in third.content.decode()
    # Held back: even the right code from this address waits; another address gets in.
    held = _scan(phone, session, code)
    assert held.status_code == 400 and "3번 잘못 입력해 15분 동안" in held.content.decode()
    assert not Attendance.objects.exists()
    assert _scan(Client(), session, code, ip="10.1.2.4").status_code == 200
    # The count cools off.
    CheckinCodeFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert "출석 코드가 맞지 않습니다" in _scan(phone, session, wrong).content.decode()


def test_another_cohorts_session_an_expired_a_reissued_and_a_revoked_code_are_refused(
    company_a, seoul_staff, cohort, regions
):
    nomination, code = _nominated(company_a, seoul_staff, cohort)
    session = _running(cohort)
    other = factories.employee_cohort(group=regions["capital_group"], code="EMP-MID1-B")
    other_session = _running(other)

    def refused(session, code, **kwargs):
        page = Client().get(_link(session))
        response = Client().post(
            _link(session),
            {"ticket": page.context["ticket"], "code": code, "intent": "in", **kwargs},
        )
        assert response.status_code == 400
        return unescape(response.content.decode())

    assert "다른 기수의 코드입니다" in refused(other_session, code)
    assert not CheckinCodeFailure.objects.exists()  # the right code in the wrong room

    # Expired: its cohort's last day is over (the service is asked with a later clock).
    ticket_at = session.starts_at + datetime.timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=ticket_at, ends_at=ticket_at + datetime.timedelta(hours=3)
    )
    session.refresh_from_db()
    later = ticket_at + datetime.timedelta(minutes=1)
    ticket = svc.checkin_ticket(
        session=session,
        token=svc.qr_token(session=session, window=svc.qr_window(rule=cohort.rule, now=later)),
        now=later,
    )
    with pytest.raises(svc.AttendanceError, match="출석 코드의 사용 기간"):
        checkin_codes.attendance_scan_by_code(
            session=session, ticket=ticket, code=code, intent="in", now=later
        )
    session = _running(cohort)

    # Reissued by the staff: the old code stops at once, the new one works.
    _, new_code = checkin_codes.code_issue(nomination=nomination, actor=seoul_staff)
    assert "새 코드가 발급되어 쓸 수 없습니다" in refused(session, code)
    # Revoked by the company: nothing works until the next issue.
    checkin_codes.code_revoke(nomination=nomination, actor=company_a.managers.get())
    assert "폐기되어 쓸 수 없습니다" in refused(session, new_code)
    assert not Attendance.objects.exists()
    assert CheckinCode.objects.filter(nomination=nomination, revoked_at__isnull=True).count() == 0


def test_a_refused_nomination_loses_its_code_and_an_unaccepted_one_does_not_check_in(
    company_a, seoul_staff, cohort
):
    _, waiting_code = _nominated(company_a, seoul_staff, cohort, accept=False)
    refused, refused_code = _nominated(
        company_a, seoul_staff, cohort, phone="010-2222-4444", accept=False
    )
    nomination_decide(actor=seoul_staff, nomination=refused, accept=False, reason="정원 초과")
    assert CheckinCode.objects.get(nomination=refused).revoked_reason == "nomination_closed"
    session = _running(cohort)
    assert (
        "수강 등록된 재직자가 아닙니다" in _scan(Client(), session, waiting_code).content.decode()
    )
    assert "폐기되어" in _scan(Client(), session, refused_code).content.decode()


def test_only_the_nominating_company_and_the_running_staff_handle_codes(
    client, login_as, company_a, seoul_staff, busan_staff, trainee, regions, cohort
):
    nomination, _ = _nominated(company_a, seoul_staff, cohort)
    other = factories.user(username="company_b", role=Role.COMPANY)
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other)
    for user, status in ((other, 404), (busan_staff, 404), (trainee, 403)):
        login_as(user, client)
        for url in ("code", "code/revoke"):
            response = client.post(f"/training/nominations/{nomination.pk}/{url}/")
            assert response.status_code == status, (user, url)
        client.logout()
    with pytest.raises(PermissionDenied):
        checkin_codes.code_issue(nomination=nomination, actor=busan_staff)
    assert CheckinCode.objects.filter(nomination=nomination).count() == 1

    # The running staff reissue from the review page and see the new code there, once.
    login_as(seoul_staff, client)
    response = client.post(f"/training/nominations/{nomination.pk}/code/")
    assert response.status_code == 200
    code = response.context["issued"][1]
    assert code in response.content.decode()
    assert CheckinCode.objects.filter(nomination=nomination).count() == 2
    assert EmployeeNomination.objects.get().checkin_codes.filter(revoked_at=None).count() == 1


def test_a_job_seeker_session_still_asks_for_the_login(regions, trainee):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    now = timezone.now()
    session = Session.objects.create(
        cohort=cohort,
        number=1,
        title="개론",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
    )
    phone = Client()
    page = phone.get(_link(session))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
