"""Excel (xlsx) output that operators can open safely, and xlsx uploads read with bounded work."""

from __future__ import annotations

import functools
import io
import posixpath
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

# A cell starting with one of these is a formula to Excel (ASVS 1.2.10: CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that Excel would run as a formula is kept as text by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def workbook_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet with a bold header row, frozen below it, columns sized to their text."""
    return workbook_sheets_bytes([(title, headers, rows)])


def workbook_sheets_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Several sheets (title, headers, rows), each laid out as ``workbook_bytes`` lays out one."""
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        _sheet(wb.create_sheet(title[:31]), headers, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    ws.append(list(headers))
    widths = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        cells = [safe_cell(v) for v in row]
        ws.append(cells)
        for i, value in enumerate(cells):
            widths[i] = min(max(widths[i], len(str(value or "")) * 2 + 2), 60)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


# --- Reading an uploaded xlsx ------------------------------------------------------------------
#
# An xlsx is a zip of XML parts, and a small upload can cost a worker minutes: expat (2.5, no
# reparse deferral) rescans an unfinished token on every 16 KB read, so one long token (a
# comment, a processing instruction, an attribute value) costs time quadratic in its length:
# a 16 MB comment took 28 s, a 190 MB one over 11 minutes. So every part that could be XML is
# scanned first, in one cheap pass, and refused when it holds markup no spreadsheet writer
# produces (``<!``: DOCTYPE, entity, comment, CDATA; ``<?`` after the declaration; NUL, which
# is also how UTF-16 shows) or a stretch longer than ``MAX_MARKUP_BYTES`` without a ``<``.
# After that the parse is linear, and bounded by the part and archive sizes below. Comments,
# drawings and images are never parsed: openpyxl's read-only mode reads cell values only.

UNREADABLE = "Excel 파일을 읽을 수 없습니다. 파일이 손상되었거나 암호가 걸려 있는지 확인해 주세요."
NOT_XLSX = "Excel(.xlsx) 파일이 아닙니다. Excel에서 'Excel 통합 문서(*.xlsx)'로 저장해 올려 주세요."
TOO_BIG = "파일 내용이 너무 큽니다. 행을 나눠 여러 파일로 올려 주세요."
TOO_SLOW = "파일을 읽는 데 너무 오래 걸립니다. 행을 나눠 여러 파일로 올려 주세요."

# Measured: 10,000 rows (the import limit) of the 15-column company list as openpyxl writes it
# (inline strings, the least compact writer seen) unpack to a 10.2 MB worksheet, 5,000 rows to
# 5.1 MB; Excel keeps strings in a second part and writes less. Twice that, and some more.
MAX_PART_BYTES = 24 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_PARTS = 1_000
# Excel caps a cell at 32,767 characters (98 KB in UTF-8): text between two tags is never longer.
MAX_MARKUP_BYTES = 256 * 1024
# Reading 10,000 rows took 8 s on a busy two-core machine; far past that, something is wrong.
READ_SECONDS = 60
_CHUNK = 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
# What expat reads as UTF-16 (byte-order marks, or "<" as two bytes): refused as NUL below.
_UTF16_STARTS = (b"\xfe\xff", b"\xff\xfe", b"\x00<")


class UnreadableWorkbook(ValueError):
    """An uploaded xlsx that is refused before or while it is read; the message is Korean."""


def open_uploaded_workbook(file: str | IO[bytes]):
    """A read-only openpyxl workbook of an untrusted upload, after the archive checks above."""
    _checked_archive(file, MAX_PART_BYTES, MAX_UNPACKED_BYTES).close()
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise UnreadableWorkbook(UNREADABLE) from None


def _checked_archive(
    file: str | IO[bytes], max_part_bytes: int, max_unpacked_bytes: int
) -> zipfile.ZipFile:
    """The upload as an open zip archive, once the checks above have passed."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableWorkbook(NOT_XLSX) from None
    try:
        _check_archive(archive, max_part_bytes, max_unpacked_bytes)
    except Exception as refused:  # a damaged or encrypted member: zlib, CRC, NotImplementedError
        archive.close()
        if isinstance(refused, UnreadableWorkbook):
            raise
        raise UnreadableWorkbook(UNREADABLE) from None
    return archive


def uploaded_rows(workbook, *, max_col: int) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the first sheet; a part that breaks half way, or a read
    that outlasts ``READ_SECONDS``, ends in ``UnreadableWorkbook`` rather than a server error."""
    sheet = workbook.worksheets[0]
    # Some programs write a wrong size into the file; read what is there instead.
    sheet.reset_dimensions()
    deadline = time.monotonic() + READ_SECONDS
    rows = enumerate(sheet.iter_rows(min_row=1, max_col=max_col, values_only=True), 1)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # the sheet is parsed lazily: a broken part surfaces only here
            raise UnreadableWorkbook(UNREADABLE) from None
        if time.monotonic() > deadline:
            raise UnreadableWorkbook(TOO_SLOW)
        yield row


def _check_archive(archive: zipfile.ZipFile, max_part_bytes: int, max_unpacked_bytes: int) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > max_unpacked_bytes:
        raise UnreadableWorkbook(TOO_BIG)
    for part in parts:
        if part.file_size > max_part_bytes and not part.is_dir():
            raise UnreadableWorkbook(TOO_BIG)
    for part in parts:
        if not part.is_dir():
            _scan_part(archive, part)


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse a part holding markup that makes expat slow or unsafe (see above)."""
    with archive.open(part) as stream:
        chunk = stream.read(_CHUNK)
        if chunk.startswith(_UTF8_BOM):
            chunk = chunk[len(_UTF8_BOM) :]
        # Anything else is not XML to expat either (an image, printer settings): it stops at
        # the first byte. Names and content types are not trusted: any part may be a sheet.
        if not chunk.lstrip().startswith(b"<") and not chunk.startswith(_UTF16_STARTS):
            return
        if chunk.startswith(b"<?xml"):
            end = chunk.find(b"?>", 0, 200)
            if end < 0:
                raise UnreadableWorkbook(UNREADABLE)
            chunk = chunk[end + 2 :]
        run = 0
        last = b""
        while chunk:
            window = last + chunk
            if b"\x00" in chunk or b"<!" in window or b"<?" in window:
                raise UnreadableWorkbook(UNREADABLE)
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                longest = max(run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                if longest > MAX_MARKUP_BYTES:
                    raise UnreadableWorkbook(UNREADABLE)
                run = len(pieces[-1])
            if run > MAX_MARKUP_BYTES:
                raise UnreadableWorkbook(UNREADABLE)
            last = chunk[-1:]
            chunk = stream.read(_CHUNK)


# --- A long list read straight from the sheet's XML ---------------------------------------------
#
# openpyxl's read-only mode builds objects per cell (a rich-text object for every inline string,
# the way openpyxl itself writes strings) and reads a sheet twice when it states no size: 100,000
# rows of 8 columns as openpyxl writes them took it 11-15 s of CPU (past READ_SECONDS on the busy
# machine), 5.8 s with shared strings as Excel writes them. ``stream_uploaded_rows`` reads the
# values alone from the same checked archive: 4.8 s and 4.3 s (bench/bankfiles.py's file). Every
# part has passed ``_scan_part`` first, so no DOCTYPE or entity (what defusedxml guards) reaches it.


def stream_uploaded_rows(
    file: str | IO[bytes],
    *,
    max_col: int,
    max_part_bytes: int = MAX_PART_BYTES,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the first sheet of an untrusted upload, as ``uploaded_rows``
    gives them (text, int, float, bool or None; empty rows left out), after the archive checks.
    A caller that takes a longer list than the imports do passes its own size limits."""
    archive = _checked_archive(file, max_part_bytes, max_unpacked_bytes)
    deadline = time.monotonic() + READ_SECONDS
    with archive:
        try:
            sheet, strings = _first_sheet(archive)
            shared = _shared_strings(archive, strings) if strings in archive.NameToInfo else []
            for row in _sheet_rows(archive, sheet, shared, max_col):
                if time.monotonic() > deadline:
                    raise UnreadableWorkbook(TOO_SLOW)
                yield row
        except UnreadableWorkbook:
            raise
        except Exception:  # a missing part, a bad index, broken XML: the file is damaged
            raise UnreadableWorkbook(UNREADABLE) from None


def _local(tag: str) -> str:
    """A tag without its namespace: transitional and strict OOXML name the same parts apart."""
    return tag.rsplit("}", 1)[-1]


def _targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, part name) of a .rels part."""
    found = {}
    for rel in ElementTree.fromstring(archive.read(rels)):  # noqa: S314
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(name))
    return found


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The part names of the workbook's first sheet and of its shared strings."""
    book = next(
        n for kind, n in _targets(archive, "_rels/.rels", "").values() if kind == "officeDocument"
    )
    folder, name = posixpath.split(book)
    rels = _targets(archive, posixpath.join(folder, "_rels", name + ".rels"), folder)
    first = next(
        e
        for e in ElementTree.fromstring(archive.read(book)).iter()  # noqa: S314
        if _local(e.tag) == "sheet"
    )
    sheet_id = next(v for k, v in first.attrib.items() if _local(k) == "id")
    strings = next((n for kind, n in rels.values() if kind == "sharedStrings"), "")
    return rels[sheet_id][1], strings


def _text_of(element) -> str:
    """The text of a shared or inline string: its <t>, or the <t> of its runs (phonetic runs,
    <rPh>, are a reading aid and not part of the value)."""
    texts = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            texts.append(child.text or "")
        elif tag == "r":
            texts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(texts)


def _shared_strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    strings = []
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):  # noqa: S314
            if _local(element.tag) == "si":
                strings.append(_text_of(element))
                element.clear()
    return strings


def _column(ref: str) -> int:
    return _column_index(ref.rstrip("0123456789"))


_column_index = functools.lru_cache(maxsize=256)(column_index_from_string)


def _sheet_rows(archive, part: str, shared: list[str], max_col: int) -> Iterator[tuple[int, tuple]]:
    cells: dict[int, object] = {}
    number = column = 0
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):  # noqa: S314
            tag = element.tag
            name = tag[tag.rfind("}") + 1 :]  # _local, inline: this runs for every element
            if name == "c":
                ref = element.get("r")
                column = _column(ref) if ref else column + 1
                if column <= max_col:
                    cells[column] = _cell_value(element, tag[:-1], shared)
            elif name == "row":
                number = int(element.get("r") or number + 1)
                values = tuple(cells.get(c) for c in range(1, max(cells, default=0) + 1))
                if any(v is not None and v != "" for v in values):
                    yield number, values
                cells.clear()
                column = 0
                element.clear()


def _cell_value(cell, namespace: str, shared: list[str]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(namespace + "is")
        return None if inline is None else _text_of(inline)
    raw = cell.findtext(namespace + "v")
    if not raw:
        return None
    if kind == "s":
        return shared[int(raw)]
    if kind == "b":
        return raw == "1"
    if kind == "n":
        return int(raw) if raw.lstrip("-").isdigit() else float(raw)
    return raw  # str (a formula's text), e (an error such as #N/A), d (an ISO date)
