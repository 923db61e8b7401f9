"""No constraint name reaches a user: every constraint of every itda model says in Korean what
it refuses (issue 10, item 10)."""

import datetime
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from itda import factories
from itda.training.models import Cohort

HANGUL = re.compile(r"[가-힣]")


def _project_constraints():
    for model in apps.get_models():
        if model.__module__.startswith("itda."):
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_has_a_korean_violation_message():
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for model, constraint in _project_constraints()
        if constraint.violation_error_message == constraint.default_violation_error_message
        or not HANGUL.search(str(constraint.violation_error_message))
        or constraint.name in str(constraint.violation_error_message)
    ]
    assert missing == []


def test_the_walk_sees_the_constraints():
    names = {constraint.name for _, constraint in _project_constraints()}
    assert {"cohort_dates_ordered", "room_booking_no_overlap", "trainee_phone_unique"} <= names


@pytest.mark.django_db
def test_a_cohort_ending_before_it_starts_is_refused_without_the_constraint_name(regions):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    cohort.ends_on = cohort.starts_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    text = " ".join(caught.value.messages)
    assert "종강일은 개강일 이후여야 합니다." in text
    assert "cohort_dates_ordered" not in text
    assert Cohort.objects.get(pk=cohort.pk).ends_on >= cohort.starts_on
