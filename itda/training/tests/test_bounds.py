"""Implausible values are refused in Korean and never saved: bookings in 2020 and 9999, cohort
number 0, a 100,000-character explanation, a cohort outside its programme (issue 10, item 11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itda import factories
from itda.programs.models import Company, RoomKind, Trainee
from itda.training import attendance, services
from itda.training.models import AttendanceCorrection, Cohort, RoomBooking

pytestmark = pytest.mark.django_db

KST = factories.KST


@pytest.fixture
def lecture_room(regions):
    return factories.room(region=regions["seoul"], name="강의·교육장")


@pytest.fixture
def business_zone(regions):
    return factories.room(
        region=regions["seoul"], name="오픈형 회의실(Business Zone)", kind=RoomKind.MEETING
    )


@pytest.fixture
def cohort(regions):
    return factories.cohort(group=regions["capital_group"], track=regions["track"])


def _at(year: int, month: int = 3, day: int = 2, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=KST)


@pytest.mark.parametrize("year", [2020, 9999])
def test_staff_cannot_book_a_room_in_2020_or_9999(
    client, login_as, seoul_staff, lecture_room, year
):
    login_as(seoul_staff)
    response = client.post(
        f"/training/venues/{lecture_room.venue_id}/book/",
        {
            "room": lecture_room.pk,
            "kind": "event",
            "date": f"{year}-03-02",
            "start": "10:00",
            "end": "12:00",
            "purpose": "설명회",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "예약" in response.content.decode()
    assert not RoomBooking.objects.exists()
    with pytest.raises(ValidationError):
        services.booking_create(
            actor=seoul_staff,
            room=lecture_room,
            starts_at=_at(year),
            ends_at=_at(year, hour=12),
            purpose="설명회",
        )
    assert not RoomBooking.objects.exists()


def test_a_booking_more_than_two_years_ahead_is_refused_naming_the_default(
    seoul_staff, company, lecture_room, business_zone
):
    later = timezone.localtime() + datetime.timedelta(days=2 * 366 + 1)
    with pytest.raises(services.TrainingError, match="itda 기본값"):
        services.booking_create(
            actor=seoul_staff,
            room=lecture_room,
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1),
            purpose="설명회",
        )
    with pytest.raises(services.TrainingError, match="2년 이내"):
        services.meeting_request(
            actor=company,
            room=business_zone,
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1),
            purpose="상담",
            attendees=3,
        )
    assert not RoomBooking.objects.exists()
    soon = timezone.localtime() + datetime.timedelta(days=30)
    booked = services.booking_create(
        actor=seoul_staff,
        room=lecture_room,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
        purpose="설명회",
    )
    assert booked.pk


def test_a_company_cannot_request_the_business_zone_in_9999(
    client, login_as, company, business_zone
):
    assert Company.objects.filter(managers=company).exists()
    login_as(company)
    client.post(
        "/training/meetings/",
        {
            "room": business_zone.pk,
            "date": "9999-03-02",
            "start": "10:00",
            "end": "12:00",
            "purpose": "상담",
            "attendees": 3,
        },
    )
    assert not RoomBooking.objects.exists()


def test_cohort_number_zero_is_refused_by_form_model_and_database(
    client, login_as, seoul_staff, cohort
):
    login_as(seoul_staff)
    response = client.post(
        f"/training/cohorts/{cohort.pk}/edit/",
        {"number": 0, "starts_on": "2026-07-01", "ends_on": "2026-07-31", "capacity": 30},
    )
    assert response.status_code == 200 and "1 이상" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.number == 1
    cohort.number = 0
    with pytest.raises(ValidationError, match="1 이상"):
        cohort.full_clean()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(number=0)


def test_a_cohort_outside_its_programme_period_is_refused(seoul_staff, cohort):
    programme = cohort.course.operating_group.programme
    with pytest.raises(services.TrainingError, match="사업기간"):
        services.cohort_save(
            actor=seoul_staff,
            course=cohort.course,
            cohort=cohort,
            fields={
                "number": 1,
                "starts_on": programme.ends_on,
                "ends_on": programme.ends_on + datetime.timedelta(days=10),
                "capacity": 30,
            },
            instructors=[],
        )


def test_the_cohort_form_refuses_a_cohort_starting_before_the_programme(
    client, login_as, seoul_staff, cohort
):
    login_as(seoul_staff)
    programme = cohort.course.operating_group.programme
    response = client.post(
        f"/training/courses/{cohort.course_id}/cohorts/new/",
        {
            "number": 2,
            "starts_on": programme.starts_on - datetime.timedelta(days=1),
            "ends_on": programme.starts_on + datetime.timedelta(days=10),
            "capacity": 30,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "교육기간은 사업기간(2026-05-20~2026-12-31) 안에 있어야 합니다." in page
    assert not Cohort.objects.filter(number=2).exists()


def test_a_100000_character_explanation_is_refused(regions, trainee, cohort):
    (session,) = factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, 1)])
    enrollment = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=trainee))
    with pytest.raises(ValidationError, match="2000"):
        attendance.correction_request(
            enrollment=enrollment,
            session=session,
            requested_status="excused",
            reason="illness",
            explanation="가" * 100_000,
            actor=trainee,
            now=datetime.datetime(2026, 7, 1, 19, tzinfo=KST),
        )
    assert not AttendanceCorrection.objects.exists()
    from itda.training.attendance_views import CorrectionForm

    form = CorrectionForm(
        data={"requested_status": "excused", "reason": "illness", "explanation": "가" * 100_000}
    )
    assert not form.is_valid() and "explanation" in form.errors


def test_every_free_text_column_has_a_length_limit():
    import pghistory.models
    from django.apps import apps
    from django.db import models

    machine_written = {"input_json", "result_json"}
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("itda.")
        and not issubclass(model, pghistory.models.Event)  # history copies, written by triggers
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.name not in machine_written
        and not any(getattr(v, "limit_value", None) == field.max_length for v in field.validators)
        and not field.__class__.__name__.startswith("Encrypted")
    ]
    assert unbounded == []


@pytest.mark.parametrize("field, value", [("capacity", 0), ("number", 0)])
def test_a_cohort_of_nothing_is_a_korean_message_not_a_500(
    client, login_as, seoul_staff, cohort, field, value
):
    login_as(seoul_staff)
    data = {"number": 1, "starts_on": "2026-07-01", "ends_on": "2026-07-31", "capacity": 30}
    response = client.post(f"/training/cohorts/{cohort.pk}/edit/", data | {field: value})
    assert response.status_code == 200 and "1 이상" in response.content.decode()
    cohort.refresh_from_db()
    assert (cohort.number, cohort.capacity) == (1, 30)
