"""Benchmark: Excel import preview (and, with --commit, the atomic commit) of a messy list.

    .venv/bin/python bench/import_preview.py --rows 10000 --runs 5 [--kind trainee] [--commit]

Runs on a throwaway embedded PostgreSQL in a temporary folder (migrated, reference data loaded).
The generated list is messy on purpose: full-width digits, hyphens and spaces in numbers,
regions written in full and short, dates in every usual format, Excel serials, numbers that lost
their leading zero, an extra column, blank rows, and about 2% bad rows (check digit, unknown
region, duplicates, missing values). The figure to meet: preview of 10,000 rows under 15 s with
peak memory under 500 MB.

Timing runs have no tracing; one extra run under tracemalloc gives the peak of Python
allocations during the preview. The process's peak resident memory (ru_maxrss: the interpreter,
Django, openpyxl and everything the runs held) is printed at the end.
"""

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def messy_brn(number: str, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return number
    if style == 1:
        return f"{number[:3]}-{number[3:5]}-{number[5:]}"
    if style == 2:
        return f"{number[:3]} {number[3:5]} {number[5:]}"
    return f"{number[:3]}-{number[3:5]}-{number[5:]}".translate(FULL_WIDTH)


def messy_date(day: datetime.date, rng: random.Random):
    from itda.lib.dates import excel_serial

    return rng.choice(
        [
            day.isoformat(),
            f"{day.year}.{day.month}.{day.day}",
            f"{day.year}. {day.month}. {day.day}.",
            f"{day:%Y%m%d}",
            f"{day.year}년 {day.month}월 {day.day}일",
            f"{day.year}/{day.month:02d}/{day.day:02d}",
            datetime.datetime(day.year, day.month, day.day),
            excel_serial(day),
        ]
    )


def messy_mobile(n: int, rng: random.Random):
    number = f"010{50_000_000 + n:08d}"
    style = rng.randrange(4)
    if style == 0:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 1:
        return f"{number[:3]} {number[3:7]} {number[7:]}".translate(FULL_WIDTH)
    if style == 2:
        return int(number)  # a number cell: the leading 0 is gone
    return "+82 " + number[1:]


def build_file(path: Path, *, kind: str, rows: int, seed: int = 1) -> None:
    from openpyxl import Workbook

    from itda.lib.brn import brn_sequence
    from itda.programs.models import Region

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    regions = list(Region.objects.values_list("name", "short_name"))
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("신청 목록")
    if kind == "company":
        sheet.append(
            [
                "기업명*", "사업자등록번호*", "대표자*", "기업유형*", "규모*", "업종*", "시·도*",
                "산업단지", "주소*", "상시근로자 수*", "대표전화*", "스마트공장 구축 수준",
                "KS X 9001 수준", "공급 솔루션", "담당자 이메일", "비고",
            ]
        )  # fmt: skip
        numbers = list(brn_sequence(rows, offices=["101", "201", "301", "401", "501"]))
    else:
        sheet.append(
            ["성명*", "생년월일*", "휴대전화*", "이메일*", "거주 시·도*", "주소*", "최종학력*",
             "전공", "자격증", "비고"]
        )  # fmt: skip
    for i in range(rows):
        if i and i % 500 == 0:
            sheet.append([])  # a blank row now and then
        region = rng.choice(regions)[rng.randrange(2)]
        bad = rng.random()
        if kind == "company":
            number = messy_brn(numbers[i], rng)
            if bad < 0.005:
                number = numbers[i][:9] + str((int(numbers[i][9]) + 1) % 10)
            elif bad < 0.01:
                number = messy_brn(numbers[max(i - 7, 0)], rng)
            row = [
                f"잇다정밀{i}",
                number,
                "김대표" if bad > 0.015 or bad < 0.01 else None,
                rng.choice(["스마트공장 도입 제조기업", "제조AI 솔루션 공급기업", "도입기업"]),
                rng.choice(["소기업", "중기업", "중견기업"]),
                "자동차 부품",
                "서울시티" if 0.015 < bad < 0.02 else region,
                None,
                f"{region} 어딘가로 {i}",
                rng.choice([rng.randrange(5, 300), f"{rng.randrange(5, 3000):,}명"]),
                rng.choice(["02-123-4567", "031 1234 5678", 212345678]),
                rng.choice(["기초", "중간1", "중간2", "고도", None]),
                rng.choice([1, 2, 3.0, "4", None]),
                None,
                f"m{i}@example.kr",
                "메모",
            ]
        else:
            born = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(5000))
            when = messy_date(born, rng)
            if bad < 0.005:
                when = f"{born.year}-02-30"
            phone = messy_mobile(max(i - 5, 0) if 0.005 < bad < 0.01 else i, rng)
            row = [
                f"홍길동{i}",
                when,
                phone,
                f"p{i}@example.kr",
                "서울시티" if 0.015 < bad < 0.02 else region,
                f"{region} 어딘가로 {i}" if bad > 0.015 or bad < 0.01 else None,
                rng.choice(["대학교 졸업", "대졸", "고졸", "전문대학 졸업", "석사"]),
                "기계공학",
                None,
                "메모",
            ]
        sheet.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kind", choices=["company", "trainee"], default="company")
    parser.add_argument("--commit", action="store_true", help="also time the atomic commit")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="itda-bench-import-") as data_dir:
        os.environ["ITDA_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        try:
            run(args, Path(data_dir), call_command)
        finally:
            from django.db import connections

            connections.close_all()
            call_command("embedded_pg", "stop")


def run(args, data_dir: Path, call_command) -> None:
    from django.utils import timezone

    from itda.accounts.models import User
    from itda.programs.models import Programme, Track
    from itda.recruitment.imports import ImportRefused, import_commit, import_preview
    from itda.recruitment.models import Call

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference", verbosity=0)
    programme = Programme.objects.order_by("pk").first()
    track = Track.objects.filter(programme=programme).first()
    actor = User.objects.create(username="bench", role="operator")

    def new_call() -> Call:
        now = timezone.now()
        return Call.objects.create(
            programme=programme,
            kind=args.kind,
            track=track if args.kind == "trainee" else None,
            title="bench",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30),
        )

    call = new_call()
    path = data_dir / "messy.xlsx"
    started = time.perf_counter()
    build_file(path, kind=args.kind, rows=args.rows)
    print(
        f"generated {args.rows:,} {args.kind} rows: {path.stat().st_size / 1e6:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )

    seconds = []
    for i in range(1, args.runs + 1):
        started = time.perf_counter()
        preview = import_preview(call=call, file=str(path))
        seconds.append(time.perf_counter() - started)
        counts = preview.counts
        print(
            f"preview run {i}: {seconds[-1]:.2f} s — {counts['rows']:,} rows, "
            f"{counts['bad']} with problems ({counts['problems']} problems)"
        )
    tracemalloc.start()
    import_preview(call=call, file=str(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"preview of {args.rows:,} rows: median {statistics.median(seconds):.2f} s over "
        f"{args.runs} runs; peak Python allocations {peak / 2**20:.0f} MiB (tracemalloc)"
    )

    if args.commit:
        excluded = preview.problem_rows
        started = time.perf_counter()
        try:
            created = import_commit(call=call, file=str(path), actor=actor, exclude_rows=excluded)
        except ImportRefused as exc:
            print("commit refused:", exc.messages[0])
            raise
        commit = time.perf_counter() - started
        print(
            f"commit: {created:,} applications (+ {args.kind} records, transitions) "
            f"in one transaction: {commit:.1f} s"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole process: {rss:.0f} MiB (ru_maxrss)")


if __name__ == "__main__":
    main()
