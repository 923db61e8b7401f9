"""Benchmark: demo data generation at a given scale, on a throwaway embedded PostgreSQL.

    .venv/bin/python bench/demo_generation.py --scale 100 --runs 3

Each run is `generate_demo --reset` in a fresh process (so the timing is the whole command as a
user runs it); the database is migrated and the reference data loaded once beforehand.
Prints every run and the median wall-clock seconds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env, *args) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="itda-bench-") as data_dir:
        env = {**os.environ, "ITDA_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        try:
            manage(env, "migrate", "--noinput")
            manage(env, "load_reference")
            seconds = []
            for run in range(1, args.runs + 1):
                started = time.perf_counter()
                line = manage(
                    env,
                    "generate_demo",
                    "--seed",
                    str(args.seed),
                    "--scale",
                    str(args.scale),
                    "--reset",
                )
                seconds.append(time.perf_counter() - started)
                print(f"run {run}: {seconds[-1]:.1f} s — {line}")
            print(
                f"generate_demo --scale {args.scale:g}: median {statistics.median(seconds):.1f} s "
                f"over {args.runs} runs"
            )
        finally:
            manage(env, "embedded_pg", "stop")


if __name__ == "__main__":
    main()
