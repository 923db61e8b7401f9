"""Fill-seats: after the trainee-proposing stable round, place still-unmatched trainees into
still-empty seats of positions they listed, as many as possible (min-cost flow, cost = the
trainee's rank of the seat so better-liked seats win among the maximum placements).

The pairs it may add are ones the *position did not list*: a position that listed an unmatched
trainee is, by stability, full of trainees it ranked higher, so restricting to mutually
acceptable pairs would never place anyone. That is why its result is reported apart and is not
a stable matching in the usual sense.
"""

import numpy as np

from .deferred_acceptance import trainee_proposing
from .instance import Instance


def fill_seats(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """Returns (assignment, placed_by_fill: bool[T])."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow  # slow import: only here

    assignment = trainee_proposing(inst)
    n_tr, n_pos = inst.n_trainees, inst.n_positions
    empty = inst.capacity - np.bincount(assignment[assignment >= 0], minlength=n_pos)
    owner = inst.t_owner
    arcs = np.flatnonzero((assignment[owner] < 0) & (empty[inst.t_pos] > 0))
    placed_by_fill = np.zeros(n_tr, dtype=bool)
    if arcs.size == 0:
        return assignment, placed_by_fill

    # Nodes: 0 source, 1..n_tr trainees, then positions, then the sink.
    sink = 1 + n_tr + n_pos
    trainees = np.unique(owner[arcs])
    positions = np.unique(inst.t_pos[arcs])
    tails = np.concatenate(
        (np.zeros(len(trainees), np.int64), 1 + owner[arcs], 1 + n_tr + positions)
    )
    heads = np.concatenate(
        (1 + trainees, 1 + n_tr + inst.t_pos[arcs], np.full(len(positions), sink))
    )
    caps = np.concatenate(
        (np.ones(len(trainees), np.int64), np.ones(len(arcs), np.int64), empty[positions])
    )
    costs = np.concatenate(
        (np.zeros(len(trainees), np.int64), inst.t_rank[arcs], np.zeros(len(positions), np.int64))
    )
    flow = SimpleMinCostFlow()
    arc_ids = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.array([0, sink]), np.array([len(trainees), -len(trainees)]))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"fill-seats: min-cost flow failed ({status})")
    pair_arcs = arc_ids[len(trainees) : len(trainees) + len(arcs)]
    used = arcs[np.asarray(flow.flows(pair_arcs)) > 0]
    assignment[owner[used]] = inst.t_pos[used]
    placed_by_fill[owner[used]] = True
    return assignment, placed_by_fill
