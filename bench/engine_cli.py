"""Benchmark: the engine's command line as a whole process, JSON in and JSON out.

    .venv/bin/python bench/engine_cli.py [--trainees 100000] [--positions 20000] [--runs 3]
                                         [--algorithm trainee-proposing] [--explain]

Times ``python -m itda.matching.engine solve big.json`` by subprocess (interpreter start, numpy
import, JSON decode, checks, solve, verify, sha256 of the canonical input, JSON encode) and
prints the median and min wall-clock time, the median CPU time (user+sys) and the max RSS.
Figure to reach: under 3 s.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from engine_data import instance_file, run_process  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=20_000)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--algorithm", default="trainee-proposing")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    path = instance_file(args.trainees, args.positions, args.choices, args.seed)
    command = [sys.executable, "-m", "itda.matching.engine", "solve", str(path)]
    command += ["--algorithm", args.algorithm] + (["--explain"] if args.explain else [])
    os.chdir(ROOT)
    runs = [run_process(command) for _ in range(args.runs)]
    out = json.loads(runs[-1][3])
    placed = sum(p is not None for p in out["assignment"].values())
    walls = [r[0] for r in runs]
    print(
        f"CLI {args.algorithm}{' --explain' if args.explain else ''} on {path.name} "
        f"({path.stat().st_size / 1e6:.1f} MB in, {len(runs[-1][3]) / 1e6:.1f} MB out), "
        f"{args.runs} runs, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n"
        f"  wall median {statistics.median(walls):.2f} s  min {min(walls):.2f} s"
        f" | CPU median {statistics.median(r[1] for r in runs):.2f} s"
        f" | max RSS {max(r[2] for r in runs) / 1e6:.0f} MB"
        f" | placed {placed:,}, blocking pairs {out['blocking_pairs']}"
    )


if __name__ == "__main__":
    main()
