"""Why each trainee did not get the positions they ranked above their result, and how far down
each position's ranking its seats went. Ranks in the output are 1-based."""

import numpy as np

from .instance import Instance
from .verify import assigned_entry, held_prank


def explain(inst: Instance, assignment: np.ndarray, placed_by_fill: np.ndarray | None) -> dict:
    n_pos = inst.n_positions
    matched = assignment >= 0
    entry = assigned_entry(inst, assignment)
    prank_held = held_prank(inst, entry)
    admitted = np.bincount(assignment[matched], minlength=n_pos)
    listed_admit = matched & (prank_held >= 0)
    worst = np.full(n_pos, -1, dtype=np.int64)
    np.maximum.at(worst, assignment[listed_admit], prank_held[listed_admit])

    # "above": every entry ranked before the trainee's result (all of them when unmatched).
    own_rank = np.where(entry >= 0, entry - inst.t_ptr[:-1], np.diff(inst.t_ptr))
    owner = inst.t_owner
    above = np.flatnonzero(inst.t_rank < own_rank[owner])
    # Reasons: "not_listed" (the position did not list the trainee), "no_seats" (capacity 0),
    # "filled" (all its seats went to trainees it ranked higher). A stable result leaves no
    # other case: a listed position with room or a worse admitted trainee would be a blocking
    # pair, which verify() counts.
    reasons_above: list[list[dict]] = [[] for _ in range(inst.n_trainees)]
    pos_ids = inst.position_ids
    for t, p, r, pr, w, cap in zip(
        owner[above].tolist(),
        inst.t_pos[above].tolist(),
        (inst.t_rank[above] + 1).tolist(),
        inst.t_prank[above].tolist(),
        worst[inst.t_pos[above]].tolist(),
        inst.capacity[inst.t_pos[above]].tolist(),
        strict=True,
    ):
        if pr < 0:
            reasons_above[t].append({"position": pos_ids[p], "rank": r, "reason": "not_listed"})
        elif cap == 0:
            reasons_above[t].append({"position": pos_ids[p], "rank": r, "reason": "no_seats"})
        else:
            reasons_above[t].append(
                {
                    "position": pos_ids[p],
                    "rank": r,
                    "reason": "filled",
                    "last_admitted_rank": w + 1,
                    "your_rank_there": pr + 1,
                }
            )

    trainees = {}
    for t, (tid, a, e) in enumerate(
        zip(inst.trainee_ids, assignment.tolist(), entry.tolist(), strict=True)
    ):
        item = {
            "assigned": pos_ids[a] if a >= 0 else None,
            "assigned_rank": e - int(inst.t_ptr[t]) + 1 if e >= 0 else None,
            "above": reasons_above[t],
        }
        if placed_by_fill is not None and placed_by_fill[t]:
            item["placed_by_fill"] = True
        trainees[tid] = item
    positions = {}
    unlisted = np.bincount(assignment[matched & (prank_held < 0)], minlength=n_pos)
    for p, (pid, cap, n, w) in enumerate(
        zip(pos_ids, inst.capacity.tolist(), admitted.tolist(), worst.tolist(), strict=True)
    ):
        item = {"capacity": cap, "admitted": n, "last_admitted_rank": w + 1 if w >= 0 else None}
        if placed_by_fill is not None:
            item["admitted_unlisted"] = int(unlisted[p])
        positions[pid] = item
    return {"trainees": trainees, "positions": positions}
