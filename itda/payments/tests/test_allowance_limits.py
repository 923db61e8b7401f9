"""The allowance's limits per person: at most training months × the monthly allowance across
the programme's cohorts (기초 then 실무 never make 800,000원), and nothing for employees."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from itda import factories
from itda.payments.models import AllowanceLine
from itda.payments.selectors import line_explain
from itda.payments.services import allowance_compute
from itda.programs.models import Programme
from itda.recruitment.models import Result
from itda.training.models import Audience, Course, CourseLevel

from .conftest import AFTER, record

pytestmark = pytest.mark.django_db

JUNE = [datetime.date(2026, 6, d) for d in range(1, 11)]  # 기초: 10 days
JULY = [datetime.date(2026, 7, d) for d in range(1, 11)]  # 실무: 10 days


@pytest.fixture
def capped(regions, allowance_rule):
    """The release's limits on the test programme: one month, 400,000원 a month."""
    Programme.objects.filter(pk=regions["programme"].pk).update(
        training_months_max=1, training_allowance_monthly_krw=400_000
    )
    return regions


def _cohort(regions, code, days):
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        code=code,
        starts_on=days[0],
        ends_on=days[-1],
    )
    return cohort, factories.sessions(cohort=cohort, days=days)


def _lines(enrollment):
    return AllowanceLine.objects.select_related("rule", "enrollment__cohort__rule").filter(
        enrollment=enrollment
    )


def test_basic_then_practical_pays_400000_not_800000(capped):
    person = factories.TraineeFactory(region=capped["seoul"])
    (basic, basic_days), (practical, practical_days) = (
        _cohort(capped, "T1-BASIC", JUNE),
        _cohort(capped, "T1-PRACTICAL", JULY),
    )
    first = factories.enrollment(cohort=basic, trainee=person, status="completed")
    second = factories.enrollment(cohort=practical, trainee=person)
    record(first, basic_days, ["present"] * 10)
    record(second, practical_days, ["present"] * 10)

    # Computing the later cohort alone still sees the earlier one.
    allowance_compute(cohorts=[practical.pk], as_of=AFTER)

    (one,), (two,) = _lines(first), _lines(second)
    assert (one.uncapped_krw, one.prior_krw, one.amount_krw) == (400_000, 0, 400_000)
    assert (two.uncapped_krw, two.prior_krw, two.amount_krw) == (400_000, 400_000, 0)
    assert two.cap_krw == 400_000
    assert one.amount_krw + two.amount_krw == 400_000
    assert line_explain(two).arithmetic == (
        "출석 인정 10차시 / 훈련 10차시 = 100% ≥ 80% → 400,000원 → 1인당 한도 400,000원"
        "(사업의 훈련수당 월액 × 교육기간 상한) − 이 사업에서 앞서 산정된 400,000원 = "
        "남은 한도 0원 → 0원"
    )
    assert "앞선 기간에 모두 산정받아" in line_explain(two).projection
    # The first cohort's line shows no cap: nothing was taken off.
    assert line_explain(one).arithmetic == "출석 인정 10차시 / 훈련 10차시 = 100% ≥ 80% → 400,000원"


def test_the_cap_follows_when_the_earlier_cohort_changes(capped):
    """기초 below 80% pays nothing, so 실무 is paid in full; a correction that lifts 기초 to
    80% then leaves 실무 nothing — the total never passes the cap."""
    person = factories.TraineeFactory(region=capped["seoul"])
    (basic, basic_days), (practical, practical_days) = (
        _cohort(capped, "T1-BASIC", JUNE),
        _cohort(capped, "T1-PRACTICAL", JULY),
    )
    first = factories.enrollment(cohort=basic, trainee=person, status="completed")
    second = factories.enrollment(cohort=practical, trainee=person)
    record(first, basic_days, ["present"] * 7)
    record(second, practical_days, ["present"] * 10)
    allowance_compute(cohorts=[practical.pk], as_of=AFTER)
    assert [line.amount_krw for line in (*_lines(first), *_lines(second))] == [0, 400_000]

    record(first, basic_days[7:], ["excused"])  # 8 of 10: 80%
    allowance_compute(cohorts=[basic.pk], as_of=AFTER)
    assert [line.amount_krw for line in (*_lines(first), *_lines(second))] == [400_000, 0]


def test_the_database_refuses_a_line_past_the_cap(capped):
    person = factories.TraineeFactory(region=capped["seoul"])
    cohort, days = _cohort(capped, "T1-BASIC", JUNE)
    enrollment = factories.enrollment(cohort=cohort, trainee=person)
    record(enrollment, days, ["present"] * 10)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowanceLine.objects.filter(enrollment=enrollment).update(prior_krw=1)


def test_an_employee_course_is_not_an_allowance_course(capped):
    """재직자 courses accrue nothing: they are not computed at all, whatever the attendance."""
    course = Course.objects.create(
        operating_group=capped["capital_group"],
        audience=Audience.EMPLOYEE,
        level=CourseLevel.SHORT,
        smart_factory_level="basic",
        code="EMP-BASIC",
        title="스마트공장 기초 단계 재직자 과정",
    )
    cohort, _ = _cohort(capped, "T1-BASIC", JUNE)
    cohort.course = course
    cohort.save(update_fields=["course"])
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=capped["seoul"])
    )
    record(enrollment, list(cohort.sessions.order_by("number")), ["present"] * 10)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    assert not _lines(enrollment).exists()


def test_a_person_employed_when_applying_accrues_nothing(capped):
    person = factories.TraineeFactory(region=capped["seoul"])
    call = factories.call(programme=capped["programme"], kind="trainee", track=capped["track"])
    application = factories.application(
        call=call, trainee=person, result=Result.SELECTED, employment_status="employee"
    )
    cohort, days = _cohort(capped, "T1-BASIC", JUNE)
    enrollment = factories.enrollment(cohort=cohort, trainee=person, application=application)
    record(enrollment, days, ["present"] * 10)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    (line,) = _lines(enrollment)
    assert (line.ineligible, line.amount_krw) == ("employed", 0)
    assert line_explain(line).arithmetic.startswith("신청 시 재직자: 훈련수당은 구직자에게만")
    assert "구직자에게만" in line_explain(line).projection
