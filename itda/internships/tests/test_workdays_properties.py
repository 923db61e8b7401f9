"""Properties of an internship's scheduled working days (internships.workdays), over generated
internships: only working days inside the internship and the month, never more than the
agreed days in any week (a week split by a month end included), five or more days a week is
every working day, more days a week never drop a day, and the months add up to the whole
internship without counting a day twice. Pure: no database."""

import datetime
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from itda.internships.workdays import (
    is_working_day,
    month_bounds,
    month_working_days,
    months_between,
    scheduled_days,
)


@st.composite
def internships(draw):
    starts_on = draw(st.dates(datetime.date(2025, 12, 1), datetime.date(2027, 6, 30)))
    ends_on = starts_on + datetime.timedelta(days=draw(st.integers(0, 120)))
    return starts_on, ends_on, draw(st.integers(1, 5))


def _all_days(starts_on, ends_on, days_per_week) -> list[datetime.date]:
    return [
        day
        for month in months_between(starts_on, ends_on)
        for day in scheduled_days(
            month, starts_on=starts_on, ends_on=ends_on, days_per_week=days_per_week
        )
    ]


@settings(max_examples=150, deadline=None)
@given(internships())
def test_scheduled_days_are_working_days_inside_the_internship_and_the_month(internship):
    starts_on, ends_on, per_week = internship
    for month in months_between(starts_on, ends_on):
        first, last = month_bounds(month)
        days = scheduled_days(month, starts_on=starts_on, ends_on=ends_on, days_per_week=per_week)
        assert days == sorted(set(days))
        assert all(is_working_day(d) and first <= d <= last for d in days)
        assert all(starts_on <= d <= ends_on for d in days)


@settings(max_examples=150, deadline=None)
@given(internships())
def test_no_week_holds_more_than_the_agreed_days_across_a_month_end(internship):
    starts_on, ends_on, per_week = internship
    days = _all_days(starts_on, ends_on, per_week)
    assert len(days) == len(set(days))  # the months do not share a day
    weeks = Counter(d.isocalendar()[:2] for d in days)
    assert all(n <= per_week for n in weeks.values())


@settings(max_examples=150, deadline=None)
@given(internships())
def test_five_days_a_week_is_every_working_day_and_more_days_never_drop_one(internship):
    starts_on, ends_on, per_week = internship
    every = [
        starts_on + datetime.timedelta(days=i)
        for i in range((ends_on - starts_on).days + 1)
        if is_working_day(starts_on + datetime.timedelta(days=i))
    ]
    assert _all_days(starts_on, ends_on, 5) == every
    fewer = set(_all_days(starts_on, ends_on, per_week))
    assert fewer <= set(_all_days(starts_on, ends_on, min(per_week + 1, 5)))


@settings(max_examples=60, deadline=None)
@given(st.dates(datetime.date(2025, 1, 1), datetime.date(2028, 12, 1)))
def test_a_whole_month_at_five_days_is_the_months_working_days(day):
    first, last = month_bounds(day)
    assert scheduled_days(day, starts_on=first, ends_on=last, days_per_week=5) == (
        month_working_days(day)
    )
