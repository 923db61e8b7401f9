"""The set-based SQL of the training allowance equals the engine on random casts: for every
line it writes, the amount by the rule and the per-person cap over the person's lines in order
are what ``payments.engine`` computes from the line's counts."""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itda import factories
from itda.payments import engine
from itda.payments.models import AllowanceLine
from itda.payments.services import allowance_compute
from itda.programs.models import Programme
from itda.recruitment.models import Result

from .conftest import AFTER, prorate_rule, record

pytestmark = pytest.mark.django_db

STATUSES = st.sampled_from(["present", "late", "left_early", "excused", "absent", None])
PERSON = st.fixed_dictionaries(
    {
        "employed": st.booleans(),
        # Attendance in the June cohort and the July cohort (None: not enrolled there).
        "june": st.none() | st.lists(STATUSES, max_size=8),
        "july": st.none() | st.lists(STATUSES, max_size=8),
    }
)
_numbers = itertools.count(1)


@pytest.fixture
def world(regions):
    """A pro-rating rule (every branch of the arithmetic) and a one-month cap of 400,000원."""
    Programme.objects.filter(pk=regions["programme"].pk).update(
        training_months_max=1, training_allowance_monthly_krw=400_000
    )
    prorate_rule(regions, note="무작위 대조")
    regions["call"] = factories.call(
        programme=regions["programme"], kind="trainee", track=regions["track"]
    )
    return regions


def _cohort(world, month, days):
    dates = [datetime.date(2026, month, d) for d in range(1, days + 1)]
    cohort = factories.cohort(
        group=world["capital_group"],
        track=world["track"],
        starts_on=dates[0],
        ends_on=datetime.date(2026, month, 28),
        number=next(_numbers),
    )
    return cohort, factories.sessions(cohort=cohort, days=dates)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(PERSON, min_size=1, max_size=3),
    june_days=st.integers(min_value=1, max_value=8),
    july_days=st.integers(min_value=0, max_value=8),
)
def test_sql_amounts_equal_the_engine(world, people, june_days, july_days):
    june = _cohort(world, 6, june_days)
    july = _cohort(world, 7, july_days) if july_days else None
    enrolments = {}
    for person in people:
        trainee = factories.TraineeFactory(region=world["seoul"])
        application = factories.application(
            call=world["call"],
            trainee=trainee,
            result=Result.SELECTED,
            employment_status="employee" if person["employed"] else "job_seeker",
        )
        # One active enrolment per person: the June one is over by July.
        for cohort_sessions, statuses, status in (
            (june, person["june"], "completed"),
            (july, person["july"], "enrolled"),
        ):
            if cohort_sessions is None or statuses is None:
                continue
            cohort, sessions = cohort_sessions
            enrollment = factories.enrollment(
                cohort=cohort, trainee=trainee, application=application, status=status
            )
            record(enrollment, sessions, statuses)
            enrolments[enrollment.pk] = person["employed"]
    if not enrolments:
        return
    allowance_compute(cohorts=[june[0].pk] + ([july[0].pk] if july else []), as_of=AFTER)

    lines = list(
        AllowanceLine.objects.filter(enrollment_id__in=enrolments)
        .select_related("enrollment")
        .order_by("enrollment__trainee_id", "period_start", "enrollment_id")
    )
    assert {line.enrollment_id for line in lines} == set(enrolments)
    for _, own in itertools.groupby(lines, key=lambda line: line.enrollment.trainee_id):
        own = list(own)
        by_rule = [
            engine.training_allowance(
                amount_krw=400_000,
                full_rate="0.800",
                shortfall="prorate",
                credited=line.credited,
                planned=line.planned,
                employed=enrolments[line.enrollment_id],
            ).amount_krw
            for line in own
        ]
        capped = engine.caps_in_order(by_rule, 400_000)
        assert [(line.uncapped_krw, line.prior_krw, line.amount_krw) for line in own] == [
            (amount, prior, paid) for amount, (prior, paid) in zip(by_rule, capped, strict=True)
        ]
