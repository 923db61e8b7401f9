"""The engine's entry points: an algorithm on an Instance, and the CLI's dict in and out."""

from dataclasses import dataclass

import numpy as np

from .deferred_acceptance import position_proposing, trainee_proposing
from .explain import explain as explanations
from .fill_seats import fill_seats
from .instance import Instance, input_sha256, parse
from .verify import Check, verify

ENGINE_VERSION = "itda-matching-engine 1.0"
ALGORITHMS = ("trainee-proposing", "position-proposing", "fill-seats")


@dataclass(frozen=True)
class Result:
    assignment: np.ndarray  # int64[T]: position id or -1
    placed_by_fill: np.ndarray | None  # bool[T], fill-seats only


def solve(inst: Instance, algorithm: str = "trainee-proposing") -> Result:
    if algorithm == "trainee-proposing":
        return Result(trainee_proposing(inst), None)
    if algorithm == "position-proposing":
        return Result(position_proposing(inst), None)
    if algorithm == "fill-seats":
        return Result(*fill_seats(inst))
    raise ValueError(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")


def check(inst: Instance, result: Result) -> Check:
    return verify(inst, result.assignment, result.placed_by_fill)


def solve_json(
    data: dict,
    algorithm: str = "trainee-proposing",
    explain: bool = False,
    *,
    input_digest: str | None = None,
) -> dict:
    """The CLI's output dict for the CLI's input dict; raises InputError on malformed input.

    ``input_digest``: the sha256 of the input's bytes where the caller read them (the CLI);
    otherwise that of the input's canonical JSON (``input_sha256``)."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
    inst = parse(data)
    result = solve(inst, algorithm)
    checked = check(inst, result)
    pos_ids = inst.position_ids
    out = {
        "algorithm": algorithm,
        "assignment": {
            tid: pos_ids[p] if p >= 0 else None
            for tid, p in zip(inst.trainee_ids, result.assignment.tolist(), strict=True)
        },
        "blocking_pairs": checked.blocking_pairs,
        "capacity_ok": checked.capacity_ok,
        "acceptable_ok": checked.acceptable_ok,
        "input_sha256": input_digest or input_sha256(data),
        "engine_version": ENGINE_VERSION,
    }
    if result.placed_by_fill is not None:
        out["placed_by_fill"] = [
            inst.trainee_ids[t] for t in np.flatnonzero(result.placed_by_fill).tolist()
        ]
    if explain:
        out["explanations"] = explanations(inst, result.assignment, result.placed_by_fill)
    return out
