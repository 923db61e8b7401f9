"""Bank files: the transfer workbook a bank takes, the settlement workbook, and the bank's result
file read back. Files are read back with openpyxl, as the bank or Excel would read them."""

import csv
import io
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from itda import factories
from itda.demo import tables
from itda.lib import excel
from itda.payments import bankfiles
from itda.payments.bankfiles import (
    BankFileError,
    ResultRow,
    SettlementLine,
    TransferLine,
    bank_code,
    parse_result_file,
    settlement_workbook,
    transfer_workbook,
)

HEADER_ROW = 6  # title, count, total, note, blank, then the column names


def _lines() -> list[TransferLine]:
    return [
        TransferLine(1, "004", "123-45-6789012", 400_000, "홍길동", "잇다 훈련수당"),
        TransferLine(2, "088", "0012 345 678901", 2_000_000, "김영희", "인턴 지원금 12월분 지급"),
        TransferLine(3, "090", "3333-01-2345678", 123_450, "이철수", "ITDA-2026-12-ALLOWANCE"),
    ]


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _messages(refused: pytest.ExceptionInfo) -> str:
    return " ".join(refused.value.messages)


# --- bank codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("KB국민은행", "004"),
        ("국민은행", "004"),
        ("국민", "004"),
        ("신한은행", "088"),
        ("신한", "088"),
        ("우리은행", "020"),
        ("하나은행", "081"),
        ("KEB하나은행", "081"),
        ("NH농협은행", "011"),
        ("농협은행", "011"),
        ("농협", "011"),
        ("지역농축협", "012"),
        ("IBK기업은행", "003"),
        ("기업은행", "003"),
        ("SC제일은행", "023"),
        ("한국씨티은행", "027"),
        ("부산은행", "032"),
        ("iM뱅크", "031"),
        ("대구은행", "031"),
        ("광주은행", "034"),
        ("제주은행", "035"),
        ("전북은행", "037"),
        ("경남은행", "039"),
        ("새마을금고", "045"),
        ("신협", "048"),
        ("우체국", "071"),
        ("케이뱅크", "089"),
        ("카카오뱅크", "090"),
        ("토스뱅크", "092"),
        ("KDB산업은행", "002"),
        ("산업은행", "002"),
        ("수협은행", "007"),
        ("저축은행", "050"),
        ("산림조합", "064"),
        (" kb 국민 은행 ", "004"),
        ("(주)카카오뱅크", "090"),
        ("088", "088"),
    ],
)
def test_bank_names_and_aliases_map_to_their_code(name, code):
    assert bank_code(name) == code


@pytest.mark.parametrize("name", ["", "   ", "은행", "가람은행", "테스트은행", "999"])
def test_unknown_bank_names_have_no_code(name):
    assert bank_code(name) is None


def test_every_bank_name_of_the_demo_and_the_factories_has_a_code():
    names = [*tables.DEMO_BANKS, factories.TraineeFactory.build().bank_name]
    assert {name: bank_code(name) for name in names if bank_code(name) is None} == {}


# --- the transfer workbook ------------------------------------------------------------------------


def test_the_header_total_is_written_and_equals_the_sum_of_the_lines():
    lines = _lines()
    content = transfer_workbook("2026년 12월 지급", lines)
    ws = _sheet(content)
    assert ws["A1"].value == "2026년 12월 지급"
    assert (ws["A2"].value, ws["B2"].value) == ("건수", 3)
    assert (ws["A3"].value, ws["B3"].value) == ("총금액", 2_523_450)
    assert ws["B3"].data_type == "n"  # a number, not a formula Excel has to compute
    amounts = [ws.cell(row=HEADER_ROW + n, column=4).value for n in range(1, 4)]
    assert amounts == [400_000, 2_000_000, 123_450] and sum(amounts) == ws["B3"].value
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    # The stated size lets a streaming reader skip a pass over the sheet to find it.
    stated = load_workbook(io.BytesIO(content), read_only=True).active.calculate_dimension()
    assert stated == f"A1:F{HEADER_ROW + 3}"


def test_bank_code_and_account_are_text_cells_of_digits_only():
    ws = _sheet(transfer_workbook("지급", _lines()))
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == ["순번", "은행코드", "계좌번호", "금액", "예금주", "통장표시"]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1))
    assert [r[2].value for r in rows] == ["123456789012", "0012345678901", "3333012345678"]
    for row in rows:
        for cell in (row[1], row[2]):
            assert (cell.data_type, cell.number_format) == ("s", "@")
        assert row[0].data_type == "n" and row[3].data_type == "n"
    assert rows[1][1].value == "088"  # the leading zero survives


def test_the_passbook_memo_is_cut_between_characters_to_seven_hangul():
    ws = _sheet(transfer_workbook("지급", _lines()))
    memos = [ws.cell(row=HEADER_ROW + n, column=6).value for n in range(1, 4)]
    assert memos == ["잇다 훈련수당", "인턴 지원금 12", "ITDA-2026-12-A"]
    assert bankfiles.passbook_memo("잇다훈련수당지급완료") == "잇다훈련수당지"
    assert "7자" in ws["A4"].value and "itda 기본값 — 운영지침 확인 필요" in ws["A4"].value


def test_holder_text_stays_text():
    line = TransferLine(1, "004", "123456789", 1_000, '=HYPERLINK("x")&<b>', "메모")
    ws = _sheet(transfer_workbook("지급", [line]))
    assert ws.cell(row=HEADER_ROW + 1, column=5).value == '\'=HYPERLINK("x")&<b>'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (TransferLine(7, "004", "123-4567-89O", 1_000, "홍길동", ""), "순번 7: 계좌번호"),
        (TransferLine(7, "004", "１２３４５６７８", 1_000, "홍길동", ""), "순번 7: 계좌번호"),
        (TransferLine(7, "04", "12345678", 1_000, "홍길동", ""), "순번 7: 은행코드"),
        (TransferLine(7, "004", "12345678", 0, "홍길동", ""), "순번 7: 금액"),
        (TransferLine(7, "004", "12345678", 1000.0, "홍길동", ""), "순번 7: 금액"),
        (TransferLine(7, "004", "12345678", True, "홍길동", ""), "순번 7: 금액"),
        (TransferLine(7, "004", "12345678", 1_000, " ", ""), "순번 7: 예금주"),
    ],
)
def test_a_wrong_line_refuses_the_file_naming_the_line(line, message):
    with pytest.raises(BankFileError) as refused:
        transfer_workbook("지급", [*_lines(), line])
    assert message in _messages(refused)


def test_duplicate_line_ids_and_an_empty_file_are_refused():
    with pytest.raises(BankFileError, match="순번 2: 순번이 겹칩니다"):
        transfer_workbook("지급", [*_lines(), _lines()[1]])
    with pytest.raises(BankFileError, match="이체할 내역이 없습니다"):
        transfer_workbook("지급", [])


# --- the settlement workbook ----------------------------------------------------------------------


def test_the_settlement_lists_payments_with_a_total_row_and_says_the_layout_is_ours():
    lines = [
        SettlementLine("홍길동", "2026-12", "훈련수당", 400_000, "출석부 12월"),
        SettlementLine("(주)잇다정밀", "2026-12", "기업 인건비 지원", 2_000_000, "급여대장"),
        SettlementLine("홍길동", "2026-11", "훈련수당 환수", -40_000, "환수 결정"),
    ]
    ws = _sheet(settlement_workbook("2026년 12월 집행 내역", lines))
    assert [c.value for c in ws[HEADER_ROW]] == [
        "순번", "거래처(지급 대상)", "기간", "비목/구분", "집행금액", "증빙"
    ]  # fmt: skip
    assert [c.value for c in ws[HEADER_ROW + 2]] == [
        2, "(주)잇다정밀", "2026-12", "기업 인건비 지원", 2_000_000, "급여대장"
    ]  # fmt: skip
    total_row = ws[HEADER_ROW + 4]
    assert (total_row[0].value, total_row[4].value) == ("합계", 2_360_000)
    assert ws["B3"].value == 2_360_000 == sum(line.amount_krw for line in lines)
    assert ws["A4"].value.startswith("itda 기본값 — 운영지침 확인 필요")


def test_a_settlement_without_lines_or_with_a_zero_line_is_refused():
    with pytest.raises(BankFileError):
        settlement_workbook("집행", [])
    with pytest.raises(BankFileError, match="1번째 내역"):
        settlement_workbook("집행", [SettlementLine("홍길동", "2026-12", "훈련수당", 0, "")])


# --- the bank's result file -----------------------------------------------------------------------


def _result_from(transfer: bytes, outcomes: dict[int, tuple[str, str]]) -> bytes:
    """The transfer file as a bank returns it: two columns more, 처리결과 and 사유."""
    wb = load_workbook(io.BytesIO(transfer))
    ws = wb.active
    ws.cell(row=HEADER_ROW, column=7, value="처리결과")
    ws.cell(row=HEADER_ROW, column=8, value="사유")
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        result, reason = outcomes.get(ws.cell(row=row, column=1).value, ("정상", ""))
        ws.cell(row=row, column=7, value=result)
        ws.cell(row=row, column=8, value=reason)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_trip_the_bank_result_of_the_transfer_file_reads_back_line_by_line():
    lines = _lines()
    result = _result_from(
        transfer_workbook("지급", lines), {2: ("오류", "해지 계좌"), 3: ("오류", "예금주 불일치")}
    )
    assert parse_result_file(result) == [
        ResultRow(1, "123456789012", 400_000, True, ""),
        ResultRow(2, "0012345678901", 2_000_000, False, "해지 계좌"),
        ResultRow(3, "3333012345678", 123_450, False, "예금주 불일치"),
    ]


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


RESULT_HEADER = ["순번", "은행코드", "계좌번호", "금액", "예금주", "처리결과", "사유"]


def test_the_header_may_stand_anywhere_in_the_first_ten_rows():
    line = [1, "004", "110-123-456789", "1,000,000", "홍길동", "성공", None]
    assert parse_result_file(_xlsx([[None]] * 9 + [RESULT_HEADER, line])) == [
        ResultRow(1, "110123456789", 1_000_000, True, "")
    ]
    with pytest.raises(BankFileError, match="처음 10행 안에서"):
        parse_result_file(_xlsx([[None]] * 10 + [RESULT_HEADER, line]))


def test_a_missing_column_is_named():
    header = [h for h in RESULT_HEADER if h != "처리결과"]
    with pytest.raises(BankFileError, match="1행의 머리글에 처리결과 열이 없습니다"):
        parse_result_file(_xlsx([header, [1, "004", "110123456789", 1000, "홍길동", ""]]))


def test_bad_rows_are_refused_together_naming_their_row_numbers():
    rows = [
        RESULT_HEADER,
        [1, "004", "110123456789", 1000, "홍길동", "정상", ""],
        [2, "004", "110123456789", 1000.5, "홍길동", "정상", ""],
        [1, "004", "110123456789", 1000, "홍길동", "정상", ""],
        [4, "004", "110123456789", 1000, "홍길동", "보류", ""],
        [5, "004", "계좌 없음", 1000, "홍길동", "정상", ""],
        ["합계", None, None, 4000, None, None, None],
    ]
    with pytest.raises(BankFileError) as refused:
        parse_result_file(_xlsx(rows))
    assert refused.value.messages == [
        "3행: 금액이 1원 이상의 정수가 아닙니다 ('1000.5').",
        "4행: 순번 1: 2행과 겹칩니다.",
        "5행: 알 수 없는 처리결과입니다 ('보류'; 정상/성공 또는 오류/불능).",
        "6행: 계좌번호가 숫자가 아닙니다 ('계좌 없음').",
    ]


def test_a_file_of_only_a_header_is_refused():
    with pytest.raises(BankFileError, match="처리 내역이 없습니다"):
        parse_result_file(_xlsx([RESULT_HEADER]))


def _csv(rows: list[list], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr", "utf-8", "utf-8-sig"])
def test_a_csv_result_in_korean_bank_encodings(encoding):
    rows = [
        ["이체 결과 조회"],
        ["순번", "입금은행", "입금계좌번호", "이체금액", "예금주", "처리결과", "불능사유"],
        ["1", "004", "110-123-456789", "1,000,000", "홍길동", "정상", ""],
        ["2", "088", "0012345678", "500,000원", "김영희", "불능", "계좌번호 오류"],
    ]
    assert parse_result_file(_csv(rows, encoding)) == [
        ResultRow(1, "110123456789", 1_000_000, True, ""),
        ResultRow(2, "0012345678", 500_000, False, "계좌번호 오류"),
    ]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(bankfiles, "MAX_RESULT_ROWS", 5)
    rows = [RESULT_HEADER] + [[n, "004", "110123456789", 1000, "홍", "정상", ""] for n in range(6)]
    with pytest.raises(BankFileError, match="5행까지"):
        parse_result_file(_csv(rows, "utf-8"))


# --- hostile and wrong files ----------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"<" + b" " * (bankfiles.MAX_RESULT_UNPACKED_BYTES)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(BankFileError) as refused:
        parse_result_file(bomb)
    assert refused.value.messages == [excel.TOO_BIG]


def test_markup_that_makes_the_parser_slow_is_refused():
    sound = _xlsx([RESULT_HEADER, [1, "004", "110123456789", 1000, "홍길동", "정상", ""]])
    with zipfile.ZipFile(io.BytesIO(sound)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b">", sheet.index(b"<worksheet")) + 1
    comment = b"<!--" + b"a" * 1000 + b"-->"
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + comment + sheet[start:]
    with pytest.raises(BankFileError) as refused:
        parse_result_file(_zip(parts))
    assert refused.value.messages == [excel.UNREADABLE]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "Excel(.xlsx) 파일이 아닙니다"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "예전 Excel(.xls)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "결과 파일을 읽을 수 없습니다"),
        ("순번,계좌\n".encode("utf-16"), "결과 파일을 읽을 수 없습니다"),
        (b"%PDF-1.7\n\xff\xfe\xfd", "결과 파일을 읽을 수 없습니다"),
        (b"", "머리글을 찾지 못했습니다"),
    ],
)
def test_a_file_of_another_kind_is_refused(data, message):
    with pytest.raises(BankFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_result_file(data)


def test_a_huge_file_is_refused_before_it_is_read():
    with pytest.raises(BankFileError, match="결과 파일이 너무 큽니다"):
        parse_result_file(b"PK" + b"\x00" * bankfiles.MAX_RESULT_BYTES)


# --- purity --------------------------------------------------------------------------------------


def test_the_module_touches_no_database():
    code = (
        "import sys\n"
        "import itda.payments.bankfiles\n"
        "print(sorted(m for m in sys.modules if m.startswith(('django.db', 'itda.payments.models',"
        " 'itda.programs'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
