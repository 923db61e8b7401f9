"""The privacy officer's pages: the monthly access review flags what it should, is signed off
once with a note, and only the national operator reaches either page."""

import datetime

import pytest
from django.utils import timezone

from itda.accounts.models import AccessAction
from itda.privacy import selectors
from itda.privacy.models import AccessReview, DestructionRecord
from itda.privacy.tests.test_retention import _access


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    # A weekday of that month, at ``hour`` in Korea.
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=selectors.KST)


@pytest.fixture
def month_of_access(admin, seoul_staff):
    month = _last_month()
    _access(admin, at=_at(month.replace(day=3), 10), subjects=range(1, 1_001))
    _access(seoul_staff, at=_at(month.replace(day=3), 23))
    _access(
        seoul_staff,
        at=_at(month.replace(day=10), 14),
        action=AccessAction.EXPORT,
        subjects=(5, 6, 7),
        reason="수료 명단 제출",
    )
    _access(seoul_staff, at=_at(month.replace(day=1) - datetime.timedelta(days=3), 10))  # before
    return month


def test_review_flags_volume_after_hours_and_downloads(month_of_access):
    figures = selectors.access_review_figures(month_of_access)

    accounts = {a["actor_username"]: a for a in figures["accounts"]}
    assert figures["rows"] == 3
    assert accounts["admin"]["people"] == 1_000 and accounts["admin"]["flags"] == ["과다 조회"]
    assert accounts["seoul_staff"]["after_hours"] == 1
    assert accounts["seoul_staff"]["flags"] == ["내려받기", "업무시간 외"]
    assert [(d["actor"], d["people"], d["reason"]) for d in figures["downloads"]] == [
        ("seoul_staff", 3, "수료 명단 제출")
    ]


def test_sign_off_needs_a_note_and_happens_once(month_of_access, admin, login_as):
    client = login_as(admin)
    url = f"/privacy/access-review/?month={month_of_access:%Y-%m}"
    page = client.get(url).content.decode()
    assert "수료 명단 제출" in page and "과다 조회" in page and "itda 기본값" in page

    refused = client.post("/privacy/access-review/", {"month": f"{month_of_access:%Y-%m}"})
    assert "점검 의견을 적어 주세요." in refused.content.decode()
    assert not AccessReview.objects.exists()

    done = client.post(
        "/privacy/access-review/",
        {"month": f"{month_of_access:%Y-%m}", "note": "내려받기 사유 확인함"},
    )
    assert done.status_code == 302
    review = AccessReview.objects.get()
    assert (review.month, review.signed_off_by, review.figures["rows"]) == (
        month_of_access,
        admin,
        3,
    )
    again = client.post(
        "/privacy/access-review/", {"month": f"{month_of_access:%Y-%m}", "note": "다시"}
    )
    assert "점검은 이미 확인되었습니다" in again.content.decode()
    assert AccessReview.objects.count() == 1
    assert "내려받기 사유 확인함" in client.get(url).content.decode()


def test_this_month_cannot_be_signed_off(admin):
    from itda.privacy.services import ReviewError, access_review_sign_off

    with pytest.raises(ReviewError, match="지난 달까지만"):
        access_review_sign_off(
            month=timezone.localdate().replace(day=1), figures={}, note="확인", actor=admin
        )


def test_retention_page_shows_the_schedule_and_runs(
    admin, login_as, django_capture_on_commit_callbacks
):
    _access(admin, at=timezone.now() - datetime.timedelta(days=800))
    client = login_as(admin)
    page = client.get("/privacy/retention/").content.decode()
    assert "개인정보 접속기록" in page and "기록 후 2년" in page
    assert page.count("itda 기본값 — 운영지침 확인 필요") >= 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/retention/run/")
    assert response.status_code == 302
    record = DestructionRecord.objects.get()
    assert (record.rule, record.count) == ("access_log", 1)


@pytest.mark.parametrize("who", ["seoul_staff", "viewer", "company", "trainee", "evaluator"])
@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/privacy/retention/"),
        ("get", "/privacy/access-review/"),
        ("post", "/privacy/retention/run/"),
        ("post", "/privacy/access-review/"),
    ],
)
def test_only_the_operator_reaches_the_privacy_pages(cast, login_as, who, method, url):
    client = login_as(cast[who])
    response = getattr(client, method)(url, {"note": "x"} if method == "post" else None)
    assert response.status_code == 403
    assert not AccessReview.objects.exists() and not DestructionRecord.objects.exists()
