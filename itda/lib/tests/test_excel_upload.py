"""The upload checks leave room for the largest list an import accepts."""

import io
import time
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from itda.lib import excel

SHEET = "xl/worksheets/sheet1.xml"


def _row(i: int) -> list:
    """A row of the company list (15 columns, the widest import), as operators fill it in."""
    return [
        f"잇다정밀주식회사{i}",
        f"120-81-{i:05d}",
        "김대표자",
        "스마트공장 도입기업",
        "중소기업",
        "자동차 부품 제조업",
        "인천광역시",
        "남동국가산업단지",
        f"인천광역시 남동구 남동대로 {i}번길 123, 2층 {i}호",
        40 + i % 300,
        f"032-{1000 + i % 9000}-{i % 10000:04d}",
        "기초",
        3,
        "제조AI 예지보전 솔루션",
        f"manager{i}@example-company.co.kr",
    ]


def _cell(ref: str, value) -> str:
    # Inline strings, as openpyxl writes them: the least compact writer seen.
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def test_a_10_000_row_list_passes_the_checks_quickly():
    rows = "".join(
        f'<row r="{n}">'
        + "".join(_cell(f"{get_column_letter(c)}{n}", v) for c, v in enumerate(_row(n), 1))
        + "</row>"
        for n in range(1, 10_002)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = sheet if info.filename == SHEET else source.read(info)
            archive.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    assert len(sheet) * 2 < excel.MAX_PART_BYTES
    started = time.monotonic()
    excel.open_uploaded_workbook(out).close()
    assert time.monotonic() - started < 10
