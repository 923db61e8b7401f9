"""The inbox: each person sees only what was sent to them (another's notification is a 404),
opening one marks it read and the header's badge counts the unread; an event is told once and
its e-mail goes once, whatever reruns (Django's locmem mail backend)."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from itda.accounts.models import User
from itda.notifications import services
from itda.notifications.models import EmailStatus, Kind, Notification

pytestmark = pytest.mark.django_db


def _tell(user, key="k1", subject="[잇다] 「서울 교육생 모집」 선정 결과 안내"):
    return services.notify(
        recipient=user,
        kind=Kind.RESULT,
        key=key,
        subject=subject,
        body="선정 결과가 공개되었습니다.",
        link="/applications/1/",
    )


@pytest.fixture
def addressed(trainee, company):
    User.objects.filter(pk__in=[trainee.pk, company.pk]).update(email="")
    User.objects.filter(pk=trainee.pk).update(email="trainee@example.kr")
    trainee.refresh_from_db()
    return trainee


def test_an_event_is_told_once_and_emailed_once(
    addressed, company, settings, django_capture_on_commit_callbacks
):
    settings.ITDA_PUBLIC_URL = "https://itda.example.kr"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = _tell(addressed)
    assert len(queued) == 1 and len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == ["trainee@example.kr"]
    assert "바로 가기: https://itda.example.kr/applications/1/" in message.body
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert _tell(addressed) == first  # the same event: the same row, nothing queued
        assert services.emails_send([first.pk]) == 0  # a task rerun sends nothing new
    assert (len(again), len(mail.outbox), Notification.objects.count()) == (0, 1, 1)
    first.refresh_from_db()
    assert first.email_status == EmailStatus.SENT and first.emailed_at is not None
    # Without an address the inbox row is there all the same, marked so, and nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        silent = _tell(company)
    silent.refresh_from_db()
    assert silent.email_status == EmailStatus.NO_ADDRESS and len(mail.outbox) == 1


def test_a_mail_error_leaves_the_email_to_send_again(addressed, monkeypatch):
    note = _tell(addressed)  # outside a commit capture: nothing sent yet

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(OSError):
        services.emails_send([note.pk])
    note.refresh_from_db()
    assert note.email_status == EmailStatus.PENDING and note.emailed_at is None
    monkeypatch.undo()
    assert services.emails_send([note.pk]) == 1
    assert services.emails_send([note.pk]) == 0


def test_the_inbox_shows_only_ones_own_and_opening_marks_read(trainee, company, client):
    mine = _tell(trainee, subject="내 알림 제목")
    theirs = _tell(company, subject="기업 담당자의 알림")
    client.force_login(trainee)
    page = client.get("/me/inbox/").content.decode()
    assert "내 알림 제목" in page and "기업 담당자의 알림" not in page
    assert 'data-testid="unread-badge">1<' in page
    assert client.get(f"/me/inbox/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    detail = client.get(f"/me/inbox/{mine.pk}/").content.decode()
    assert 'href="/applications/1/"' in detail
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "unread-badge" not in client.get("/me/inbox/").content.decode()


def test_the_badge_counts_and_read_all_clears_it(trainee, company, client):
    for n in range(3):
        _tell(trainee, key=f"k{n}")
    _tell(company)
    client.force_login(trainee)
    assert 'data-testid="unread-badge">3<' in client.get("/me/").content.decode()
    assert client.post("/me/inbox/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=trainee, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=company, read_at__isnull=True).count() == 1


def test_the_inbox_pages_by_twenty_at_a_fixed_cost(trainee, client, django_assert_max_num_queries):
    for n in range(25):
        _tell(trainee, key=f"k{n}", subject=f"알림 {n:02d}")
    client.force_login(trainee)
    with django_assert_max_num_queries(12):
        first = client.get("/me/inbox/").content.decode()
    assert "알림 24" in first and "알림 04" not in first
    assert "전체 25건 중 1–20건" in first
    second = client.get("/me/inbox/?page=2").content.decode()
    assert "알림 04" in second and "알림 05" not in second
