"""Internship reminders: who is reminded of what (the intern their log, the mentor their report
— the company's managers while the mentor's account is deactivated —, staff what waits for
review, each party an agreement to accept), only inside each person's scope, one e-mail per
recipient per day however often the task runs (Django's locmem mail backend)."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client

from itda.accounts.models import User
from itda.internships import reminders
from itda.internships.models import Internship, ReminderSent
from itda.internships.tests.conftest import propose
from itda.internships.tests.ojt_world import AUG, log
from itda.notifications.models import EmailStatus, Kind, Notification

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 3)  # August's reports are due 09-05: due soon, not overdue


@pytest.fixture
def emails(seoul_staff, busan_staff, company, trainee, setup):
    for user in (seoul_staff, busan_staff, company, trainee, setup["mentor"].user):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.kr")


def _whats(user, day=DAY):
    return [
        (r.what, r.status)
        for r in reminders.collect(Internship.objects.all(), day).get(user.pk, [])
    ]


def test_each_party_is_reminded_of_their_own_reports(
    ojt_internship, setup, trainee, seoul_staff, busan_staff, company
):
    mentor = setup["mentor"].user
    assert _whats(trainee) == [("2026-08 근무일지 작성", "마감 임박")]
    assert _whats(mentor) == [("2026-08 멘토 보고서 작성", "마감 임박")]
    assert _whats(company) == []  # the mentor writes while their account is active
    assert _whats(seoul_staff) == []
    late = datetime.date(2026, 9, 10)
    assert _whats(trainee, late) == [("2026-08 근무일지 작성", "마감 지남")]
    # September is due 10-05: not yet within the window on 09-10.
    assert all(what.startswith("2026-08") for what, _ in _whats(mentor, late))


def test_a_handed_in_log_leaves_the_intern_and_reaches_staff(
    ojt_internship, clock, trainee, seoul_staff, busan_staff
):
    clock(DAY)
    log(ojt_internship, AUG, trainee)
    assert _whats(trainee) == []
    assert _whats(seoul_staff) == [("2026-08 근무일지 검토", "처리 대기")]
    assert _whats(busan_staff) == []  # another region's staff never see it
    assert reminders.for_user(busan_staff, DAY) == []
    assert [r.what for r in reminders.for_user(seoul_staff, DAY)] == ["2026-08 근무일지 검토"]


def test_without_an_active_mentor_the_managers_are_reminded(ojt_internship, setup, company):
    mentor = setup["mentor"].user
    User.objects.filter(pk=mentor.pk).update(is_active=False)
    assert _whats(company) == [("2026-08 멘토 보고서 작성", "마감 임박")]
    assert _whats(mentor) == []


def test_a_proposed_agreement_reminds_whoever_has_not_accepted(
    setup, seoul_staff, company, trainee, busan_staff
):
    propose(setup, seoul_staff)
    for user in (company, trainee, seoul_staff):
        assert _whats(user) == [("협약 수락", "처리 대기")]
    assert _whats(busan_staff) == []


def test_one_email_per_recipient_per_day(ojt_internship, emails, trainee, setup):
    assert reminders.send(DAY) == 2  # the intern and the mentor
    assert sorted(m.to[0] for m in mail.outbox) == ["mentor1@example.kr", "trainee@example.kr"]
    intern_mail = next(m for m in mail.outbox if m.to == ["trainee@example.kr"])
    assert "2026-08 근무일지 작성 · 마감 2026-09-05" in intern_mail.body
    assert ReminderSent.objects.filter(day=DAY).count() == 2

    assert reminders.send(DAY) == 0  # the same day again: nothing new
    call_command("send_internship_reminders", day=DAY.isoformat())  # the cron's way, too
    assert len(mail.outbox) == 2

    reminders.send(DAY + datetime.timedelta(days=1))  # the next day, a new e-mail
    assert len(mail.outbox) == 4


def test_the_daily_task_claims_then_queues_delivery_in_chunks(
    ojt_internship, emails, monkeypatch, django_capture_on_commit_callbacks
):
    from itda.internships import tasks

    monkeypatch.setattr(tasks, "EMAILS_PER_TASK", 1)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        claimed = tasks.internship_reminders_send_task.call(day=DAY.isoformat())
    # Two recipients, one e-mail a delivery task: two tasks queued after the claim committed
    # (the immediate backend runs each as it is queued).
    assert (claimed, len(queued), len(mail.outbox)) == (2, 2, 2)
    assert ReminderSent.objects.filter(day=DAY).count() == 2
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert tasks.internship_reminders_send_task.call(day=DAY.isoformat()) == 0
    assert (len(again), len(mail.outbox)) == (0, 2)


def test_a_failed_email_releases_its_claim(ojt_internship, emails, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(OSError):
        reminders.send(DAY)
    assert not ReminderSent.objects.filter(day=DAY).exists()
    monkeypatch.undo()
    assert reminders.send(DAY) == 2
    assert ReminderSent.objects.filter(day=DAY).count() == 2


def test_home_pages_and_the_group_list_show_the_same_items(
    ojt_internship, setup, login_as, trainee, seoul_staff, mentor, company
):
    """On the real clock (after 2026-11-05) every month of the 08-03~10-31 internship is
    overdue: three logs and three mentor reports."""
    intern = login_as(trainee, Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone)"))
    home = intern.get("/trainee/").content.decode()
    assert "인턴십 할 일 3건" in home and "2026-10 근무일지 작성" in home
    page = login_as(mentor, Client()).get("/mentor/interns/").content.decode()
    assert "인턴십 할 일 3건" in page and "2026-08 멘토 보고서 작성" in page
    assert "인턴십 할 일" not in login_as(company, Client()).get("/company/").content.decode()
    staff = login_as(seoul_staff, Client())
    assert "인턴십 할 일" not in staff.get("/group/").content.decode()
    listing = staff.get("/internships/").content.decode()
    cell = listing[listing.index(f'data-standing="{ojt_internship.pk}"') :]
    assert cell[: cell.index("</td>")].count("마감 지남 6") == 1


def test_a_recipient_without_an_address_finds_the_reminder_in_the_inbox(ojt_internship, trainee):
    User.objects.filter(pk=trainee.pk).update(email="")
    reminders.send(DAY)
    assert "trainee@example.kr" not in [m.to[0] for m in mail.outbox]
    note = Notification.objects.get(recipient=trainee, kind=Kind.REPORT_DUE)
    assert "2026-08 근무일지 작성 · 마감 2026-09-05" in note.body
    assert note.email_status == EmailStatus.NO_ADDRESS
    reminders.send(DAY)  # the same day again: nothing new
    assert Notification.objects.filter(recipient=trainee, kind=Kind.REPORT_DUE).count() == 1
