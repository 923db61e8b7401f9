"""The engine's input: the CLI's JSON dict checked and turned into flat integer arrays.

Trainees and positions get dense ids 0..T-1 and 0..P-1 in input order. Each side's rankings are
one CSR (``*_ptr`` offsets, best first). The other side's rank of every listed pair is joined
once here (one sort, no per-pair objects), so the algorithms only index arrays.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np


class InputError(ValueError):
    """Malformed input; the message names the offending entry (e.g. ``positions[3] "P9": …``)."""


def input_sha256(data: dict) -> str:
    """sha256 of the canonical JSON of the input: anyone can recompute it from the export."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(eq=False)
class Instance:
    trainee_ids: list[str]
    position_ids: list[str]
    capacity: np.ndarray  # int64[P]
    t_ptr: np.ndarray  # int64[T+1]
    t_pos: np.ndarray  # int64[nT]: the positions each trainee listed, best first
    t_prank: np.ndarray  # int64[nT]: that position's 0-based rank of the trainee, -1 if unlisted
    p_ptr: np.ndarray  # int64[P+1]
    p_tr: np.ndarray  # int64[nP]: the trainees each position listed, best first
    p_trank: np.ndarray  # int64[nP]: that trainee's 0-based rank of the position, -1 if unlisted

    @property
    def n_trainees(self) -> int:
        return len(self.trainee_ids)

    @property
    def n_positions(self) -> int:
        return len(self.position_ids)

    @cached_property
    def t_owner(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_trainees), np.diff(self.t_ptr))

    @cached_property
    def p_owner(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_positions), np.diff(self.p_ptr))

    @cached_property
    def t_rank(self) -> np.ndarray:
        """Each trainee entry's 0-based rank in its own list."""
        return np.arange(len(self.t_pos)) - self.t_ptr[self.t_owner]


def _where(side: str, i: int, entry) -> str:
    name = entry.get("id") if isinstance(entry, dict) else None
    return (
        f"{side}[{i}] {json.dumps(name, ensure_ascii=False)}"
        if name is not None
        else f"{side}[{i}]"
    )


def _entries(data, side: str) -> list:
    if not isinstance(data, dict):
        raise InputError("input: must be an object with 'trainees' and 'positions'")
    entries = data.get(side)
    if not isinstance(entries, list):
        raise InputError(f"input: '{side}' must be a list")
    return entries


def _index(entries: list, side: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, entry in enumerate(entries):
        where = _where(side, i, entry)
        if not isinstance(entry, dict):
            raise InputError(f"{where}: must be an object with 'id' and 'ranking'")
        if not isinstance(entry.get("id"), str):
            raise InputError(f"{where}: id must be a string")
        if not isinstance(entry.get("ranking"), list):
            raise InputError(f"{where}: 'ranking' must be a list")
        first = index.setdefault(entry["id"], i)
        if first != i:
            raise InputError(f"{where}: duplicate id (also {side}[{first}])")
    return index


def _ranking_error(entries: list, side: str, other: str, index: dict[str, int]) -> InputError:
    """Find the first bad ranking entry (the slow path, only once the fast one failed)."""
    for i, entry in enumerate(entries):
        seen: dict[str, int] = {}
        for k, item in enumerate(entry["ranking"]):
            where = f"{_where(side, i, entry)}: ranking[{k}]"
            if isinstance(item, list):
                return InputError(f"{where} is a list: ties are not allowed")
            if not isinstance(item, str):
                return InputError(f"{where} {json.dumps(item)}: must be a string id")
            if item not in index:
                return InputError(
                    f"{where} {json.dumps(item, ensure_ascii=False)}: unknown {other} id"
                )
            if item in seen:
                return InputError(
                    f"{where} {json.dumps(item, ensure_ascii=False)}: repeated "
                    f"(also ranking[{seen[item]}])"
                )
            seen[item] = k
    raise AssertionError("no bad ranking entry found")  # pragma: no cover


def _csr(entries: list, side: str, other: str, index: dict[str, int]):
    rankings = [entry["ranking"] for entry in entries]
    try:
        flat = [index[item] for ranking in rankings for item in ranking]
    except (KeyError, TypeError):
        raise _ranking_error(entries, side, other, index) from None
    lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(rankings))
    ptr = np.zeros(len(rankings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    targets = np.array(flat, dtype=np.int64)
    owners = np.repeat(np.arange(len(rankings), dtype=np.int64), lengths)
    keys = owners * max(len(index), 1) + targets
    if len(keys) > 1:
        # (owner, target) keys: sorted within each owner a repeat shows as equal neighbours.
        sorted_keys = np.sort(keys)
        dup = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
        if dup.size:
            raise _ranking_error(entries, side, other, index)
    return ptr, targets, owners


def _join(t_keys: np.ndarray, p_keys: np.ndarray, p_rank: np.ndarray) -> np.ndarray:
    """For each trainee-side pair key, the position-side rank of the same pair, or -1."""
    order = np.argsort(p_keys, kind="stable")
    sorted_keys = p_keys[order]
    at = np.searchsorted(sorted_keys, t_keys)
    at_clipped = np.minimum(at, max(len(sorted_keys) - 1, 0))
    found = (at < len(sorted_keys)) & (sorted_keys[at_clipped] == t_keys) if len(p_keys) else None
    out = np.full(len(t_keys), -1, dtype=np.int64)
    if found is not None:
        out[found] = p_rank[order[at_clipped[found]]]
    return out


def parse(data) -> Instance:
    """Check the CLI's input dict and build the arrays; raises InputError naming the entry."""
    trainees = _entries(data, "trainees")
    positions = _entries(data, "positions")
    t_index = _index(trainees, "trainees")
    p_index = _index(positions, "positions")
    capacity = []
    for i, entry in enumerate(positions):
        cap = entry.get("capacity")
        if isinstance(cap, bool) or not isinstance(cap, int):
            raise InputError(f"{_where('positions', i, entry)}: capacity must be an integer")
        if cap < 0:
            raise InputError(f"{_where('positions', i, entry)}: capacity {cap} < 0")
        capacity.append(cap)
    t_ptr, t_pos, t_owner = _csr(trainees, "trainees", "position", p_index)
    p_ptr, p_tr, p_owner = _csr(positions, "positions", "trainee", t_index)

    n_pos = max(len(positions), 1)
    t_keys = t_owner * n_pos + t_pos
    p_keys = p_tr * n_pos + p_owner
    t_rank = np.arange(len(t_pos)) - t_ptr[t_owner]
    p_rank = np.arange(len(p_tr)) - p_ptr[p_owner]
    return Instance(
        trainee_ids=list(t_index),
        position_ids=list(p_index),
        capacity=np.array(capacity, dtype=np.int64),
        t_ptr=t_ptr,
        t_pos=t_pos,
        t_prank=_join(t_keys, p_keys, p_rank),
        p_ptr=p_ptr,
        p_tr=p_tr,
        p_trank=_join(p_keys, t_keys, t_rank),
    )
