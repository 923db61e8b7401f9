"""Every date a person can type has a sane range: year 1, 9999 and 10000 are refused with a
Korean message on the field, never stored and never a 500 (issue 10, item 6)."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import models
from django.test import RequestFactory

import itda
from itda import factories
from itda.lib.dates import validate_era, validate_era_range
from itda.programs.models import Programme, TransformationPlan
from itda.training.models import Cohort

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[가-힣]")
_SKIPPED_PACKAGES = ("tests", "migrations", "browser_tests", "management")
# Entry points set Django up again when imported, which would reset the logging the suite's
# server-error check listens on; they define no forms.
_ENTRY_POINTS = {"itda.wsgi", "itda.asgi", "itda.settings", "itda.settings_test"}


def _project_modules():
    for info in pkgutil.walk_packages(itda.__path__, "itda."):
        if info.name in _ENTRY_POINTS or any(f".{part}" in info.name for part in _SKIPPED_PACKAGES):
            continue
        if info.name.endswith(".engine") or ".engine." in info.name:
            continue
        yield importlib.import_module(info.name)


def _project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in itda: forms modules, views and exports alike."""
    found = {}
    for module in _project_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__.startswith("itda.")
                and not value.__name__.endswith("Mixin")
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


@pytest.fixture
def form_kwargs(regions, seoul_staff):
    """What the forms that need context are built with in their views."""
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    venue = factories.room(region=regions["seoul"]).venue
    plan = TransformationPlan.objects.create(
        region=regions["seoul"], round_year=2021, status="applied", source_document="시험"
    )
    request = RequestFactory().get("/")
    request.user = seoul_staff
    return {
        "ReauthForm": {"request": request},
        "PasswordChangeForm": {"request": request},
        "OtpEnrolForm": {"request": request, "replacing": True},
        "BankAccountForm": {"request": request},
        "PasswordSetForm": {"user": seoul_staff},
        "TransitionForm": {"plan": plan},
        "ProgressForm": {"plan": plan},
        "SubProjectForm": {"plan": plan},
        "CourseForm": {"user": seoul_staff},
        "CohortForm": {"course": cohort.course},
        "SessionForm": {"cohort": cohort},
        "StaffBookingForm": {"venue": venue},
        "TraineeCallForm": {"programme": regions["programme"]},
        "ScoreSheetForm": {"criteria": []},
        "PanelForm": {"user": seoul_staff},
        "OtpRemoveForm": {"user": seoul_staff},
        "RegionChangeForm": {"place": "거주지"},
        "AllocationForm": {"programme": regions["programme"]},
        "TolerancesForm": {"programme": regions["programme"]},
        "NominationForm": {"cohorts": Cohort.objects.all()},
        "MentorChoiceForm": {"company": None},
        "ComputeForm": {"programmes": Programme.objects.all()},
        "BatchDraftForm": {"user": seoul_staff},
    }


def _typed(field: forms.Field, year: int) -> str:
    day = f"{year:04d}-01-01"
    return f"{day}T00:00" if isinstance(field, forms.DateTimeField) else day


def test_the_walk_finds_the_forms_with_dates():
    names = {form.__name__ for form in _project_forms()}
    assert {"InterviewForm", "CohortForm", "SessionForm", "TraineeCallForm"} <= names
    assert len(names) > 25


@pytest.mark.parametrize("year", [1, 9999, 10000])
def test_every_form_refuses_an_absurd_year_on_each_date_field(form_kwargs, year):
    checked = []
    for form_class in _project_forms():
        kwargs = form_kwargs.get(form_class.__name__, {})
        try:
            blank = form_class(**kwargs)
        except TypeError as exc:  # pragma: no cover - a new form needing context
            pytest.fail(f"{form_class.__name__}: add its constructor arguments here ({exc})")
        dated = [
            name
            for name, field in blank.fields.items()
            if isinstance(field, forms.DateField | forms.DateTimeField)
        ]
        for name in dated:
            form = form_class(data={name: _typed(blank.fields[name], year)}, **kwargs)
            assert not form.is_valid()
            errors = form.errors.get(name)
            assert errors, f"{form_class.__name__}.{name} accepted year {year}"
            assert all(HANGUL.search(e) for e in errors), (form_class.__name__, name, errors)
            checked.append(f"{form_class.__name__}.{name}")
    assert "InterviewForm.scheduled_at" in checked and "CohortForm.starts_on" in checked


def test_the_forms_tell_the_browser_the_bounds(form_kwargs):
    from itda.matching.forms import InterviewForm

    html = str(InterviewForm()["scheduled_at"])
    assert 'min="1900-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html


# Django's auth stamps these from the clock; no one types them.
_CLOCK_STAMPED = {"last_login", "date_joined"}


def test_every_stored_date_field_carries_the_era_validator():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("itda."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, DateTimeRangeField):
                wanted = validate_era_range
            elif isinstance(field, models.DateField):  # DateTimeField is a DateField
                if field.auto_now or field.auto_now_add or field.name in _CLOCK_STAMPED:
                    continue
                wanted = validate_era
            else:
                continue
            if wanted not in field.validators:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


@pytest.mark.parametrize(
    "value", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1899, 12, 31)]
)
def test_the_era_validator_refuses_in_korean(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="1900-01-01부터 2100-12-31 사이"):
        validate_era(value)
    with pytest.raises(ValidationError):
        validate_era(datetime.datetime.combine(value, datetime.time(), datetime.UTC))


@pytest.fixture
def interview_page(regions, trainee, company, seoul_staff):
    """A round in which the company's position was chosen by the trainee."""
    from django.utils import timezone

    from itda.internships.models import Position
    from itda.matching import services
    from itda.programs.models import Company, Trainee

    me = Trainee.objects.get(user=trainee)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    position = Position.objects.create(
        company=Company.objects.get(managers=company),
        track=regions["track"],
        title="설비 운영",
        duties="-",
        seats=1,
        region=regions["seoul"],
        site_address="-",
        mentor_name="-",
        status="published",
        created_by=company,
    )
    now = timezone.now()
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계",
        trainee_deadline=now + datetime.timedelta(days=3),
        company_deadline=now + datetime.timedelta(days=7),
    )
    services.trainee_choices_save(round_=round_, trainee=me, positions=[position], actor=trainee)
    return f"/company/rounds/{round_.pk}/positions/{position.pk}/", me


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00", "9999-12-31T23:59", "10000-01-01T00:00", "2999-01-01T10:00"]
)
def test_an_absurd_interview_time_is_refused_and_the_page_still_opens(
    client, login_as, company, interview_page, when
):
    from itda.matching.models import Interview

    url, me = interview_page
    login_as(company)
    response = client.post(
        f"{url}interviews/{me.pk}/", {"scheduled_at": when, "place": "본사"}, follow=True
    )
    assert response.status_code == 200
    assert not Interview.objects.exists()
    text = response.content.decode()
    assert "면접 일시" in text and ("사이여야" in text or "올바른" in text or "마감" in text)
    assert client.get(url).status_code == 200


def test_the_service_refuses_year_one_even_without_the_form(interview_page, company):
    from django.core.exceptions import ValidationError

    from itda.matching import services
    from itda.matching.models import Interview, MatchRound

    _, me = interview_page
    round_ = MatchRound.objects.get()
    with pytest.raises(ValidationError, match="1900-01-01부터"):
        services.interview_schedule(
            round_=round_,
            position=round_.choices.get().position,
            trainee=me,
            scheduled_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
            place="본사",
            actor=company,
        )
    assert not Interview.objects.exists()
