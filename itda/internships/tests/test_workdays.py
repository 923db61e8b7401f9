"""Korean working days and the monthly amount (the engine's, from these days), against figures
worked out by hand from the calendar (each test's comment shows the counting). Monthly amount
2,000,000원 throughout."""

import datetime

import pytest

from itda.internships import workdays

D = datetime.date
MONTHLY = 2_000_000


def amount(month, starts_on, ends_on, attendance, days_per_week=5):
    return workdays.monthly_amount(
        month,
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=days_per_week,
        monthly_amount_krw=MONTHLY,
        attendance_days=attendance,
    )


def test_september_2026_across_chuseok():
    # September 2026 starts on a Tuesday. Weekdays: 1–4 (4), 7–11 (5), 14–18 (5), 21–25 (5),
    # 28–30 (3) = 22. 추석 전날 Thu 24 and 추석 Fri 25 fall on weekdays; 추석 다음날 is Saturday 26
    # (no substitute: for 추석 only a Sunday or another holiday gives one). 22 − 2 = 20.
    assert len(workdays.month_working_days(D(2026, 9, 1))) == 20
    # Full month, 19 days at work: 2,000,000 × 19 ÷ 20 = 1,900,000.
    full = amount(D(2026, 9, 1), D(2026, 8, 3), D(2026, 10, 31), 19)
    assert (full.scheduled_days, full.month_working_days, full.amount_krw) == (20, 20, 1_900_000)
    assert [(d, n) for d, n, _inside in full.holidays] == [
        (D(2026, 9, 24), "추석 전날"),
        (D(2026, 9, 25), "추석"),
    ]
    # From Monday 14: 14–18 (5), 21–25 less 24, 25 (3), 28–30 (3) = 11 scheduled. 10 days at
    # work: 2,000,000 × 10 ÷ 20 = 1,000,000 (the denominator stays the month's 20).
    partial = amount(D(2026, 9, 1), D(2026, 9, 14), D(2026, 10, 31), 10)
    assert (partial.scheduled_days, partial.amount_krw) == (11, 1_000_000)
    # Attendance above the scheduled days counts only the scheduled days: 11 ÷ 20.
    assert amount(D(2026, 9, 1), D(2026, 9, 14), D(2026, 10, 31), 15).amount_krw == 1_100_000


def test_february_2027_across_seollal_and_its_substitute_day():
    # February 2027 starts on a Monday: four whole weeks, 20 weekdays. 설날 전날 Sat 6 and 설날
    # Sun 7 fall on the weekend; 설날 다음날 Mon 8 and the substitute day Tue 9 (for the Sunday)
    # fall on weekdays. 20 − 2 = 18.
    month = D(2027, 2, 1)
    assert len(workdays.month_working_days(month)) == 18
    assert workdays.holiday_name(D(2027, 2, 9)) == "설날 대체 휴일"
    # Full month, 17 days: 2,000,000 × 17 ÷ 18 = 1,888,888.88… → 10원 미만 버림 1,888,880.
    full = amount(month, D(2027, 1, 4), D(2027, 3, 31), 17)
    assert (full.scheduled_days, full.amount_krw) == (18, 1_888_880)
    assert "17일 ÷ 18일(그 달 근무일) = 1,888,888.88…원" in full.formula
    assert "10원 미만 버림(국고금 관리법 제47조) → 1,888,880원" in full.formula
    # From Wednesday 3: 3–5 (3), 8–12 less 8, 9 (3), 15–19 (5), 22–26 (5) = 16 scheduled; all
    # worked: 2,000,000 × 16 ÷ 18 = 1,777,777.77… → 1,777,770.
    partial = amount(month, D(2027, 2, 3), D(2027, 4, 30), 16)
    assert (partial.scheduled_days, partial.amount_krw) == (16, 1_777_770)


def test_october_2026_with_the_gaecheonjeol_substitute_day_and_hangeul_day():
    # October 2026 starts on a Thursday. Weekdays: 1–2 (2), 5–9 (5), 12–16 (5), 19–23 (5),
    # 26–30 (5) = 22. 개천절 is Saturday 3 (removes nothing); its substitute Monday 5 and 한글날
    # Friday 9 fall on weekdays. 22 − 2 = 20.
    month = D(2026, 10, 1)
    assert len(workdays.month_working_days(month)) == 20
    # An internship ending Thursday 15: 1–2 (2), 5–9 less 5, 9 (3), 12–15 (4) = 9 scheduled,
    # all worked: 2,000,000 × 9 ÷ 20 = 900,000.
    ending = amount(month, D(2026, 8, 3), D(2026, 10, 15), 9)
    assert (ending.scheduled_days, ending.month_working_days, ending.amount_krw) == (
        9,
        20,
        900_000,
    )
    assert [(d, n) for d, n, _inside in ending.holidays] == [
        (D(2026, 10, 5), "개천절 대체 휴일"),
        (D(2026, 10, 9), "한글날"),
    ]
    assert "개천절 대체 휴일" not in str(workdays.holiday_name(D(2026, 10, 3)))


def test_a_partial_month_starting_mid_month():
    # August 2026 starts on a Saturday. Weekdays: 3–7, 10–14, 17–21, 24–28 (20) and 31 = 21;
    # 광복절 is Saturday 15, its substitute Monday 17 is a weekday: 21 − 1 = 20.
    # An internship from Wednesday 12: 12–14 (3), 18–21 (4, the 17th off), 24–28 (5), 31 (1)
    # = 13 scheduled. 12 days at work: 2,000,000 × 12 ÷ 20 = 1,200,000.
    result = amount(D(2026, 8, 1), D(2026, 8, 12), D(2026, 10, 31), 12)
    assert (result.first_day, result.last_day) == (D(2026, 8, 12), D(2026, 8, 31))
    assert (result.scheduled_days, result.month_working_days) == (13, 20)
    assert result.amount_krw == 1_200_000
    assert result.holidays == ((D(2026, 8, 17), "광복절 대체 휴일", True),)


def test_fewer_than_five_days_a_week_take_the_first_working_days_of_each_week():
    # Four days a week in September 2026 (internship from August 3):
    # week of Mon 8/31: 8/31, 9/1, 9/2, 9/3 → 3 in September; 9/7–10: 4; 9/14–17: 4;
    # week of 9/21: only 21, 22, 23 are working days (추석 24, 25) → 3; week of 9/28: 28, 29,
    # 30, 10/1 → 3 in September. 3 + 4 + 4 + 3 + 3 = 17: 2,000,000 × 17 ÷ 20 = 1,700,000.
    four = amount(D(2026, 9, 1), D(2026, 8, 3), D(2026, 10, 31), 17, days_per_week=4)
    assert (four.scheduled_days, four.amount_krw) == (17, 1_700_000)
    # Three days a week in October 2026: the week of 9/28 spends its three days on 28, 29, 30
    # (September), so October gets none of it; 10/5–9: 6, 7, 8 (5th and 9th off) = 3;
    # 12–14, 19–21, 26–28 = 9. 0 + 3 + 9 = 12.
    days = workdays.scheduled_days(
        D(2026, 10, 1), starts_on=D(2026, 8, 3), ends_on=D(2026, 10, 31), days_per_week=3
    )
    assert len(days) == 12
    assert days[:3] == [D(2026, 10, 6), D(2026, 10, 7), D(2026, 10, 8)]
    # A straddling week gives at most N days in all: 9/28–10/4 with two days a week.
    for month, expected in (
        (D(2026, 9, 1), [D(2026, 9, 28), D(2026, 9, 29)]),
        (D(2026, 10, 1), []),
    ):
        week = [
            d
            for d in workdays.scheduled_days(
                month, starts_on=D(2026, 8, 3), ends_on=D(2026, 10, 31), days_per_week=2
            )
            if D(2026, 9, 28) <= d <= D(2026, 10, 4)
        ]
        assert week == expected


def test_a_full_month_with_full_attendance_is_exactly_the_monthly_amount():
    for month in (D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1), D(2027, 2, 1)):
        first, last = workdays.month_bounds(month)
        working = len(workdays.month_working_days(month))
        assert amount(month, first, last, working).amount_krw == MONTHLY


def test_the_record_holds_every_fact_and_no_amount_before_approval():
    pending = amount(D(2026, 9, 1), D(2026, 9, 14), D(2026, 10, 31), None)
    assert pending.amount_krw is None and pending.counted_days is None
    assert "멘토 보고서가 승인되면" in pending.formula
    record = amount(D(2027, 2, 1), D(2027, 1, 4), D(2027, 3, 31), 17).as_record()
    assert record["month"] == "2027-02-01"
    assert record["holidays"][1] == {
        "date": "2027-02-09",
        "name": "설날 대체 휴일",
        "in_internship": True,
    }
    assert (record["attendance_days"], record["counted_days"], record["amount_krw"]) == (
        17,
        17,
        1_888_880,
    )
    with pytest.raises(ValueError):
        amount(D(2026, 7, 1), D(2026, 8, 3), D(2026, 10, 31), 10)
