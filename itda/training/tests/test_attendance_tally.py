"""How attendance counts: the one tally behind completion, the allowance and every rate shown."""

import datetime
from decimal import Decimal

import pytest

from itda import factories
from itda.training.models import Enrollment
from itda.training.selectors import attendance_rate, attendance_tally, rate_meets

pytestmark = pytest.mark.django_db

AFTER = datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)
JULY = [datetime.date(2026, 7, d) for d in range(1, 21)]  # 20 sessions


@pytest.fixture
def class_of_one(regions):
    world = regions
    cohort = factories.cohort(group=world["capital_group"], track=world["track"])
    sessions = factories.sessions(cohort=cohort, days=JULY)
    trainee = factories.TraineeFactory(region=world["seoul"])
    return factories.enrollment(cohort=cohort, trainee=trainee), sessions


def _record(enrollment, sessions, statuses):
    for session, status in zip(sessions, statuses, strict=False):
        if status:
            factories.attendance(enrollment=enrollment, session=session, status=status)


def _tally(enrollment, **kw):
    return attendance_tally(Enrollment.objects.filter(pk=enrollment.pk), as_of=AFTER, **kw).get()


def test_sixteen_of_twenty_with_two_lates_is_exactly_eighty_percent(class_of_one):
    enrollment, sessions = class_of_one
    _record(enrollment, sessions, ["late", "late"] + ["present"] * 14)  # 4 sessions: no record
    row = _tally(enrollment)
    assert (row.scheduled, row.attended, row.incidents, row.credited) == (20, 16, 2, 16)
    assert attendance_rate(row.credited, row.scheduled) == Decimal("0.8000")
    assert rate_meets(row.credited, row.scheduled, Decimal("0.800"))


def test_a_third_incident_costs_one_session_and_the_rate_falls_below(class_of_one):
    enrollment, sessions = class_of_one
    _record(enrollment, sessions, ["late", "left_early", "late"] + ["present"] * 13)
    row = _tally(enrollment)
    assert (row.attended, row.incidents, row.credited) == (16, 3, 15)
    assert not rate_meets(row.credited, row.scheduled, Decimal("0.800"))


def test_late_and_left_early_in_one_session_are_two_incidents_and_excused_counts(class_of_one):
    enrollment, sessions = class_of_one
    _record(enrollment, sessions, ["late_left_early", "left_early", "excused", "absent"])
    row = _tally(enrollment)
    # 3 attended (absent is a record that does not count), 3 incidents → one session off.
    assert (row.attended, row.incidents, row.credited) == (3, 3, 2)


def test_only_sessions_ended_and_inside_the_period_count(class_of_one):
    enrollment, sessions = class_of_one
    _record(enrollment, sessions, ["present"] * 20)
    mid = datetime.datetime(2026, 7, 10, 12, 0, tzinfo=factories.KST)
    row = attendance_tally(Enrollment.objects.filter(pk=enrollment.pk), as_of=mid).get()
    assert (row.scheduled, row.attended) == (9, 9)
    since = datetime.datetime(2026, 7, 5, tzinfo=datetime.UTC)
    assert (
        _tally(enrollment, since=since).scheduled,
        _tally(enrollment, since=since).attended,
    ) == (
        16,
        16,
    )


def test_the_boundary_is_exact_not_floating_point():
    assert not rate_meets(799, 1000, Decimal("0.800"))
    assert rate_meets(800, 1000, Decimal("0.800"))
    assert not rate_meets(0, 0, Decimal("0.800"))
