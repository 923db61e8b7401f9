"""The demo's training around today: courses and cohorts per group, sessions booked without
overlaps, fitting enrolments, attendance for past days, and the demo logins' part in them."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from itda.accounts.models import User
from itda.demo.services import DEMO_PASSWORD, PROGRAMME_CODE
from itda.programs.models import OperatingGroup, Programme
from itda.programs.services import reference_load_all
from itda.training.models import (
    ACTIVE_ENROLLMENT,
    Attendance,
    AttendanceCorrection,
    Cohort,
    Course,
    Enrollment,
    RoomBooking,
    Session,
)

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))


def generate(*args):
    call_command("generate_demo", "--seed", "1", "--scale", "0.3", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def generated(module_atomic):
    reference_load_all()
    generate()


@pytest.fixture
def demo(generated, db):
    return generated


def test_each_group_runs_a_finished_and_a_running_cohort_per_track_course(demo):
    today = timezone.localdate()
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    for group in OperatingGroup.objects.filter(programme__code=PROGRAMME_CODE):
        track_courses = Course.objects.filter(operating_group=group, audience="job_seeker")
        assert sorted(c.code for c in track_courses) == ["T1-BASIC", "T1-PRACTICAL", "T2-AI"]
        for course in track_courses:
            cohorts = list(course.cohorts.order_by("number"))
            assert [c.ends_on < today for c in cohorts[:2]] == [True, False]
            assert cohorts[1].starts_on <= today <= cohorts[1].ends_on
            # The next wave only when it fits before the programme ends.
            assert all(c.starts_on > today for c in cohorts[2:])
            assert all(c.ends_on <= programme.ends_on for c in cohorts)
            assert all((c.ends_on - c.starts_on).days < 31 for c in cohorts)  # ≤ one month
            assert course.total_hours == 140
    employee = Course.objects.filter(audience="employee")
    assert sorted(c.smart_factory_level for c in employee) == [
        "advanced",
        "basic",
        "intermediate1",
        "intermediate2",
    ]
    assert {c.operating_group.zone for c in employee} == {"capital"}
    # The 스마트화관 is run by the Incheon programme's operator: the MSS group holds its
    # employee courses in a room of its own centre, apart from the track courses' rooms.
    employee_rooms = {s.booking.room for s in Session.objects.filter(cohort__course__in=employee)}
    assert {(r.venue.name, r.name) for r in employee_rooms} == {
        ("수도권 스마트제조 교육센터(데모)", "강의실 4")
    }


def test_sessions_are_weekday_mornings_and_afternoons_in_approved_bookings(demo):
    sessions = list(Session.objects.select_related("booking"))
    assert RoomBooking.objects.filter(status="approved", kind="session").count() == len(sessions)
    today = timezone.localdate()
    for s in sessions:
        start, end = s.starts_at.astimezone(KST), s.ends_at.astimezone(KST)
        assert (start.hour, end.hour) in {(9, 12), (13, 17)}
        assert start.weekday() < 5 or start.date() == today  # a weekend make-up is today only
        assert (s.booking.during.lower, s.booking.during.upper) == (s.starts_at, s.ends_at)


def test_enrolments_fit_and_attendance_covers_the_days_before_today(demo):
    rows = Enrollment.objects.select_related("cohort__course__operating_group", "trainee")
    assert rows.count() > 100
    for e in rows:
        group = e.cohort.course.operating_group
        assert group.regions.filter(pk=e.trainee.region_id).exists()
        assert e.trainee.preferred_track_id == e.cohort.course.track_id
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses["completed"] > statuses["not_completed"] > 0
    # Waiting places come only from selections beyond a cohort's seats (a few per wave at
    # scale 1), so a small demo may have none.
    assert statuses["enrolled"] > 0
    start_of_today = datetime.datetime.combine(timezone.localdate(), datetime.time(0), KST)
    assert not Attendance.objects.filter(session__ends_at__gt=start_of_today).exists()
    marks = Counter(Attendance.objects.values_list("status", flat=True))
    assert marks["present"] / sum(marks.values()) > 0.7
    assert {"late", "left_early", "absent", "excused"} <= set(marks)
    # Nobody recorded in a session of a cohort they are not in.
    assert not Attendance.objects.exclude(session__cohort=F("enrollment__cohort")).exists()


def test_the_demo_trainee_has_a_session_today_taught_by_the_demo_staff(demo, client):
    me = Enrollment.objects.get(trainee__user__username="trainee", status__in=ACTIVE_ENROLLMENT)
    assert me.status == "enrolled"
    today = timezone.localdate()
    assert me.cohort.sessions.filter(
        starts_at__gte=datetime.datetime.combine(today, datetime.time(0), KST),
        starts_at__lt=datetime.datetime.combine(today, datetime.time(23, 59), KST),
    ).exists()
    staff = User.objects.get(username="staff-capital")
    assert staff in me.cohort.instructors.all()
    assert me.cohort.course.operating_group.zone == "capital"
    mine = AttendanceCorrection.objects.get(enrollment=me)
    assert (mine.status, mine.status_before, mine.requested_status) == (
        "pending",
        "late",
        "present",
    )
    assert AttendanceCorrection.objects.filter(status="pending").count() >= 3
    client.post("/accounts/login/", {"username": "trainee", "password": DEMO_PASSWORD})
    html = client.get("/trainee/training/").content.decode()
    assert me.cohort.course.title in html and "검토 중" in html


def test_reset_gives_the_same_training(demo):
    def picture():
        return (
            Cohort.objects.count(),
            Counter(Enrollment.objects.values_list("status", flat=True)),
            Counter(Attendance.objects.values_list("status", flat=True)),
        )

    before = picture()
    generate("--reset")
    assert picture() == before
