"""Seeded matching-engine instances in the CLI's input format, shared by the engine benchmarks.

Popularity-skewed choices (position weights ~ 1/(rank+10), so a few positions draw many times
their seats and the tail draws few), capacities 1–10, and each position ranks every trainee who
chose it, by a common trainee score plus position-specific noise (the way companies mostly agree
on strong candidates). Written once per (size, seed) in the temp directory so every run reads
the same file.
"""

import json
import tempfile
from pathlib import Path

import numpy as np

CACHE = Path(tempfile.gettempdir()) / "itda_engine_bench"


def generate(
    n_trainees: int, n_positions: int, choices: int = 10, seed: int = 1, ranked: float = 1.0
) -> dict:
    """``ranked`` < 1: each position ranks only its best that share of applicants (the rest are
    left unlisted, which is what gives fill-seats work to do)."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / (rng.permutation(n_positions) + 10.0)
    weights /= weights.sum()
    draws = rng.choice(n_positions, size=(n_trainees, choices * 3), p=weights)
    rankings = []
    for row in draws.tolist():
        picked = list(dict.fromkeys(row))[:choices]
        while len(picked) < min(choices, n_positions):
            extra = int(rng.integers(n_positions))
            if extra not in picked:
                picked.append(extra)
        rankings.append(picked)

    owners = np.repeat(np.arange(n_trainees), [len(r) for r in rankings])
    targets = np.fromiter((p for r in rankings for p in r), dtype=np.int64, count=len(owners))
    score = rng.normal(size=n_trainees)
    key = score[owners] + 0.5 * rng.normal(size=len(owners))
    order = np.lexsort((-key, targets))  # by position, then best score first
    per_position = np.bincount(targets, minlength=n_positions)
    by_position = np.split(owners[order], np.cumsum(per_position)[:-1])
    by_position = [ts[: int(np.ceil(len(ts) * ranked))] for ts in by_position]
    capacity = rng.integers(1, 11, size=n_positions)
    return {
        "trainees": [
            {"id": f"T{t}", "ranking": [f"P{p}" for p in r]} for t, r in enumerate(rankings)
        ],
        "positions": [
            {"id": f"P{p}", "capacity": int(capacity[p]), "ranking": [f"T{t}" for t in ts.tolist()]}
            for p, ts in enumerate(by_position)
        ],
    }


def instance_file(
    n_trainees: int, n_positions: int, choices: int = 10, seed: int = 1, ranked: float = 1.0
) -> Path:
    share = "" if ranked == 1.0 else f"_r{ranked:g}"
    path = CACHE / f"engine_{n_trainees}x{n_positions}x{choices}_s{seed}{share}.json"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        data = generate(n_trainees, n_positions, choices, seed, ranked)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        tmp.rename(path)
    return path


def run_process(command: list[str]) -> tuple[float, float, int, bytes]:
    """Run a whole process; (wall s, CPU s user+sys, max RSS bytes, stdout). CPU time is shown
    beside wall time because the benchmark machine is shared: wall time includes waiting."""
    import resource
    import subprocess
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss * 1024, done.stdout
