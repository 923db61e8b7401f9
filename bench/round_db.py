"""Benchmark: a match round of 1,000 trainees and ~200 positions from the database.

    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/round_db.py [--trainees 1000]
        [--positions 200] [--choices 10] [--runs 3]

Without DATABASE_URL it runs on a throwaway embedded PostgreSQL (like the other benches); with
it, the database must be an empty throwaway one (it is migrated and filled). Builds a seeded
national round (3 regions, each trainee ranks ``--choices`` positions, each position ranks
about 80% of those who chose it, seats 1–8), then times in this process, median of ``--runs``:

- dry run: ``round_dry_run`` — load the input from the database, solve with all three
  algorithms, statistics for each (target < 2 s);
- publish: ``round_publish`` — load, solve with explanations, store the frozen run, mark the
  round, bulk-create the placements, in one transaction (rolled back after each run so every
  run publishes the same round; target < 5 s).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class _Rollback(Exception):
    pass


def build(args):
    from itda import factories
    from itda.accounts.roles import Role
    from itda.internships.models import Position
    from itda.matching.models import CompanyRanking, MatchRound, RoundStatus, TraineeChoice
    from itda.programs.models import Company, Trainee
    from itda.training.models import Enrollment

    rng = random.Random(2026)  # noqa: S311 — synthetic data, seeded for repeatability
    world = factories.reference_world()
    regions = [world["seoul"], world["busan"], world["gyeonggi"]]
    operator = factories.user(username="bench-operator", role=Role.OPERATOR)
    cohort = factories.cohort(group=world["capital_group"], track=world["track"])
    trainees = Trainee.objects.bulk_create(
        [factories.TraineeFactory.build(region=rng.choice(regions)) for _ in range(args.trainees)],
        batch_size=1000,
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(cohort=cohort, trainee=t, status="completed", enrolled_by=operator)
            for t in trainees
        ],
        batch_size=1000,
    )
    companies = Company.objects.bulk_create(
        [
            factories.CompanyFactory.build(region=rng.choice(regions))
            for _ in range(args.positions // 2)
        ]
    )
    positions = Position.objects.bulk_create(
        [
            Position(
                company=rng.choice(companies),
                track=world["track"],
                title=f"벤치 포지션 {i}",
                duties="-",
                seats=rng.randint(1, 8),
                region=rng.choice(regions),
                site_address="-",
                mentor_name="-",
                status="published",
                created_by=operator,
            )
            for i in range(args.positions)
        ]
    )
    now = datetime(2026, 8, 3, tzinfo=UTC)
    round_ = MatchRound.objects.create(
        programme=world["programme"],
        title="벤치 전국 라운드",
        trainee_deadline=now,
        company_deadline=now,
        status=RoundStatus.OPEN,
        created_by=operator,
    )
    # Popular positions attract more choices, as in life.
    weights = [rng.paretovariate(1.5) for _ in positions]
    choices, applicants = [], {p.pk: [] for p in positions}
    for t in trainees:
        picked: list = []
        while len(picked) < args.choices:
            p = rng.choices(positions, weights=weights)[0]
            if p not in picked:
                picked.append(p)
        for rank, p in enumerate(picked, start=1):
            choices.append(TraineeChoice(round=round_, trainee=t, position=p, rank=rank))
            applicants[p.pk].append(t)
    TraineeChoice.objects.bulk_create(choices, batch_size=5000)
    rankings = []
    for p in positions:
        accepted = [t for t in applicants[p.pk] if rng.random() < 0.8]
        rng.shuffle(accepted)
        rankings += [
            CompanyRanking(round=round_, position=p, trainee=t, rank=r)
            for r, t in enumerate(accepted, start=1)
        ]
    CompanyRanking.objects.bulk_create(rankings, batch_size=5000)
    return round_, operator, now + timedelta(days=1), len(choices), len(rankings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--positions", type=int, default=200)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    embedded = not os.environ.get("DATABASE_URL")
    data_dir = tempfile.mkdtemp(prefix="itda-bench-round-")
    if embedded:
        os.environ["ITDA_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from itda.internships.models import Placement
    from itda.matching import services

    try:
        call_command("migrate", verbosity=0)
        round_, operator, after, n_choices, n_rankings = build(args)
        print(
            f"round: {args.trainees} trainees, {args.positions} positions, "
            f"{n_choices} choices, {n_rankings} company rankings"
        )
        dry_times, publish_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            dry = services.round_dry_run(round_=round_, actor=operator, today=after.date())
            dry_times.append(time.perf_counter() - start)
        for _ in range(args.runs):
            try:
                with transaction.atomic():
                    start = time.perf_counter()
                    run = services.round_publish(
                        round_=round_, algorithm="trainee-proposing", actor=operator, now=after
                    )
                    publish_times.append(time.perf_counter() - start)
                    placed = Placement.objects.count()
                    raise _Rollback
            except _Rollback:
                round_.refresh_from_db()
        for r in dry["runs"]:
            s = r["stats"]
            print(
                f"  {r['algorithm']:<19} placed {s['placed']:>4}  unplaced {s['unplaced']:>4}  "
                f"empty seats {s['empty_seats']:>4}  blocking pairs {s['blocking_pairs']}"
            )
        print(f"published run: {placed} placements, input sha256 {run.input_sha256[:16]}…")
        print(
            f"dry run (load, solve ×3, statistics): median {statistics.median(dry_times):.3f} s "
            f"(runs {', '.join(f'{t:.3f}' for t in dry_times)}; target < 2 s)"
        )
        print(
            f"publish (load, solve, store, place):  median {statistics.median(publish_times):.3f}"
            f" s (runs {', '.join(f'{t:.3f}' for t in publish_times)}; target < 5 s)"
        )
    finally:
        if embedded:
            from itda.lib import embedded_pg

            embedded_pg.stop(Path(data_dir) / "pgdata")


if __name__ == "__main__":
    main()
