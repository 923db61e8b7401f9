"""Faults during a payment batch's export and the import of the bank's result (issues 13, 16):
after each fault and a rerun, every statement is paid exactly once and the ledger sums to the
bank's file.

    .venv/bin/python scripts/faults_money.py [--statements 5000] [--runs 5] [--seed 1]

Starts its own throwaway PostgreSQL cluster (the project's embedded server in a temporary
directory; the machine's shared server is never touched), migrates it and builds one world:
``--statements`` interns with an approved September (``bench/statements.py``'s fixture),
their internship allowances computed and approved, a national batch drafted and approved by a
second operator with a fresh TOTP code. Every run works on its own copy of that world
(``CREATE DATABASE … TEMPLATE``) with a ``manage.py db_worker`` process:

1. the export task (``batch_export``; after a fault, the stored file again), then the operator
   takes the stored transfer file, and the bank answers it (a result file, ``--fail-rate`` of
   the lines refused with a reason);
2. the import task (``batch_results_upload``; after a fault, the kept file applied again).

Run 1 has no fault and times both tasks; then ``--runs`` runs with ``kill -9`` of the worker,
one with the cluster stopped (``pg_ctl stop -m immediate``) and one with
``pg_terminate_backend`` of the worker's connection, each fault at a random moment within the
task's measured time (both tasks of a run are hit). After the rerun the run is checked:

- the batch is closed, its transfer file stored once, the file the operator took byte-identical
  (SHA-256) to the stored one and to what every export attempt that finished returned;
- every line the bank paid is paid, once: its statement paid, ledger PAY of the statement ==
  its amount; every refused line failed and its statement back on the retry list with its
  commitment reversed; no statement in two pending or paid lines;
- ledger PAY total == the bank's paid total == the sum of the paid lines, and the transfer
  file's header total == the sum of the batch's lines.

Prints a table of the runs; exits 1 on any violation.

``--targets compute`` (issue 16) runs the same plan on the statements' computation
(``statements_compute``) from a copy of the world before it: after the rerun the statements
are the world's (count, total, checksum of payee and amount), one per payee.

Measured 2026-12-07 20:58-21:18 UTC on the 2-core machine shared with other work (load 7-10),
2,000 statements, seed 1 (``--cluster DIR`` reusing a world built in 572 s, migration included):
money, 8 runs, 0 violations: baseline export 1.7 s, import 9.4 s; kill -9 of the worker hit
the export mid-task in 3 of 5 runs and the import in 2 of 5 (the others just after the task
finished); pg_ctl stop -m immediate hit both mid-task; pg_terminate_backend hit the import
mid-task. Every run: 1,974-1,984 of 2,000 lines paid (1 % refused by the bank), ledger PAY ==
bank paid total == sum of the paid lines (e.g. 3,651,900,000 won), no statement paid twice.
compute, 8 runs, 0 violations: 2,000 statements, 3,700,200,000 won, identical checksum each
time (kill -9 mid-task 2 of 5, pgstop and terminate mid-task).
With faults in the first 80 % of the clean run's time, 2026-12-07 22:30 UTC, the machine idle,
``--statements 2000 --targets money``: baseline export 0.1 s, import 1.0 s; every fault of the
8 runs landed mid-task (kill -9 at 0.01-0.07 s of the export and 0.01-0.68 s of the import,
pgstop and terminate likewise); 0 violations; each run 1,974-1,984 lines paid and ledger PAY ==
bank paid total (3,651,900,000-3,671,000,000 won).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faults_harness as harness  # noqa: E402


def build_world(statements: int) -> dict:
    """The world every run copies: an approved national batch of ``statements`` lines."""
    from django.core.management import call_command
    from django.db import transaction
    from django_otp.oath import TOTP

    from bench.statements import SEPT, fixture
    from itda import factories
    from itda.accounts.roles import Role
    from itda.payments.batches import batch_approve, batch_draft
    from itda.payments.models import Budget, PaymentBatch
    from itda.payments.statements import statements_approve, statements_compute

    call_command("migrate", verbosity=0)
    kind = "internship_allowance"
    ready = PaymentBatch.objects.filter(state="approved").first()
    if ready is not None:  # the world of an earlier script run on the same --cluster
        return {"batch": ready.pk, "operator": ready.maker_id, "lines": ready.lines.count()}
    with transaction.atomic():
        operator = factories.user(username="faults-operator", role=Role.OPERATOR)
        checker = factories.user(username="faults-checker", role=Role.OPERATOR)
        programme, _group = fixture(statements, actor=operator)
        Budget.objects.create(programme=programme, source="national", kind=kind, amount_krw=10**12)
        statements_compute(programme=programme, month=SEPT, kind=kind)
        statements_approve(programme=programme, month=SEPT, kind=kind, actor=operator)
        batch, _left_out = batch_draft(
            programme=programme, group=None, month=SEPT, kind=kind, actor=operator
        )
        device = checker.totpdevice_set.get()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        batch_approve(batch=batch, actor=checker, token=f"{totp.token():06d}")
    return {"batch": batch.pk, "operator": operator.pk, "lines": batch.lines.count()}


def bank_answer(transfer: bytes, fail_rate: float, rng: random.Random) -> tuple[bytes, dict]:
    """The bank's result file for the transfer workbook (CSV, as banks send it): each line
    paid, or refused with a reason at ``fail_rate``; and the figures of both files."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(transfer), read_only=True).active
    header = {row[0]: row[1] for row in sheet.iter_rows(min_row=1, max_row=3, values_only=True)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["순번", "계좌번호", "금액", "처리결과", "사유"])
    figures = {"header_total": None, "lines": 0, "total": 0, "paid": {}, "failed": set()}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if not isinstance(row[0], int) or not isinstance(row[3], int):
            continue
        line_id, account, amount = row[0], row[2], row[3]
        ok = rng.random() >= fail_rate
        writer.writerow(
            [line_id, account, amount, "정상" if ok else "오류", "" if ok else "해지 계좌"]
        )
        figures["lines"] += 1
        figures["total"] += amount
        if ok:
            figures["paid"][line_id] = amount
        else:
            figures["failed"].add(line_id)
    figures["header_total"] = next(
        (v for k, v in header.items() if isinstance(v, int) and v > figures["lines"]), None
    )
    return out.getvalue().encode(), figures


def verify(world: dict, operator_file: bytes, export_shas: set[str], bank: dict) -> list[str]:
    """The run's invariants; a list of what did not hold."""
    from django.db import connection
    from django.db.models import Count, Sum

    from itda.payments.models import (
        BatchFile,
        BatchLine,
        EntryType,
        LedgerEntry,
        PaymentBatch,
        Statement,
    )

    violations: list[str] = []
    check = harness.check
    batch = PaymentBatch.objects.get(pk=world["batch"])
    lines = BatchLine.objects.filter(batch=batch)
    check(batch.state == "closed", f"batch {batch.state}, not closed", violations)
    transfer = list(BatchFile.objects.filter(batch=batch, kind="transfer"))
    check(len(transfer) == 1, f"{len(transfer)} stored transfer files", violations)
    stored_sha = transfer[0].sha256 if transfer else ""
    check(
        hashlib.sha256(operator_file).hexdigest() == stored_sha,
        "the operator's file differs from the stored one",
        violations,
    )
    check(
        export_shas <= {stored_sha},
        f"export attempts returned {len(export_shas)} files",
        violations,
    )
    results = list(BatchFile.objects.filter(batch=batch, kind="result"))
    check(
        len(results) == 1 and results[0].applied_at is not None,
        f"{len(results)} kept result files, applied: {[r.applied_at for r in results]}",
        violations,
    )
    line_total = lines.aggregate(s=Sum("amount_krw"))["s"]
    check(
        bank["header_total"] == line_total == bank["total"],
        f"transfer header {bank['header_total']}, lines {line_total}, file rows {bank['total']}",
        violations,
    )
    paid = dict(lines.filter(result="paid").values_list("pk", "amount_krw"))
    failed = set(lines.filter(result="failed").values_list("pk", flat=True))
    check(
        paid == bank["paid"], f"{len(paid)} paid lines, bank paid {len(bank['paid'])}", violations
    )
    check(failed == bank["failed"], f"{len(failed)} failed, bank {len(bank['failed'])}", violations)
    check(not lines.filter(result="pending").exists(), "lines still pending", violations)
    pay = LedgerEntry.objects.filter(entry_type=EntryType.PAY)
    pay_total = pay.aggregate(s=Sum("amount_krw"))["s"] or 0
    bank_paid = sum(bank["paid"].values())
    check(
        pay_total == bank_paid == sum(paid.values()),
        f"ledger PAY {pay_total:,} bank paid {bank_paid:,} paid lines {sum(paid.values()):,}",
        violations,
    )
    paid_statements = set(lines.filter(result="paid").values_list("statement", flat=True))
    wrong = (
        Statement.objects.filter(pk__in=paid_statements)
        .annotate(pay=Sum("ledger_entries__amount_krw", filter=_pay_filter()))
        .exclude(pay=models_f("amount_krw"))
        .count()
    )
    check(
        wrong == 0, f"{wrong} paid statements whose PAY entries differ from the amount", violations
    )
    states = dict(
        Statement.objects.filter(batch_lines__batch=batch)
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    check(
        states.get("paid", 0) == len(bank["paid"])
        and states.get("approved", 0) == len(bank["failed"]),
        f"statement states {states}",
        violations,
    )
    failed_statements = lines.filter(result="failed").values("statement")
    held = (
        LedgerEntry.objects.filter(
            entry_type=EntryType.COMMIT, statement__in=failed_statements
        ).aggregate(s=Sum("amount_krw"))["s"]
        or 0
    )
    check(held == 0, f"failed statements still hold {held:,} won committed", violations)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT statement_id FROM payments_batchline "
            "WHERE result IN ('pending', 'paid') GROUP BY statement_id HAVING count(*) > 1) d"
        )
        doubled = cursor.fetchone()[0]
    check(doubled == 0, f"{doubled} statements in two pending/paid lines", violations)
    return violations


def _pay_filter():
    from django.db.models import Q

    return Q(ledger_entries__entry_type="pay")


def models_f(name: str):
    from django.db.models import F

    return F(name)


def one_run(
    cluster: harness.Cluster,
    world: dict,
    *,
    number: int,
    fault: str,
    within: dict[str, float],
    fail_rate: float,
    rng: random.Random,
    keep: bool,
) -> dict:
    import faults_tasks
    from django_tasks_db.models import DBTaskResult

    from itda.accounts.models import User
    from itda.payments.batches import batch_transfer_file
    from itda.payments.models import PaymentBatch

    name = f"faults_run_{number}"
    cluster.copy(harness.WORLD, name)
    harness.use_database(name)
    worker = harness.Worker(cluster, name, cluster.root / f"{name}.log")
    started = time.monotonic()
    try:
        export = harness.run_task(
            name="export",
            enqueue=lambda: faults_tasks.export_batch.enqueue(world["batch"], world["operator"]),
            worker=worker,
            fault=fault,
            within=within.get("export", 1.0),
            rng=rng,
        )
        operator = User.objects.get(pk=world["operator"])
        transfer, _lines = batch_transfer_file(
            batch=PaymentBatch.objects.get(pk=world["batch"]), actor=operator
        )
        export_shas = set(
            DBTaskResult.objects.filter(
                task_path__endswith="export_batch", status="SUCCESSFUL"
            ).values_list("return_value", flat=True)
        )
        answer, bank = bank_answer(transfer, fail_rate, rng)
        path = cluster.root / f"{name}-result.csv"
        path.write_bytes(answer)
        imported = harness.run_task(
            name="import",
            enqueue=lambda: faults_tasks.import_results.enqueue(
                world["batch"], str(path), world["operator"]
            ),
            worker=worker,
            fault=fault,
            within=within.get("import", 1.0),
            rng=rng,
        )
        violations = verify(world, transfer, export_shas, bank)
    finally:
        worker.stop()
    from django.db.models import Sum

    from itda.payments.models import LedgerEntry

    pay_total = LedgerEntry.objects.filter(entry_type="pay").aggregate(s=Sum("amount_krw"))["s"]
    harness.use_database(harness.WORLD)
    if not keep:
        cluster.drop(name)
    return {
        "export": export,
        "import": imported,
        "bank": bank,
        "pay_total": pay_total or 0,
        "violations": violations,
        "seconds": time.monotonic() - started,
    }


BASE = "faults_base"  # the world before any statement was computed


def world_figures(cluster: harness.Cluster) -> dict:
    """What the computation target expects (the world's statements: how many, their total and
    a checksum of payee and amount), and its starting point: a copy of the world with the
    payment tables emptied (made once per cluster)."""
    from django.db import connection

    from bench.statements import SEPT

    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT_FIGURES)
        count, total, checksum = cursor.fetchone()
        cursor.execute("SELECT DISTINCT programme_id FROM payments_statement")
        (programme,) = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BASE])
        made = cursor.fetchone()
    connection.close()
    if not made:
        cluster.copy(harness.WORLD, BASE)
        import psycopg

        with psycopg.connect(cluster.database_url(BASE), autocommit=True) as conn:
            conn.execute("TRUNCATE payments_statement, payments_paymentbatch CASCADE")
    return {
        "statements": count,
        "statement_total": total,
        "checksum": checksum,
        "programme": programme,
        "month": SEPT.isoformat(),
        "kind": "internship_allowance",
    }


_STATEMENT_FIGURES = """
SELECT count(*), coalesce(sum(amount_krw), 0),
       md5(string_agg(trainee_id || ':' || amount_krw || ':' || period_start, ','
                      ORDER BY trainee_id))
FROM payments_statement
"""


def compute_run(
    cluster: harness.Cluster,
    world: dict,
    *,
    number: int,
    fault: str,
    within: dict[str, float],
    rng: random.Random,
    keep: bool,
    **_money,
) -> dict:
    """One run of the statements' computation (``statements_compute``) on a copy of the world
    before it: after the fault and the rerun, the same statements as the world's, once each."""
    import faults_tasks
    from django.db import connection

    name = f"faults_compute_{number}"
    cluster.copy(BASE, name)
    harness.use_database(name)
    worker = harness.Worker(cluster, name, cluster.root / f"{name}.log")
    started = time.monotonic()
    try:
        step = harness.run_task(
            name="compute",
            enqueue=lambda: faults_tasks.compute_statements.enqueue(
                world["programme"], world["month"], world["kind"]
            ),
            worker=worker,
            fault=fault,
            within=within.get("compute", 1.0),
            rng=rng,
        )
    finally:
        worker.stop()
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT_FIGURES)
        count, total, checksum = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM payments_statement GROUP BY trainee_id, "
            "company_id, period_start, kind, programme_id HAVING count(*) > 1) d"
        )
        (doubled,) = cursor.fetchone()
    violations: list[str] = []
    harness.check(
        (count, total) == (world["statements"], world["statement_total"]),
        f"{count:,} statements, {total:,} won; expected {world['statements']:,}, "
        f"{world['statement_total']:,}",
        violations,
    )
    harness.check(checksum == world["checksum"], "payees or amounts differ", violations)
    harness.check(doubled == 0, f"{doubled} payees with two statements", violations)
    harness.use_database(harness.WORLD)
    if not keep:
        cluster.drop(name)
    return {
        "compute": step,
        "count": count,
        "total": total,
        "violations": violations,
        "seconds": time.monotonic() - started,
    }


MONEY_HEADERS = [
    "run",
    "fault",
    "export hit at",
    "export 1st",
    "import hit at",
    "import 1st",
    "paid lines",
    "ledger PAY",
    "bank paid total",
    "checks",
]
COMPUTE_HEADERS = ["run", "fault", "compute hit at", "compute 1st", "statements", "total", "checks"]


def money_row(number, fault, result) -> list:
    export, imported, bank = result["export"], result["import"], result["bank"]
    return [
        number,
        fault,
        f"{export.seconds:.1f} s" if fault == "none" else export.at,
        export.first or "-",
        f"{imported.seconds:.1f} s" if fault == "none" else imported.at,
        imported.first or "-",
        f"{len(bank['paid']):,}/{bank['lines']:,}",
        f"{result['pay_total']:,}",
        f"{sum(bank['paid'].values()):,}",
        "OK" if not result["violations"] else "; ".join(result["violations"]),
    ]


def compute_row(number, fault, result) -> list:
    step = result["compute"]
    return [
        number,
        fault,
        f"{step.seconds:.1f} s" if fault == "none" else step.at,
        step.first or "-",
        f"{result['count']:,}",
        f"{result['total']:,}",
        "OK" if not result["violations"] else "; ".join(result["violations"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5, help="runs with kill -9 of the worker")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fail-rate", type=float, default=0.01, help="lines the bank refuses")
    parser.add_argument(
        "--faults",
        default="",
        help="comma-separated faults instead of the default plan (none, kill9, pgstop, terminate)",
    )
    parser.add_argument(
        "--targets",
        default="money,compute",
        help="money: the batch's export and result import; compute: the statements' computation",
    )
    parser.add_argument("--keep", action="store_true", help="keep the cluster and run databases")
    parser.add_argument(
        "--cluster",
        default="",
        help="the cluster's directory, kept: a later run with it skips the migration and the "
        "world (the --statements of the first run)",
    )
    args = parser.parse_args()
    plan = harness.plan(args.faults, args.runs)
    rng = random.Random(args.seed)  # noqa: S311 - fault timing, not secrets
    cluster = harness.start(root=args.cluster)
    targets = {
        "money": (one_run, money_row, MONEY_HEADERS, ("export", "import")),
        "compute": (compute_run, compute_row, COMPUTE_HEADERS, ("compute",)),
    }
    try:
        t0 = time.monotonic()
        world = build_world(args.statements)
        from django.db import connections

        connections.close_all()
        world |= world_figures(cluster)
        print(
            f"world: {world['lines']:,} approved statements in one approved batch "
            f"({world['statement_total']:,} won), {time.monotonic() - t0:.1f} s "
            f"(cluster {cluster.root})"
        )
        failures, tables = 0, []
        for target in args.targets.split(","):
            run, row_of, headers, steps = targets[target]
            within: dict[str, float] = {}
            rows = []
            for number, fault in enumerate(plan, start=1):
                result = run(
                    cluster,
                    world,
                    number=number,
                    fault=fault,
                    within=within,
                    fail_rate=args.fail_rate,
                    rng=rng,
                    keep=args.keep,
                )
                if fault == "none" and not within:
                    # Faults land in the first 80% of the clean run's time: mid-task, as a rule.
                    within = {step: result[step].seconds * 0.8 for step in steps}
                failures += bool(result["violations"])
                rows.append(row_of(number, fault, result))
                print(
                    f"  {target} run {number} ({fault}) done in {result['seconds']:.1f} s: "
                    + ("; ".join(result["violations"]) or "OK"),
                    flush=True,
                )
            tables.append((target, headers, rows))
        for target, headers, rows in tables:
            print(f"\n{target}")
            harness.print_table(headers, rows)
        print(
            f"\n{len(plan)} runs of {args.targets}, {failures} with violations "
            f"({world['lines']:,} statements, seed {args.seed})"
        )
        return 1 if failures else 0
    finally:
        harness.cleanup(cluster, args.keep or bool(args.cluster))


if __name__ == "__main__":
    sys.exit(main())
