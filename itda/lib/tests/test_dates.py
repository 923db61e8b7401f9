"""Korean date formats read back into the same date; unreadable ones say why in Korean."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itda.lib.dates import age_on, excel_serial, parse_korean_date

MARCH_5 = datetime.date(2001, 3, 5)


@pytest.mark.parametrize(
    "value",
    [
        "2001-03-05",
        "2001.03.05",
        "2001.3.5",
        "2001. 3. 5.",
        "2001. 3. 5",
        "2001/3/5",
        "2001/03/05",
        "2001 - 03 - 05",
        "20010305",
        "2001년 3월 5일",
        "2001년03월05일",
        "2001 년 3 월 5 일",
        "2001.03.05(월)",
        "2001년 3월 5일 (월)",
        "2001-03-05 00:00:00",
        "2001-03-05T00:00:00",
        "  2001-03-05  ",
        "２００１．０３．０５",
        "２００１년 ３월 ５일",
        "２００１－０３－０５",
        20010305,
        36955,
        36955.0,
        36955.75,
        datetime.date(2001, 3, 5),
        datetime.datetime(2001, 3, 5, 14, 30),
    ],
)
def test_usual_formats_read_as_the_same_day(value):
    assert parse_korean_date(value) == MARCH_5


@pytest.mark.parametrize(
    "value",
    ["2001-02-30", "2001.13.01", "2001년 2월 29일", "20010230", 20010230, "2001/4/31"],
)
def test_impossible_dates_are_refused_in_korean(value):
    with pytest.raises(ValueError, match="없는 날짜입니다"):
        parse_korean_date(value)


@pytest.mark.parametrize("value", ["01.03.05", "'01.3.5", "01-03-05", "010305", "01년 3월 5일"])
def test_two_digit_years_ask_for_four_digits(value):
    with pytest.raises(ValueError, match="연도를 네 자리로 입력하세요"):
        parse_korean_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "3월 5일",
        "2001-03",
        "다음 주 월요일",
        "2001..03..05",
        "2001-03-05-01",
        "5/3/2001",
        0,
        60,
        -3,
    ],
)
def test_unreadable_values_are_refused_with_examples(value):
    with pytest.raises(ValueError, match="날짜를 읽을 수 없습니다") as excinfo:
        parse_korean_date(value)
    assert "예: 2001-03-05" in str(excinfo.value)


@pytest.mark.parametrize("value", [None, "", "   ", True])
def test_blank_is_not_a_date(value):
    with pytest.raises(ValueError, match="날짜가 비어 있습니다"):
        parse_korean_date(value)


def test_leap_day_is_a_date_only_in_leap_years():
    assert parse_korean_date("2000.2.29") == datetime.date(2000, 2, 29)
    with pytest.raises(ValueError, match="없는 날짜입니다"):
        parse_korean_date("1900.2.29")


_DAYS = st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31))
_FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}. {d.month}. {d.day}.",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f"{d.year}년 {d.month}월 {d.day}일",
    lambda d: d.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
    lambda d: int(f"{d:%Y%m%d}"),
    excel_serial,
    lambda d: float(excel_serial(d)) + 0.5,
]


@given(day=_DAYS, fmt=st.sampled_from(_FORMATS))
def test_round_trip_through_every_format(day, fmt):
    assert parse_korean_date(fmt(day)) == day


@given(
    birth=st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    days=st.integers(0, 120 * 366),
)
def test_age_counts_whole_years_and_grows_by_one_on_each_birthday(birth, days):
    day = birth + datetime.timedelta(days=days)
    age = age_on(birth, day)
    assert 365 * age <= days < 366 * (age + 1)
    assert age_on(birth, day + datetime.timedelta(days=1)) in (age, age + 1)
    try:
        birthday = birth.replace(year=birth.year + age + 1)
    except ValueError:  # born on 29 February: the birthday of a common year is 1 March
        birthday = datetime.date(birth.year + age + 1, 3, 1)
    assert age_on(birth, birthday - datetime.timedelta(days=1)) == age
    assert age_on(birth, birthday) == age + 1
