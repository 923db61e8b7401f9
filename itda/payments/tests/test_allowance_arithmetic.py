"""Allowance amounts by hand: 80% exactly pays in full, 79.9% does not, pro-rating floors to the
won, three lates cost a day, excused counts, and the words say how."""

import datetime
from decimal import Decimal

import pytest

from itda import factories
from itda.payments.models import AllowanceLine
from itda.payments.selectors import line_explain
from itda.payments.services import allowance_compute, allowance_rule_create

from .conftest import AFTER, record

pytestmark = pytest.mark.django_db


def _line(enrollment, *, as_of=AFTER):
    allowance_compute(cohorts=[enrollment.cohort_id], as_of=as_of)
    return AllowanceLine.objects.select_related("rule", "enrollment__cohort__rule").get(
        enrollment=enrollment
    )


def _trainee(regions, july_cohort, statuses):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, statuses)
    return enrollment


def test_sixteen_of_twenty_is_exactly_eighty_percent_and_paid_in_full(regions, july_cohort):
    line = _line(_trainee(regions, july_cohort, ["present"] * 16))
    assert (line.planned, line.ended, line.credited, str(line.rate)) == (20, 20, 16, "0.8000")
    assert line.amount_krw == 400_000
    assert line_explain(line).arithmetic == "출석 인정 16차시 / 훈련 20차시 = 80% ≥ 80% → 400,000원"


def test_one_day_short_of_eighty_percent_pays_nothing_under_the_none_rule(regions, july_cohort):
    line = _line(_trainee(regions, july_cohort, ["present"] * 15))
    assert (line.credited, str(line.rate), line.amount_krw) == (15, "0.7500", 0)
    assert line_explain(line).arithmetic == (
        "출석 인정 15차시 / 훈련 20차시 = 75% < 80% → 미지급 0원"
    )


def test_79_9_percent_is_below_and_never_shown_rounded_up(regions, allowance_rule):
    # 1,000 planned days are not a month; a rate of 799/1000 tests the boundary itself.
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 31),
        code="BOUNDARY",
    )
    start = datetime.datetime(2026, 7, 1, 0, 0, tzinfo=factories.KST)
    from itda.training.models import Session

    Session.objects.bulk_create(
        Session(
            cohort=cohort,
            number=i + 1,
            title="-",
            starts_at=start + datetime.timedelta(minutes=40 * i),
            ends_at=start + datetime.timedelta(minutes=40 * i + 30),
        )
        for i in range(1000)
    )
    sessions = list(cohort.sessions.order_by("number"))
    below = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    at = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(below, sessions, ["present"] * 799)
    record(at, sessions, ["present"] * 800)
    allowance_compute(cohorts=[cohort.pk], as_of=AFTER)
    lines = {
        line.enrollment_id: line
        for line in AllowanceLine.objects.select_related("rule", "enrollment__cohort__rule")
    }
    assert (str(lines[below.pk].rate), lines[below.pk].amount_krw) == ("0.7990", 0)
    assert (str(lines[at.pk].rate), lines[at.pk].amount_krw) == ("0.8000", 400_000)
    assert "79.9% < 80%" in line_explain(lines[below.pk]).arithmetic


def test_prorating_floors_to_the_won(regions):
    allowance_rule_create(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 1, 1),
        amount_krw=400_000,
        full_rate="0.800",
        shortfall="prorate",
        note="비례 지급 테스트",
    )
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    days = [datetime.date(2026, 7, d) for d in range(1, 22)]  # 21 days: 400,000 × 13 / 21
    sessions = factories.sessions(cohort=cohort, days=days)
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 13)
    line = _line(enrollment)
    assert line.amount_krw == 247_619  # 247,619.04… → 247,619
    assert str(line.rate) == "0.6190"  # 0.619047… truncated
    assert line_explain(line).arithmetic == (
        "출석 인정 13차시 / 훈련 21차시 = 61.9% < 80% → "
        "400,000원 × 13 / 21 = 247,619원 (원 미만 버림)"
    )


def test_three_lates_cost_one_day_and_push_sixteen_below(regions, july_cohort):
    line = _line(_trainee(regions, july_cohort, ["late", "left_early", "late"] + ["present"] * 13))
    assert (line.attended, line.incidents, line.credited, line.amount_krw) == (16, 3, 15, 0)
    assert line_explain(line).counting == (
        "출석(공결 포함) 16차시 − 지각·조퇴 3회(3회당 1차시) 1차시 = 출석 인정 15차시"
    )


def test_two_lates_cost_nothing_and_excused_days_count(regions, july_cohort):
    statuses = ["late", "late", "excused", "excused", "absent"] + ["present"] * 12
    line = _line(_trainee(regions, july_cohort, statuses))
    assert (line.attended, line.incidents, line.credited, line.amount_krw) == (16, 2, 16, 400_000)


def test_mid_month_projection_tells_the_trainee_what_is_left(regions, july_cohort):
    enrollment = _trainee(regions, july_cohort, ["present"] * 8 + [None, None])
    as_of = datetime.datetime(2026, 7, 10, 20, 0, tzinfo=factories.KST)  # 10 days ended
    line = _line(enrollment, as_of=as_of)
    assert (line.planned, line.ended, line.credited, line.amount_krw) == (20, 10, 8, 0)
    # 8 + 10 = 18 ≥ 16 days needed: two more days may be missed, a third falls below.
    explanation = line_explain(line)
    assert explanation.projection == (
        "남은 10차시를 모두 출석하면 출석 인정 18차시 / 20차시 = 90% → 400,000원. "
        "2차시까지 빠져도 전액이고, 3차시 빠지면 80% 미만입니다 (지각·조퇴 3회는 결석 1차시로 계산)"
    )
    # Sessions not yet held are no absences: the rate is over the ten held, and no verdict.
    assert explanation.in_progress and explanation.held_rate == Decimal("0.8")
    assert explanation.arithmetic == (
        "진행 중 — 기간 종료 후 확정: 전체 20차시 중 10차시 진행, "
        "지금까지 출석 인정 8차시 / 지난 10차시 = 80%"
    )
    assert "미지급" not in explanation.arithmetic and "0원" not in explanation.arithmetic


def test_a_trainee_who_cannot_reach_the_rate_is_told_so(regions, july_cohort):
    enrollment = _trainee(regions, july_cohort, ["present"] + [None] * 4)
    line = _line(enrollment, as_of=datetime.datetime(2026, 7, 5, 20, 0, tzinfo=factories.KST))
    assert line_explain(line).projection == (
        "남은 15차시를 모두 출석하면 출석 인정 16차시 / 20차시 = 80% → 400,000원. "
        "남은 차시를 모두 출석해야 전액입니다 (지각·조퇴 3회는 결석 1차시로 계산)"
    )
    enrollment2 = _trainee(regions, july_cohort, [None] * 5)
    line2 = _line(enrollment2, as_of=datetime.datetime(2026, 7, 5, 20, 0, tzinfo=factories.KST))
    assert line_explain(line2).projection.endswith("남은 차시를 모두 출석해도 80%에 못 미칩니다")
