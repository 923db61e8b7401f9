"""The engine's input: the CLI's JSON dict checked and turned into flat integer arrays.

Trainees and positions get dense ids 0..T-1 and 0..P-1 in input order. Each side's rankings are
one CSR (``*_ptr`` offsets, best first). The other side's rank of every listed pair is joined
once here (one sort, no per-pair objects), so the algorithms only index arrays.
"""

import hashlib
import json
from dataclasses import dataclass
from itertools import chain

import numpy as np

MAX_CAPACITY = 10**9  # keeps every count within int64 arithmetic


class InputError(ValueError):
    """Malformed input; the message names the offending entry (e.g. ``positions[3] "P9": …``)."""


class TrackError(InputError):
    """A listed pair whose tracks the input's ``compatible_tracks`` rule does not link; names
    the pair so a caller can say which trainee and position in its own words."""

    def __init__(self, message: str, *, trainee: str, position: str):
        super().__init__(message)
        self.trainee = trainee
        self.position = position


def input_sha256(data: dict) -> str:
    """sha256 of the canonical JSON of the input: anyone can recompute it from the export."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(eq=False)
class Instance:
    """All arrays int64, built once by ``parse``; ``nT``/``nP`` count the listed pairs of each
    side, ``nTa``/``nPa`` the mutually acceptable ones (the only pairs either DA looks at)."""

    trainee_ids: list[str]
    position_ids: list[str]
    capacity: np.ndarray  # [P]
    t_ptr: np.ndarray  # [T+1]
    t_owner: np.ndarray  # [nT]
    t_pos: np.ndarray  # [nT]: the positions each trainee listed, best first
    t_rank: np.ndarray  # [nT]: 0-based rank in the trainee's own list
    t_prank: np.ndarray  # [nT]: that position's 0-based rank of the trainee, -1 if unlisted
    p_ptr: np.ndarray  # [P+1]
    p_owner: np.ndarray  # [nP]
    p_tr: np.ndarray  # [nP]: the trainees each position listed, best first
    p_trank: np.ndarray  # [nP]: that trainee's 0-based rank of the position, -1 if unlisted
    ta_ptr: np.ndarray  # [T+1]: trainee lists cut to mutually acceptable pairs
    ta_pos: np.ndarray  # [nTa]
    ta_prank: np.ndarray  # [nTa]
    pa_ptr: np.ndarray  # [P+1]: position lists cut to mutually acceptable pairs
    pa_owner: np.ndarray  # [nPa]
    pa_tr: np.ndarray  # [nPa]
    pa_trank: np.ndarray  # [nPa]

    @property
    def n_trainees(self) -> int:
        return len(self.trainee_ids)

    @property
    def n_positions(self) -> int:
        return len(self.position_ids)


def _sub_ptr(ptr: np.ndarray, owner: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Offsets of the CSR that keeps only the entries where ``keep``."""
    sub = np.zeros(len(ptr), dtype=np.int64)
    np.cumsum(np.bincount(owner[keep], minlength=len(ptr) - 1), out=sub[1:])
    return sub


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


def _entry_error(entries: list, side: str) -> InputError:
    """Find the first malformed entry (the slow path, only once the fast one failed)."""
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        where = _where(side, i, entry)
        if not isinstance(entry, dict):
            return InputError(f"{where}: must be an object with 'id' and 'ranking'")
        if not isinstance(entry.get("id"), str):
            return InputError(f"{where}: id must be a string")
        if not isinstance(entry.get("ranking"), list):
            return InputError(f"{where}: 'ranking' must be a list")
        if side == "positions":
            cap = entry.get("capacity")
            if isinstance(cap, bool) or not isinstance(cap, int):
                return InputError(f"{where}: capacity must be an integer")
            if cap < 0:
                return InputError(f"{where}: capacity {cap} < 0")
            if cap > MAX_CAPACITY:
                return InputError(f"{where}: capacity {cap} > {MAX_CAPACITY}")
        first = seen.setdefault(entry["id"], i)
        if first != i:
            return InputError(f"{where}: duplicate id (also {side}[{first}])")
    raise AssertionError("no malformed entry found")  # pragma: no cover


def _index(entries: list, side: str) -> tuple[dict[str, int], list[list]]:
    """Ids to dense ids, and the rankings; checked in bulk, diagnosed only when bad."""
    try:
        ids = [entry["id"] for entry in entries]
        rankings = [entry["ranking"] for entry in entries]
    except (KeyError, TypeError):
        raise _entry_error(entries, side) from None
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) != len(ids) or set(map(type, ids)) - {str} or set(map(type, rankings)) - {list}:
        raise _entry_error(entries, side)
    return index, rankings


def _capacities(positions: list) -> np.ndarray:
    caps = [entry.get("capacity") for entry in positions]
    if set(map(type, caps)) - {int} or (caps and not 0 <= min(caps) <= max(caps) <= MAX_CAPACITY):
        raise _entry_error(positions, "positions")
    return np.array(caps, dtype=np.int64)


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


def _csr(rankings: list[list], index: dict[str, int], on_error):
    """Offsets, dense targets and owners of a side's rankings."""
    lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(rankings))
    ptr = np.zeros(len(rankings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    try:
        targets = np.fromiter(
            map(index.__getitem__, chain.from_iterable(rankings)),
            dtype=np.int64,
            count=int(ptr[-1]),
        )
    except (KeyError, TypeError):
        raise on_error() from None
    owners = np.repeat(np.arange(len(rankings), dtype=np.int64), lengths)
    return ptr, targets, owners


def _sorted_keys(keys: np.ndarray, on_error) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys sorted, and their order; a repeat within a ranking shows as equal neighbours."""
    order = np.argsort(keys)
    ordered = keys[order]
    if np.any(ordered[1:] == ordered[:-1]):
        raise on_error()
    return ordered, order


def _join(keys, order, other_keys, other_order, other_rank) -> np.ndarray:
    """For each pair of one side, the other side's rank of the same pair, or -1."""
    out = np.full(len(keys), -1, dtype=np.int64)
    if len(other_keys) == 0:
        return out
    at = np.minimum(np.searchsorted(other_keys, keys), len(other_keys) - 1)
    found = other_keys[at] == keys
    out[order[found]] = other_rank[other_order[at[found]]]
    return out


def _track_codes(entries: list, side: str) -> list[str]:
    codes = [entry.get("track") for entry in entries]
    if set(map(type, codes)) - {str}:
        i = next(i for i, code in enumerate(codes) if not isinstance(code, str))
        raise InputError(
            f"{_where(side, i, entries[i])}: track must be a string when "
            "'compatible_tracks' is given"
        )
    return codes


def _check_tracks(data: dict, trainees: list, positions: list, t_csr, p_csr) -> None:
    """With ``compatible_tracks`` ({trainee track: [position tracks]}), every pair either side
    listed must link the trainee's track to a position track it names; without it there is no
    rule (older inputs parse as before). ``*_csr``: (ptr, targets, owners) of a side's rankings."""
    rule = data.get("compatible_tracks")
    if rule is None:
        return
    if not isinstance(rule, dict) or any(
        not isinstance(v, list) or set(map(type, v)) - {str} for v in rule.values()
    ):
        raise InputError("input: 'compatible_tracks' must map a track to a list of tracks")
    codes = {"trainees": _track_codes(trainees, "trainees")}
    codes["positions"] = _track_codes(positions, "positions")
    names = {n: i for i, n in enumerate(sorted({*codes["trainees"], *codes["positions"], *rule}))}
    links = np.zeros((len(names), len(names)), dtype=bool)
    for trainee_track, position_tracks in rule.items():
        for position_track in position_tracks:
            if position_track in names:
                links[names[trainee_track], names[position_track]] = True
    track = {side: np.array([names[c] for c in codes[side]], dtype=np.int64) for side in codes}
    for side, other, entries, (ptr, targets, owners) in (
        ("trainees", "positions", trainees, t_csr),
        ("positions", "trainees", positions, p_csr),
    ):
        t_of, p_of = (owners, targets) if side == "trainees" else (targets, owners)
        bad = np.flatnonzero(~links[track["trainees"][t_of], track["positions"][p_of]])
        if bad.size == 0:
            continue
        k = int(bad[0])
        owner, target = int(owners[k]), int(targets[k])
        other_entries = positions if side == "trainees" else trainees
        raise TrackError(
            f"{_where(side, owner, entries[owner])}: ranking[{k - int(ptr[owner])}] "
            f"{json.dumps(other_entries[target]['id'], ensure_ascii=False)}: track "
            f"{json.dumps(codes[other][target], ensure_ascii=False)} is not linked to track "
            f"{json.dumps(codes[side][owner], ensure_ascii=False)}",
            trainee=trainees[int(t_of[k])]["id"],
            position=positions[int(p_of[k])]["id"],
        )


def parse(data) -> Instance:
    """Check the CLI's input dict and build the arrays; raises InputError naming the entry."""
    trainees = _entries(data, "trainees")
    positions = _entries(data, "positions")
    t_index, t_rankings = _index(trainees, "trainees")
    p_index, p_rankings = _index(positions, "positions")
    capacity = _capacities(positions)

    def trainee_error():
        return _ranking_error(trainees, "trainees", "position", p_index)

    def position_error():
        return _ranking_error(positions, "positions", "trainee", t_index)

    t_ptr, t_pos, t_owner = _csr(t_rankings, p_index, trainee_error)
    p_ptr, p_tr, p_owner = _csr(p_rankings, t_index, position_error)
    _check_tracks(data, trainees, positions, (t_ptr, t_pos, t_owner), (p_ptr, p_tr, p_owner))
    # One key per (trainee, position) pair on both sides: sorted once, joined by a merge.
    n_pos = max(len(positions), 1)
    t_keys, t_order = _sorted_keys(t_owner * n_pos + t_pos, trainee_error)
    p_keys, p_order = _sorted_keys(p_tr * n_pos + p_owner, position_error)
    t_rank = np.arange(len(t_pos)) - t_ptr[t_owner]
    p_rank = np.arange(len(p_tr)) - p_ptr[p_owner]
    t_prank = _join(t_keys, t_order, p_keys, p_order, p_rank)
    p_trank = _join(p_keys, p_order, t_keys, t_order, t_rank)
    t_ok = t_prank >= 0
    p_ok = p_trank >= 0
    return Instance(
        trainee_ids=list(t_index),
        position_ids=list(p_index),
        capacity=capacity,
        t_ptr=t_ptr,
        t_owner=t_owner,
        t_pos=t_pos,
        t_rank=t_rank,
        t_prank=t_prank,
        p_ptr=p_ptr,
        p_owner=p_owner,
        p_tr=p_tr,
        p_trank=p_trank,
        ta_ptr=_sub_ptr(t_ptr, t_owner, t_ok),
        ta_pos=t_pos[t_ok],
        ta_prank=t_prank[t_ok],
        pa_ptr=_sub_ptr(p_ptr, p_owner, p_ok),
        pa_owner=p_owner[p_ok],
        pa_tr=p_tr[p_ok],
        pa_trank=p_trank[p_ok],
    )
