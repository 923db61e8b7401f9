"""Dates as Korean offices write them, read into ``datetime.date``.

Accepted (full-width digits and punctuation fold first):

- ``date`` and ``datetime`` objects (what openpyxl gives for a cell formatted as a date);
- Excel serial numbers (1900 date system) as ``int`` or ``float``: 36955 → 2001-03-05; the time
  part of a float is dropped. An integer of eight digits is read as ``YYYYMMDD`` instead
  (20010305), because that is what an operator typed into a cell formatted as a number;
- ``2001-03-05``, ``2001.03.05``, ``2001.3.5``, ``2001. 3. 5.``, ``2001/3/5``, ``20010305``,
  ``2001년 3월 5일``, optionally followed by a weekday in brackets (``(월)``) or a time.

Two-digit years (``01.03.05``, ``'01.3.5``, ``010305``) are refused: the century is a guess,
and a six-digit number is also the first half of a resident registration number, which itda
must not collect. The message asks for four digits.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils import timezone

# Excel's day 0 for serials after its 1900-02-29 bug (serial 60); every real date since
# 1900-03-01 (serial 61) is this epoch plus the serial.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

_EXAMPLES = "예: 2001-03-05, 2001.3.5, 2001년 3월 5일"

_SEP = r"\s*[-./]\s*"
_WEEKDAY = r"(?:\s*\(\s*[월화수목금토일]\s*\))?"
_TIME = r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_TAIL = rf"\.?{_WEEKDAY}{_TIME}"

_FOUR_DIGIT_YEAR = (
    re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}){_TAIL}$"),
    re.compile(rf"^(\d{{4}})\s*년\s*(\d{{1,2}})\s*월\s*(\d{{1,2}})\s*일?{_WEEKDAY}$"),
    re.compile(rf"^(\d{{4}})(\d{{2}})(\d{{2}}){_TIME}$"),
)
_TWO_DIGIT_YEAR = (
    re.compile(rf"^'?(\d{{2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}){_TAIL}$"),
    re.compile(r"^'?(\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?$"),
    re.compile(r"^(\d{2})(\d{2})(\d{2})$"),
)


EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def birth_date_problem(day: datetime.date, *, today: datetime.date) -> str:
    """Why ``day`` cannot be a date of birth (1900-01-01 to ``today``); empty when it can.
    The one rule for the Excel import and the web forms."""
    if EARLIEST_BIRTH_DATE <= day <= today:
        return ""
    return f"날짜가 올바른 범위가 아닙니다: {day.isoformat()} (1900년 이후, 오늘 이전)."


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """만 나이 on ``day``: whole years since birth (a 29 February birthday falls on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def parse_korean_date(value) -> datetime.date:
    """``value`` as a date; ``ValueError`` with a Korean message when it cannot be one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError("날짜가 비어 있습니다.")
    if isinstance(value, int | float):
        return _from_number(value)
    if not isinstance(value, str):
        raise ValueError(f"날짜를 읽을 수 없습니다: '{value}' ({_EXAMPLES})")
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise ValueError("날짜가 비어 있습니다.")
    for pattern in _FOUR_DIGIT_YEAR:
        match = pattern.match(text)
        if match:
            return _make(*(int(g) for g in match.groups()), original=text)
    for pattern in _TWO_DIGIT_YEAR:
        if pattern.match(text):
            raise ValueError(f"연도를 네 자리로 입력하세요: '{text}' ({_EXAMPLES})")
    raise ValueError(f"날짜를 읽을 수 없습니다: '{text}' ({_EXAMPLES})")


def excel_serial(day: datetime.date) -> int:
    """The Excel (1900 system) serial number of ``day``, for days from 1900-03-01."""
    return (day - _EXCEL_EPOCH).days


def _from_number(number: int | float) -> datetime.date:
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"날짜를 읽을 수 없습니다: '{number}' ({_EXAMPLES})")
        if number.is_integer():
            number = int(number)
        else:
            serial = int(number)
            return _from_serial(serial, original=str(number))
    if 10_000_000 <= number <= 99_999_999:
        text = str(number)
        return _make(int(text[:4]), int(text[4:6]), int(text[6:]), original=text)
    return _from_serial(number, original=str(number))


def _from_serial(serial: int, *, original: str) -> datetime.date:
    # Serials up to 60 fall on or before Excel's fictitious 1900-02-29: no one means those.
    if not 61 <= serial <= _EXCEL_MAX_SERIAL:
        raise ValueError(f"날짜를 읽을 수 없습니다: '{original}' ({_EXAMPLES})")
    return _EXCEL_EPOCH + datetime.timedelta(days=serial)


def _make(year: int, month: int, day: int, *, original: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"없는 날짜입니다: '{original}' ({year}년 {month}월 {day}일)") from None


# itda 기본값 (운영지침 확인 필요): no date a person or a system types into itda falls outside
# these years. Year 1 stored as a KST datetime becomes a BC timestamp that Python cannot read
# back, and 9999 is a typo; both must be refused before they reach the database.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
ERA_MESSAGE = f"날짜는 {EARLIEST:%Y-%m-%d}부터 {LATEST:%Y-%m-%d} 사이여야 합니다."


def validate_era(value) -> None:
    """Refuse a date or datetime outside EARLIEST..LATEST with a Korean message.

    A datetime is judged by its own calendar day, without converting time zones: converting
    year 1 to UTC overflows, and a day's difference at the edges does not matter.
    """
    from django.core.exceptions import ValidationError

    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(ERA_MESSAGE, code="era")


def validate_era_range(value) -> None:
    """``validate_era`` for both ends of a datetime range."""
    if value is not None:
        validate_era(value.lower)
        validate_era(value.upper)


def era_clamp(day: datetime.date) -> datetime.date:
    """``day`` moved into EARLIEST..LATEST: a page asked for year 1 or 9999 shows the edge."""
    return min(max(day, EARLIEST), LATEST)


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def month_start(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day``'s month in Korean time, the month as staff live it."""
    return datetime.datetime(day.year, day.month, 1, tzinfo=timezone.get_default_timezone())
