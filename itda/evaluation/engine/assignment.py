"""Evaluator-to-application assignment (평가위원 배정) as a min-cost flow.

Plain data in, plain data out: no Django, no database, no clock, no unseeded randomness. Ids are
sorted internally, so the same input in any order gives the same result.

Problem
    Every application gets exactly ``k`` distinct evaluators (3 for companies, 9 for plans), its
    ``keep`` pairs included. A conflicted pair (상피) is never assigned. Every evaluator of the
    panel carries a total load (``keep`` included) within ``[floor(T/E), ceil(T/E)]`` — balanced
    within ±1 — where ``E`` is the panel size and ``T = len(applications) * k`` minus the ``keep``
    pairs of evaluators outside the panel (see *Dropout* below). Among those assignments the solver
    keeps as many ``prefer`` pairs as it can, then maximises total expertise fit, then breaks the
    remaining ties with a perturbation hashed from ``(seed, application, evaluator)``. The three
    goals are strictly lexicographic: the weights are sized from the instance so that no amount of
    fit outweighs one kept ``prefer`` pair, and no tie-break outweighs one point of fit (any two
    solutions differ by simple cycles with at most ``2 * min(A, E)`` pair arcs each).

Construction (the balance constraint)
    Nodes: one per application still short of ``k`` (supply = evaluators it still needs), one per
    panel evaluator, one sink. Arcs: application → evaluator for every allowed pair (capacity 1,
    cost = -prefer·P - fit·F + tie-break), evaluator → sink. Min-cost flow has no lower bounds, so
    the lower bound of the band is a node demand: evaluator ``e`` *absorbs* its mandatory
    ``max(0, lo - keep_e)`` units itself (supply = -that), and its arc to the sink carries only the
    optional ``hi - keep_e - mandatory`` units (0 or 1 in the usual case); the sink absorbs the
    rest. OR-Tools reports INFEASIBLE exactly when no assignment fits the ±1 band.

Relaxed band (when ±1 is impossible)
    Finished sheets may already give an evaluator more than ``ceil(T/E)`` (an evaluator joins the
    panel late, or the panel grew), or conflicts may force some evaluator above or below the band.
    Then the solver falls back to the *most even* load vector: evaluator → sink becomes a ladder of
    unit arcs whose cost grows with the load they create (a convex cost, weighted above everything
    else). Its optimum minimises the sum of squared loads; the achievable load vectors form an
    M-convex set, and there (Frank & Murota, "Discrete decreasing minimization") that minimiser
    simultaneously minimises the largest load and maximises the smallest. ``load_band`` then reports
    that tightest achievable band, ``band_relaxed`` is True and ``ideal_band`` keeps the ±1 target.
    With ``strict_band=True`` the solver raises instead, naming the evaluators outside the band.

Dropout and re-runs
    Re-run with the evaluator who dropped out left out of ``evaluators``:

    * ``keep`` = the finished score sheets that stay valid, of anyone, the dropped evaluator
      included. They are never moved, count towards their application's ``k`` and towards their
      evaluator's load. A kept sheet by someone outside the panel is part of ``pairs`` and of
      ``kept`` but not of ``loads``: that evaluator gets no new work and is not balanced. When the
      dropped evaluator's sheets are void, the caller leaves them out of ``keep`` and their
      applications get a replacement.
    * ``prefer`` = the previous unfinished assignments. They are kept unless balance or a conflict
      forces a move, so churn is minimal. ``prefer`` pairs that are no longer possible (evaluator
      left the panel, new conflict, already in ``keep``, unknown application) are ignored.
    * A ``keep`` pair that is conflicted is an error: the caller must void that sheet first.

Infeasibility
    ``AssignmentInfeasible`` (a ``ValueError``) names the applications that have fewer allowed
    evaluators than they still need (panel minus conflicts minus their ``keep`` evaluators). With
    the relaxed band that per-application count is the only way to fail; with ``strict_band`` an
    unreachable ±1 band also raises, naming the evaluators. Malformed input (duplicate ids, a
    ``keep`` pair for an unknown application, more than ``k`` kept pairs, a negative fit) raises a
    plain ``ValueError``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = [
    "AssignmentInfeasible",
    "AssignmentInput",
    "AssignmentResult",
    "assign_evaluators",
]

Pair = tuple[str, str]  # (application_id, evaluator_id)

# Tie-break values lie in [0, TIE_RANGE): enough to vary equal-cost solutions with the seed, small
# enough to keep the lexicographic weights (and OR-Tools' scaled costs) far from int64 overflow.
TIE_RANGE = 32
# OR-Tools multiplies costs by (nodes + 1) while scaling; stay well under 2**63.
_COST_LIMIT = 2**60
_MAX_NAMED = 20


class AssignmentInfeasible(ValueError):
    """No assignment satisfies the constraints; ``applications``/``evaluators`` say where."""

    def __init__(
        self,
        message: str,
        *,
        applications: tuple[str, ...] = (),
        evaluators: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.applications = applications
        self.evaluators = evaluators


def _pairs(values: Iterable[Pair], name: str) -> frozenset[Pair]:
    out = []
    for pair in values:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"{name}: {pair!r} is not an (application_id, evaluator_id) pair")
        out.append((str(pair[0]), str(pair[1])))
    return frozenset(out)


@dataclass(frozen=True)
class AssignmentInput:
    """Who needs evaluating, by whom, how many times, and what must or should stay."""

    applications: tuple[str, ...]
    evaluators: tuple[str, ...]
    k: int
    conflicts: frozenset[Pair] = frozenset()
    keep: frozenset[Pair] = frozenset()
    prefer: frozenset[Pair] = frozenset()
    expertise: Mapping[Pair, int] = field(default_factory=dict)
    seed: int = 0
    strict_band: bool = False

    def __post_init__(self) -> None:
        # Accept any iterables; store canonical immutable forms.
        apps = tuple(str(a) for a in self.applications)
        evs = tuple(str(e) for e in self.evaluators)
        for name, ids in (("applications", apps), ("evaluators", evs)):
            if len(set(ids)) != len(ids):
                dupes = sorted({i for i in ids if ids.count(i) > 1})
                raise ValueError(f"{name}: duplicate ids {dupes[:_MAX_NAMED]}")
        k = int(self.k)
        if k < 1:
            raise ValueError(f"k must be at least 1, got {self.k!r}")
        expertise: dict[Pair, int] = {}
        for (a, e), fit in dict(self.expertise).items():
            if isinstance(fit, bool) or int(fit) != fit or fit < 0:
                raise ValueError(f"expertise[{(a, e)!r}] must be an integer ≥ 0, got {fit!r}")
            if fit:
                expertise[(str(a), str(e))] = int(fit)
        object.__setattr__(self, "applications", apps)
        object.__setattr__(self, "evaluators", evs)
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "conflicts", _pairs(self.conflicts, "conflicts"))
        object.__setattr__(self, "keep", _pairs(self.keep, "keep"))
        object.__setattr__(self, "prefer", _pairs(self.prefer, "prefer"))
        object.__setattr__(self, "expertise", MappingProxyType(expertise))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "strict_band", bool(self.strict_band))

    def sha256(self) -> str:
        """Hash of the canonical (sorted) input: the same for any order of the same data."""
        canonical = {
            "applications": sorted(self.applications),
            "evaluators": sorted(self.evaluators),
            "k": self.k,
            "conflicts": sorted(self.conflicts),
            "keep": sorted(self.keep),
            "prefer": sorted(self.prefer),
            "expertise": sorted([a, e, f] for (a, e), f in self.expertise.items()),
            "seed": self.seed,
            "strict_band": self.strict_band,
        }
        text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class AssignmentResult:
    """The full assignment (``keep`` included), sorted, with loads and what it kept."""

    pairs: tuple[Pair, ...]
    loads: dict[str, int]  # panel evaluators only, keep included
    load_band: tuple[int, int]  # (min, max) of ``loads``
    ideal_band: tuple[int, int]  # (floor(T/E), ceil(T/E))
    band_relaxed: bool  # True when ±1 was impossible and the tightest band was used
    total_fit: int  # sum of expertise over all pairs
    kept: int  # keep pairs (all present)
    preserved: int  # prefer pairs still assigned
    added: int  # pairs neither kept nor preserved: the churn of a re-run
    input_sha256: str


def _id_hashes(ids: list[str], seed: int, role: str) -> np.ndarray:
    """A 64-bit hash of (seed, role, id) per id: stable whatever the other ids are."""
    out = np.empty(len(ids), dtype=np.uint64)
    for n, i in enumerate(ids):
        digest = hashlib.blake2b(f"{seed}\x1f{role}\x1f{i}".encode(), digest_size=8).digest()
        out[n] = int.from_bytes(digest, "little")
    return out


def _tie_break(app_h: np.ndarray, ev_h: np.ndarray) -> np.ndarray:
    """splitmix64 of the two id hashes, per arc, reduced to [0, TIE_RANGE)."""
    with np.errstate(over="ignore"):
        x = app_h ^ (ev_h * np.uint64(0x9E3779B97F4A7C15))
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return (x % np.uint64(TIE_RANGE)).astype(np.int64)


def _named(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_NAMED])
    more = len(items) - _MAX_NAMED
    return shown + (f" 외 {more}건 (and {more} more)" if more > 0 else "")


def _check_cost_range(max_abs_cost: int, nodes: int, flow: int) -> None:
    if max_abs_cost * (nodes + 1) * 4 >= _COST_LIMIT or max_abs_cost * max(flow, 1) >= _COST_LIMIT:
        raise ValueError(
            "배정 문제가 너무 커서 정확한 가중치를 쓸 수 없습니다 (instance too large for exact "
            f"weights: cost {max_abs_cost} × {nodes} nodes); lower the expertise scores"
        )


def _solve_flow(
    supplies: np.ndarray,
    tails: np.ndarray,
    heads: np.ndarray,
    caps: np.ndarray,
    costs: np.ndarray,
    n_pair_arcs: int,
) -> np.ndarray | None:
    """Min-cost flow; the flows on the first ``n_pair_arcs`` arcs, or None when infeasible."""
    _check_cost_range(
        int(np.abs(costs).max()) if len(costs) else 0,
        len(supplies),
        int(supplies[supplies > 0].sum()),
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs
    )
    smcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies.astype(np.int64))
    status = smcf.solve()
    if status == smcf.INFEASIBLE:
        return None
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.asarray(smcf.flows(np.asarray(arcs[:n_pair_arcs], dtype=np.int32)))


def assign_evaluators(inp: AssignmentInput) -> AssignmentResult:
    """Assign ``k`` evaluators to every application; see the module docstring for the rules."""
    return _assign(inp)


def _assign(inp: AssignmentInput, *, force_relaxed: bool = False) -> AssignmentResult:
    """The solver; ``force_relaxed`` skips the ±1 fast path (tests compare the two paths)."""
    k = inp.k
    apps = sorted(inp.applications)
    evs = sorted(inp.evaluators)
    n_apps, n_evs = len(apps), len(evs)
    app_ix = {a: i for i, a in enumerate(apps)}
    ev_ix = {e: j for j, e in enumerate(evs)}

    # --- keep: validate; split into panel pairs (a matrix) and pairs of evaluators outside it.
    bad_conflict = sorted(inp.keep & inp.conflicts)
    if bad_conflict:
        raise ValueError(
            "이해충돌이 있는 완료 평가표는 유지할 수 없습니다 — 먼저 무효 처리하십시오 "
            f"(a kept pair is conflicted; void that sheet first): {bad_conflict[:_MAX_NAMED]}"
        )
    unknown = sorted(p for p in inp.keep if p[0] not in app_ix)
    if unknown:
        raise ValueError(f"keep pairs for unknown applications: {unknown[:_MAX_NAMED]}")
    kept_m = np.zeros((n_apps, n_evs), dtype=bool)
    outside = sorted(p for p in inp.keep if p[1] not in ev_ix)
    outside_per_app = np.zeros(n_apps, dtype=np.int64)
    for a, e in inp.keep:
        if e in ev_ix:
            kept_m[app_ix[a], ev_ix[e]] = True
        else:
            outside_per_app[app_ix[a]] += 1
    need = k - kept_m.sum(axis=1) - outside_per_app
    over = [apps[i] for i in np.flatnonzero(need < 0)]
    if over:
        raise ValueError(f"more than k={k} keep pairs for applications: {over[:_MAX_NAMED]}")

    # --- allowed pairs: panel minus conflicts minus what is already kept.
    conflict_m = np.zeros((n_apps, n_evs), dtype=bool)
    for a, e in inp.conflicts:
        i, j = app_ix.get(a), ev_ix.get(e)
        if i is not None and j is not None:
            conflict_m[i, j] = True
    allowed = ~conflict_m & ~kept_m
    available = allowed.sum(axis=1)
    short = np.flatnonzero(need > available)
    if len(short):
        names = [apps[i] for i in short]
        detail = [
            f"{apps[i]}(필요 {need[i]}명, 가능 {available[i]}명 / needs {need[i]}, "
            f"{available[i]} available)"
            for i in short
        ]
        raise AssignmentInfeasible(
            f"평가위원 {k}명을 배정할 수 없는 신청이 {len(names)}건 있습니다: "
            "이해충돌과 기존 배정을 빼면 배정 가능한 평가위원이 모자랍니다 "
            f"({len(names)} application(s) cannot get {k} evaluators "
            f"from a panel of {n_evs} without conflicts): {_named(detail)}",
            applications=tuple(names),
        )

    prefer_m = np.zeros((n_apps, n_evs), dtype=bool)
    for a, e in inp.prefer:
        i, j = app_ix.get(a), ev_ix.get(e)
        if i is not None and j is not None:
            prefer_m[i, j] = True
    prefer_m &= allowed
    fit_m = np.zeros((n_apps, n_evs), dtype=np.int64)
    for (a, e), fit in inp.expertise.items():
        i, j = app_ix.get(a), ev_ix.get(e)
        if i is not None and j is not None:
            fit_m[i, j] = fit

    # --- the band.
    total = n_apps * k - int(outside_per_app.sum())
    lo, hi = (total // n_evs, -(-total // n_evs)) if n_evs else (0, 0)
    keep_load = kept_m.sum(axis=0).astype(np.int64)

    # --- arcs application → evaluator, with lexicographic integer costs.
    open_apps = np.flatnonzero(need > 0)
    n_open = len(open_apps)
    demand = int(need[open_apps].sum())
    rows, cols = np.nonzero(allowed[open_apps])  # row-major: canonical order
    app_nodes_of_arc = open_apps[rows]
    max_fit = int(fit_m[app_nodes_of_arc, cols].max()) if len(rows) else 0
    any_prefer = bool(prefer_m[app_nodes_of_arc, cols].any()) if len(rows) else False
    cycle = 2 * min(n_open, n_evs) + 2  # bound on pair arcs in a simple cycle
    w_fit = cycle * TIE_RANGE
    w_prefer = cycle * (max_fit * w_fit + TIE_RANGE) if any_prefer else 0
    tie = _tie_break(
        _id_hashes(apps, inp.seed, "A")[app_nodes_of_arc],
        _id_hashes(evs, inp.seed, "E")[cols],
    )
    pair_cost = (
        tie
        - w_fit * fit_m[app_nodes_of_arc, cols]
        - w_prefer * prefer_m[app_nodes_of_arc, cols].astype(np.int64)
    )
    pair_tails = rows.astype(np.int64)
    pair_heads = n_open + cols.astype(np.int64)
    n_pairs = len(rows)
    sink = n_open + n_evs
    supplies = np.zeros(n_open + n_evs + 1, dtype=np.int64)
    supplies[:n_open] = need[open_apps]

    flows = None
    band_enforced = False  # True when the ±1 band was a constraint of the flow that was solved
    if demand == 0:  # nothing to choose: the loads are the kept ones, in band or not
        flows = np.zeros(n_pairs, dtype=np.int64)
    elif not force_relaxed and bool((keep_load <= hi).all()):
        # Fast path: the ±1 band as node demands (mandatory) plus a capped arc (optional).
        mandatory = np.maximum(0, lo - keep_load)
        optional = hi - keep_load - mandatory
        if int(mandatory.sum()) <= demand:
            supplies[n_open:sink] = -mandatory
            supplies[sink] = -(demand - int(mandatory.sum()))
            ev_nodes = n_open + np.flatnonzero(optional > 0)
            flows = _solve_flow(
                supplies,
                np.concatenate([pair_tails, ev_nodes]),
                np.concatenate([pair_heads, np.full(len(ev_nodes), sink)]),
                np.concatenate([np.ones(n_pairs, np.int64), optional[ev_nodes - n_open]]),
                np.concatenate([pair_cost, np.zeros(len(ev_nodes), np.int64)]),
                n_pairs,
            )
            band_enforced = flows is not None
    if flows is None:
        # Relaxed: the most even loads (min sum of squares) first, then the same objective.
        supplies[n_open:sink] = 0
        supplies[sink] = -demand
        steps = np.minimum(np.bincount(cols, minlength=n_evs), demand).astype(np.int64)
        start = np.concatenate([[0], np.cumsum(steps)[:-1]])
        n_steps = int(steps.sum())
        step_ev = np.repeat(np.arange(n_evs), steps)
        level = keep_load[step_ev] + (np.arange(n_steps) - start[step_ev]) + 1  # load reached
        w_balance = cycle * (w_prefer + max_fit * w_fit + TIE_RANGE)
        step_cost = w_balance * (level - int(level.min()))
        flows = _solve_flow(
            supplies,
            np.concatenate([pair_tails, n_open + step_ev]),
            np.concatenate([pair_heads, np.full(n_steps, sink)]),
            np.ones(n_pairs + n_steps, np.int64),
            np.concatenate([pair_cost, step_cost]),
            n_pairs,
        )
        if flows is None:  # cannot happen: every application has enough allowed evaluators
            raise RuntimeError("relaxed assignment unexpectedly infeasible")

    chosen = flows > 0
    assigned = kept_m.copy()
    assigned[app_nodes_of_arc[chosen], cols[chosen]] = True
    loads = assigned.sum(axis=0)

    # --- verify everything in one pass, independently of the solver.
    if not bool((assigned.sum(axis=1) + outside_per_app == k).all()):
        raise RuntimeError("assignment check failed: an application does not have k evaluators")
    if bool((assigned & conflict_m).any()) or not bool((assigned | ~kept_m).all()):
        raise RuntimeError("assignment check failed: conflicted pair assigned or keep pair lost")
    if int(chosen.sum()) != demand:
        raise RuntimeError("assignment check failed: flow does not match demand")
    band = (int(loads.min()), int(loads.max())) if n_evs else (0, 0)
    within_ideal = lo <= band[0] and band[1] <= hi
    if band_enforced and not within_ideal:
        raise RuntimeError("assignment check failed: loads outside the ±1 band")
    if inp.strict_band and not within_ideal:
        outside_band = [evs[j] for j in np.flatnonzero((loads < lo) | (loads > hi))]
        detail = [
            f"{evs[j]}({int(loads[j])}건)" for j in np.flatnonzero((loads < lo) | (loads > hi))
        ]
        raise AssignmentInfeasible(
            f"평가위원 부담을 {lo}~{hi}건(±1)으로 맞출 수 없습니다: 완료 평가표나 이해충돌 때문에 "
            f"가장 고른 배정에서도 범위를 벗어나는 평가위원이 있습니다 (loads cannot be kept "
            f"within {lo}..{hi}): {_named(detail)}",
            evaluators=tuple(outside_band),
        )

    pairs = [(apps[i], evs[j]) for i, j in zip(*np.nonzero(assigned), strict=True)]
    pairs.extend(outside)
    pairs.sort()
    preserved = int((assigned & prefer_m).sum())
    total_fit = int(fit_m[assigned].sum()) + sum(inp.expertise.get(p, 0) for p in outside)
    return AssignmentResult(
        pairs=tuple(pairs),
        loads={e: int(loads[j]) for j, e in enumerate(evs)},
        load_band=band,
        ideal_band=(lo, hi),
        band_relaxed=not within_ideal,
        total_fit=total_fit,
        kept=len(inp.keep),
        preserved=preserved,
        added=len(pairs) - len(inp.keep) - preserved,
        input_sha256=inp.sha256(),
    )
