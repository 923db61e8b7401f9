"""구직자 training ≤ 1 month per person across the programme: 기초 then 실무 as two cohorts
share the month (calendar days of each cohort summed, see enrolment.MONTH_MEASURE)."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.programs.models import Programme
from itda.recruitment.models import Result
from itda.training import services
from itda.training.enrolment import EnrolmentError, enrol, enrol_selected
from itda.training.models import Course, Enrollment

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


# --- Changing a cohort's dates re-checks everyone in it ---------------------------------------


@pytest.fixture
def roomy(one_month):
    """The month rule, in a programme whose period leaves room for longer dates whatever the
    day the tests run on."""
    Programme.objects.filter(pk=one_month["programme"].pk).update(
        starts_on=_day(-365), ends_on=_day(365)
    )
    return one_month


def _moved(cohort, staff, *, ends):
    return services.cohort_save(
        actor=staff,
        course=Course.objects.get(pk=cohort.course_id),  # as a request reads it
        cohort=cohort,
        instructors=[],
        fields={
            "number": cohort.number,
            "capacity": cohort.capacity,
            "starts_on": cohort.starts_on,
            "ends_on": _day(ends),
        },
    )


def test_longer_dates_that_would_pass_someones_month_are_refused_naming_them(
    roomy, seoul_staff, admin
):
    used, fresh = _person(roomy), _person(roomy)
    used.name, fresh.name = "김기초", "박새내"
    used.save(update_fields=["name"])
    fresh.save(update_fields=["name"])
    _basic(roomy, used, starts=-20, ends=-10)  # 11 days
    practical = _practical(roomy)  # 11 days: 22 in all
    for person in (used, fresh):
        enrol(practical, person, actor=admin)
    with pytest.raises(services.TrainingError) as refused:
        _moved(practical, seoul_staff, ends=30)  # 24 days: 35 for 김기초, more than any month
    message = " ".join(refused.value.messages)
    assert "1인당 1개월을 넘는 교육생이 1명 있어 바꾸지 않았습니다" in message
    assert "김*초(다른 기수 11일 + 이 기수 24일 = 35일 >" in message
    assert "박*내" not in message  # 24 days of one cohort alone: within the month
    assert "itda 기본값 — 운영지침 확인 필요" in message
    practical.refresh_from_db()
    assert practical.ends_on == _day(17)
    # Shorter, or within everyone's month: saved.
    assert _moved(practical, seoul_staff, ends=20).ends_on == _day(20)


def test_the_cohort_page_refuses_the_dates_and_keeps_them(
    roomy, seoul_staff, admin, client, login_as
):
    person = _person(roomy)
    _basic(roomy, person, starts=-20, ends=-10)
    practical = _practical(roomy)
    enrol(practical, person, actor=admin)
    login_as(seoul_staff)
    response = client.post(
        f"/training/cohorts/{practical.pk}/edit/",
        {
            "number": practical.number,
            "capacity": practical.capacity,
            "starts_on": practical.starts_on.isoformat(),
            "ends_on": _day(30).isoformat(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1인당 1개월을 넘는 교육생이 1명 있어 바꾸지 않았습니다" in html
    practical.refresh_from_db()
    assert practical.ends_on == _day(17)


def test_a_withdrawal_counts_only_to_the_day_it_left(roomy, seoul_staff, admin):
    person = _person(roomy)
    _basic(roomy, person, starts=-20, ends=-10)  # 11 days
    practical = factories.cohort(
        group=roomy["capital_group"],
        track=roomy["track"],
        code="T1-PRACTICAL",
        starts_on=_day(-3),
        ends_on=_day(7),
    )
    place = factories.enrollment(
        cohort=practical,
        trainee=person,
        status="withdrawn",
        ended_at=timezone.now(),
    )
    (session,) = factories.sessions(cohort=practical, days=[_day(-3)])
    factories.attendance(enrollment=place, session=session, status="present")
    # 4 days used (to today), whatever the new end: 15 in all.
    assert _moved(practical, seoul_staff, ends=25).ends_on == _day(25)
