"""``python -m itda.matching.engine solve INPUT.json [--algorithm …] [--explain]``.

Writes the result as JSON to stdout. Malformed input: exit code 2 and one line on stderr
naming the offending entry. ``-`` reads the input from stdin.
"""

import os

# The engine does no linear algebra: one BLAS thread spares a short run OpenBLAS's thread pool
# start-up, about half of numpy's import time (set before numpy loads; a caller's value wins).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from .instance import InputError  # noqa: E402
from .solve import ALGORITHMS, solve_json  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m itda.matching.engine")
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="match an input file and print the result")
    solve.add_argument("input", help="input JSON file, or - for stdin")
    solve.add_argument("--algorithm", choices=ALGORITHMS, default=ALGORITHMS[0])
    solve.add_argument("--explain", action="store_true", help="add per-person explanations")
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(args.input, "rb") as f:
                raw = f.read()
        data = json.loads(raw)
    except OSError as e:
        print(f"error: {args.input}: {e.strerror}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"error: {args.input}: not valid JSON: {e}", file=sys.stderr)
        return 2
    try:
        # The digest of the file as given, what sha256sum prints; for an exported round input
        # (canonical JSON) it is the published input_sha256.
        result = solve_json(
            data, args.algorithm, args.explain, input_digest=hashlib.sha256(raw).hexdigest()
        )
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    # dumps, not dump: dump streams through the pure-Python encoder, several times slower.
    sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
