"""Bank files of a payment batch: the bulk-transfer workbook operators upload to corporate
banking, the settlement workbook (e나라도움 집행 내역), and the bank's result file read back.

Pure: plain data in, bytes out and back; no database. Bad input raises
``BankFileError`` (a Korean ``ValidationError`` naming the lines or rows) and nothing is written.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from itda.lib import excel
from itda.lib.banks import bank_code  # noqa: F401 - batches name each line's bank from here

# --- Errors -------------------------------------------------------------------------------------

# A file with thousands of bad rows would make a page of errors nobody reads; the count says it.
_SHOWN_ERRORS = 20


class BankFileError(ValidationError):
    """A transfer line or a bank result file that cannot be used; the messages are Korean."""


def _refuse(problems: list[str]) -> None:
    if problems:
        shown = problems[:_SHOWN_ERRORS]
        if len(problems) > _SHOWN_ERRORS:
            shown.append(f"외 {len(problems) - _SHOWN_ERRORS:,}건의 오류가 더 있습니다.")
        raise BankFileError(shown)


# --- Writing ------------------------------------------------------------------------------------

# One file the bank can take back and itda can read back (see parse_result_file).
MAX_LINES = 200_000

# What the passbook of the payee shows: banks keep 7 Hangul characters (14 bytes in EUC-KR);
# an ASCII letter or digit counts half. itda 기본값 — 운영지침 확인 필요 (each bank's own limit).
PASSBOOK_MEMO_WIDTH = 14
DEFAULT_NOTE = "itda 기본값 — 운영지침 확인 필요"
TRANSFER_HEADERS = ("순번", "은행코드", "계좌번호", "금액", "예금주", "통장표시")
SETTLEMENT_HEADERS = ("순번", "거래처(지급 대상)", "기간", "비목/구분", "집행금액", "증빙")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class TransferLine:
    """One transfer of a bulk-transfer file; ``line_id`` comes back in the bank's result file."""

    line_id: int
    bank_code: str
    account: str
    amount_krw: int
    holder: str
    memo: str


@dataclass(frozen=True)
class SettlementLine:
    """One payment as the settlement (집행 내역) lists it."""

    payee: str
    period: str
    kind: str
    amount_krw: int
    evidence: str


_SEPARATORS = re.compile(r"[\s\-]")


def digits(value: str) -> str:
    """An account or code as written by people (hyphens, spaces), reduced to what a bank reads."""
    return _SEPARATORS.sub("", value or "")


@functools.lru_cache(maxsize=1024)  # a batch repeats a handful of memos
def passbook_memo(memo: str) -> str:
    """``memo`` cut, between characters, to what a passbook shows (``PASSBOOK_MEMO_WIDTH``)."""
    kept, width = [], 0
    for char in " ".join(_XML_ILLEGAL.sub("", memo or "").split()):
        width += 1 if char.isascii() else 2
        if width > PASSBOOK_MEMO_WIDTH:
            break
        kept.append(char)
    return "".join(kept).strip()


def _positive_won(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _transfer_rows(lines: Sequence[TransferLine]) -> list[list[Cell]]:
    """The lines as cells of the transfer sheet, or BankFileError naming every wrong line."""
    problems = []
    if not lines:
        problems.append("이체할 내역이 없습니다.")
    if len(lines) > MAX_LINES:
        problems.append(f"한 파일에 {MAX_LINES:,}건까지 담을 수 있습니다 (현재 {len(lines):,}건).")
    rows = []
    seen: set[int] = set()
    for line in lines:
        where = f"순번 {line.line_id}"
        if line.line_id in seen:
            problems.append(f"{where}: 순번이 겹칩니다.")
        seen.add(line.line_id)
        code, account = digits(line.bank_code), digits(line.account)
        if not (len(code) == 3 and code.isdigit() and code.isascii()):
            problems.append(f"{where}: 은행코드는 숫자 3자리여야 합니다 ({line.bank_code!r}).")
        if not account.isdigit() or not account.isascii():
            problems.append(f"{where}: 계좌번호에는 숫자와 '-'만 쓸 수 있습니다.")
        elif not 6 <= len(account) <= 20:
            problems.append(f"{where}: 계좌번호 자릿수({len(account)})가 맞지 않습니다.")
        if not _positive_won(line.amount_krw):
            problems.append(f"{where}: 금액은 1원 이상의 정수(원)여야 합니다.")
        holder = (line.holder or "").strip()
        if not holder:
            problems.append(f"{where}: 예금주가 비어 있습니다.")
        rows.append(
            [
                (line.line_id, "int"),
                (code, "text"),
                (account, "text"),
                (line.amount_krw, "won"),
                (excel.safe_cell(holder), None),
                (excel.safe_cell(passbook_memo(line.memo)), None),
            ]
        )
    _refuse(problems)
    return rows


def transfer_workbook(title: str, lines: list[TransferLine]) -> bytes:
    """A bulk-transfer .xlsx: title, line count and total above the lines; bank code and account
    as text cells of digits only. Refuses the whole file if one line is wrong."""
    body = _transfer_rows(lines)
    total = sum(line.amount_krw for line in lines)
    note = (
        f"열 배치는 itda 양식입니다. 통장표시는 한글 {PASSBOOK_MEMO_WIDTH // 2}자(영문·숫자 "
        f"{PASSBOOK_MEMO_WIDTH}자)까지 남기고 잘랐습니다. 업로드 전 은행 양식과 맞춰 보세요."
    )
    head = _head(title, len(lines), ("총금액", total), note, TRANSFER_HEADERS)
    return _xlsx("이체", (8, 10, 20, 14, 16, 18), head, body, [])


def settlement_workbook(title: str, lines: list[SettlementLine]) -> bytes:
    """An e나라도움-style 집행 내역 workbook: one row a payment and a total row below them."""
    problems = []
    if not lines:
        problems.append("집행 내역이 없습니다.")
    problems += [
        f"{number}번째 내역({line.payee}): 집행금액은 0이 아닌 정수(원)여야 합니다."
        for number, line in enumerate(lines, 1)
        # A clawback is a negative line of the settlement, so only zero and non-integers fail.
        if not isinstance(line.amount_krw, int)
        or isinstance(line.amount_krw, bool)
        or line.amount_krw == 0
    ]
    _refuse(problems)
    total = sum(line.amount_krw for line in lines)
    note = (
        "e나라도움 집행 내역의 열 배치는 itda가 정한 것입니다. "
        "집행일자와 비목 코드는 e나라도움 등록 화면에서 확인하세요."
    )
    head = _head(title, len(lines), ("집행금액 합계", total), note, SETTLEMENT_HEADERS)
    body = [
        [
            (number, "int"),
            (excel.safe_cell(line.payee), None),
            (excel.safe_cell(line.period), None),
            (excel.safe_cell(line.kind), None),
            (line.amount_krw, "won"),
            (excel.safe_cell(line.evidence), None),
        ]
        for number, line in enumerate(lines, 1)
    ]
    foot = [[("합계", "total"), None, None, None, (total, "total_won"), None]]
    return _xlsx("집행내역", (8, 24, 14, 16, 14, 30), head, body, foot)


def _head(
    title: str, count: int, total: tuple[str, int], note: str, headers: Sequence[str]
) -> list[list[Cell]]:
    """The block above the lines: title, count, total, the itda 기본값 note, the column names."""
    return [
        [(title, "title")],
        [("건수", "label"), (count, "int")],
        [(total[0], "label"), (total[1], "won")],
        [(f"{DEFAULT_NOTE}: {note}", "note")],
        [],
        [(h, "head") for h in headers],
    ]


_STYLES = {
    "title": {"font": Font(bold=True, size=14)},
    "label": {"font": Font(bold=True)},
    "head": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="EEF2F7")},
    "note": {"font": Font(italic=True, color="666666")},
    "int": {"number_format": "0"},
    "text": {"number_format": "@"},
    "won": {"number_format": "#,##0"},
    "total": {"font": Font(bold=True)},
    "total_won": {"font": Font(bold=True), "number_format": "#,##0"},
}
_SHEET_PART = "xl/worksheets/sheet1.xml"

Cell = tuple[object, str | None] | None


def _xlsx(
    sheet: str,
    widths: Sequence[int],
    head: list[list[Cell]],
    body: list[list[Cell]],
    foot: list[list[Cell]],
) -> bytes:
    """One sheet of rows of (value, style name) cells, frozen below ``head``.

    openpyxl writes the package (styles, widths, panes) around an empty sheet and the rows are
    spliced in as XML: openpyxl's own cell writer took 12 s for 100,000 lines here, the splice
    well under 2 s (bench/bankfiles.py).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for number, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(number)].width = width
    ws.freeze_panes = f"A{len(head) + 1}"
    # A throwaway cell a style registers it in the workbook's styles; the rows replace them.
    style_ids = {}
    for number, (name, style) in enumerate(_STYLES.items(), 1):
        cell = ws.cell(row=1, column=number)
        for attribute, value in style.items():
            setattr(cell, attribute, value)
        style_ids[name] = cell.style_id
    template = io.BytesIO()
    wb.save(template)

    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != _SHEET_PART:
                target.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            dimension = f"A1:{get_column_letter(len(widths))}{len(head) + len(body) + len(foot)}"
            before, after = _split_sheet(data.decode(), dimension)
            with target.open(_SHEET_PART, "w", force_zip64=True) as part:
                part.write(before.encode())
                for chunk in _rows_xml(chain(head, body, foot), style_ids):
                    part.write(chunk.encode())
                part.write(after.encode())
    return out.getvalue()


def _split_sheet(xml: str, dimension: str) -> tuple[str, str]:
    """The sheet's XML before and after its rows, its dimension set to the rows' (a reader
    without it, openpyxl's read-only mode among them, reads the whole sheet once to find it)."""
    xml = re.sub(r"<dimension [^>]*/>", f'<dimension ref="{dimension}"/>', xml, count=1)
    if "<sheetData/>" in xml:
        before, after = xml.split("<sheetData/>", 1)
    else:
        before, rest = xml.split("<sheetData>", 1)
        after = rest.split("</sheetData>", 1)[1]
    return before + "<sheetData>", "</sheetData>" + after


def _rows_xml(rows: Iterable[list[Cell]], style_ids: dict[str, int]) -> Iterator[str]:
    """SpreadsheetML of ``rows``, a thousand rows a chunk; strings inline, as openpyxl has them."""
    letters = [get_column_letter(n) for n in range(1, 27)]
    chunk = []
    for number, row in enumerate(rows, 1):
        cells = []
        for letter, cell in zip(letters, row, strict=False):
            if cell is None or cell[0] is None:
                continue
            value, style = cell
            s = f' s="{style_ids[style]}"' if style else ""
            if type(value) is int:
                cells.append(f'<c r="{letter}{number}"{s} t="n"><v>{value}</v></c>')
            else:
                text = str(value)
                if _XML_SPECIAL.search(text):
                    text = escape(_XML_ILLEGAL.sub("", text))
                cells.append(f'<c r="{letter}{number}"{s} t="inlineStr"><is><t>{text}</t></is></c>')
        chunk.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(chunk) == 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


# --- Reading the bank's result file -------------------------------------------------------------

# A result file is the transfer file sent back, so it is as long as the longest transfer file.
# 100,000 lines as openpyxl writes them (inline strings) are 3 MB packed and 45 MB unpacked;
# Excel's shared strings are smaller. itda 기본값 — 운영지침 확인 필요.
MAX_RESULT_BYTES = 10 * 1024 * 1024
MAX_RESULT_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_RESULT_ROWS = MAX_LINES
# The header row is looked for this far down: banks put a title block above it.
HEADER_SEARCH_ROWS = 10
_RESULT_MAX_COLUMNS = 40


@dataclass(frozen=True)
class ResultRow:
    """One line of the bank's result file: ``ok`` is the bank's word, ``reason`` its own."""

    line_id: int
    account: str
    amount_krw: int
    ok: bool
    reason: str


# Column → the header texts banks use for it (compared without spaces).
_RESULT_COLUMNS = {
    "line_id": ("순번", "번호", "일련번호", "NO", "NO."),
    "account": ("계좌번호", "입금계좌번호", "입금계좌", "계좌"),
    "amount": ("금액", "이체금액", "입금금액", "지급금액"),
    "result": ("처리결과", "이체결과", "결과", "처리상태"),
    "reason": ("사유", "오류사유", "불능사유", "처리내용", "결과내용", "비고"),
}
_REQUIRED = {"line_id": "순번", "account": "계좌번호", "amount": "금액", "result": "처리결과"}
_OK = {"정상", "성공", "완료", "이체완료", "처리완료", "입금완료", "OK", "Y"}
_FAILED = {"오류", "실패", "불능", "이체불능", "입금불능", "에러", "ERROR", "N"}
_FOOTERS = {"합계", "총계", "계", "소계"}

_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def parse_result_file(data: bytes) -> list[ResultRow]:
    """The lines of a bank's result file (.xlsx, or CSV in UTF-8 or CP949/EUC-KR), in file order.

    The header row may stand anywhere in the first ten rows. A file that is not one of those,
    is too large, lacks a column, or has a row that cannot be read raises BankFileError naming
    the rows; nothing is returned partly."""
    if len(data) > MAX_RESULT_BYTES:
        raise BankFileError(
            f"결과 파일이 너무 큽니다 ({len(data) / 1024 / 1024:.1f}MB). "
            f"{MAX_RESULT_BYTES // 1024 // 1024}MB까지 읽습니다. 파일을 나눠 올려 주세요."
        )
    return _result_rows(_rows_of(data))


def _rows_of(data: bytes) -> Iterator[tuple[int, Sequence]]:
    """(row number, cell values) of the file's first sheet, or of the CSV."""
    if data.startswith(b"PK"):
        return _korean_errors(
            excel.stream_uploaded_rows(
                io.BytesIO(data),
                max_col=_RESULT_MAX_COLUMNS,
                max_part_bytes=MAX_RESULT_UNPACKED_BYTES,
                max_unpacked_bytes=MAX_RESULT_UNPACKED_BYTES,
            )
        )
    if data.startswith(_XLS_MAGIC):
        raise BankFileError(
            "예전 Excel(.xls) 형식은 읽지 못합니다. Excel에서 'Excel 통합 문서(*.xlsx)'로 "
            "저장하거나 CSV로 내려받아 올려 주세요."
        )
    # NUL is in no text a bank exports (UTF-16 has it, and every binary format).
    for encoding in ("utf-8-sig", "cp949") if b"\x00" not in data else ():
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return enumerate(csv.reader(io.StringIO(text, newline="")), 1)
    raise BankFileError(
        "결과 파일을 읽을 수 없습니다. Excel(.xlsx) 또는 CSV(UTF-8, EUC-KR) 파일을 올려 주세요."
    )


def _korean_errors(rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    """The sheet's rows; a file refused on the way (it is checked lazily) is a BankFileError."""
    try:
        yield from rows
    except excel.UnreadableWorkbook as refused:
        raise BankFileError(str(refused)) from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(value) -> str:
    return re.sub(r"\s", "", _text(value)).upper()


def _find_columns(row: Sequence) -> dict[str, int]:
    keys = [_header_key(v) for v in row]
    found = {}
    for field, names in _RESULT_COLUMNS.items():
        for name in names:
            if name in keys:
                found[field] = keys.index(name)
                break
    return found


def _whole_number(value) -> int | None:
    """An integer cell or a text of digits (thousands separators and a trailing 원 allowed);
    None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value).replace(",", "").removesuffix("원")
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _result_rows(rows: Iterable[tuple[int, Sequence]]) -> list[ResultRow]:
    columns: dict[str, int] = {}
    problems: list[str] = []
    results: list[ResultRow] = []
    first_row_of: dict[int, int] = {}
    for number, row in rows:
        if not columns:
            if number > HEADER_SEARCH_ROWS:
                break
            found = _find_columns(row)
            if {"line_id", "account"} <= found.keys():
                columns = found
                missing = [label for field, label in _REQUIRED.items() if field not in found]
                if missing:
                    raise BankFileError(
                        f"{number}행의 머리글에 {', '.join(missing)} 열이 없습니다. "
                        "은행에서 받은 처리 결과 파일을 그대로 올려 주세요."
                    )
            continue
        cells = {field: row[i] if i < len(row) else None for field, i in columns.items()}
        if not any(_text(v) for v in row) or _header_key(cells["line_id"]) in _FOOTERS:
            continue
        if len(results) + len(problems) >= MAX_RESULT_ROWS:
            raise BankFileError(
                f"결과 파일은 {MAX_RESULT_ROWS:,}행까지 읽습니다. 나눠 올려 주세요."
            )
        row_problems = []
        line_id = _whole_number(cells["line_id"])
        if line_id is None or line_id <= 0:
            row_problems.append(f"순번이 양의 정수가 아닙니다 ({_text(cells['line_id'])!r})")
        elif line_id in first_row_of:
            row_problems.append(f"순번 {line_id}: {first_row_of[line_id]}행과 겹칩니다")
        else:
            first_row_of[line_id] = number
        account = digits(_text(cells["account"]))
        if not (account.isdigit() and account.isascii()):
            row_problems.append(f"계좌번호가 숫자가 아닙니다 ({_text(cells['account'])!r})")
        amount = _whole_number(cells["amount"])
        if amount is None or amount <= 0:
            row_problems.append(f"금액이 1원 이상의 정수가 아닙니다 ({_text(cells['amount'])!r})")
        result = _header_key(cells["result"])
        if result not in _OK and result not in _FAILED:
            row_problems.append(
                f"알 수 없는 처리결과입니다 ({_text(cells['result'])!r}; 정상/성공 또는 오류/불능)"
            )
        if row_problems:
            problems.append(f"{number}행: {'; '.join(row_problems)}.")
            continue
        reason = _text(cells.get("reason"))
        results.append(ResultRow(line_id, account, amount, result in _OK, reason))
    if not columns:
        raise BankFileError(
            f"처음 {HEADER_SEARCH_ROWS}행 안에서 순번·계좌번호·금액·처리결과 머리글을 "
            "찾지 못했습니다."
        )
    if not results and not problems:
        problems.append("결과 파일에 처리 내역이 없습니다.")
    _refuse(problems)
    return results
