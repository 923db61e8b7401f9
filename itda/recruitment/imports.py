"""Excel import of applications, the way operating groups keep their lists today.

Two steps. ``import_preview`` reads the file and lists every problem by row and column, in
Korean, without writing anything. ``import_commit`` reads it again and, only when no row that is
still included has a problem, writes every company or trainee and every application in one
transaction: one bad row means nothing is imported until it is fixed or excluded.

The file is read with openpyxl in read-only mode (rows stream; memory stays flat) and the
database is asked once per kind of lookup, never once per row.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from itda.accounts.models import User
from itda.lib.brn import brn_check_digit, brn_format, brn_is_valid
from itda.lib.dates import birth_date_problem, parse_korean_date
from itda.lib.excel import UnreadableWorkbook, open_uploaded_workbook, safe_cell, uploaded_rows
from itda.lib.normalize import digits, phone_key
from itda.programs.models import (
    COMPANY_EMPLOYEES_MAX,
    Company,
    CompanyKind,
    CompanySize,
    Education,
    EmploymentStatus,
    IndustrialComplex,
    Region,
    SmartFactoryLevel,
    Trainee,
)
from itda.recruitment.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    CallKind,
)
from itda.recruitment.services import (
    ApplicationError,
    applicant_key,
    receipt_number_for,
    require_no_results,
)
from itda.recruitment.snapshots import application_snapshot

MAX_ROWS = 10_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
EXAMPLE_MARK = "(예시)"
IMPORT_NOTE = "Excel 가져오기"
TEMPLATE_SHEET = "신청 목록"
GUIDE_SHEET = "작성 안내"
_BATCH = 1_000

# Fields a list must never carry (PIPA 제24조 고유식별정보; 제24조의2 주민등록번호).
_FORBIDDEN_HEADERS = ("주민", "외국인등록", "여권번호", "운전면허", "rrn", "residentregistration")
_RRN_VALUE = re.compile(r"^\d{6}\s*-?\s*[1-8]\d{6}$")
_MOBILE = re.compile(r"^01[016789]\d{7,8}$")
_INT_UNITS = re.compile(r"(명|단계|수준|레벨|level|lv\.?)$")


class ImportFileError(ApplicationError):
    """The file cannot be read as a list at all (not an xlsx, no header, an RRN column, …)."""


class ImportRefused(ApplicationError):
    """The commit wrote nothing: rows still included have problems, or nothing is left."""

    def __init__(self, message: str, *, preview: ImportPreview, problems: list[Problem]):
        super().__init__(message)
        self.preview = preview
        self.problems = problems


class Problem(NamedTuple):
    """One problem of one row: the Excel row number, the column header, a Korean message."""

    row: int
    column: str
    message: str


# --- Column specifications ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import list: its header, how a cell is read, and where it goes."""

    header: str
    key: str
    kind: str  # text, brn, mobile, tel, email, region, complex, choice, int, date
    required: bool = False
    max_length: int = 0
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (another way to write it, stored value)
    aliases: tuple[str, ...] = ()  # other headers operators use for this column
    minimum: int | None = None
    maximum: int | None = None
    example: Any = ""
    help: str = ""

    @property
    def label(self) -> str:
        """The header as the template writes it: required columns end with ``*``."""
        return self.header + ("*" if self.required else "")


def _choices(text_choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in text_choices.choices)


COMPANY_COLUMNS: tuple[Column, ...] = (
    Column("기업명", "name", "text", True, 100, aliases=("회사명", "업체명"), example="잇다정밀"),
    Column(
        "사업자등록번호",
        "business_number",
        "brn",
        True,
        aliases=("사업자번호",),
        example=brn_format("120814567" + str(brn_check_digit("120814567"))),
        help="숫자 10자리 (하이픈·공백은 있어도 됩니다). 검증번호를 확인합니다.",
    ),
    Column("대표자", "representative", "text", True, 50, aliases=("대표자명", "대표자성명")),
    Column(
        "기업유형",
        "kind",
        "choice",
        True,
        choices=_choices(CompanyKind),
        choice_aliases=(
            ("스마트공장", "smart_factory"),
            ("스마트공장도입기업", "smart_factory"),
            ("도입기업", "smart_factory"),
            ("제조ai공급기업", "ai_supplier"),
            ("솔루션공급기업", "ai_supplier"),
            ("공급기업", "ai_supplier"),
        ),
        aliases=("유형", "기업구분"),
    ),
    Column("규모", "size", "choice", True, choices=_choices(CompanySize), aliases=("기업규모",)),
    Column("업종", "industry", "text", True, 100, aliases=("주업종",), example="자동차 부품"),
    Column(
        "시·도",
        "region",
        "region",
        True,
        aliases=("소재지", "소재지시도", "지역"),
        help="서울특별시 또는 서울처럼 전체 이름이나 약칭",
    ),
    Column(
        "산업단지",
        "complex",
        "complex",
        aliases=("입주산업단지", "입주산단", "산단"),
        help="등록된 산업단지 이름 (예: 남동국가산업단지)",
    ),
    Column("주소", "address", "text", True, 200, aliases=("소재지주소", "사업장주소")),
    Column(
        "상시근로자 수",
        "employees",
        "int",
        True,
        aliases=("상시근로자", "근로자수", "종업원수", "직원수"),
        minimum=1,
        maximum=COMPANY_EMPLOYEES_MAX,
        example=40,
        help="1 이상의 정수",
    ),
    Column(
        "대표전화", "phone", "tel", True, aliases=("전화번호", "회사전화"), example="02-1234-5678"
    ),
    Column(
        "스마트공장 구축 수준",
        "smart_factory_level",
        "choice",
        choices=_choices(SmartFactoryLevel),
        aliases=("스마트공장수준", "구축수준"),
    ),
    Column(
        "KS X 9001 수준",
        "ksx9001_level",
        "int",
        aliases=("ksx9001", "ksx9001레벨"),
        minimum=1,
        maximum=5,
        example=3,
        help="1~5의 정수",
    ),
    Column(
        "공급 솔루션",
        "ai_solution",
        "text",
        max_length=200,
        aliases=("공급제조ai솔루션", "솔루션"),
        help="제조AI 솔루션 공급기업만",
    ),
    Column("담당자 이메일", "manager_email", "email", max_length=254, aliases=("담당자메일",)),
)

TRAINEE_COLUMNS: tuple[Column, ...] = (
    Column("성명", "name", "text", True, 50, aliases=("이름", "성함"), example="홍길동"),
    Column(
        "생년월일",
        "birth_date",
        "date",
        True,
        aliases=("생일",),
        example="2001-03-05",
        help="연도는 네 자리 (2001-03-05, 2001.3.5, 2001년 3월 5일, 20010305)",
    ),
    Column(
        "휴대전화",
        "phone",
        "mobile",
        True,
        aliases=("휴대폰", "휴대폰번호", "핸드폰", "휴대전화번호", "연락처"),
        example="010-1234-5678",
    ),
    Column(
        "이메일",
        "email",
        "email",
        True,
        254,
        aliases=("이메일주소", "email", "e-mail", "메일"),
        example="hong@example.kr",
    ),
    Column(
        "거주 시·도",
        "region",
        "region",
        True,
        aliases=("시·도", "거주지", "거주지역", "지역"),
        help="서울특별시 또는 서울처럼 전체 이름이나 약칭",
    ),
    Column("주소", "address", "text", True, 200, aliases=("거주지주소",)),
    Column(
        "최종학력",
        "education",
        "choice",
        True,
        choices=_choices(Education),
        choice_aliases=(
            ("고졸", "high_school"),
            ("고등학교", "high_school"),
            ("전문대졸", "college"),
            ("전문대", "college"),
            ("전문대학", "college"),
            ("전문학사", "college"),
            ("대졸", "university"),
            ("대학교", "university"),
            ("학사", "university"),
            ("대학원졸", "graduate"),
            ("대학원", "graduate"),
            ("석사", "graduate"),
            ("박사", "graduate"),
        ),
        aliases=("학력",),
    ),
    Column("전공", "major", "text", max_length=100, example="기계공학"),
    Column(
        "자격증",
        "certificates",
        "text",
        max_length=300,
        aliases=("보유자격증", "자격"),
        example="생산자동화산업기사",
    ),
    # Optional: a list from before the web form asked it leaves it empty, and screening then
    # has nothing to check (an employee is screened out only when the list says so).
    Column(
        "고용 상태",
        "employment_status",
        "choice",
        choices=_choices(EmploymentStatus),
        choice_aliases=(("미취업", "job_seeker"), ("재직중", "employee"), ("재직 중", "employee")),
        aliases=("고용상태", "재직 여부", "재직여부"),
        example="구직자",
    ),
)

_EXAMPLE_TEXT = {
    "representative": "김대표",
    "address": "인천광역시 남동구 남동대로 1",
    "ai_solution": "",
    "manager_email": "manager@example.kr",
}


def column_specs(call: Call) -> tuple[Column, ...]:
    """The columns of an import list for ``call``'s kind of applicant."""
    if call.kind == CallKind.COMPANY:
        return COMPANY_COLUMNS
    if call.kind == CallKind.TRAINEE:
        return TRAINEE_COLUMNS
    raise ImportFileError("이 공모 유형은 Excel 가져오기를 지원하지 않습니다 (참여기업·교육생만).")


# --- Reading cells --------------------------------------------------------------------------


def _fold(value: str) -> str:
    """Width, case and spacing folded, for matching names people type in many ways."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\s·ㆍ・.\-_/()*]", "", folded)


def _header_key(value: str) -> str:
    return _fold(str(value).replace("(필수)", "").replace("필수", ""))


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    """A cell as text; a whole number that Excel stored as a float loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def _number_digits(value) -> str:
    """Digits of a number-like cell; a number cell lost its leading zero, so it gets it back."""
    text = _as_text(value)
    found = digits(text)
    if isinstance(value, int | float) and found and not found.startswith("0"):
        found = "0" + found
    return found


def _format_phone(number: str) -> str:
    if number.startswith("02"):
        return f"02-{number[2:-4]}-{number[-4:]}"
    if len(number) == 8:
        return f"{number[:4]}-{number[4:]}"
    return f"{number[:3]}-{number[3:-4]}-{number[-4:]}"


class _Lookups:
    """Reference data for one preview, read once: regions and complexes by their names."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            for name in (region.name, region.short_name, region.code):
                self.regions[_fold(name)] = region
            for suffix in ("특별자치시", "특별시", "광역시"):
                if region.name.endswith(suffix):
                    self.regions[_fold(region.short_name + "시")] = region
        # Names in use before 강원(2023)·전북(2024) became 특별자치도, and everyday short ones.
        for old, short in (("강원도", "강원"), ("전라북도", "전북"), ("제주도", "제주")):
            region = self.regions.get(_fold(short))
            if region is not None:
                self.regions.setdefault(_fold(old), region)
        self.complexes: dict[str, IndustrialComplex] = {}
        self.complex_bases: dict[str, IndustrialComplex | None] = {}
        for complex_ in IndustrialComplex.objects.all():
            self.complexes[_fold(complex_.name)] = complex_
            base = _complex_base(complex_.name)
            # A shortened name (남동산단 for 남동국가산업단지) that fits two complexes is no name.
            known = self.complex_bases.get(base, complex_)
            self.complex_bases[base] = complex_ if known == complex_ else None

    def complex(self, text: str) -> IndustrialComplex | None:
        """The complex named ``text`` in full, or by a shortened name that fits only one."""
        return self.complexes.get(_fold(text)) or self.complex_bases.get(_complex_base(text))


def _complex_base(name: str) -> str:
    folded = _fold(name)
    for suffix in ("국가산업단지", "일반산업단지", "농공단지", "산업단지", "국가산단", "산단"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return folded[: -len(suffix)]
    return folded


def _read_cell(column: Column, value, lookups: _Lookups) -> Any:
    """The stored value of one non-blank cell; ``ValueError`` with a Korean message."""
    kind = column.kind
    if kind == "text":
        text = _as_text(value)
        if column.max_length and len(text) > column.max_length:
            raise ValueError(f"{column.max_length}자 이하로 입력하세요 (현재 {len(text)}자).")
        return text
    if kind == "brn":
        number = digits(_as_text(value))
        if len(number) != 10:
            raise ValueError("사업자등록번호는 숫자 10자리여야 합니다.")
        if not brn_is_valid(number):
            raise ValueError("사업자등록번호 검증번호가 맞지 않습니다.")
        return number
    if kind == "mobile":
        number = phone_key(_number_digits(value) if isinstance(value, int | float) else value)
        if not _MOBILE.match(number):
            raise ValueError("휴대전화 번호 형식이 아닙니다 (예: 010-1234-5678).")
        return _format_phone(number)
    if kind == "tel":
        number = phone_key(_number_digits(value) if isinstance(value, int | float) else value)
        if not (len(number) == 8 and number[0] == "1") and not (
            number.startswith("0") and 9 <= len(number) <= 11
        ):
            raise ValueError("전화번호 형식이 아닙니다 (예: 02-1234-5678).")
        return _format_phone(number)
    if kind == "email":
        text = unicodedata.normalize("NFKC", _as_text(value))
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError("이메일 형식이 아닙니다 (예: hong@example.kr).") from None
        if column.max_length and len(text) > column.max_length:
            raise ValueError(f"{column.max_length}자 이하로 입력하세요.")
        return text
    if kind == "region":
        region = lookups.regions.get(_fold(_as_text(value)))
        if region is None:
            raise ValueError(
                f"알 수 없는 시·도입니다: '{_as_text(value)}' (예: 서울특별시 또는 서울)."
            )
        return region
    if kind == "complex":
        text = _as_text(value)
        found = lookups.complex(text)
        if found is None:
            raise ValueError(f"등록되지 않은 산업단지입니다: '{text}'.")
        return found
    if kind == "choice":
        return _read_choice(column, value)
    if kind == "int":
        return _read_int(column, value)
    if kind == "date":
        day = parse_korean_date(value.strip() if isinstance(value, str) else value)
        if problem := birth_date_problem(day, today=timezone.localdate()):
            raise ValueError(problem)
        return day
    raise AssertionError(kind)


def _read_choice(column: Column, value) -> str:
    key = _fold(_as_text(value))
    for stored, label in column.choices:
        if key in (_fold(label), _fold(stored)):
            return stored
    for alias, stored in column.choice_aliases:
        if key == _fold(alias):
            return stored
    allowed = ", ".join(label for _, label in column.choices)
    raise ValueError(f"허용되지 않는 값입니다: '{_as_text(value)}' (가능한 값: {allowed}).")


def _read_int(column: Column, value) -> int:
    if isinstance(value, bool):
        raise ValueError("숫자로 입력하세요.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("정수로 입력하세요.")
        value = int(value)
    if not isinstance(value, int):
        text = unicodedata.normalize("NFKC", _as_text(value)).casefold()
        text = _INT_UNITS.sub("", re.sub(r"[\s,]", "", text))
        if not text.isdigit():
            raise ValueError(f"숫자로 입력하세요: '{_as_text(value)}'.")
        value = int(text)
    if (column.minimum is not None and value < column.minimum) or (
        column.maximum is not None and value > column.maximum
    ):
        raise ValueError(
            f"{column.minimum} 이상 {column.maximum:,} 이하여야 합니다 (현재 {value})."
        )
    return value


# --- The preview ----------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One data row: its Excel row number and the values read from it (problem cells left out).

    ``values`` holds only cells that were filled in and could be read, so an optional blank
    cell never overwrites what an existing record already holds."""

    number: int
    values: dict[str, Any]
    existing_pk: int | None = None


@dataclass
class ImportPreview:
    """What a file would import, and every problem that stops it."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blank_rows: int = 0

    @cached_property
    def problem_rows(self) -> frozenset[int]:
        """Row numbers with at least one problem."""
        return frozenset(p.row for p in self.problems)

    @property
    def good_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.number not in self.problem_rows]

    @property
    def counts(self) -> dict[str, int]:
        good = self.good_rows
        existing = sum(1 for r in good if r.existing_pk)
        return {
            "rows": len(self.rows),
            "good": len(good),
            "bad": len(self.problem_rows),
            "problems": len(self.problems),
            "new": len(good) - existing,
            "existing": existing,
            "blank": self.blank_rows,
        }

    def problems_by_row(self) -> list[tuple[int, list[Problem]]]:
        """Problems grouped by row, in row order (for one checkbox per row)."""
        grouped: dict[int, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.row, []).append(problem)
        return list(grouped.items())


def _forbidden_header(cells: Iterable) -> str | None:
    for value in cells:
        if isinstance(value, str) and any(
            word in _header_key(value) for word in _FORBIDDEN_HEADERS
        ):
            return value.strip()
    return None


def _map_header(
    cells: tuple, columns: tuple[Column, ...]
) -> tuple[dict[int, Column], list[str], list[str]]:
    """Column positions by spec, headers nobody asked for, and required columns missing."""
    by_key: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            by_key.setdefault(_header_key(name), column)
    positions: dict[int, Column] = {}
    seen: dict[str, str] = {}
    extras: list[str] = []
    for index, value in enumerate(cells):
        if _is_blank(value):
            continue
        column = by_key.get(_header_key(str(value)))
        if column is None:
            extras.append(_as_text(value))
            continue
        if column.key in seen:
            raise ImportFileError(
                f"같은 항목의 열이 두 개 있습니다: '{seen[column.key]}', '{_as_text(value)}'."
                " 하나만 남겨 주세요."
            )
        seen[column.key] = _as_text(value)
        positions[index] = column
    missing = [c.header for c in columns if c.required and c.key not in seen]
    return positions, extras, missing


def _looks_like_rrn(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        # A number cell drops the leading 0 of someone born in the 2000s.
        return 10**11 <= value < 10**13 and bool(_RRN_VALUE.match(f"{value:013d}"))
    return (
        isinstance(value, str)
        and len(value) >= 13
        and bool(_RRN_VALUE.match(unicodedata.normalize("NFKC", value).strip()))
    )


def import_preview(*, call: Call, file: str | IO[bytes]) -> ImportPreview:
    """Read ``file`` (an xlsx) as applications to ``call``; list every problem; write nothing."""
    columns = column_specs(call)
    preview = ImportPreview(kind=call.kind, columns=columns)
    order = {c.header: i for i, c in enumerate(columns)}
    lookups = _Lookups()
    key_column = columns[1] if call.kind == CallKind.COMPANY else columns[2]
    group_regions = (
        {r.pk: r.short_name for r in call.operating_group.regions.all()}
        if call.operating_group_id
        else None
    )
    try:
        workbook = open_uploaded_workbook(file)
        try:
            positions = _read_rows(
                workbook, call, columns, lookups, preview, key_column, group_regions
            )
        finally:
            workbook.close()
    except UnreadableWorkbook as exc:
        raise ImportFileError(str(exc)) from None
    if not positions:
        raise ImportFileError("가져올 행이 없습니다. 머리글 아래에 신청 목록을 입력해 주세요.")
    _check_against_database(call, preview, key_column)
    preview.problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
    return preview


def _read_rows(workbook, call, columns, lookups, preview, key_column, group_regions) -> int:
    positions: dict[int, Column] | None = None
    seen_keys: dict[str, int] = {}
    name_index = None
    width = MAX_COLUMNS
    data_rows = 0
    # Blank rows count only between data rows: a template's pre-formatted empty rows below the
    # list are not "skipped rows" anyone needs to hear about.
    pending_blank = 0
    for number, cells in uploaded_rows(workbook, max_col=MAX_COLUMNS):
        if all(_is_blank(v) for v in cells):
            pending_blank += positions is not None
            continue
        if positions is None:
            # The header is the first row naming at least two known columns; rows above it
            # (a title, a date) are ignored. An RRN column stops the file before any value.
            forbidden = _forbidden_header(cells)
            if forbidden:
                raise ImportFileError(
                    f"주민등록번호 등 고유식별정보 열('{forbidden}')이 있는 파일은"
                    " 받을 수 없습니다. 그 열을 지운 뒤 다시 올려 주세요."
                    " 잇다는 주민등록번호를 수집하지 않습니다."
                )
            found, extras, missing = _map_header(cells, columns)
            if len(found) < 2:
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            if missing:
                raise ImportFileError(
                    "필수 열이 없습니다: " + ", ".join(missing) + ". 서식 파일의 머리글을 쓰세요."
                )
            if extras:
                preview.warnings.append("가져오지 않는 열(무시): " + ", ".join(extras))
            positions = found
            # Cells right of the last header belong to no column: they are not read at all.
            width = max(i for i, v in enumerate(cells) if not _is_blank(v)) + 1
            name_index = next(i for i, c in positions.items() if c.key == "name")
            continue
        if isinstance(cells[name_index], str) and cells[name_index].strip().startswith(
            EXAMPLE_MARK
        ):
            preview.warnings.append(f"{number}행은 예시 행이라 가져오지 않습니다.")
            continue
        data_rows += 1
        preview.blank_rows += pending_blank
        pending_blank = 0
        if data_rows > MAX_ROWS:
            raise ImportFileError(
                f"한 번에 {MAX_ROWS:,}행까지 가져올 수 있습니다. 파일을 나눠 올려 주세요."
            )
        cells = cells[:width]
        row = ImportRow(number=number, values={})
        for index, value in enumerate(cells):
            if value is not None and _looks_like_rrn(value):
                header = positions[index].header if index in positions else f"{index + 1}번째"
                raise ImportFileError(
                    f"{number}행 '{header}' 열에 주민등록번호로 보이는 값이 있습니다."
                    " 지운 뒤 다시 올려 주세요. 잇다는 주민등록번호를 수집하지 않습니다."
                )
        for index, column in positions.items():
            value = cells[index]
            if _is_blank(value):
                if column.required:
                    preview.problems.append(
                        Problem(number, column.header, "필수 항목이 비어 있습니다.")
                    )
                continue
            try:
                row.values[column.key] = _read_cell(column, value, lookups)
            except ValueError as exc:
                preview.problems.append(Problem(number, column.header, str(exc)))
        region = row.values.get("region")
        if group_regions is not None and region is not None and region.pk not in group_regions:
            preview.problems.append(
                Problem(
                    number,
                    next(c.header for c in columns if c.key == "region"),
                    f"이 공모를 맡은 사업단의 시·도가 아닙니다 (담당: "
                    f"{', '.join(group_regions.values())}).",
                )
            )
        key = row.values.get(key_column.key)
        if key is not None:
            key = digits(key)
            if key in seen_keys:
                preview.problems.append(
                    Problem(
                        number,
                        key_column.header,
                        f"파일 안에서 중복입니다 ({seen_keys[key]}행과 같은 {key_column.header}).",
                    )
                )
            else:
                seen_keys[key] = number
        preview.rows.append(row)
    if positions is None:
        raise ImportFileError(
            "머리글 행을 찾지 못했습니다. 첫 행에 서식 파일의 머리글("
            + ", ".join(c.header for c in columns[:3])
            + " …)을 그대로 두세요."
        )
    return len(positions)


def _phone_digits() -> Func:
    return Func(F("phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace")


def _check_against_database(call: Call, preview: ImportPreview, key_column: Column) -> None:
    """Existing records and applications, in one query each for the whole file."""
    keyed = [r for r in preview.rows if key_column.key in r.values]
    if not keyed:
        return
    if call.kind == CallKind.COMPANY:
        existing = dict(
            Company.objects.filter(
                business_number__in=[r.values["business_number"] for r in keyed]
            ).values_list("business_number", "pk")
        )
        for row in keyed:
            row.existing_pk = existing.get(row.values["business_number"])
        keys: dict[str, list[ImportRow]] = {}
        for row in keyed:
            company = Company(business_number=row.values["business_number"])
            keys.setdefault(applicant_key(call=call, company=company), []).append(row)
        owner_field = "company_id"
    else:
        trainees = Trainee.objects.annotate(phone_digits=_phone_digits()).filter(
            phone_digits__in=[digits(r.values["phone"]) for r in keyed]
        )
        existing = {
            d: (pk, born)
            for pk, d, born in trainees.values_list("pk", "phone_digits", "birth_date")
        }
        keys = {}
        for row in keyed:
            found = existing.get(digits(row.values["phone"]))
            if found is not None:
                row.existing_pk = found[0]
                born = row.values.get("birth_date")
                if born is not None and born != found[1]:
                    preview.problems.append(
                        Problem(
                            row.number,
                            key_column.header,
                            "같은 휴대전화 번호로 생년월일이 다른 교육생이 이미 등록되어 있습니다.",
                        )
                    )
            if "birth_date" in row.values:
                person = Trainee(phone=row.values["phone"], birth_date=row.values["birth_date"])
                keys.setdefault(applicant_key(call=call, trainee=person), []).append(row)
        owner_field = "trainee_id"
    by_owner: dict[int, list[ImportRow]] = {}
    for row in keyed:
        if row.existing_pk:
            by_owner.setdefault(row.existing_pk, []).append(row)
    applications = Application.objects.filter(call=call).filter(
        Q(applicant_key__in=list(keys)) | Q(**{f"{owner_field}__in": list(by_owner)})
    )
    reported: set[int] = set()
    for key, owner, receipt, status in applications.values_list(
        "applicant_key", owner_field, "receipt_number", "status"
    ):
        what = f"접수번호 {receipt}" if receipt else ApplicationStatus(status).label
        if status == ApplicationStatus.WITHDRAWN:
            what += ", 철회됨"
        for row in keys.get(key, []) + by_owner.get(owner, []):
            if row.number not in reported:
                reported.add(row.number)
                preview.problems.append(
                    Problem(
                        row.number, key_column.header, f"이 공모에 이미 신청이 있습니다 ({what})."
                    )
                )


# --- The commit -----------------------------------------------------------------------------

_COMPANY_FIELDS = {
    "name": "name",
    "business_number": "business_number",
    "representative": "representative",
    "kind": "kind",
    "size": "size",
    "industry": "industry",
    "region": "region",
    "complex": "complex",
    "address": "address",
    "employees": "employees",
    "phone": "phone",
    "smart_factory_level": "smart_factory_level",
    "ksx9001_level": "ksx9001_level",
    "ai_solution": "ai_solution",
}
_TRAINEE_FIELDS = {
    "name": "name",
    "birth_date": "birth_date",
    "phone": "phone",
    "email": "email",
    "region": "region",
    "address": "address",
    "education": "education",
    "major": "major",
}
_ANSWER_KEYS = {"manager_email": "manager_email", "certificates": "certificates"}
# A phone number stays as it was stored: it is the key the row was matched by.
_NEVER_UPDATED = {"business_number", "phone"}


@transaction.atomic
def import_commit(
    *,
    call: Call,
    file: str | IO[bytes],
    actor: User,
    exclude_rows: Iterable[int] = (),
    now: datetime.datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Import every row of ``file`` not in ``exclude_rows`` as a submitted application, all in
    one transaction, or nothing (``ImportRefused``) while an included row has a problem.

    ``on_progress(done, total)`` hears of every batch of applications written (inside the
    transaction: they appear to others only when all of them do)."""
    exclude = frozenset(exclude_rows)
    # One import per call at a time; web submissions meet the unique constraint instead.
    call = Call.objects.select_for_update().get(pk=call.pk)
    preview = import_preview(call=call, file=file)
    try:
        require_no_results(call)
    except ApplicationError as exc:
        raise ImportRefused(exc.messages[0], preview=preview, problems=[]) from exc
    blocking = [p for p in preview.problems if p.row not in exclude]
    if blocking:
        rows = len({p.row for p in blocking})
        raise ImportRefused(
            f"문제가 있는 행 {rows}개가 남아 있어 아무것도 가져오지 않았습니다."
            " 파일을 고치거나 그 행을 제외해 주세요.",
            preview=preview,
            problems=blocking,
        )
    rows = [r for r in preview.rows if r.number not in exclude]
    if not rows:
        raise ImportRefused("가져올 행이 없습니다.", preview=preview, problems=[])
    now = now or timezone.now()
    try:
        if call.kind == CallKind.COMPANY:
            owners = _save_owners(Company, rows, _COMPANY_FIELDS, lookup="business_number")
        else:
            owners = _save_owners(Trainee, rows, _TRAINEE_FIELDS, lookup="phone", call=call)
        return _create_applications(
            call=call, rows=rows, owners=owners, actor=actor, now=now, on_progress=on_progress
        )
    except IntegrityError as exc:
        raise ImportRefused(
            "가져오는 동안 같은 신청자의 신청이 새로 들어와 아무것도 가져오지 않았습니다."
            " 다시 미리보기 해 주세요.",
            preview=preview,
            problems=[],
        ) from exc


def _save_owners(
    model: type[models.Model],
    rows: list[ImportRow],
    fields: dict[str, str],
    *,
    lookup: str,
    call: Call | None = None,
) -> dict[int, models.Model]:
    """Create the companies or trainees the rows name, update those that exist (only fields
    that changed, only from cells filled in); the owner of each row by row number."""
    existing = {
        obj.pk: obj
        for obj in model.objects.select_for_update(of=("self",))
        .select_related("region")
        .filter(pk__in=[r.existing_pk for r in rows if r.existing_pk])
        .order_by("pk")
    }
    owners: dict[int, models.Model] = {}
    new: list[models.Model] = []
    changed: list[models.Model] = []
    changed_fields: set[str] = set()
    for row in rows:
        values = {fields[k]: v for k, v in row.values.items() if k in fields}
        obj = existing.get(row.existing_pk) if row.existing_pk else None
        if obj is None:
            obj = model(**values)
            if call is not None and call.track_id:
                obj.preferred_track_id = call.track_id
            new.append(obj)
        else:
            diff = {
                name
                for name, value in values.items()
                if name not in _NEVER_UPDATED and getattr(obj, name) != value
            }
            if diff:
                for name in diff:
                    setattr(obj, name, values[name])
                changed.append(obj)
                changed_fields |= diff
        _clean(obj, row)
        owners[row.number] = obj
    model.objects.bulk_create(new, batch_size=_BATCH)
    if changed:
        model.objects.bulk_update(changed, sorted(changed_fields), batch_size=_BATCH)
    return owners


def _clean(obj: models.Model, row: ImportRow) -> None:
    # Field rules only: references were resolved against the database by the preview, and
    # uniqueness is the database's job (one query per row here would defeat bulk writes).
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.clean_fields(exclude=relations)
    except ValidationError as exc:
        raise ApplicationError(f"{row.number}행을 저장할 수 없습니다: {exc.messages[0]}") from exc


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys from the table's own sequence, so a row can be inserted once,
    complete with the receipt number that is made from its key."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _create_applications(
    *,
    call: Call,
    rows: list[ImportRow],
    owners: dict[int, models.Model],
    actor: User,
    now: datetime.datetime,
    on_progress: Callable[[int, int], None] | None,
) -> int:
    applications = []
    for row, pk in zip(rows, _reserve_ids(Application, len(rows)), strict=True):
        owner = owners[row.number]
        is_company = isinstance(owner, Company)
        application = Application(
            pk=pk,
            call=call,
            applicant_key=applicant_key(
                call=call, **{"company" if is_company else "trainee": owner}
            ),
            status=ApplicationStatus.SUBMITTED,
            company=owner if is_company else None,
            trainee=None if is_company else owner,
            region_id=owner.region_id,
            answers={"source": "excel"}
            | {k: row.values[k] for k in _ANSWER_KEYS if row.values.get(k)},
            employment_status=row.values.get("employment_status", ""),
            submitted_at=now,
            created_by=actor,
        )
        application.receipt_number = receipt_number_for(application, now)
        application.profile_snapshot = application_snapshot(application)
        applications.append(application)
    total = len(applications)
    for start in range(0, total, _BATCH):
        batch = applications[start : start + _BATCH]
        Application.objects.bulk_create(batch)
        ApplicationTransition.objects.bulk_create(
            ApplicationTransition(
                application=application,
                actor=actor,
                field="status",
                old="",
                new=ApplicationStatus.SUBMITTED,
                note=IMPORT_NOTE,
            )
            for application in batch
        )
        if on_progress is not None:
            on_progress(start + len(batch), total)
    return total


# --- The template ---------------------------------------------------------------------------

_TEXT_KINDS = {"brn", "mobile", "tel", "date"}
_TEMPLATE_ROWS = 1_000
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE7C8")
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


def _allowed(column: Column, regions: list[Region], complexes: list[str]) -> str:
    if column.kind == "choice":
        return ", ".join(label for _, label in column.choices)
    if column.kind == "region":
        return ", ".join(f"{r.name}({r.short_name})" for r in regions)
    if column.kind == "complex":
        return ", ".join(complexes) or "등록된 산업단지 없음"
    if column.kind == "int":
        return f"{column.minimum}~{column.maximum:,}"
    return ""


def _example(column: Column, regions: list[Region]) -> Any:
    if column.key == "name":
        return f"{EXAMPLE_MARK} {column.example}"
    if column.kind == "choice":
        return column.choices[0][1]
    if column.kind == "region":
        return regions[0].name if regions else "서울특별시"
    if column.kind == "complex":
        return ""
    return column.example or _EXAMPLE_TEXT.get(column.key, "")


def import_template_bytes(*, call: Call) -> bytes:
    """The xlsx to fill in for ``call``: headers (required ones end with *), one example row,
    drop-down lists, and a second sheet that explains every column."""
    columns = column_specs(call)
    regions = list(Region.objects.order_by("code"))
    complexes = list(IndustrialComplex.objects.order_by("name").values_list("name", flat=True))
    wb = Workbook()
    sheet = wb.active
    sheet.title = TEMPLATE_SHEET
    sheet.append([c.label for c in columns])
    sheet.append([safe_cell(_example(c, regions)) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        sheet.column_dimensions[letter].width = max(len(column.label) * 2 + 4, 14)
        if column.kind in _TEXT_KINDS:
            # Text cells keep the leading 0 of 010… and stop Excel from reformatting dates.
            for row in range(2, _TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        options = None
        if column.kind == "choice":
            options = [label for _, label in column.choices]
        elif column.kind == "region":
            options = [r.name for r in regions]
        if options:
            # A warning, not a stop: the importer also reads short names (서울) and aliases.
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=True,
                errorStyle="warning",
                error="목록에 없는 값입니다. '작성 안내' 시트를 확인하세요.",
            )
            validation.add(f"{letter}2:{letter}{_TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.append([f"{call.title} — 신청 목록 작성 안내"])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        "첫 행(머리글)은 그대로 두세요. 열 순서는 바꿔도 되고, 목록에 없는 열은 무시합니다.",
        "*가 붙은 열은 꼭 채워야 합니다. 빈 행은 건너뜁니다.",
        f"'{EXAMPLE_MARK}'로 시작하는 행은 예시이므로 가져오지 않습니다. 지우고 작성해도 됩니다.",
        "날짜는 2001-03-05, 2001.3.5, 2001년 3월 5일, 20010305처럼 연도를 네 자리로 쓰세요.",
        "주민등록번호는 적지 마세요. 주민등록번호 열이 있는 파일은 받지 않습니다.",
        f"한 번에 {MAX_ROWS:,}행까지 올릴 수 있습니다.",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["열", "필수", "허용 값", "설명"])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in columns:
        guide.append(
            [
                column.header,
                "필수" if column.required else "선택",
                _allowed(column, regions, complexes),
                column.help,
            ]
        )
    for letter, width in zip("ABCD", (22, 8, 70, 50), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_filename(call: Call) -> str:
    """An ASCII file name for the template of ``call``."""
    return f"call-{call.pk}-{call.kind}-template.xlsx"
