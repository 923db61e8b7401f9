"""Pure two-sided matching with capacities (the hospital–residents problem) for match rounds.

Plain data in, plain data out: numpy (and OR-Tools for fill-seats), no Django, no database, no
clock, no randomness (``itda/matching/tests/test_engine_purity.py`` enforces the import
boundary), so anyone can rerun a published round from its exported input:
``python -m itda.matching.engine solve INPUT.json [--algorithm …] [--explain]``.

Input: ``{"trainees": [{"id": "T1", "ranking": ["P3", "P1"]}, …], "positions": [{"id": "P1",
"capacity": 2, "ranking": ["T4", "T1"]}, …]}`` — string ids, rankings best first, no ties, no
repeats. A pair is acceptable only if each side lists the other.

Tracks: with ``"compatible_tracks": {"track1": ["track1"], …}`` (a trainee's track → the
position tracks it may be linked to) every trainee and position carries ``"track": "…"`` and a
pair either side lists across unlinked tracks is refused (``TrackError``, an ``InputError``
naming the entry and both tracks), so a rerun of an exported round enforces the rule its round
did. Without the key there is no rule.

Algorithms (``ALGORITHMS``):
- ``trainee-proposing`` (default): deferred acceptance, the trainee-optimal stable matching;
  strategy-proof for trainees.
- ``position-proposing``: deferred acceptance, the position-optimal stable matching.
- ``fill-seats``: trainee-proposing, then still-unmatched trainees are placed into seats left
  empty at positions *they* listed but which did not list them, as many as possible (min-cost
  flow, preferring seats the trainee ranked higher). Mutually acceptable pairs cannot add anyone
  after a stable round (such a pair with an empty seat would block it), so this is the only
  reading under which it places more. Reported apart: a position gets trainees it did not rank.

``solve_json(data, algorithm, explain)`` returns ``{"algorithm", "assignment": {trainee id:
position id or None} (every trainee, input order), "blocking_pairs", "capacity_ok",
"acceptable_ok", "input_sha256", "engine_version"}`` (``input_sha256``: of the canonical
JSON — sorted keys, no spaces, UTF-8; the command line prints the digest of the file as given,
which is the same for an exported round input), plus ``"placed_by_fill": [trainee ids]``
for fill-seats and ``"explanations"`` when asked: per trainee ``{"assigned", "assigned_rank",
"above": [{"position", "rank", "reason", …}]}`` for every position ranked above the result,
reason ``"not_listed"`` (it did not list them), ``"no_seats"`` (capacity 0) or ``"filled"``
(with ``"last_admitted_rank"`` and ``"your_rank_there"``: its seats went to trainees it ranked
higher), and ``"placed_by_fill": true`` for fill-seats placements; per position ``{"capacity",
"admitted", "last_admitted_rank"}`` (its rank of the lowest admitted trainee it listed; plus
``"admitted_unlisted"`` for fill-seats). Ranks are 1-based. ``acceptable_ok`` allows the
unlisted seats of fill-seats placements and nothing else. Malformed input raises ``InputError``
naming the entry, e.g. ``positions[3] "P9": capacity -1 < 0``.
"""

import importlib

_EXPORTS = {
    "ALGORITHMS": ".solve",
    "ENGINE_VERSION": ".solve",
    "InputError": ".instance",
    "TrackError": ".instance",
    "input_sha256": ".instance",
    "solve_json": ".solve",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    # Loaded on first use, not with the package: the command line (__main__) sets numpy's
    # environment up before numpy is imported.
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
