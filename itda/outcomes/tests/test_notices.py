"""Notifications of the stages, on the homes' two-region world: the daily command tells each
trainee of their own draft closing, choices not made and attendance below the completion rate,
once, with the link to act on it; an interview scheduled tells the trainee the date, the place
and the company. Never another region's person, and a rerun sends nothing new."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from itda.accounts.models import User
from itda.matching import services as matching
from itda.matching.models import TraineeChoice
from itda.notifications.models import Kind, Notification
from itda.outcomes.tests import home_world
from itda.recruitment.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions, cast):
    w = home_world.build(regions, cast)
    User.objects.filter(username="trainee").update(email="trainee@example.kr")
    User.objects.filter(username="busan_trainee").update(email="busan@example.kr")
    return w


def _told(user) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", "link"),
    )


def test_the_daily_command_tells_each_trainee_their_own_once(
    world, cast, django_capture_on_commit_callbacks
):
    seoul = world["seoul"]
    Application.objects.filter(pk=seoul["application"].pk).update(status="draft")
    TraineeChoice.objects.filter(round=seoul["round"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications")

    busan_trainee = User.objects.get(username="busan_trainee")
    assert _told(cast["trainee"]) == sorted(
        [
            (Kind.ATTENDANCE_RISK, "/trainee/training/"),
            (Kind.DEADLINE, f"/applications/{seoul['application'].pk}/"),
            (Kind.DEADLINE, f"/trainee/rounds/{seoul['round'].pk}/positions/"),
        ]
    )
    # 부산's trainee is below the rate too, and is told only that (their choice is made and
    # their application submitted); nobody else is told anything.
    assert _told(busan_trainee) == [(Kind.ATTENDANCE_RISK, "/trainee/training/")]
    assert Notification.objects.exclude(recipient__in=[cast["trainee"], busan_trainee]).count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "busan@example.kr",
        *["trainee@example.kr"] * 3,
    ]
    risk = next(m for m in mail.outbox if m.to == ["busan@example.kr"])
    assert "3차시 중 출석 인정은 0차시" in risk.body and "수료 기준 출석률 80%" in risk.body
    assert "서울" not in risk.body
    closing = next(m for m in mail.outbox if "접수 마감" in m.subject)
    assert "「서울 교육생 모집」" in closing.subject and "itda 기본값" in closing.body

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications")  # the same day again: nothing new
    assert (Notification.objects.count(), len(mail.outbox)) == (4, 4)


def test_an_interview_tells_the_trainee_when_where_and_who(
    world, cast, django_capture_on_commit_callbacks
):
    seoul = world["seoul"]
    when = timezone.now() + datetime.timedelta(days=1, hours=2)
    schedule = dict(
        round_=seoul["round"],
        position=seoul["position"],
        trainee=seoul["enrollment"].trainee,
        scheduled_at=when,
        actor=cast["company"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        matching.interview_schedule(place="서울 본사 2층", **schedule)
    (note,) = Notification.objects.all()
    assert (note.recipient, note.kind) == (cast["trainee"], Kind.INTERVIEW)
    assert note.link == f"/trainee/rounds/{seoul['round'].pk}/choices/"
    (message,) = mail.outbox
    assert message.to == ["trainee@example.kr"]
    company = seoul["position"].company.name
    assert f"일시: {timezone.localtime(when):%Y-%m-%d %H:%M}" in message.body
    assert "장소·방법: 서울 본사 2층" in message.body and company in message.body

    with django_capture_on_commit_callbacks(execute=True):
        matching.interview_schedule(place="서울 본사 2층", **schedule)  # saved again, unchanged
    assert (Notification.objects.count(), len(mail.outbox)) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        matching.interview_schedule(place="화상 면접", **schedule)  # moved: told again
    assert (Notification.objects.count(), len(mail.outbox)) == (2, 2)
    assert "장소·방법: 화상 면접" in mail.outbox[1].body
