"""Deferred acceptance in rounds, vectorised: every free proposer proposes at once each round.

Only mutually acceptable pairs take part (a pair counts only if each side lists the other).
Both return ``assignment``: int64[T], the position of each trainee or -1.
"""

import numpy as np

from .instance import Instance


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + n)`` for each (s, n), without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.arange(total) + np.repeat(starts - (ends - lengths), lengths)


def trainee_proposing(inst: Instance) -> np.ndarray:
    """The trainee-optimal stable matching (strategy-proof for trainees).

    A position holds, among everyone who proposed to it, the best ``capacity`` by its rank. It
    keeps that as a bitmap over its own ranking (``held``) and a cutoff: a proposal ranked at or
    below the cutoff is refused outright; once a position is full, only the prefix of its
    ranking above the cutoff is scanned to find whom a better proposal displaces.
    """
    n_pos = inst.n_positions
    ptr, pos, prank = inst.ta_ptr, inst.ta_pos, inst.ta_prank
    end = ptr[1:]
    nxt = ptr[:-1].copy()  # the entry each trainee currently proposes to or is held at
    cap = inst.capacity
    p_start = inst.p_ptr[:-1]
    cutoff = np.where(cap > 0, np.diff(inst.p_ptr), 0)
    held = np.zeros(len(inst.p_tr), dtype=bool)
    n_held = np.zeros(n_pos, dtype=np.int64)

    free = np.flatnonzero(nxt < end)
    while free.size:
        e = nxt[free]
        p = pos[e]
        r = prank[e]
        ok = r < cutoff[p]
        refused = free[~ok]
        p_ok = p[ok]
        held[p_start[p_ok] + r[ok]] = True
        counts = np.bincount(p_ok, minlength=n_pos)
        n_held += counts
        touched = np.flatnonzero(counts)
        full = touched[n_held[touched] >= cap[touched]]
        displaced = np.zeros(0, dtype=np.int64)
        if full.size:
            lengths = cutoff[full]
            slots = _ranges(p_start[full], lengths)
            bits = held[slots]
            running = np.cumsum(bits)
            seg_end = np.cumsum(lengths)
            before = np.concatenate(([0], running))[seg_end - lengths]
            within = running - np.repeat(before, lengths)
            seat_cap = np.repeat(cap[full], lengths)
            over = bits & (within > seat_cap)
            out = slots[over]
            held[out] = False
            displaced = inst.p_tr[out]
            last = slots[bits & (within == seat_cap)]  # the worst holder of each full position
            cutoff[full] = last - p_start[full] + 1
            n_held[full] = cap[full]
        rejected = np.concatenate((refused, displaced))
        nxt[rejected] += 1
        free = rejected[nxt[rejected] < end[rejected]]

    assignment = np.full(inst.n_trainees, -1, dtype=np.int64)
    placed = np.flatnonzero(nxt < end)
    assignment[placed] = pos[nxt[placed]]
    return assignment


def position_proposing(inst: Instance) -> np.ndarray:
    """The position-optimal stable matching: each round every position with free seats offers
    them to the next trainees on its list; a trainee keeps the best offer seen so far."""
    n_tr = inst.n_trainees
    ptr, tr, trank, owner = inst.pa_ptr, inst.pa_tr, inst.pa_trank, inst.pa_owner
    end = ptr[1:]
    nxt = ptr[:-1].copy()
    cap = inst.capacity
    outstanding = np.zeros(inst.n_positions, dtype=np.int64)
    best = np.full(n_tr, np.iinfo(np.int64).max, dtype=np.int64)  # trainee's rank of its offer
    holding = np.full(n_tr, -1, dtype=np.int64)  # the entry of the offer it holds

    active = np.flatnonzero((outstanding < cap) & (nxt < end))
    while active.size:
        k = np.minimum(cap[active] - outstanding[active], end[active] - nxt[active])
        offers = _ranges(nxt[active], k)
        nxt[active] += k
        outstanding[active] += k
        t = tr[offers]
        r = trank[offers]
        order = np.lexsort((r, t))
        t_sorted = t[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = t_sorted[1:] != t_sorted[:-1]
        top = offers[order[first]]  # each trainee's best new offer
        top_t = tr[top]
        wins = trank[top] < best[top_t]
        winners = top[wins]
        win_t = top_t[wins]
        dropped = holding[win_t]
        dropped = dropped[dropped >= 0]
        holding[win_t] = winners
        best[win_t] = trank[winners]
        lost_new = np.ones(len(offers), dtype=bool)
        lost_new[order[first][wins]] = False
        losers = np.concatenate((offers[lost_new], dropped))
        if losers.size:
            outstanding -= np.bincount(owner[losers], minlength=inst.n_positions)
        active = np.flatnonzero((outstanding < cap) & (nxt < end))

    assignment = np.full(n_tr, -1, dtype=np.int64)
    placed = holding >= 0
    assignment[placed] = owner[holding[placed]]
    return assignment
