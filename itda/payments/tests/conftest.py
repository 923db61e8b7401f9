import datetime

import pytest

from itda import factories

# The OJT internship world (an agreed internship, its mentor, the clock) for the statements.
from itda.internships.tests.conftest import clock, mentor, ojt_internship, setup  # noqa: F401
from itda.payments.services import allowance_rule_create

JULY = [datetime.date(2026, 7, d) for d in range(1, 21)]  # 20 training days, one session each
AFTER = datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)


@pytest.fixture
def allowance_rule(regions):
    """400,000원 for the training month, in full at 80%, nothing below."""
    return allowance_rule_create(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 1, 1),
        amount_krw=400_000,
        full_rate="0.800",
        shortfall="none",
        note="테스트 공고",
    )


@pytest.fixture
def july_cohort(regions, allowance_rule):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    return cohort, factories.sessions(cohort=cohort, days=JULY)


def record(enrollment, sessions, statuses):
    """One attendance row per session for each status given (None: no record = absent)."""
    for session, status in zip(sessions, statuses, strict=False):
        if status:
            factories.attendance(enrollment=enrollment, session=session, status=status)


def prorate_rule(regions, note="비례 지급 테스트"):
    """400,000원 for the training month, in full at 80%, pro-rated below."""
    return allowance_rule_create(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 1, 1),
        amount_krw=400_000,
        full_rate="0.800",
        shortfall="prorate",
        note=note,
    )
