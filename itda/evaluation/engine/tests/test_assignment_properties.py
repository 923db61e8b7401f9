"""Evaluator assignment against brute force on random small instances (hypothesis).

For every instance small enough to enumerate every possible assignment:
- a result is returned exactly when some assignment gives every application k evaluators;
- a returned result never pairs a conflicted evaluator, gives every application k distinct
  evaluators, keeps every ``keep`` pair and keeps loads within its band;
- its band is the tightest any assignment reaches (lowest maximum and highest minimum load),
  and it is ±1 whenever some assignment is;
- among the most even assignments it keeps the most ``prefer`` pairs, then has the best fit;
- the relaxed (convex-cost) path reaches the same optimum as the ±1 fast path.
"""

import itertools
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itda.evaluation.engine.assignment import AssignmentInfeasible, AssignmentInput, _assign

APPS = ("a1", "a2", "a3", "a4")
EVS = ("e1", "e2", "e3", "e4")
OUTSIDE = "x9"  # an evaluator who left the panel but whose finished sheets may stay


@st.composite
def instances(draw):
    apps = APPS[: draw(st.integers(1, 4))]
    evs = EVS[: draw(st.integers(1, 4))]
    k = draw(st.integers(1, 3))
    all_pairs = [(a, e) for a in apps for e in (*evs, OUTSIDE)]
    subset = st.sets(st.sampled_from(all_pairs))
    conflicts = draw(subset)
    keep: set[tuple[str, str]] = set()
    for pair in sorted(draw(subset) - conflicts):
        if sum(1 for a, _ in keep if a == pair[0]) < k:
            keep.add(pair)
    prefer = draw(subset)
    expertise = draw(st.dictionaries(st.sampled_from(all_pairs), st.integers(0, 3)))
    return AssignmentInput(
        applications=apps,
        evaluators=evs,
        k=k,
        conflicts=frozenset(conflicts),
        keep=frozenset(keep),
        prefer=frozenset(prefer),
        expertise=expertise,
        seed=draw(st.integers(0, 2**16)),
    )


def every_assignment(inp: AssignmentInput):
    """Every complete assignment, as a frozenset of pairs (keep included)."""
    options = []
    for a in inp.applications:
        kept = {p for p in inp.keep if p[0] == a}
        free = [e for e in inp.evaluators if (a, e) not in inp.conflicts and (a, e) not in kept]
        options.append(
            [kept | {(a, e) for e in c} for c in itertools.combinations(free, inp.k - len(kept))]
        )
    for combo in itertools.product(*options):
        yield frozenset().union(*combo)


def only(inp: AssignmentInput, app: str) -> AssignmentInput:
    """The same instance restricted to one application."""
    keep = frozenset(p for p in inp.keep if p[0] == app)
    return AssignmentInput(**{**inp.__dict__, "applications": (app,), "keep": keep})


def loads_of(inp, pairs):
    count = Counter(e for _, e in pairs)
    return [count[e] for e in inp.evaluators]


def key(inp, pairs):
    """Lower is better: evenness (sum of squared loads), then prefer kept, then fit."""
    return (
        sum(v * v for v in loads_of(inp, pairs)),
        -len(pairs & (inp.prefer - inp.keep)),
        -sum(inp.expertise.get(p, 0) for p in pairs),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_matches_brute_force(inp):
    candidates = list(every_assignment(inp))
    try:
        r = _assign(inp)
    except AssignmentInfeasible as exc:
        assert candidates == []
        # Exactly the applications that cannot get k evaluators on their own are named.
        stuck = tuple(a for a in inp.applications if not any(every_assignment(only(inp, a))))
        assert exc.applications == stuck != ()
        return
    assert candidates, "a result was returned for an infeasible instance"
    pairs = frozenset(r.pairs)
    assert pairs in set(candidates)  # k distinct per application, no conflict, keep present
    assert not pairs & inp.conflicts
    assert inp.keep <= pairs
    assert all(sum(1 for a, _ in pairs if a == app) == inp.k for app in inp.applications)
    loads = loads_of(inp, pairs)
    assert r.load_band == (min(loads), max(loads))

    # The band is the tightest reachable, and ±1 whenever ±1 is reachable.
    best_max = min(max(loads_of(inp, c)) for c in candidates)
    best_min = max(min(loads_of(inp, c)) for c in candidates)
    assert r.load_band == (best_min, best_max)
    lo, hi = r.ideal_band
    ideal_reachable = any(all(lo <= v <= hi for v in loads_of(inp, c)) for c in candidates)
    assert r.band_relaxed == (not ideal_reachable)

    # Lexicographic optimum: evenness, then prefer, then fit.
    best = min(key(inp, c) for c in candidates)
    assert key(inp, pairs) == best
    assert (r.preserved, r.total_fit) == (-best[1], -best[2])

    relaxed = _assign(inp, force_relaxed=True)
    assert key(inp, frozenset(relaxed.pairs)) == best


@settings(max_examples=200, deadline=None)
@given(instances())
def test_strict_band_raises_exactly_when_the_band_must_be_relaxed(inp):
    try:
        r = _assign(inp)
    except AssignmentInfeasible:
        return
    strict = AssignmentInput(**{**inp.__dict__, "strict_band": True})
    if r.band_relaxed:
        try:
            _assign(strict)
        except AssignmentInfeasible as exc:
            assert exc.evaluators
        else:
            raise AssertionError("strict_band did not raise")
    else:
        assert _assign(strict).pairs == r.pairs
