"""One vectorised pass over every listed pair: capacities, acceptability, blocking pairs."""

from dataclasses import dataclass

import numpy as np

from .instance import Instance


@dataclass(frozen=True)
class Check:
    capacity_ok: bool
    acceptable_ok: bool
    blocking_pairs: int


def assigned_entry(inst: Instance, assignment: np.ndarray) -> np.ndarray:
    """For each trainee, the index of its assigned position in its own list, or -1 (unmatched,
    or assigned to a position it did not list)."""
    hit = np.flatnonzero(inst.t_pos == assignment[inst.t_owner])
    entry = np.full(inst.n_trainees, -1, dtype=np.int64)
    entry[inst.t_owner[hit]] = hit
    return entry


def held_prank(inst: Instance, entry: np.ndarray) -> np.ndarray:
    """The position's 0-based rank of each trainee it holds; -1 if unmatched or unlisted."""
    out = np.full(len(entry), -1, dtype=np.int64)
    listed = entry >= 0
    out[listed] = inst.t_prank[entry[listed]]
    return out


def verify(inst: Instance, assignment: np.ndarray, unlisted_ok: np.ndarray | None = None) -> Check:
    """``unlisted_ok`` marks trainees (placed by fill-seats) who may hold a seat whose position
    did not list them; everyone else must hold a mutually acceptable pair.

    A blocking pair is a mutually acceptable (trainee, position) that the trainee prefers to its
    own result and that has a free seat or holds someone it ranks lower; a trainee holding a
    seat its position did not list counts as ranked below everyone the position listed.
    """
    n_pos = inst.n_positions
    matched = assignment >= 0
    seats = np.bincount(assignment[matched], minlength=n_pos)
    capacity_ok = bool(np.all(seats <= inst.capacity))

    entry = assigned_entry(inst, assignment)
    listed = entry >= 0
    prank_held = held_prank(inst, entry)
    mutual = prank_held >= 0
    allowed = mutual if unlisted_ok is None else mutual | (unlisted_ok & listed)
    acceptable_ok = bool(np.all(allowed[matched]))

    unlisted_rank = np.diff(inst.p_ptr).max(initial=0)
    worst = np.full(n_pos, -1, dtype=np.int64)
    np.maximum.at(worst, assignment[matched], np.where(mutual, prank_held, unlisted_rank)[matched])
    own_rank = np.where(listed, entry - inst.t_ptr[:-1], np.iinfo(np.int64).max)
    owner = inst.t_owner
    p = inst.t_pos
    blocking = (
        (inst.t_prank >= 0)
        & (inst.t_rank < own_rank[owner])
        & ((seats[p] < inst.capacity[p]) | (inst.t_prank < worst[p]))
    )
    return Check(capacity_ok, acceptable_ok, int(np.count_nonzero(blocking)))
