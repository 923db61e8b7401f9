"""Benchmark: aggregation and ranking with quotas, at the issue's figure (10,000 × 5 × 4).

    .venv/bin/python bench/ranking.py
    .venv/bin/python bench/ranking.py --applications 10000 --sheets 5 --criteria 4 --runs 7

Builds a seeded synthetic call (7 regions, 2 tracks, 2 company types, a quota on each, total
seats, a cut-off and a waitlist), then times ``rank()`` for each method in this process: the
whole call, validation and canonical JSON and hashing included. Building the input dataclasses
is the caller's work and is timed separately. Prints every method's median over the runs.
The target is well under 2 s per ranking.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from itda.evaluation.engine import ranking  # noqa: E402

REGIONS = ["capital", "chungcheong", "honam", "daegyeong", "dongnam", "gangwon", "jeju"]
TRACKS = ["track1", "track2"]
COMPANY_TYPES = ["smart_factory", "ai_supplier"]


def build_input(applications: int, sheets: int, criteria: int, method: str, seed: int):
    rng = random.Random(seed)  # noqa: S311 — synthetic data, seeded for repeatability
    crits = tuple(
        ranking.Criterion(id=f"c{i + 1}", max_points=rng.choice([10, 20, 25, 30]), weight=i + 1)
        for i in range(criteria)
    )
    opened = datetime(2026, 5, 20, tzinfo=UTC)
    applicants = tuple(
        ranking.Applicant(
            id=f"A{n:06d}",
            submitted_at=(opened + timedelta(seconds=rng.randrange(23 * 86400))).isoformat(),
            groups={
                "region": rng.choice(REGIONS),
                "track": rng.choices(TRACKS, weights=[5, 1])[0],
                "company_type": rng.choice(COMPANY_TYPES),
            },
        )
        for n in range(applications)
    )
    evaluators = [f"E{n:04d}" for n in range(max(sheets, applications // 50))]
    harshness = {e: rng.uniform(-0.15, 0.15) for e in evaluators}
    rows = []
    for applicant in applicants:
        quality = rng.uniform(0.3, 0.95)
        for evaluator in rng.sample(evaluators, sheets):
            rows.append(
                ranking.Sheet(
                    application_id=applicant.id,
                    evaluator_id=evaluator,
                    scores=tuple(
                        round(
                            min(1.0, max(0.0, quality + harshness[evaluator] + rng.gauss(0, 0.05)))
                            * c.max_points,
                            1,
                        )
                        for c in crits
                    ),
                )
            )
    rng.shuffle(rows)
    quotas = (
        *(ranking.Quota("region", r, 80) for r in REGIONS),
        ranking.Quota("track", "track2", 80),
        ranking.Quota("company_type", "ai_supplier", 200),
    )
    return ranking.RankingInput(
        criteria=crits,
        applicants=applicants,
        sheets=tuple(rows),
        method=method,
        tie_break=tuple(c.id for c in crits[::-1]),
        cutoff=60.0 if method != "zscore" else 45.0,
        total_seats=480,
        quotas=quotas,
        waitlist_size=100,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--sheets", type=int, default=5)
    parser.add_argument("--criteria", type=int, default=4)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(
        f"{args.applications} applications × {args.sheets} sheets × {args.criteria} criteria, "
        f"{args.runs} runs each"
    )
    for method in ("mean", "trimmed_mean", "zscore"):
        started = time.perf_counter()
        inp = build_input(args.applications, args.sheets, args.criteria, method, args.seed)
        built = time.perf_counter() - started
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = ranking.rank(inp)
            seconds.append(time.perf_counter() - started)
        counts: dict[str, int] = {}
        for row in result.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(
            f"{method:>12}: median {statistics.median(seconds) * 1000:7.1f} ms "
            f"(min {min(seconds) * 1000:.1f}, max {max(seconds) * 1000:.1f}; "
            f"building the input {built * 1000:.0f} ms) — {summary}"
        )


if __name__ == "__main__":
    main()
