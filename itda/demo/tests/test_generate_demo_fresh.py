"""generate_demo and demo_logins where each test needs a database of its own: without reference
data, without accounts, and after the calls were seeded."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from itda.programs.models import Company
from itda.programs.services import reference_load_all

from .test_generate_demo import generate


@pytest.fixture
def reference(db):
    reference_load_all()


def test_refuses_without_reference_data(db):
    with pytest.raises(CommandError, match="load_reference"):
        generate()


def test_demo_logins_without_accounts_says_what_to_do(db):
    with pytest.raises(CommandError, match="generate_demo"):
        call_command("demo_logins", stdout=StringIO())


@pytest.mark.django_db
def test_demo_companies_apply_to_the_seeded_call_and_reset_clears_them(reference):
    from itda.evaluation.seed import calls_seed
    from itda.recruitment.models import Application

    calls_seed()
    generate()
    # Every company applies once: most to the first call, a few to the later 추가 모집.
    apps = Application.objects.filter(call__kind="company").select_related("call")
    assert apps.count() == Company.objects.count() > 0
    assert apps.values("company").distinct().count() == apps.count()
    assert len({a.call_id for a in apps}) == 2
    assert all(a.call.opens_at <= a.submitted_at < a.call.closes_at for a in apps)
    assert apps.filter(status="submitted").count() == apps.count()
    generate("--reset")
    assert Application.objects.filter(call__kind="company").count() == Company.objects.count()
    assert Application.objects.filter(call__kind="plan").count() == 5  # the 2021 plans
