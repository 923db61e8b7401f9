"""The upload checks leave room for the largest list an import accepts."""

import io
import time
import zipfile
from xml.sax.saxutils import escape

import pytest
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


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _package(sheet_data: str, shared: list[str] | None = None) -> bytes:
    """A workbook as Excel writes one: the rows in ``sheet_data``, strings in a shared table."""
    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:
                data = f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'
            elif shared is not None and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif shared is not None and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="/xl/sharedStrings.xml" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                    b"</Relationships>",
                )
            archive.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
        if shared is not None:
            items = "".join(shared)
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
    return out.getvalue()


def test_streamed_rows_read_shared_rich_and_inline_strings_numbers_and_gaps():
    shared = [
        "<si><t>순번</t></si>",
        # A rich string in runs, with the phonetic reading Korean Excel adds: not the value.
        "<si><r><t>홍</t></r><r><rPr><b/></rPr><t>길동</t></r><rPh sb='0' eb='1'><t>ホン</t></rPh>"
        "</si>",
        "<si><t>A&amp;B &lt;1&gt;</t></si>",
    ]
    rows = (
        '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" t="inlineStr"><is><t>계좌</t></is></c>'
        "</row>"
        '<row r="4"><c r="A4"><v>7</v></c><c r="B4" t="s"><v>1</v></c><c r="C4"><v>12.5</v></c>'
        '<c r="D4" t="b"><v>1</v></c><c r="E4" t="s"><v>2</v></c><c r="F4"><v>-3</v></c></row>'
        '<row r="5"><c r="A5"/></row>'
        # A writer that leaves out the references: cells and rows follow on.
        "<row><c><v>1</v></c><c/><c><v>2</v></c></row>"
    )
    got = list(excel.stream_uploaded_rows(io.BytesIO(_package(rows, shared)), max_col=5))
    assert got == [
        (3, ("순번", None, "계좌")),
        (4, (7, "홍길동", 12.5, True, "A&B <1>")),
        (6, (1, None, 2)),
    ]


def test_streamed_rows_are_the_values_openpyxl_reads():
    wb = Workbook()
    rows = (["순번", "금액", None, "비고"], [1, 1_000_000, 0.5, "=SUM(A1)"], [None], [2, -7, True])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    sheet = excel.uploaded_rows(excel.open_uploaded_workbook(io.BytesIO(out.getvalue())), max_col=4)
    expected = [(n, row) for n, row in sheet if any(v is not None for v in row)]
    streamed = list(excel.stream_uploaded_rows(io.BytesIO(out.getvalue()), max_col=4))
    assert [(n, row + (None,) * (4 - len(row))) for n, row in streamed] == expected


def test_streamed_rows_pass_the_same_checks_first():
    hostile = _package('<row r="1"><c r="A1"><v>1</v></c></row><!-- slow -->')
    with pytest.raises(excel.UnreadableWorkbook):
        list(excel.stream_uploaded_rows(io.BytesIO(hostile), max_col=3))
    with pytest.raises(excel.UnreadableWorkbook):
        list(excel.stream_uploaded_rows(io.BytesIO(b"PK\x03\x04broken"), max_col=3))
    small = _package('<row r="1"><c r="A1"><v>1</v></c></row>')
    with pytest.raises(excel.UnreadableWorkbook, match="너무 큽니다"):
        list(excel.stream_uploaded_rows(io.BytesIO(small), max_col=3, max_unpacked_bytes=1000))
    # A damaged package: the sheet the workbook names is missing.
    with zipfile.ZipFile(io.BytesIO(small)) as source:
        parts = {i.filename: source.read(i) for i in source.infolist() if i.filename != SHEET}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(excel.UnreadableWorkbook):
        list(excel.stream_uploaded_rows(out, max_col=3))
