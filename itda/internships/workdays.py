"""Korean working days for internships, and the monthly amount they pro-rate.

Pure calendar arithmetic: no database, no clock. Public holidays come from the maintained
``holidays`` package (``holidays.KR``: 관공서의 공휴일에 관한 규정's days, substitute holidays
(대체공휴일) and election days included), so a new 임시공휴일 arrives with a package update.

The rules (each shown on the pages with its origin, RuleOrigin "<programme>.internship.*"):

- **A month's working days** (``internship.working_days``, itda 기본값): Monday to Friday of the
  calendar month, less the public holidays falling on them. A holiday on a weekend removes
  nothing (its substitute day, when there is one, is itself a holiday on a weekday).
- **An internship's scheduled days in a month** (``internship.part_week``, itda 기본값): for five
  days a week, the working days of the month inside the internship (start and end dates
  included). For N < 5 days a week the agreement names no weekdays, so the N scheduled days of
  each calendar week (Monday to Sunday) are the week's first N working days inside the
  internship; a holiday pushes the day to the next working day of the same week, and a week
  with fewer than N working days has only those. The days are real dates, so a week that
  straddles two months is counted once, each day in its own month.
- **The monthly amount** (``internship.proration``, itda 기본값) and its **rounding**
  (``internship.rounding``, 국고금 관리법 제47조①) are the money engine's
  (``itda.payments.engine.internship_month``, the one arithmetic statements pay by): this
  module gives it the month's working days, the scheduled days and the mentor's attendance.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import asdict, dataclass
from functools import lru_cache

import holidays

from itda.payments.engine import internship_month

FULL_WEEK = 5
_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _kr(year: int) -> holidays.HolidayBase:
    return holidays.KR(years=year, language="ko")


def holiday_name(day: datetime.date) -> str | None:
    """The Korean name of the public holiday on ``day`` (e.g. "설날 대체 휴일"), or None."""
    return _kr(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < FULL_WEEK and holiday_name(day) is None


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``month``'s calendar month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def _days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += _DAY


def month_working_days(month: datetime.date) -> list[datetime.date]:
    """The working days of ``month``'s calendar month."""
    return [d for d in _days(*month_bounds(month)) if is_working_day(d)]


def weekday_holidays(month: datetime.date) -> list[tuple[datetime.date, str]]:
    """The public holidays that fall on a weekday of ``month`` (each one removes a working day),
    with their names."""
    return [
        (d, name)
        for d in _days(*month_bounds(month))
        if d.weekday() < FULL_WEEK and (name := holiday_name(d))
    ]


def scheduled_days(
    month: datetime.date, *, starts_on: datetime.date, ends_on: datetime.date, days_per_week: int
) -> list[datetime.date]:
    """The internship's scheduled working days in ``month`` (see the module's rule for fewer
    than five days a week)."""
    first, last = month_bounds(month)
    first, last = max(first, starts_on), min(last, ends_on)
    if first > last:
        return []
    if days_per_week >= FULL_WEEK:
        return [d for d in _days(first, last) if is_working_day(d)]
    # Walk whole weeks from the Monday of the week of ``first``, inside the internship only, so
    # the days a week gives to the previous month count towards its N.
    monday = first - datetime.timedelta(days=first.weekday())
    chosen = []
    while monday <= last:
        week = [
            d
            for d in _days(max(monday, starts_on), min(monday + 6 * _DAY, ends_on))
            if is_working_day(d)
        ]
        chosen.extend(d for d in week[:days_per_week] if first <= d <= last)
        monday += 7 * _DAY
    return chosen


@lru_cache(maxsize=4096)
def scheduled_count(
    month: datetime.date, *, starts_on: datetime.date, ends_on: datetime.date, days_per_week: int
) -> int:
    """How many scheduled days the internship has in ``month``; cached, as the internships of
    one start wave share their dates (a month's statements ask for every intern)."""
    return len(
        scheduled_days(month, starts_on=starts_on, ends_on=ends_on, days_per_week=days_per_week)
    )


@dataclass(frozen=True)
class MonthlyAmount:
    """One month's calendar facts and the engine's amount for them, to show on a page
    (``as_record`` for JSON)."""

    month: datetime.date  # the first day of the calendar month
    first_day: datetime.date  # the internship's first day in the month
    last_day: datetime.date  # the internship's last day in the month
    days_per_week: int
    month_working_days: int
    scheduled_days: int
    # Weekday public holidays of the month: (date, name, inside the internship's days).
    holidays: tuple[tuple[datetime.date, str, bool], ...]
    monthly_amount_krw: int | None
    attendance_days: int | None  # from the approved mentor report; None until then
    counted_days: int | None
    amount_krw: int | None
    formula: str

    def as_record(self) -> dict:
        """JSON-ready: dates as ISO strings."""
        data = asdict(self)
        for key in ("month", "first_day", "last_day"):
            data[key] = data[key].isoformat()
        data["holidays"] = [
            {"date": d.isoformat(), "name": n, "in_internship": inside}
            for d, n, inside in self.holidays
        ]
        return data


def monthly_amount(
    month: datetime.date,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    days_per_week: int,
    monthly_amount_krw: int | None,
    attendance_days: int | None,
) -> MonthlyAmount:
    """One month's amount by the engine, with the calendar facts it used."""
    month = month.replace(day=1)
    month_first, month_last = month_bounds(month)
    first, last = max(month_first, starts_on), min(month_last, ends_on)
    if first > last:
        raise ValueError(f"{month:%Y-%m} is outside the internship {starts_on}~{ends_on}")
    working = len(month_working_days(month))
    scheduled = scheduled_days(
        month, starts_on=starts_on, ends_on=ends_on, days_per_week=days_per_week
    )
    holidays_ = tuple((d, n, first <= d <= last) for d, n in weekday_holidays(month))
    head = (
        f"{month.year}년 {month.month}월 근무일 {working}일"
        f"({month_first:%m/%d}~{month_last:%m/%d} 평일 중 공휴일 {len(holidays_)}일 제외), "
        f"인턴십 예정 근무일 {len(scheduled)}일({first:%m/%d}~{last:%m/%d}, 주 {days_per_week}일)"
    )
    counted = amount = None
    if monthly_amount_krw is None:
        formula = f"{head}. 월 지원금이 정해지지 않아 계산하지 않습니다."
    elif attendance_days is None:
        formula = f"{head}. 멘토 보고서가 승인되면 출근일수로 계산합니다."
    else:
        result = internship_month(
            monthly_krw=monthly_amount_krw,
            attendance_days=attendance_days,
            scheduled_days=len(scheduled),
            working_days=working,
        )
        counted, amount = result.steps[0].value, result.amount_krw
        formula = ". ".join([head, *(step.text for step in result.steps)])
    return MonthlyAmount(
        month=month,
        first_day=first,
        last_day=last,
        days_per_week=days_per_week,
        month_working_days=working,
        scheduled_days=len(scheduled),
        holidays=holidays_,
        monthly_amount_krw=monthly_amount_krw,
        attendance_days=attendance_days,
        counted_days=counted,
        amount_krw=amount,
        formula=formula,
    )


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every calendar month from ``first``'s to ``last``'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + 32 * _DAY).replace(day=1)
    return months
