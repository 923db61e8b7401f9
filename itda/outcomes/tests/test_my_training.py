"""A trainee's own training page: schedule with their record, rate, corrections — nobody else's."""

import datetime

import pytest

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 7, d) for d in (1, 2, 3, 6, 7)]


@pytest.fixture
def my_cohort(regions, trainee):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    sessions = factories.sessions(cohort=cohort, days=DAYS)
    me = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    at = datetime.datetime(2026, 7, 1, 9, 12, tzinfo=factories.KST)
    factories.attendance(enrollment=me, session=sessions[0], status="late", checked_in_at=at)
    factories.attendance(enrollment=me, session=sessions[1], status="present")
    return cohort, sessions, me


def test_the_trainee_sees_each_session_with_their_own_record(client, login_as, trainee, my_cohort):
    cohort, sessions, me = my_cohort
    other = factories.enrollment(
        cohort=cohort,
        trainee=factories.TraineeFactory(region=cohort.course.operating_group.regions.first()),
    )
    factories.attendance(enrollment=other, session=sessions[2], status="excused")
    login_as(trainee)
    html = client.get("/trainee/training/").content.decode()
    assert cohort.course.title in html
    assert "지각" in html and "입실 09:12" in html  # first session, with the check-in time
    assert "공결(출석인정)" not in html  # another trainee's record never shows
    # All five sessions are in the past (July 2026 < today), three without a record = absences.
    assert html.count(">결석<") + html.count("결석</td>") >= 3
    assert PersonalDataAccess.objects.filter(
        actor=trainee, subject_type="training.enrollment", subject_ids=[me.pk]
    ).exists()


def test_the_rate_uses_the_one_tally(client, login_as, trainee, my_cohort):
    login_as(trainee)
    html = client.get("/trainee/training/").content.decode()
    # late + present = 2 attended, 1 incident (no deduction below three) → 2 of 5 = 40.00%.
    assert "출석 인정 2차시 ÷ 지난 차시 5차시 = 40.00%" in html


def test_a_trainee_without_a_cohort_is_told_so(client, login_as, trainee):
    login_as(trainee)
    assert "아직 배정된 교육 기수가 없습니다" in client.get("/trainee/training/").content.decode()


def test_other_roles_are_refused(client, login_as, seoul_staff, company):
    login_as(company)
    assert client.get("/trainee/training/").status_code == 403


def test_the_page_costs_the_same_queries_for_five_or_twenty_sessions(
    client, login_as, trainee, my_cohort, django_assert_max_num_queries
):
    cohort, _, _ = my_cohort
    login_as(trainee)
    with django_assert_max_num_queries(15) as five:  # the header's unread count included
        client.get("/trainee/training/")
    factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, d) for d in range(8, 23)])
    with django_assert_max_num_queries(len(five.captured_queries)):
        client.get("/trainee/training/")
