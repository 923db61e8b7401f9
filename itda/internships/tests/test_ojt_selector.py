"""The set-based month selector (selectors.ojt_months): every month of every agreed OJT
internship with due date, both reports' states and the overdue flags, in one SQL statement
whatever the number of internships — what the reminder task will walk."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.internships import ojt
from itda.internships.models import Internship, Placement, StartWave
from itda.internships.selectors import ojt_months
from itda.internships.tests.conftest import make_position
from itda.internships.tests.ojt_world import AUG, OCT, SEP, log, mentor_report
from itda.programs.models import PlacementKind, Track, Trainee

pytestmark = pytest.mark.django_db
D = datetime.date


def _rows(day, *, overdue_only=False, internships=None):
    if internships is None:
        internships = Internship.objects.all()
    return list(ojt_months(internships, day=day, overdue_only=overdue_only))


def test_each_month_has_its_days_due_date_and_both_states(
    ojt_internship, clock, trainee, mentor, seoul_staff
):
    rows = _rows(D(2026, 9, 6))
    assert [(r.month, r.first_day, r.last_day, r.due_on) for r in rows] == [
        (AUG, D(2026, 8, 3), D(2026, 8, 31), D(2026, 9, 5)),
        (SEP, D(2026, 9, 1), D(2026, 9, 30), D(2026, 10, 5)),
        (OCT, D(2026, 10, 1), D(2026, 10, 31), D(2026, 11, 5)),
    ]
    # The selector and the services agree on the days and the due date.
    for r in rows:
        assert (r.first_day, r.last_day) == ojt.month_span(ojt_internship, r.month)
        assert r.due_on == ojt.due_on(ojt_internship, r.month)
    aug, sep, oct_ = rows
    # On 9/6 August is past due (9/5) with nothing handed in; September is open for the log
    # only; October has not begun.
    assert (aug.log_state, aug.mentor_state) == ("missing", "missing")
    assert (aug.log_overdue, aug.mentor_overdue, aug.overdue) == (True, True, True)
    assert (sep.log_open, sep.mentor_open, sep.overdue) == (True, False, False)
    assert (oct_.log_open, oct_.mentor_open) == (False, False)
    assert aug.log_state_label == "미작성"

    clock(D(2026, 9, 6))
    report = log(ojt_internship, AUG, trainee)
    draft = mentor_report(ojt_internship, AUG, mentor, submit=False)
    aug = _rows(D(2026, 9, 6))[0]
    assert (aug.log_state, aug.mentor_state) == ("submitted", "draft")
    assert (aug.log_overdue, aug.mentor_overdue) == (False, True)
    assert (aug.log_id, aug.mentor_id) == (report.pk, draft.pk)
    assert aug.mentor_to_write and not aug.log_to_write
    # A returned log is the intern's to fix again: overdue once more.
    ojt.ojt_report_review(report=report, approve=False, reason="보완", actor=seoul_staff)
    aug = _rows(D(2026, 9, 6))[0]
    assert (aug.log_state, aug.log_overdue, aug.log_to_write) == ("returned", True, True)
    assert aug.log_state_label == "보완 요청"


def test_overdue_only_keeps_the_months_past_due(ojt_internship, clock, trainee, mentor):
    assert [r.month for r in _rows(D(2026, 10, 6), overdue_only=True)] == [AUG, SEP]
    log(ojt_internship, AUG, trainee)
    mentor_report(ojt_internship, AUG, mentor)
    assert [r.month for r in _rows(D(2026, 10, 6), overdue_only=True)] == [SEP]
    assert _rows(D(2026, 9, 5), overdue_only=True) == []  # the due day itself is not late


def test_a_month_the_internship_ends_in_is_due_five_days_after_its_end(
    setup, seoul_staff, company, trainee
):
    from itda.internships.tests.ojt_world import activate

    activate(setup, seoul_staff, company, trainee, ends_on=D(2026, 10, 15))
    last = _rows(D(2026, 10, 16))[-1]
    assert (last.month, last.last_day, last.due_on) == (OCT, D(2026, 10, 15), D(2026, 10, 20))
    assert last.mentor_open


def _bulk_internships(n, *, position, wave, admin, state="active"):
    trainees = Trainee.objects.bulk_create(
        factories.TraineeFactory.build_batch(n, region=position.region)
    )
    placements = Placement.objects.bulk_create(
        Placement(trainee=t, position=position, origin="test", created_by=admin, state="started")
        for t in trainees
    )
    return Internship.objects.bulk_create(
        Internship(
            placement=p,
            programme=wave.programme,
            wave=wave,
            starts_on=D(2026, 8, 3),
            ends_on=D(2026, 10, 31),
            workplace="-",
            payee="intern",
            state=state,
            proposed_by=admin,
        )
        for p in placements
    )


@pytest.fixture
def wave(regions, admin):
    return StartWave.objects.create(
        programme=regions["programme"],
        label="8월",
        first_start=D(2026, 8, 3),
        last_start=D(2026, 8, 14),
        created_by=admin,
    )


def test_one_statement_however_many_internships(regions, admin, company, wave):
    position = make_position(company, regions["seoul"], regions["track"], seats=50)
    _bulk_internships(2, position=position, wave=wave, admin=admin)
    with CaptureQueriesContext(connection) as few:
        assert len(_rows(D(2026, 9, 6))) == 6
    # 700 more: 2,106 months, more than one chunk of the server-side cursor.
    _bulk_internships(700, position=position, wave=wave, admin=admin)
    with CaptureQueriesContext(connection) as many:
        rows = _rows(D(2026, 9, 6))
    assert len(rows) == 702 * 3
    assert len(many.captured_queries) == len(few.captured_queries) == 1
    assert sum(r.overdue for r in rows) == 702  # every August
    assert rows == sorted(rows, key=lambda r: (r.internship_id, r.month))


def test_only_agreed_ojt_internships_report(regions, admin, company, wave):
    position = make_position(company, regions["seoul"], regions["track"], seats=10)
    for state in ("proposed", "declined", "cancelled", "active"):
        _bulk_internships(1, position=position, wave=wave, admin=admin, state=state)
    pbl = Track.objects.create(
        programme=regions["programme"],
        code="track2",
        name="PBL",
        quota=80,
        placement_kind=PlacementKind.PBL,
    )
    pbl_position = make_position(company, regions["seoul"], pbl, title="AI 과제")
    _bulk_internships(1, position=pbl_position, wave=wave, admin=admin)
    rows = _rows(D(2026, 9, 6))
    active = Internship.objects.get(state="active", placement__position=position)
    assert {r.internship_id for r in rows} == {active.pk}
    # A narrower queryset narrows the answer (the caller's scope is kept).
    assert _rows(D(2026, 9, 6), internships=Internship.objects.filter(pk=0)) == []
    assert _rows(D(2026, 9, 6), internships=Internship.objects.filter(pk__in=[])) == []
    assert _rows(D(2026, 9, 6), internships=Internship.objects.none()) == []
