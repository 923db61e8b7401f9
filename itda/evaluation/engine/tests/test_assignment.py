"""Evaluator assignment: hand-checked cases, the two programme shapes, re-runs, failures."""

import random
from collections import Counter

import pytest

from itda.evaluation.engine.assignment import (
    AssignmentInfeasible,
    AssignmentInput,
    AssignmentResult,
    _assign,
    assign_evaluators,
)


def ids(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i:02d}" for i in range(1, n + 1))


def check(inp: AssignmentInput, r: AssignmentResult) -> None:
    """The invariants every result must satisfy."""
    per_app = Counter(a for a, _ in r.pairs)
    assert len(set(r.pairs)) == len(r.pairs), "an evaluator twice on one application"
    assert all(per_app[a] == inp.k for a in inp.applications)
    assert set(per_app) <= set(inp.applications)
    assert not set(r.pairs) & inp.conflicts
    assert inp.keep <= set(r.pairs)
    panel = set(inp.evaluators)
    assert all(e in panel or (a, e) in inp.keep for a, e in r.pairs)
    loads = Counter(e for _, e in r.pairs if e in panel)
    assert r.loads == {e: loads[e] for e in sorted(panel)}
    if panel:
        assert r.load_band == (min(r.loads.values()), max(r.loads.values()))
    if not r.band_relaxed:
        lo, hi = r.ideal_band
        assert hi - lo <= 1
        assert all(lo <= v <= hi for v in r.loads.values())
    assert r.pairs == tuple(sorted(r.pairs))
    assert r.kept == len(inp.keep)
    assert r.kept + r.preserved + r.added == len(r.pairs)


# --- small hand-checked cases -------------------------------------------------------------------


def test_hand_checked_conflict_routes_around_and_loads_within_one():
    inp = AssignmentInput(
        applications=("a1", "a2", "a3", "a4"),
        evaluators=("e1", "e2", "e3"),
        k=2,
        conflicts=frozenset({("a1", "e1")}),
    )
    r = assign_evaluators(inp)
    check(inp, r)
    # 8 pairs over 3 evaluators: loads 2 or 3; a1 can only take e2 and e3.
    assert r.ideal_band == (2, 3)
    assert sorted(r.loads.values()) == [2, 3, 3]
    assert {e for a, e in r.pairs if a == "a1"} == {"e2", "e3"}
    assert not r.band_relaxed


def test_expertise_preference_honoured_when_balance_leaves_room():
    inp = AssignmentInput(
        applications=("a1", "a2"),
        evaluators=("e1", "e2", "e3", "e4"),
        k=1,
        expertise={("a1", "e3"): 5, ("a2", "e4"): 2, ("a2", "e1"): 1},
    )
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.pairs == (("a1", "e3"), ("a2", "e4"))
    assert r.total_fit == 7


def test_expertise_never_outweighs_balance():
    # Both applications fit e1 best, but one evaluator each keeps loads within ±1.
    inp = AssignmentInput(
        applications=("a1", "a2"),
        evaluators=("e1", "e2"),
        k=1,
        expertise={("a1", "e1"): 5, ("a2", "e1"): 4},
    )
    r = assign_evaluators(inp)
    assert r.pairs == (("a1", "e1"), ("a2", "e2"))
    assert r.loads == {"e1": 1, "e2": 1}
    assert r.total_fit == 5


def test_prefer_outweighs_expertise():
    inp = AssignmentInput(
        applications=("a1", "a2"),
        evaluators=("e1", "e2"),
        k=1,
        prefer=frozenset({("a1", "e1"), ("a2", "e2")}),
        expertise={("a1", "e2"): 9, ("a2", "e1"): 9},
    )
    r = assign_evaluators(inp)
    assert r.pairs == (("a1", "e1"), ("a2", "e2"))
    assert (r.preserved, r.added, r.total_fit) == (2, 0, 0)


def test_empty_and_fully_kept_inputs():
    r = assign_evaluators(AssignmentInput(applications=(), evaluators=("e1",), k=3))
    assert (r.pairs, r.loads, r.load_band) == ((), {"e1": 0}, (0, 0))
    keep = frozenset({("a1", "e1"), ("a1", "e2")})
    inp = AssignmentInput(applications=("a1",), evaluators=("e1", "e2", "e3"), k=2, keep=keep)
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.pairs == tuple(sorted(keep))
    assert (r.kept, r.added) == (2, 0)


# --- the two programme shapes -------------------------------------------------------------------


def test_companies_k3():
    rng = random.Random(7)
    apps, evs = ids("co", 60), ids("ev", 14)
    conflicts = frozenset((a, e) for a in apps for e in rng.sample(evs, 3))
    expertise = {(a, e): rng.randint(1, 4) for a in apps for e in rng.sample(evs, 4)}
    inp = AssignmentInput(apps, evs, 3, conflicts=conflicts, expertise=expertise, seed=3)
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.ideal_band == (12, 13) and not r.band_relaxed  # 180 / 14 = 12.9
    assert r.total_fit > 0


def test_plans_k9_from_a_pool_of_12_with_conflicts():
    plans, evs = ids("plan", 10), ids("ev", 12)
    # Each plan conflicts with two evaluators, no evaluator with more than two plans.
    conflicts = frozenset(
        (p, evs[(i + shift) % 12]) for i, p in enumerate(plans) for shift in (0, 5)
    )
    inp = AssignmentInput(plans, evs, 9, conflicts=conflicts)
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.ideal_band == (7, 8) and not r.band_relaxed  # 90 / 12 = 7.5
    for p in plans:
        panel = {e for a, e in r.pairs if a == p}
        assert len(panel) == 9
        assert not {(p, e) for e in panel} & conflicts


def test_plans_k9_with_an_evaluator_conflicted_on_four_plans_relaxes_only_them():
    rng = random.Random(2021)
    plans, evs = ids("plan", 10), ids("ev", 12)
    conflicts = frozenset((p, e) for p in plans for e in rng.sample(evs, rng.randint(1, 3)))
    assert Counter(e for _, e in conflicts)["ev02"] == 4  # so ev02 can score at most 6 plans
    inp = AssignmentInput(plans, evs, 9, conflicts=conflicts)
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.band_relaxed and r.load_band == (6, 8)
    assert r.loads["ev02"] == 6
    assert all(7 <= v <= 8 for e, v in r.loads.items() if e != "ev02")


def test_an_evaluator_with_a_conflict_is_never_assigned():
    apps, evs = ids("a", 20), ids("e", 5)
    # e01 conflicts with every application but one, and fits all of them best.
    conflicts = frozenset((a, "e01") for a in apps[1:])
    expertise = {(a, "e01"): 9 for a in apps}
    inp = AssignmentInput(apps, evs, 2, conflicts=conflicts, expertise=expertise)
    r = assign_evaluators(inp)
    check(inp, r)
    assert [a for a, e in r.pairs if e == "e01"] == ["a01"]
    # 40 pairs over 5 is 8 each, impossible for e01: the band is relaxed to the tightest one.
    assert r.band_relaxed and r.ideal_band == (8, 8)
    assert r.loads["e01"] == 1
    assert r.load_band == (1, 10)  # the other four share 39 as 10, 10, 10, 9


# --- dropout re-runs ----------------------------------------------------------------------------


def first_round(seed: int = 5):
    rng = random.Random(seed)
    apps, evs = ids("a", 40), ids("e", 10)
    conflicts = frozenset((a, e) for a in apps for e in rng.sample(evs, 2))
    expertise = {(a, e): rng.randint(1, 3) for a in apps for e in rng.sample(evs, 3)}
    inp = AssignmentInput(apps, evs, 3, conflicts=conflicts, expertise=expertise, seed=seed)
    return rng, inp, assign_evaluators(inp)


@pytest.mark.parametrize("sheets_of_dropped_stay_valid", [True, False])
def test_dropout_rerun_keeps_finished_sheets_and_moves_little(sheets_of_dropped_stay_valid):
    rng, inp, r1 = first_round()
    dropped = "e04"
    finished = {p for p in r1.pairs if rng.random() < 0.4}
    if not sheets_of_dropped_stay_valid:
        finished = {p for p in finished if p[1] != dropped}
    unfinished = set(r1.pairs) - finished
    inp2 = AssignmentInput(
        inp.applications,
        tuple(e for e in inp.evaluators if e != dropped),
        inp.k,
        conflicts=inp.conflicts,
        keep=frozenset(finished),
        prefer=frozenset(unfinished),  # the dropped evaluator's pairs are ignored
        expertise=inp.expertise,
        seed=inp.seed,
    )
    r2 = assign_evaluators(inp2)
    check(inp2, r2)
    assert finished <= set(r2.pairs)
    # The dropped evaluator keeps their valid finished sheets and gets nothing new.
    assert {p for p in r2.pairs if p[1] == dropped} == {p for p in finished if p[1] == dropped}
    assert dropped not in r2.loads
    # Churn: only the dropped evaluator's lost pairs need new evaluators, nothing else moves.
    lost = {p for p in r1.pairs if p[1] == dropped} - finished
    still_possible = {p for p in unfinished if p[1] != dropped}
    assert r2.added == len(lost)
    assert r2.preserved == len(still_possible)
    assert not r2.band_relaxed
    # The work left for the 9 (120 pairs less the dropped evaluator's kept sheets) is within ±1.
    work = 120 - sum(1 for p in finished if p[1] == dropped)
    assert r2.ideal_band == (work // 9, -(-work // 9))


def test_rerun_with_nothing_changed_changes_nothing():
    _, inp, r1 = first_round()
    inp2 = AssignmentInput(
        inp.applications,
        inp.evaluators,
        inp.k,
        conflicts=inp.conflicts,
        prefer=frozenset(r1.pairs),
        expertise=inp.expertise,
        seed=inp.seed + 1,  # another seed would pick another tie: prefer wins
    )
    r2 = assign_evaluators(inp2)
    assert r2.pairs == r1.pairs and r2.added == 0


def test_finished_sheets_over_the_band_relax_it_to_the_tightest_and_strict_raises():
    apps = ids("a", 6)
    keep = frozenset((a, "e1") for a in apps[:4])  # e1 finished 4 sheets
    inp = AssignmentInput(apps, ("e1", "e2", "e3"), 1, keep=keep)
    r = assign_evaluators(inp)
    check(inp, r)
    assert r.ideal_band == (2, 2)
    assert r.band_relaxed and r.loads == {"e1": 4, "e2": 1, "e3": 1}
    assert r.load_band == (1, 4)
    with pytest.raises(AssignmentInfeasible) as exc:
        assign_evaluators(AssignmentInput(apps, ("e1", "e2", "e3"), 1, keep=keep, strict_band=True))
    assert set(exc.value.evaluators) == {"e1", "e2", "e3"}
    assert "±1" in str(exc.value)


def test_relaxed_band_still_balances_the_evaluators_not_overloaded():
    apps = ids("a", 20)
    keep = frozenset((a, "e1") for a in apps[:12])
    inp = AssignmentInput(apps, ("e1", "e2", "e3", "e4", "e5"), 2, keep=keep)
    r = assign_evaluators(inp)
    check(inp, r)
    # 40 pairs; e1 holds 12 finished. The other 28 split 7/7/7/7, not anything in 1..12.
    assert r.loads == {"e1": 12, "e2": 7, "e3": 7, "e4": 7, "e5": 7}


def test_keep_pairs_of_evaluators_outside_the_panel_count_towards_k_only():
    keep = frozenset({("a1", "gone"), ("a2", "gone")})
    inp = AssignmentInput(("a1", "a2", "a3"), ("e1", "e2"), 2, keep=keep)
    r = assign_evaluators(inp)
    check(inp, r)
    assert ("a1", "gone") in r.pairs and "gone" not in r.loads
    assert r.ideal_band == (2, 2)  # 6 pairs - 2 kept outside = 4 over 2 evaluators
    assert r.loads == {"e1": 2, "e2": 2}


# --- failures -----------------------------------------------------------------------------------


def test_k_larger_than_the_panel_names_every_application():
    inp = AssignmentInput(("a1", "a2"), ("e1", "e2"), 3)
    with pytest.raises(AssignmentInfeasible) as exc:
        assign_evaluators(inp)
    assert exc.value.applications == ("a1", "a2")
    assert "a1" in str(exc.value) and "신청" in str(exc.value)


def test_too_many_conflicts_names_the_application():
    apps, evs = ids("a", 5), ids("e", 4)
    conflicts = frozenset({("a03", "e01"), ("a03", "e02"), ("a05", "e04")})
    with pytest.raises(AssignmentInfeasible) as exc:
        assign_evaluators(AssignmentInput(apps, evs, 3, conflicts=conflicts))
    assert exc.value.applications == ("a03",)
    assert "a03(필요 3명, 가능 2명" in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_keep_can_make_an_application_short():
    # a1 keeps e1; of the rest, e2 and e3 conflict: no second evaluator is left.
    inp = AssignmentInput(
        ("a1",),
        ("e1", "e2", "e3"),
        2,
        keep=frozenset({("a1", "e1")}),
        conflicts=frozenset({("a1", "e2"), ("a1", "e3")}),
    )
    with pytest.raises(AssignmentInfeasible) as exc:
        assign_evaluators(inp)
    assert exc.value.applications == ("a1",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"keep": {("a1", "e1")}, "conflicts": {("a1", "e1")}}, "void that sheet"),
        ({"keep": {("zz", "e1")}}, "unknown applications"),
        ({"keep": {("a1", "e1"), ("a1", "e2"), ("a1", "x")}}, "more than k=2"),
        ({"expertise": {("a1", "e1"): -1}}, "integer ≥ 0"),
        ({"expertise": {("a1", "e1"): 1.5}}, "integer ≥ 0"),
        ({"k": 0}, "at least 1"),
        ({"applications": ("a1", "a1")}, "duplicate"),
        ({"evaluators": ("e1", "e1")}, "duplicate"),
        ({"prefer": {("a1",)}}, "not an (application_id, evaluator_id) pair"),
    ],
)
def test_malformed_input_raises_value_error(kwargs, message):
    base = {"applications": ("a1", "a2"), "evaluators": ("e1", "e2", "e3"), "k": 2}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        assign_evaluators(AssignmentInput(**{**base, **kwargs}))


# --- determinism --------------------------------------------------------------------------------


def test_same_input_in_any_order_gives_the_same_result():
    rng = random.Random(11)
    apps, evs = list(ids("a", 30)), list(ids("e", 8))
    conflicts = [(a, e) for a in apps for e in rng.sample(evs, 2)]
    expertise = [((a, e), rng.randint(0, 3)) for a in apps for e in rng.sample(evs, 3)]
    results = set()
    for _ in range(4):
        for seq in (apps, evs, conflicts, expertise):
            rng.shuffle(seq)
        inp = AssignmentInput(
            tuple(apps), tuple(evs), 3, conflicts=frozenset(conflicts), expertise=dict(expertise)
        )
        r = assign_evaluators(inp)
        results.add((r.pairs, r.input_sha256, tuple(r.loads.items())))
    assert len(results) == 1


def test_the_seed_breaks_ties_reproducibly():
    inp = {"applications": ids("a", 12), "evaluators": ids("e", 6), "k": 2}
    by_seed = {s: assign_evaluators(AssignmentInput(**inp, seed=s)).pairs for s in range(6)}
    assert len(set(by_seed.values())) > 1  # seeds pick different equal-cost assignments
    assert all(
        assign_evaluators(AssignmentInput(**inp, seed=s)).pairs == p for s, p in by_seed.items()
    )


def test_input_hash_tracks_content():
    a = AssignmentInput(("a1", "a2"), ("e1", "e2"), 1, expertise={("a1", "e1"): 0})
    b = AssignmentInput(("a2", "a1"), ("e2", "e1"), 1)
    c = AssignmentInput(("a2", "a1"), ("e2", "e1"), 1, seed=1)
    assert a.sha256() == b.sha256() != c.sha256()
    assert len(a.sha256()) == 64


def test_relaxed_path_matches_the_fast_path_when_the_band_is_reachable():
    _, inp, r1 = first_round()
    r2 = _assign(inp, force_relaxed=True)
    check(inp, r2)
    assert not r2.band_relaxed
    assert sorted(r2.loads.values()) == sorted(r1.loads.values())
    assert (r2.total_fit, r2.preserved) == (r1.total_fit, r1.preserved)
