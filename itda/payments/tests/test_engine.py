"""The money engine by hand: a full month, a partial month with holidays, the 10-won cut, the
per-person cap reached, an employee who gets nothing, withholding with 소액부징수."""

import datetime
import json

from itda.internships import workdays
from itda.payments import engine

SEPT = datetime.date(2026, 9, 1)


def test_a_full_month_fully_attended_is_exactly_the_monthly_amount():
    result = engine.internship_month(
        monthly_krw=2_000_000, attendance_days=21, scheduled_days=21, working_days=21
    )
    assert result.amount_krw == 2_000_000
    assert [s.key for s in result.steps] == ["counted", "prorated"]


def test_a_partial_month_with_chuseok_is_prorated_over_the_months_working_days():
    # September 2026: 22 weekdays less 추석 on Thu 24 and Fri 25 (Sat 26 removes nothing).
    assert len(workdays.month_working_days(SEPT)) == 20
    # From Mon 14: 14–18, 21–23, 28–30 = 11 scheduled days; one absence leaves 10.
    scheduled = workdays.scheduled_days(
        SEPT,
        starts_on=datetime.date(2026, 9, 14),
        ends_on=datetime.date(2026, 12, 13),
        days_per_week=5,
    )
    assert len(scheduled) == 11
    result = engine.internship_month(
        monthly_krw=2_000_000, attendance_days=10, scheduled_days=11, working_days=20
    )
    assert result.amount_krw == 1_000_000  # 2,000,000 × 10 ÷ 20
    # More attendance than scheduled days counts only the scheduled ones.
    more = engine.internship_month(
        monthly_krw=2_000_000, attendance_days=13, scheduled_days=11, working_days=20
    )
    assert more.amount_krw == 1_100_000


def test_amounts_under_ten_won_are_not_paid():
    # 2,000,000 × 13 ÷ 23 = 1,130,434.78… → 1,130,434 → 1,130,430.
    result = engine.internship_month(
        monthly_krw=2_000_000, attendance_days=13, scheduled_days=23, working_days=23
    )
    assert result.amount_krw == 1_130_430
    assert result.steps[-1].text == "10원 미만 버림(국고금 관리법 제47조) → 1,130,430원"
    # A training allowance pro-rated to 247,619 won pays 247,610.
    prorated = engine.training_allowance(
        amount_krw=400_000, full_rate="0.8", shortfall="prorate", credited=13, planned=21
    )
    assert prorated.amount_krw == 247_619
    assert engine.payable(prorated).amount_krw == 247_610
    assert engine.floor_to_unit(-247_619) == -247_610  # a clawback reclaims no more
    assert [engine.floor_to_unit(n) for n in (19, 10, 9, 0)] == [10, 10, 0, 0]


def test_the_per_person_cap_is_shared_across_periods_in_order():
    # 1 month × 400,000: a second enrolment gets nothing, a part-paid first leaves the rest.
    assert engine.caps_in_order([400_000, 400_000], 400_000) == [(0, 400_000), (400_000, 0)]
    assert engine.caps_in_order([300_000, 400_000, 50], 400_000) == [
        (0, 300_000),
        (300_000, 100_000),
        (400_000, 0),
    ]
    assert engine.caps_in_order([5, 7], None) == [(0, 5), (0, 7)]
    by_rule = engine.training_allowance(
        amount_krw=400_000, full_rate="0.8", shortfall="none", credited=16, planned=20
    )
    capped = engine.payable(by_rule, cap_krw=400_000, prior_krw=300_000)
    assert capped.amount_krw == 100_000
    assert "남은 한도 100,000원 → 100,000원" in capped.steps[-1].text


def test_an_employee_gets_nothing_whatever_the_attendance():
    result = engine.training_allowance(
        amount_krw=400_000,
        full_rate="0.8",
        shortfall="prorate",
        credited=20,
        planned=20,
        employed=True,
    )
    assert result.amount_krw == 0
    assert result.steps[0].key == "ineligible"


def test_eighty_percent_exactly_pays_in_full_and_below_pays_nothing():
    def amount(credited, planned):
        return engine.training_allowance(
            amount_krw=400_000,
            full_rate="0.800",
            shortfall="none",
            credited=credited,
            planned=planned,
        ).amount_krw

    assert (amount(16, 20), amount(15, 20), amount(799, 1000), amount(0, 0)) == (
        400_000,
        0,
        0,
        0,
    )


def test_withholding_follows_the_income_class_and_skips_tax_under_1000_won():
    assert engine.withholding(400_000, income_class=None).amount_krw == 0
    # 사업소득 3%: 12,000 + 지방소득세 1,200.
    assert engine.withholding(400_000, income_class="business").amount_krw == 13_200
    # 30,000 × 3% = 900 < 1,000: 소액부징수.
    small = engine.withholding(30_000, income_class="business")
    assert small.amount_krw == 0 and small.steps[-1].key == "small_tax"
    by_rule = engine.Result(400_000)
    paid = engine.payable(by_rule, income_class="business")
    assert paid.amount_krw == 386_800


def test_the_record_is_json_and_names_the_rule_version():
    result = engine.payable(
        engine.training_allowance(
            amount_krw=400_000, full_rate="0.8", shortfall="prorate", credited=13, planned=21
        ),
        cap_krw=400_000,
        income_class="other",
    )
    record = json.loads(json.dumps(result.as_record(), ensure_ascii=False))
    assert record["rule_version"] == engine.RULE_VERSION
    assert record["amount_krw"] == result.amount_krw == record["steps"][-1]["value"]
    assert [s["key"] for s in record["steps"]] == [
        "by_rule",
        "rounding",
        "income_tax",
        "local_tax",
        "net",
    ]
