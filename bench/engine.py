"""Benchmark: the matching engine at national scale.

    .venv/bin/python bench/engine.py [--trainees 100000] [--positions 20000] [--choices 10]
                                     [--seed 1] [--runs 7] [--ranked 1.0]

The instance (bench/engine_data.py: seeded, popularity-skewed choices, capacities 1–10,
positions rank every applicant, or their best ``--ranked`` share so that fill-seats has
unlisted applicants to place) is written once to /tmp and read back as the CLI would.
Timed separately, each the median and min wall time and median CPU time over the runs:
  parse    the input dict checked and turned into arrays, with both sides' ranks of every
           listed pair joined (once per input; the CLI and solve_json pay it once)
  solve    each algorithm on the parsed arrays
  verify   capacities, acceptability and blocking pairs in one vectorised pass
Peak memory: tracemalloc's peak over parse + solve + verify in a fresh subprocess (the input
dict is loaded before tracing starts: it is the caller's), and that subprocess's max RSS.
Figures to reach: solve < 0.1 s, verify < 0.05 s, peak < 300 MB.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine_data import instance_file  # noqa: E402

from itda.matching.engine.instance import parse  # noqa: E402
from itda.matching.engine.solve import ALGORITHMS, check, solve  # noqa: E402


def timed(fn, runs: int) -> tuple[str, object]:
    """Median and min wall time, and median CPU time of this process (the machine is shared:
    wall time includes waiting for a core, CPU time does not)."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return (
        f"median {statistics.median(walls):6.3f} s  min {min(walls):6.3f} s  "
        f"CPU {statistics.median(cpus):6.3f} s",
        out,
    )


def memory_probe(path: str, algorithm: str) -> None:
    import resource
    import tracemalloc

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    tracemalloc.start()
    inst = parse(data)
    result = solve(inst, algorithm)
    check(inst, result)
    peak = tracemalloc.get_traced_memory()[1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"peak": peak, "rss": rss}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=20_000)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--ranked", type=float, default=1.0, help="share of applicants each position ranks"
    )
    parser.add_argument("--memory-probe", nargs=2, metavar=("PATH", "ALGORITHM"))
    args = parser.parse_args()
    if args.memory_probe:
        memory_probe(*args.memory_probe)
        return

    path = instance_file(args.trainees, args.positions, args.choices, args.seed, args.ranked)
    data = json.loads(path.read_text(encoding="utf-8"))
    seats = sum(p["capacity"] for p in data["positions"])
    pairs = sum(len(p["ranking"]) for p in data["positions"])
    print(
        f"{args.trainees:,} trainees × {args.positions:,} positions × {args.choices} choices "
        f"({seats:,} seats, {pairs:,} ranked pairs, positions rank {args.ranked:.0%} of "
        f"applicants), seed {args.seed}, {args.runs} runs, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    times, inst = timed(lambda: parse(data), args.runs)
    print(f"  parse                      {times}")
    for algorithm in ALGORITHMS:
        times, result = timed(lambda a=algorithm: solve(inst, a), args.runs)
        v_times, checked = timed(lambda r=result: check(inst, r), args.runs)
        placed = int((result.assignment >= 0).sum())
        if result.placed_by_fill is not None:
            placed_note = f" ({int(result.placed_by_fill.sum()):,} by fill)"
        else:
            placed_note = ""
        print(
            f"  {algorithm:19s} solve  {times}\n  {'':19s} verify {v_times}\n"
            f"  {'':19s} placed {placed:,}{placed_note}, blocking pairs "
            f"{checked.blocking_pairs}, capacity_ok {checked.capacity_ok}, "
            f"acceptable_ok {checked.acceptable_ok}"
        )
    for algorithm in ALGORITHMS:
        probe = subprocess.run(
            [sys.executable, __file__, "--memory-probe", str(path), algorithm],
            capture_output=True,
            text=True,
            check=True,
        )
        mem = json.loads(probe.stdout)
        print(
            f"  {algorithm:19s} peak (tracemalloc, parse+solve+verify) {mem['peak'] / 1e6:6.1f} MB"
            f" | process max RSS incl. the loaded input dict {mem['rss'] / 1e6:6.1f} MB"
        )


if __name__ == "__main__":
    main()
