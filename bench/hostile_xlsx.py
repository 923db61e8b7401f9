"""Benchmark: how long an upload takes to be refused, against a sound list of the same kind.

    .venv/bin/python bench/hostile_xlsx.py [--rows 5000] [--comment-mb 190] [--runs 5]

Builds, in memory, a sound trainee list of ``--rows`` rows and the attack of issue 10 item 4:
the same workbook with an XML comment of ``--comment-mb`` MB inside the sheet (it compresses to
a few hundred KB, under any upload size limit; before the checks expat spent over 11 minutes on
it). Times ``open_uploaded_workbook`` plus reading every row, as the import does, and prints the
median seconds of each and whether the hostile file was refused. No database is needed.
"""

import argparse
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from itda.lib import excel  # noqa: E402

HEADERS = ["이름", "생년월일", "휴대전화", "이메일", "시·도"]


def sound_list(rows: int) -> bytes:
    return excel.workbook_bytes(
        title="교육생",
        headers=HEADERS,
        rows=(
            [
                f"교육생{i}",
                "1998-03-01",
                f"010-{i // 10000:04d}-{i % 10000:04d}",
                f"t{i}@ex.kr",
                "서울",
            ]
            for i in range(rows)
        ),
    )


def with_comment(content: bytes, megabytes: int) -> bytes:
    """``content`` with a comment of ``megabytes`` MB right after the worksheet's start tag."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                end = data.index(b">", data.index(b"<worksheet")) + 1
                comment = b"<!--" + b"a" * (megabytes * 1024 * 1024) + b"-->"
                data = data[:end] + comment + data[end:]
            dst.writestr(item, data)
    return out.getvalue()


def read(content: bytes) -> tuple[float, str]:
    started = time.monotonic()
    try:
        workbook = excel.open_uploaded_workbook(io.BytesIO(content))
        n = sum(1 for _ in excel.uploaded_rows(workbook, max_col=len(HEADERS)))
        outcome = f"read {n} rows"
    except excel.UnreadableWorkbook as refused:
        outcome = f"refused: {refused}"
    return time.monotonic() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--comment-mb", type=int, default=190)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sound = sound_list(args.rows)
    hostile = with_comment(sound, args.comment_mb)
    for name, content in (("sound", sound), ("hostile", hostile)):
        timings = [read(content) for _ in range(args.runs)]
        median = statistics.median(t for t, _ in timings)
        print(f"{name}: {len(content) / 1024:,.0f} KB, median {median:.3f} s, {timings[0][1]}")


if __name__ == "__main__":
    main()
