"""구직자 training ≤ 1 month per person across the programme: 기초 then 실무 as two cohorts
share the month (calendar days of each cohort summed, see enrolment.MONTH_MEASURE)."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.programs.models import Programme
from itda.recruitment.models import Result
from itda.training.enrolment import EnrolmentError, enrol, enrol_selected
from itda.training.models import Enrollment

pytestmark = pytest.mark.django_db


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def one_month(regions):
    Programme.objects.filter(pk=regions["programme"].pk).update(
        training_months_max=1, training_allowance_monthly_krw=400_000
    )
    return regions


def _basic(regions, trainee, *, starts, ends, status="completed"):
    """A 기초 cohort the trainee already took."""
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        code="T1-BASIC",
        starts_on=_day(starts),
        ends_on=_day(ends),
    )
    return factories.enrollment(cohort=cohort, trainee=trainee, status=status)


def _practical(regions):
    """A 실무 cohort of 11 days starting next week."""
    return factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        code="T1-PRACTICAL",
        starts_on=_day(7),
        ends_on=_day(17),
    )


def _person(regions):
    return factories.TraineeFactory(region=regions["seoul"], preferred_track=regions["track"])


def test_basic_then_practical_past_one_month_is_refused_naming_the_basic(one_month, admin):
    person = _person(one_month)
    basic = _basic(one_month, person, starts=-30, ends=-5)  # 26 days
    practical = _practical(one_month)  # 11 days: 37 in all, more than any month
    with pytest.raises(EnrolmentError) as refused:
        enrol(practical, person, actor=admin)
    message = " ".join(refused.value.messages)
    assert "구직자 교육은 1인당 1개월 이내입니다." in message
    assert f"이미 {basic.cohort}(" in message and "수료) 26일" in message
    assert "이 기수 11일을 더하면 37일로 1개월(" in message
    assert "itda 기본값 — 운영지침 확인 필요" in message
    assert not practical.enrollments.exists()


def test_basic_then_practical_within_one_month_is_accepted(one_month, admin):
    person = _person(one_month)
    _basic(one_month, person, starts=-20, ends=-10)  # 11 days
    practical = _practical(one_month)  # 11 days: 22 of at least 28
    assert enrol(practical, person, actor=admin).status == "enrolled"


def test_a_withdrawal_before_any_attendance_uses_no_time(one_month, admin):
    person = _person(one_month)
    _basic(one_month, person, starts=-30, ends=-5, status="withdrawn")
    assert enrol(_practical(one_month), person, actor=admin).status == "enrolled"


def test_without_a_programme_limit_nothing_is_counted(regions, admin):
    person = _person(regions)
    _basic(regions, person, starts=-30, ends=-5)
    assert enrol(_practical(regions), person, actor=admin).status == "enrolled"


def test_bulk_enrolment_skips_the_person_with_the_reason(one_month, admin):
    call = factories.call(
        programme=one_month["programme"], kind="trainee", track=one_month["track"]
    )
    used, fresh = _person(one_month), _person(one_month)
    for trainee in (used, fresh):
        factories.application(call=call, trainee=trainee, result=Result.SELECTED)
    _basic(one_month, used, starts=-30, ends=-5)
    practical = _practical(one_month)
    result = enrol_selected(practical, actor=admin)
    assert result.enrolled == 1
    ((skipped, reason),) = result.skipped
    assert skipped == used and "37일로 1개월(" in reason
    assert not Enrollment.objects.filter(cohort=practical, trainee=used).exists()
