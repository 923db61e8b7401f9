"""Faults during a match publish, an Excel import commit and a certificate batch (issue 16):
after each fault and a rerun, nothing is lost and nothing doubled.

    .venv/bin/python scripts/faults_work.py [--targets match,import,certificates]
        [--trainees 500] [--rows 2000] [--certificates 100] [--runs 5] [--seed 1]
        [--cluster DIR]

Starts its own throwaway PostgreSQL cluster (``faults_harness``: the machine's shared server is
never touched), migrates one empty database and builds each target's world from a copy of it
once; every run works on its own copy of that world. Run 1 of a target has no fault and times
it; then ``--runs`` runs with ``kill -9``, one with ``pg_ctl stop -m immediate`` and one with
``pg_terminate_backend`` of the app's connections, each at a random moment inside the
operation, then the rerun and the checks:

- match: a national round of ``--trainees`` trainees (``bench/round_db.py``'s world), published
  through the web process as its staff member does (gunicorn with one worker on loopback, a
  signed-in operator's session, the publish form posted); ``kill -9`` kills the web worker
  serving the request. Publish runs in the request, in one transaction, so the faults aim at
  its write step: between the first write the clean run's trace saw (the run's INSERT) and its
  last statement. The rerun is the operator's second click. Checks: the round published, by
  one run, once; its placements == the engine's result on the round's input (taken before the
  publish), each trainee placed at most once; the run's input checksum is that input's.
- import: a company call and a generated list of ``--rows`` rows with the usual mess
  (``bench/import_preview.py``; the rows with problems excluded, as the operator does), queued
  as a job (``import_job_create``, as the upload page does for long lists) and run by a
  ``manage.py db_worker`` that the faults hit. The rerun is the operator's: the stale-job sweep
  (``import_jobs_fail_stale``, its bound shortened to 3 s here), then, unless a job is done, the
  list uploaded again. Checks: applications == the list's rows (count and a checksum of the
  business numbers), one company each, one job done with that count, every other job failed,
  none left running, no list left in the private upload folder.
- certificates: a cohort of ``--certificates`` completed trainees and the certificate batch
  task (``cohort_certificates_issue``: serials, then PDFs committed 25 at a time) on a worker.
  The rerun enqueues the batch again. Checks: one certificate per completed trainee, serials
  gapless from 000001, every PDF on disk with its recorded SHA-256, no file without a
  certificate.

Prints a table per target; exits 1 on any violation.

Measured 2026-12-08 00:17-00:41 UTC on the 2-core machine shared with other work (load 13-16),
``--targets match,import,certificates --trainees 500 --rows 500 --certificates 50 --cluster
DIR``, seed 1: 8 runs of each target, 0 violations.
match (500 trainees, 100 positions, 409 placed; clean publish 1.4 s, faults aimed at 0.71-1.28 s,
its write step): kill -9 of the web worker struck in the placements' INSERT in 3 of 5 runs (the
request cut off; the second click published), 2 of 5 landed just after the answer (the second
click refused: already published); pg_ctl stop struck the reads (500, then published);
pg_terminate_backend landed after. Every run: one run stored, 409 placements == the engine's.
import (500 rows, 10 with problems excluded, 490 imported; clean job 3.4 s): kill -9 of the
worker mid-commit in 4 of 5 runs (reading the file, reserving ids, writing companies), then the
sweep failed the dead job and the upload again imported 490 rows; 1 after the job was done (no
upload again); pg_ctl stop landed after; pg_terminate_backend at its start. Every run: 490
applications, one company each, one job done, the others failed, no list left.
certificates (50 trainees; clean batch 24.5 s): every fault mid-batch (kill -9 at 4.5-18.6 s,
rendering a chunk of 25; pg_ctl stop and terminate at 0.5-0.7 s); every run: 50 certificates,
serials 000001-000050, each PDF on disk with its SHA-256, no stray file. Before the fix in
``certificates_render`` a rerun kept an interrupted chunk's files beside new ones
(``ITDA-2026-000001_CMxxLXj.pdf``); ``test_certificates.py`` holds it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faults_harness as harness  # noqa: E402

ALGORITHM = "trainee-proposing"
WRITES = {"INSERT matching_matchrun", "UPDATE matching_matchround", "INSERT internships_placement"}


# --- match -----------------------------------------------------------------------------------


def build_match(trainees: int) -> dict:
    """A national round whose company deadline has passed: ``trainees`` trainees with
    completed training, a fifth as many positions, 5 choices each, companies' rankings."""
    import argparse as _argparse

    from bench.round_db import build

    round_, operator, _after, choices, rankings = build(
        _argparse.Namespace(trainees=trainees, positions=max(trainees // 5, 1), choices=5)
    )
    return {"round": round_.pk, "operator": operator.pk, "choices": choices}


def engine_result(round_id: int) -> tuple[str, set[tuple[int, int]]]:
    """The engine's result on the round's input as it is now: its checksum and the pairs."""
    from django.utils import timezone

    from itda.matching.engine import input_sha256, solve_json
    from itda.matching.models import MatchRound
    from itda.matching.selectors import round_input

    data = round_input(MatchRound.objects.get(pk=round_id), today=timezone.localdate())
    result = solve_json(data, algorithm=ALGORITHM)
    pairs = {(int(t[1:]), int(p[1:])) for t, p in result["assignment"].items() if p is not None}
    return input_sha256(data), pairs


def verify_match(world: dict, sha: str, expected: set[tuple[int, int]]) -> list[str]:
    from django.db.models import Count

    from itda.internships.models import Placement
    from itda.matching.models import MatchRound, MatchRun

    violations: list[str] = []
    check = harness.check
    round_ = MatchRound.objects.get(pk=world["round"])
    runs = list(MatchRun.objects.filter(round=round_))
    check(round_.status == "published", f"round {round_.status}", violations)
    check(len(runs) == 1, f"{len(runs)} runs stored", violations)
    check(round_.published_run_id == (runs[0].pk if runs else None), "published run", violations)
    check(all(r.input_sha256 == sha for r in runs), "the run's input differs", violations)
    placed = Placement.objects.filter(origin__startswith=f"match-round:{round_.pk} ")
    pairs = set(placed.values_list("trainee_id", "position_id"))
    check(placed.count() == len(expected), f"{placed.count()} placements", violations)
    check(pairs == expected, f"{len(pairs ^ expected)} pairs differ from the engine", violations)
    twice = Placement.objects.values("trainee").annotate(n=Count("pk")).filter(n__gt=1).count()
    check(twice == 0, f"{twice} trainees placed twice", violations)
    return violations


def match_run(cluster, world, *, number, fault, window, rng, keep, **_):
    from itda.accounts.models import User

    name = f"faults_match_{number}"
    cluster.copy("faults_match_world", name)
    harness.use_database(name)
    sha, expected = engine_result(world["round"])
    web = harness.Web(cluster, name, cluster.root / f"{name}.log")
    started = time.monotonic()
    try:
        web.start()
        web.sign_in(User.objects.get(pk=world["operator"]))
        path = f"/rounds/{world['round']}/publish/"
        step = harness.run_request(
            name="publish",
            post=lambda: web.post(path, {"algorithm": ALGORITHM, "confirm": "on"}),
            web=web,
            fault=fault,
            after=window.get("after", 0.0),
            within=window.get("within", 1.0),
            rng=rng,
        )
    finally:
        web.stop()
    violations = verify_match(world, sha, expected)
    if fault == "none" and not step.first.startswith("302 /rounds/"):
        violations.append(f"the publish answered {step.first}")
    _done(cluster, name, keep)
    return {
        "step": step,
        "placed": len(expected),
        "violations": violations,
        "seconds": time.monotonic() - started,
    }


def match_window(step) -> dict:
    """Faults aim at the write step: from the first write the clean run's trace saw to its
    last statement in the transaction."""
    writes = [t for t, statement in step.trace if WRITES.intersection(statement.split("; "))]
    busy = [t for t, statement in step.trace if statement != "-"]
    end = max(busy[-1] if busy else step.seconds, writes[-1] if writes else 0.0)
    start = writes[0] if writes else 0.0
    return {"after": start, "within": max(end, start + 0.01)}


# --- import ----------------------------------------------------------------------------------


def build_import(rows: int, directory: Path) -> dict:
    """A company call open now, and its list of ``rows`` rows with the problems excluded."""
    from django.core.management import call_command
    from django.utils import timezone

    from bench.import_preview import build_file
    from itda import factories
    from itda.accounts.roles import Role
    from itda.programs.models import Programme
    from itda.recruitment.imports import import_preview
    from itda.recruitment.models import Call

    call_command("load_reference", verbosity=0)
    operator = factories.user(username="faults-import", role=Role.OPERATOR)
    now = timezone.now()
    call = Call.objects.create(
        programme=Programme.objects.order_by("pk").first(),
        kind="company",
        title="장애 시험 공모",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=3650),
    )
    path = directory / "import-list.xlsx"
    build_file(path, kind="company", rows=rows)
    preview = import_preview(call=call, file=str(path))
    exclude = sorted(preview.problem_rows)
    numbers = sorted(r.values["business_number"] for r in preview.rows if r.number not in exclude)
    return {
        "call": call.pk,
        "operator": operator.pk,
        "path": str(path),
        "exclude": exclude,
        "expected": len(numbers),
        "checksum": hashlib.md5(",".join(numbers).encode()).hexdigest(),  # noqa: S324
    }


def _upload(world: dict):
    """What the upload page does with a long list: keep it and queue the job; the job's task."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from itda.accounts.models import User
    from itda.recruitment.import_jobs import import_job_create
    from itda.recruitment.models import Call

    with transaction.atomic(), open(world["path"], "rb") as fh:
        import_job_create(
            call=Call.objects.get(pk=world["call"]),
            file=fh,
            original_name="명단.xlsx",
            exclude_rows=world["exclude"],
            actor=User.objects.get(pk=world["operator"]),
        )
    return DBTaskResult.objects.filter(task_path__endswith="import_job_run_task").latest(
        "enqueued_at"
    )


def _upload_again(world: dict):
    """The operator after a fault: the page shows a dead job failed once its heartbeat is
    stale (the sweep); unless a job is done, the list goes up again."""
    from django.conf import settings
    from django.utils import timezone

    from itda.recruitment.import_jobs import import_jobs_fail_stale
    from itda.recruitment.models import ImportJob

    deadline = time.monotonic() + harness.TASK_TIMEOUT
    while time.monotonic() < deadline:
        fresh = ImportJob.objects.filter(
            status__in=["queued", "running"],
            heartbeat_at__gte=timezone.now() - settings.ITDA_IMPORT_JOB_STALE_AFTER,
        )
        if not fresh.exists():
            break
        time.sleep(0.2)
    import_jobs_fail_stale()
    if ImportJob.objects.filter(status="done").exists():
        return None
    return _upload(world)


def verify_import(world: dict) -> list[str]:
    from django.conf import settings

    from itda.recruitment.models import Application, ImportJob

    violations: list[str] = []
    check = harness.check
    applications = Application.objects.filter(call_id=world["call"])
    numbers = sorted(applications.values_list("company__business_number", flat=True))
    check(
        len(numbers) == world["expected"],
        f"{len(numbers):,} applications of {world['expected']:,} rows",
        violations,
    )
    checksum = hashlib.md5(",".join(numbers).encode()).hexdigest()  # noqa: S324
    check(checksum == world["checksum"], "the applicants differ from the list's", violations)
    companies = applications.values("company").distinct().count()
    check(companies == len(numbers), f"{companies} companies for {len(numbers)}", violations)
    from itda.programs.models import Company

    check(
        Company.objects.count() == world["expected"],
        f"{Company.objects.count()} companies stored",
        violations,
    )
    jobs = list(ImportJob.objects.values_list("status", "rows_done"))
    done = [rows for status, rows in jobs if status == "done"]
    check(done == [world["expected"]], f"done jobs {done}", violations)
    check(
        all(status in ("done", "failed") for status, _rows in jobs),
        f"jobs {sorted(s for s, _r in jobs)}",
        violations,
    )
    left = list((settings.DATA_DIR / "uploads" / "imports" / "jobs").glob("*"))
    check(not left, f"{len(left)} lists left in the upload folder", violations)
    return violations


def _worker_run(cluster, world, *, target, number, fault, window, rng, keep, files, **task):
    """One run of a worker's task on a copy of ``target``'s world (``files`` emptied first):
    the fault, the rerun; the step and the database, still in use, to check."""
    name = f"faults_{target}_{number}"
    cluster.copy(f"faults_{target}_world", name)
    harness.use_database(name)
    shutil.rmtree(files, ignore_errors=True)
    worker = harness.Worker(cluster, name, cluster.root / f"{name}.log")
    try:
        step = harness.run_task(
            name=target, worker=worker, fault=fault, within=window.get("within", 1.0), rng=rng,
            **task,
        )  # fmt: skip
    finally:
        worker.stop()
    return step, name


def _done(cluster, name: str, keep: bool) -> None:
    harness.use_database(harness.WORLD)
    if not keep:
        cluster.drop(name)


def import_run(cluster, world, *, keep, **run):
    from django.conf import settings

    from itda.recruitment.models import ImportJob

    started = time.monotonic()
    step, name = _worker_run(
        cluster, world, target="import", keep=keep,
        files=settings.DATA_DIR / "uploads" / "imports",
        enqueue=lambda: _upload(world), rerun=lambda: _upload_again(world), **run,
    )  # fmt: skip
    violations = verify_import(world)
    jobs = ImportJob.objects.count()
    _done(cluster, name, keep)
    return {
        "step": step,
        "placed": f"{world['expected']:,} rows, {jobs} job(s)",
        "violations": violations,
        "seconds": time.monotonic() - started,
    }


# --- certificates ----------------------------------------------------------------------------


def build_certificates(trainees: int) -> dict:
    from bench.certificates import build_cohort

    return {"cohort": build_cohort(trainees).pk, "trainees": trainees}


def verify_certificates(world: dict) -> list[str]:
    from django.conf import settings

    from itda.training.completion import SERIAL_PREFIX
    from itda.training.models import Certificate, Enrollment

    violations: list[str] = []
    check = harness.check
    completed = Enrollment.objects.filter(cohort_id=world["cohort"], status="completed")
    certificates = list(Certificate.objects.filter(enrollment__cohort_id=world["cohort"]))
    check(
        len(certificates) == completed.count() == world["trainees"],
        f"{len(certificates)} certificates, {completed.count()} completed",
        violations,
    )
    check(
        len({c.enrollment_id for c in certificates}) == len(certificates),
        "an enrolment with two certificates",
        violations,
    )
    year = {c.serial.split("-")[1] for c in certificates}
    count = len(certificates)
    expected = {f"{SERIAL_PREFIX}-{y}-{n:06d}" for y in year for n in range(1, 1 + count)}
    check(
        {c.serial for c in certificates} == expected and len(year) == 1,
        "serials not gapless from 000001",
        violations,
    )
    media = Path(settings.MEDIA_ROOT)
    bad = [
        c.serial
        for c in certificates
        if not c.pdf
        or not (media / c.pdf.name).exists()
        or hashlib.sha256((media / c.pdf.name).read_bytes()).hexdigest() != c.pdf_sha256
    ]
    check(not bad, f"{len(bad)} certificates without their PDF ({bad[:3]})", violations)
    files = {str(p.relative_to(media)) for p in (media / "certificates").rglob("*.pdf")}
    stray = files - {c.pdf.name for c in certificates}
    check(not stray, f"{len(stray)} files of no certificate ({sorted(stray)[:3]})", violations)
    return violations


def certificates_run(cluster, world, *, keep, **run):
    from django.conf import settings

    from itda.training.tasks import cohort_certificates_issue_task

    started = time.monotonic()
    step, name = _worker_run(
        cluster, world, target="certificates", keep=keep,
        files=Path(settings.MEDIA_ROOT) / "certificates",
        enqueue=lambda: cohort_certificates_issue_task.enqueue(cohort_id=world["cohort"]), **run,
    )  # fmt: skip
    violations = verify_certificates(world)
    _done(cluster, name, keep)
    return {
        "step": step,
        "placed": f"{world['trainees']} certificates",
        "violations": violations,
        "seconds": time.monotonic() - started,
    }


HEADERS = ["run", "fault", "hit at", "statement then", "1st attempt", "rerun", "result", "checks"]


def row_of(number: int, fault: str, result: dict) -> list:
    step = result["step"]
    return [
        number,
        fault,
        f"{step.seconds:.2f} s" if fault == "none" else step.at,
        step.statement,
        step.first or "-",
        step.again or f"{step.rerun_s:.1f} s",
        result["placed"],
        "OK" if not result["violations"] else "; ".join(result["violations"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default="match,import,certificates")
    parser.add_argument("--trainees", type=int, default=500, help="match: the round's trainees")
    parser.add_argument("--rows", type=int, default=2_000, help="import: the list's rows")
    parser.add_argument("--certificates", type=int, default=100, help="the cohort's trainees")
    parser.add_argument("--runs", type=int, default=5, help="runs with kill -9")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", default="", help="comma-separated faults instead of the plan")
    parser.add_argument("--keep", action="store_true", help="keep the cluster and run databases")
    parser.add_argument("--cluster", default="", help="the cluster's directory, kept and reused")
    args = parser.parse_args()
    plan = harness.plan(args.faults, args.runs)
    rng = random.Random(args.seed)  # noqa: S311 - fault timing, not secrets
    cluster = harness.start(root=args.cluster)
    from django.conf import settings

    # The operator's sweep of stale import jobs, shortened from minutes so reruns are quick.
    settings.ITDA_IMPORT_JOB_STALE_AFTER = datetime.timedelta(seconds=3)
    targets = {
        "match": (match_run, lambda: build_match(args.trainees), match_window),
        "import": (
            import_run,
            lambda: build_import(args.rows, cluster.root),
            lambda step: {"within": step.seconds * 0.8},
        ),
        "certificates": (
            certificates_run,
            lambda: build_certificates(args.certificates),
            lambda step: {"within": step.seconds * 0.8},
        ),
    }
    failures, tables = 0, []
    try:
        for target in args.targets.split(","):
            run, build, window_of = targets[target]
            t0 = time.monotonic()
            world = harness.world(cluster, f"faults_{target}_world", build)
            print(f"{target} world: {world} ({time.monotonic() - t0:.1f} s)", flush=True)
            window: dict = {}
            rows = []
            for number, fault in enumerate(plan, start=1):
                result = run(
                    cluster, world, number=number, fault=fault, window=window, rng=rng,
                    keep=args.keep,
                )  # fmt: skip
                if fault == "none" and not window:
                    window = window_of(result["step"])
                    print(f"  faults between {window.get('after', 0):.2f} and "
                          f"{window['within']:.2f} s into the {target}")  # fmt: skip
                failures += bool(result["violations"])
                rows.append(row_of(number, fault, result))
                print(
                    f"  {target} run {number} ({fault}) done in {result['seconds']:.1f} s: "
                    + ("; ".join(result["violations"]) or "OK"),
                    flush=True,
                )
            tables.append((target, rows))
        for target, rows in tables:
            print(f"\n{target}")
            harness.print_table(HEADERS, rows)
        print(f"\n{len(plan)} runs each of {args.targets}, {failures} with violations")
        return 1 if failures else 0
    finally:
        harness.cleanup(cluster, args.keep or bool(args.cluster))


if __name__ == "__main__":
    sys.exit(main())
