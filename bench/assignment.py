"""Benchmark: evaluator assignment (min-cost flow) at the scale the issue names.

    .venv/bin/python bench/assignment.py [--runs 7] [--seed 1]

Cases (the figure to reach: 100 evaluators × 2,000 applications × 3 under 5 s):
  companies   2,000 applications × 3 from 100 evaluators, ~2% conflicts, expertise on ~10% of pairs
  re-run      the same after one evaluator drops out: half the pairs finished (keep), the rest
              preferred, the dropped evaluator's finished sheets kept
  relaxed     90% of the pairs finished and 50 evaluators added late: finished sheets exceed the
              new ±1 band, so the solver takes the relaxed, most-even path
  plans       10 plans × 9 from a pool of 12, 1–2 conflicts per plan
Instances are built once (outside the timing) from a seeded generator; each run solves from scratch.
Prints every case's median and min wall-clock time over the runs.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from itda.evaluation.engine.assignment import (  # noqa: E402
    AssignmentInput,
    assign_evaluators,
)


def companies(rng: random.Random, n_apps: int, n_evs: int, k: int) -> AssignmentInput:
    apps = [f"app-{i:05d}" for i in range(n_apps)]
    evs = [f"ev-{j:04d}" for j in range(n_evs)]
    conflicts = {(a, e) for a in apps for e in rng.sample(evs, 2)}
    expertise = {(a, e): rng.randint(1, 5) for a in apps for e in rng.sample(evs, n_evs // 10)}
    return AssignmentInput(
        applications=tuple(apps),
        evaluators=tuple(evs),
        k=k,
        conflicts=frozenset(conflicts),
        expertise=expertise,
        seed=rng.randrange(2**31),
    )


def rerun(
    rng: random.Random, base: AssignmentInput, finished: float = 0.5, extra_evaluators: int = 0
) -> AssignmentInput:
    first = assign_evaluators(base)
    keep = {p for p in first.pairs if rng.random() < finished}
    dropped = rng.choice(base.evaluators)
    evs = [e for e in base.evaluators if e != dropped]
    evs += [f"late-{j:03d}" for j in range(extra_evaluators)]
    return AssignmentInput(
        applications=base.applications,
        evaluators=tuple(evs),
        k=base.k,
        conflicts=base.conflicts,
        keep=frozenset(keep),
        prefer=frozenset(set(first.pairs) - keep),
        expertise=base.expertise,
        seed=base.seed,
    )


def plans(rng: random.Random) -> AssignmentInput:
    apps = [f"plan-{i:02d}" for i in range(10)]
    evs = [f"ev-{j:02d}" for j in range(12)]
    conflicts = {(a, e) for a in apps for e in rng.sample(evs, rng.randint(1, 2))}
    return AssignmentInput(
        applications=tuple(apps), evaluators=tuple(evs), k=9, conflicts=frozenset(conflicts)
    )


def timed(inp: AssignmentInput, runs: int) -> tuple[list[float], object]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = assign_evaluators(inp)
        seconds.append(time.perf_counter() - started)
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 — a reproducible benchmark, not a secret

    base = companies(rng, 2000, 100, 3)
    cases = [
        ("companies 2000×3 / 100 evaluators", base),
        ("re-run after a dropout (keep ½, prefer ½)", rerun(rng, base)),
        ("relaxed band (keep 90%, +50 late evaluators)", rerun(rng, base, 0.9, 50)),
        ("plans 10×9 / pool of 12", plans(rng)),
    ]
    for name, inp in cases:
        seconds, r = timed(inp, args.runs)
        print(
            f"{name:45s} median {statistics.median(seconds) * 1000:8.1f} ms  "
            f"min {min(seconds) * 1000:8.1f} ms  ({args.runs} runs) — "
            f"band {r.load_band}{' relaxed' if r.band_relaxed else ''}, fit {r.total_fit}, "
            f"kept {r.kept}, preserved {r.preserved}, added {r.added}"
        )


if __name__ == "__main__":
    main()
