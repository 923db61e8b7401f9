"""Benchmark: bank files of a large batch, written and read back.

    .venv/bin/python bench/bankfiles.py [--lines 100000] [--runs 3]

Times ``transfer_workbook`` and ``settlement_workbook`` for ``--lines`` lines, and
``parse_result_file`` on the bank's result file of those lines, once as .xlsx (written by openpyxl,
inline strings: the slowest form to read) and once as CP949 CSV. Prints the median seconds of
each and the file sizes. No database is needed.
"""

import argparse
import csv
import io
import statistics
import sys
import time
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from itda.payments.bankfiles import (  # noqa: E402
    SettlementLine,
    TransferLine,
    parse_result_file,
    settlement_workbook,
    transfer_workbook,
)

RESULT_HEADER = ["순번", "은행코드", "계좌번호", "금액", "예금주", "통장표시", "처리결과", "사유"]


def transfer_lines(n: int) -> list[TransferLine]:
    return [
        TransferLine(i, "088", f"110-{i:03d}-{i * 7919 % 1_000_000:06d}", 400_000 + i % 7 * 10,
                     f"홍길{i}", "잇다 훈련수당 12월")
        for i in range(1, n + 1)
    ]  # fmt: skip


def result_rows(lines: list[TransferLine]) -> list[list]:
    """The bank's answer: every 97th line fails on its account."""
    return [
        [line.line_id, line.bank_code, line.account.replace("-", ""), line.amount_krw,
         line.holder, "잇다 훈련수당",
         *(("오류", "해지 계좌") if line.line_id % 97 == 0 else ("정상", ""))]
        for line in lines
    ]  # fmt: skip


def result_xlsx(rows: list[list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("결과")
    ws.append(["이체 결과"])
    ws.append(RESULT_HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def result_csv(rows: list[list]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(RESULT_HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("cp949")


def timed(runs: int, work) -> tuple[str, object]:
    """Median wall and CPU seconds of ``runs`` calls (CPU too: the machine is shared), and the
    last call's value."""
    walls, cpus, value = [], [], None
    for _ in range(runs):
        wall, cpu = time.monotonic(), time.process_time()
        value = work()
        walls.append(time.monotonic() - wall)
        cpus.append(time.process_time() - cpu)
    return f"median {statistics.median(walls):.2f} s (CPU {statistics.median(cpus):.2f} s)", value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = transfer_lines(args.lines)
    settlement = [
        SettlementLine(line.holder, "2026-12", "훈련수당", line.amount_krw, "출석부 2026-12")
        for line in lines
    ]
    rows = result_rows(lines)
    as_xlsx, as_csv = result_xlsx(rows), result_csv(rows)

    seconds, content = timed(args.runs, lambda: transfer_workbook("2026년 12월 훈련수당", lines))
    print(f"transfer_workbook: {len(lines):,} lines, {len(content) / 1e6:.1f} MB, {seconds}")
    seconds, content = timed(args.runs, lambda: settlement_workbook("12월 집행 내역", settlement))
    print(f"settlement_workbook: {len(lines):,} lines, {len(content) / 1e6:.1f} MB, {seconds}")
    for name, content in (("xlsx", as_xlsx), ("csv cp949", as_csv)):
        seconds, parsed = timed(args.runs, lambda content=content: parse_result_file(content))
        failed = sum(1 for row in parsed if not row.ok)
        print(
            f"parse_result_file ({name}): {len(parsed):,} rows ({failed:,} failed), "
            f"{len(content) / 1e6:.1f} MB, {seconds}"
        )


if __name__ == "__main__":
    main()
