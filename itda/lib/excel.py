"""Excel (xlsx) output that operators can open safely."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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
