"""Why something came back: wherever a report, log or hiring outcome the operating group returned
is shown — the mentor's page of interns, the internship's months, the intern's own page, the
home reminder card and the reminder e-mail — the group's reason is shown with it. The reason of
a returned mentor report stays with the company side: the intern does not read the mentor's
evaluation before it is approved, nor what staff said about it."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from itda.accounts.models import User
from itda.internships import hiring, ojt, reminders
from itda.internships.models import Internship
from itda.internships.tests.ojt_world import AUG, log, mentor_report
from itda.internships.tests.test_hiring import HIRE, NOV_5, _pdf
from itda.internships.tests.test_hiring import ended as completed  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

LOG_REASON = "배운 점을 더 구체적으로 적어 주세요"
MENTOR_REASON = "출근일수를 근무표와 맞춰 주세요"
DAY = datetime.date(2026, 12, 1)


def _august(html: str) -> str:
    """The August row of a months table."""
    row = html[html.index('data-month="2026-08"') :]
    return row[: min(row.find(end) % len(row) for end in ("</tr>", "</li>"))]


@pytest.fixture
def returned_log(ojt_internship, clock, trainee, seoul_staff):
    report = log(ojt_internship, AUG, trainee)
    return ojt.ojt_report_review(report=report, approve=False, reason=LOG_REASON, actor=seoul_staff)


@pytest.fixture
def returned_report(ojt_internship, clock, mentor, seoul_staff):
    report = mentor_report(ojt_internship, AUG, mentor)
    return ojt.ojt_report_review(
        report=report, approve=False, reason=MENTOR_REASON, actor=seoul_staff
    )


def test_a_returned_log_shows_its_reason_to_the_intern_and_the_mentor(
    returned_log, ojt_internship, login_as, trainee, mentor
):
    intern = login_as(trainee, Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone)"))
    home = intern.get("/trainee/").content.decode()
    assert "2026-08 근무일지 보완" in home
    assert f"보완 요청 사유: {LOG_REASON}" in home
    assert f"보완 요청: {LOG_REASON}" in _august(intern.get("/me/internship/").content.decode())

    client = login_as(mentor, Client())
    interns = client.get("/mentor/interns/").content.decode()
    assert f"보완 요청 사유: {LOG_REASON}" in _august(interns)
    detail = client.get(f"/internships/{ojt_internship.pk}/").content.decode()
    assert f"보완 요청 사유: {LOG_REASON}" in _august(detail)


def test_a_returned_mentor_report_shows_its_reason_to_the_mentor_only(
    returned_report, ojt_internship, login_as, trainee, mentor, seoul_staff
):
    client = login_as(mentor, Client())
    interns = client.get("/mentor/interns/").content.decode()
    # The mentor's page has the reminder card and the months table, both with the reason.
    assert "2026-08 멘토 보고서 보완" in interns
    assert interns.count(f"보완 요청 사유: {MENTOR_REASON}") == 2
    detail = client.get(f"/internships/{ojt_internship.pk}/").content.decode()
    assert f"보완 요청 사유: {MENTOR_REASON}" in _august(detail)
    staff = login_as(seoul_staff, Client()).get(f"/internships/{ojt_internship.pk}/")
    assert f"보완 요청 사유: {MENTOR_REASON}" in _august(staff.content.decode())

    intern = login_as(trainee, Client())
    for url in ("/me/internship/", f"/internships/{ojt_internship.pk}/", "/trainee/"):
        assert MENTOR_REASON not in intern.get(url).content.decode()


def test_the_reminder_email_says_why_an_item_came_back(
    returned_log, returned_report, trainee, mentor
):
    for user in (trainee, mentor):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.kr")
    assert reminders.send(DAY) == 2
    body = {m.to[0]: m.body for m in mail.outbox}
    assert (
        f"2026-08 근무일지 보완 · 마감 2026-09-05 · 보완 요청 사유: {LOG_REASON}"
        in (body["trainee@example.kr"])
    )
    assert (
        f"2026-08 멘토 보고서 보완 · 마감 2026-09-05 · 보완 요청 사유: {MENTOR_REASON}"
        in (body["mentor1@example.kr"])
    )
    # What was never returned is still one to write, without a reason.
    assert "2026-09 근무일지 작성 · 마감 2026-10-05\n" in body["trainee@example.kr"]


def test_a_returned_hiring_outcome_reminds_the_company_with_the_reason(
    completed,  # noqa: F811 - the imported fixture
    login_as,
    company,
    seoul_staff,
):
    ended = completed
    outcome = hiring.outcome_report(
        internship=ended, actor=company, contract=_pdf(), now=NOV_5, **HIRE
    )
    hiring.outcome_return(
        outcome=outcome, version=1, reason="4대보험 취득일을 확인해 주세요", actor=seoul_staff
    )
    (item,) = reminders.collect(Internship.objects.all(), DAY)[company.pk]
    assert item.what.endswith("보완") and item.reason == "4대보험 취득일을 확인해 주세요"
    home = login_as(company, Client()).get("/company/").content.decode()
    assert "보완 요청 사유: 4대보험 취득일을 확인해 주세요" in home
    assert f'href="/internships/{ended.pk}/"' in home
