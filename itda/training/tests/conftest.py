"""Training test fixtures: certificate PDFs need WeasyPrint and the full Pretendard GOV."""

import datetime
import os

import pytest
from django.utils import timezone

from itda import factories
from itda.training.certificates import fonts_missing


@pytest.fixture
def certificate_pdfs(pdf_engine, settings, tmp_path):
    """PDFs can be rendered, and are stored under a temporary media folder."""
    if missing := fonts_missing():
        message = f"certificate fonts are not installed (npm ci): {missing}"
        if os.environ.get("ITDA_REQUIRE_PDF") == "1":
            pytest.fail(message)
        pytest.skip(message)
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def company_a(company):
    """The company manager's company, at the smart-factory level of factories.employee_cohort
    (the 재직자 nomination tests)."""
    firm = company.companies.get()
    firm.smart_factory_level = "intermediate1"
    firm.save(update_fields=["smart_factory_level"])
    return firm


@pytest.fixture
def running_cohort(regions):
    """A cohort of 수도권 사업단 that started a week ago: three sessions held, one still to
    come; 김가람 was present, late, then absent with no record; 이나래 present, excused,
    present."""
    today = timezone.localdate()
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=20),
    )
    days = [today - datetime.timedelta(days=n) for n in (3, 2, 1)] + [
        today + datetime.timedelta(days=3)
    ]
    sessions = factories.sessions(cohort=cohort, days=days)
    people = {}
    record = {"김가람": ("present", "late"), "이나래": ("present", "excused", "present")}
    for name, states in record.items():
        trainee = factories.TraineeFactory(region=regions["seoul"], name=name)
        people[name] = factories.enrollment(cohort=cohort, trainee=trainee)
        for session, status in zip(sessions, states, strict=False):
            factories.attendance(enrollment=people[name], session=session, status=status)
    return {"cohort": cohort, "sessions": sessions, "people": people}
