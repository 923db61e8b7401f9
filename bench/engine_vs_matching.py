"""Benchmark: the engine against the PyPI ``matching`` package, side by side in one run.

    .venv/bin/python bench/engine_vs_matching.py [--trainees 10000] [--positions 2000] [--runs 3]

Both read the same JSON file as whole processes: ``python -m itda.matching.engine solve`` and
the short script bench/engine_matching_package.py (``HospitalResident.create_from_dictionaries
(...).solve(optimal="resident")``). Checks that the assignments are identical and prints the
medians (wall and CPU) and the speed-up. Figure to reach: same assignment, at least 50× faster.
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
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--positions", type=int, default=2_000)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = instance_file(args.trainees, args.positions, args.choices, args.seed)
    os.chdir(ROOT)
    commands = {
        "engine": [sys.executable, "-m", "itda.matching.engine", "solve", str(path)],
        "matching": [sys.executable, str(ROOT / "bench" / "engine_matching_package.py"), str(path)],
    }
    runs = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        for name, command in commands.items():
            runs[name].append(run_process(command))
    ours = json.loads(runs["engine"][-1][3])["assignment"]
    theirs = json.loads(runs["matching"][-1][3])
    wall = {name: statistics.median(r[0] for r in rs) for name, rs in runs.items()}
    cpu = {name: statistics.median(r[1] for r in rs) for name, rs in runs.items()}
    print(
        f"{args.trainees:,} trainees × {args.positions:,} positions × {args.choices} choices, "
        f"{args.runs} runs each, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for name in commands:
        print(
            f"  {name:8s} whole process  wall median {wall[name]:7.2f} s"
            f" | CPU median {cpu[name]:7.2f} s"
        )
    placed = sum(p is not None for p in ours.values())
    print(
        f"  same assignment: {ours == theirs} ({placed:,} placed)"
        f" | speed-up wall {wall['matching'] / wall['engine']:.0f}×, "
        f"CPU {cpu['matching'] / cpu['engine']:.0f}×"
    )
    if ours != theirs:
        sys.exit(1)


if __name__ == "__main__":
    main()
