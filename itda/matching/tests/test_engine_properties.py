"""The matching engine against brute force and the PyPI ``matching`` package (hypothesis).

On random small instances (a pair is acceptable only if each side lists the other):
- both deferred-acceptance variants give stable matchings (blocking pairs counted here in plain
  Python, independently of the engine's own verify) within capacities, on acceptable pairs;
- trainee-proposing is the trainee-optimal stable matching and position-proposing the
  position-optimal (trainee-pessimal) one, against every stable matching enumerated;
- both equal the ``matching`` package's resident- and hospital-optimal solutions;
- no trainee gets a position they like more by reporting any other list;
- fill-seats keeps the stable round, adds only trainee-listed empty seats, and places as many
  as any such completion can;
- the engine's verify counts exactly the blocking pairs of arbitrary (not stable) assignments;
- explanations agree with the result.
"""

import itertools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from itda.matching.engine import solve_json
from itda.matching.engine.instance import parse
from itda.matching.engine.verify import verify

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, max_trainees=7, max_positions=4, max_capacity=3):
    trainees = [f"T{i}" for i in range(draw(st.integers(0, max_trainees)))]
    positions = [f"P{j}" for j in range(draw(st.integers(0, max_positions)))]
    t_rank = {
        t: draw(
            st.permutations(positions).flatmap(
                lambda ps: st.integers(0, len(ps)).map(lambda n, ps=ps: list(ps[:n]))
            )
        )
        for t in trainees
    }
    data = {"trainees": [{"id": t, "ranking": t_rank[t]} for t in trainees], "positions": []}
    for p in positions:
        # Mostly trainees who chose p, sometimes one who did not (not acceptable to them).
        listed = [t for t in trainees if p in t_rank[t] or draw(st.integers(0, 4)) == 0]
        order = draw(st.permutations(listed))
        cut = draw(st.integers(0, len(order)))
        ranking = list(order) if draw(st.booleans()) else list(order[:cut])
        data["positions"].append(
            {"id": p, "capacity": draw(st.integers(0, max_capacity)), "ranking": ranking}
        )
    return data


def prefs(data):
    t_pref = {t["id"]: t["ranking"] for t in data["trainees"]}
    p_pref = {p["id"]: p["ranking"] for p in data["positions"]}
    cap = {p["id"]: p["capacity"] for p in data["positions"]}
    return t_pref, p_pref, cap


def mutual(data, t, p):
    t_pref, p_pref, _ = prefs(data)
    return p in t_pref[t] and t in p_pref[p]


def blocking_pairs(data, assignment):
    """Brute force: acceptable (t, p) where t prefers p and p has room or prefers t."""
    t_pref, p_pref, cap = prefs(data)
    holders = {p: [t for t, q in assignment.items() if q == p] for p in p_pref}
    count = 0
    for t, ranking in t_pref.items():
        mine = assignment[t]
        better = ranking if mine is None else ranking[: ranking.index(mine)]
        for p in better:
            if t not in p_pref[p]:
                continue
            held = holders[p]
            worst = max((p_pref[p].index(h) if h in p_pref[p] else 10**9) for h in held or [t])
            if len(held) < cap[p] or p_pref[p].index(t) < worst:
                count += 1
    return count


def stable_matchings(data):
    """Every stable matching, by enumerating each trainee's acceptable options."""
    t_pref, p_pref, cap = prefs(data)
    options = [[None] + [p for p in t_pref[t] if t in p_pref[p]] for t in t_pref]
    found = []
    for choice in itertools.product(*options):
        assignment = dict(zip(t_pref, choice, strict=True))
        seats = {p: 0 for p in p_pref}
        for p in choice:
            if p is not None:
                seats[p] += 1
        if all(seats[p] <= cap[p] for p in p_pref) and blocking_pairs(data, assignment) == 0:
            found.append(assignment)
    return found


def rank_of(data, t, p):
    ranking = prefs(data)[0][t]
    return len(ranking) if p is None else ranking.index(p)


def package_solution(data, optimal):
    """The ``matching`` package on the mutually acceptable pairs (it fails on empty lists and
    capacity 0, so those players are left out: they are unmatched anyway)."""
    t_pref, p_pref, cap = prefs(data)
    live = {p for p in p_pref if cap[p] > 0}
    residents = {t: [p for p in r if p in live and t in p_pref[p]] for t, r in t_pref.items()}
    residents = {t: r for t, r in residents.items() if r}
    hospitals = {p: [t for t in p_pref[p] if t in residents and p in residents[t]] for p in live}
    hospitals = {p: r for p, r in hospitals.items() if r}
    out = dict.fromkeys(t_pref)
    if not residents or not hospitals:
        return out
    game = HospitalResident.create_from_dictionaries(
        residents, hospitals, {p: cap[p] for p in hospitals}
    )
    for hospital, matched in game.solve(optimal=optimal).items():
        for resident in matched:
            out[resident.name] = hospital.name
    return out


@SETTINGS
@given(instances())
def test_deferred_acceptance_is_stable_and_matches_the_matching_package(data):
    _, _, cap = prefs(data)
    for algorithm, optimal in (
        ("trainee-proposing", "resident"),
        ("position-proposing", "hospital"),
    ):
        out = solve_json(data, algorithm)
        assignment = out["assignment"]
        assert list(assignment) == [t["id"] for t in data["trainees"]]
        assert out["blocking_pairs"] == 0 == blocking_pairs(data, assignment)
        assert out["capacity_ok"] and out["acceptable_ok"]
        for p, c in cap.items():
            assert sum(q == p for q in assignment.values()) <= c
        assert all(p is None or mutual(data, t, p) for t, p in assignment.items())
        assert assignment == package_solution(data, optimal)


@SETTINGS
@given(instances(max_trainees=4, max_positions=3, max_capacity=2))
def test_trainee_and_position_optimal_among_all_stable_matchings(data):
    stable = stable_matchings(data)
    best = solve_json(data, "trainee-proposing")["assignment"]
    worst = solve_json(data, "position-proposing")["assignment"]
    assert best in stable and worst in stable
    for other in stable:
        for t in best:
            assert rank_of(data, t, best[t]) <= rank_of(data, t, other[t])
            # Position-optimal is trainee-pessimal (the lattice of stable matchings).
            assert rank_of(data, t, worst[t]) >= rank_of(data, t, other[t])


def lists_over(positions):
    for n in range(len(positions) + 1):
        yield from (list(p) for p in itertools.permutations(positions, n))


@SETTINGS
@given(instances(max_trainees=4, max_positions=3, max_capacity=2))
def test_no_trainee_gains_by_misreporting(data):
    truthful = solve_json(data, "trainee-proposing")["assignment"]
    positions = [p["id"] for p in data["positions"]]
    for i, trainee in enumerate(data["trainees"]):
        t = trainee["id"]
        honest = rank_of(data, t, truthful[t])
        for report in lists_over(positions):
            lied = {**data, "trainees": list(data["trainees"])}
            lied["trainees"][i] = {"id": t, "ranking": report}
            got = solve_json(lied, "trainee-proposing")["assignment"][t]
            # Judged by the trainee's true list: a position they did not truly list is no gain.
            true_rank = rank_of(data, t, got) if got in trainee["ranking"] else honest
            assert true_rank >= honest, (t, report, got)


@SETTINGS
@given(instances(max_trainees=5, max_positions=3))
def test_fill_seats_keeps_the_stable_round_and_places_the_most(data):
    t_pref, _, cap = prefs(data)
    stable = solve_json(data, "trainee-proposing")["assignment"]
    out = solve_json(data, "fill-seats")
    filled = out["assignment"]
    assert out["capacity_ok"] and out["acceptable_ok"]
    for t, p in stable.items():
        if p is not None:
            assert filled[t] == p
    added = {t: p for t, p in filled.items() if p is not None and stable[t] is None}
    assert sorted(added) == sorted(out["placed_by_fill"])
    assert all(p in t_pref[t] for t, p in added.items())
    # Brute force: the most trainees any completion of the stable round into empty seats places.
    empty = {p: cap[p] - sum(q == p for q in stable.values()) for p in cap}
    unmatched = [t for t, p in stable.items() if p is None]
    options = [[None] + [p for p in t_pref[t] if empty[p] > 0] for t in unmatched]
    most = 0
    for choice in itertools.product(*options):
        placed = [p for p in choice if p is not None]
        if all(placed.count(p) <= empty[p] for p in set(placed)):
            most = max(most, len(placed))
    assert len(added) == most


@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_verify_counts_blocking_pairs_of_any_assignment(data, rnd):
    t_pref, p_pref, cap = prefs(data)
    # Any assignment of trainees to mutually acceptable positions, capacities ignored.
    assignment = {t: rnd.choice([None] + [p for p in t_pref[t] if t in p_pref[p]]) for t in t_pref}
    inst = parse(data)
    index = {p: j for j, p in enumerate(inst.position_ids)}
    array = np.array([index[p] if p else -1 for p in assignment.values()], dtype=np.int64)
    check = verify(inst, array)
    assert check.blocking_pairs == blocking_pairs(data, assignment)
    assert check.acceptable_ok
    seats = {p: sum(q == p for q in assignment.values()) for p in cap}
    assert check.capacity_ok == all(seats[p] <= cap[p] for p in cap)


@SETTINGS
@given(instances())
def test_explanations_agree_with_the_result(data):
    t_pref, p_pref, cap = prefs(data)
    for algorithm in ("trainee-proposing", "position-proposing", "fill-seats"):
        out = solve_json(data, algorithm, explain=True)
        assignment = out["assignment"]
        why = out["explanations"]
        for p, info in why["positions"].items():
            admitted = [t for t, q in assignment.items() if q == p]
            listed = [p_pref[p].index(t) + 1 for t in admitted if t in p_pref[p]]
            assert info["capacity"] == cap[p] and info["admitted"] == len(admitted)
            assert info["last_admitted_rank"] == (max(listed) if listed else None)
        for t, info in why["trainees"].items():
            got = assignment[t]
            assert info["assigned"] == got
            assert info["assigned_rank"] == (t_pref[t].index(got) + 1 if got else None)
            above = t_pref[t] if got is None else t_pref[t][: t_pref[t].index(got)]
            assert [a["position"] for a in info["above"]] == above
            for a in info["above"]:
                p = a["position"]
                assert a["rank"] == t_pref[t].index(p) + 1
                if a["reason"] == "not_listed":
                    assert t not in p_pref[p]
                elif a["reason"] == "no_seats":
                    assert t in p_pref[p] and cap[p] == 0
                else:
                    assert a["reason"] == "filled"
                    assert a["your_rank_there"] == p_pref[p].index(t) + 1
                    assert why["positions"][p]["admitted"] == cap[p] > 0
                    assert a["last_admitted_rank"] < a["your_rank_there"]


def medium_instance(seed):
    """Hundreds of trainees: many DA rounds, long rankings, popular positions, capacity 0."""
    rnd = random.Random(seed)
    trainees = [f"T{i}" for i in range(300)]
    positions = [f"P{j}" for j in range(40)]
    weights = [1 / (j + 3) for j in range(len(positions))]
    t_rank = {}
    for t in trainees:
        picks = rnd.choices(positions, weights, k=12)
        t_rank[t] = list(dict.fromkeys(picks))[: rnd.randint(0, 8)]
    data = {"trainees": [{"id": t, "ranking": t_rank[t]} for t in trainees], "positions": []}
    for p in positions:
        applicants = [t for t in trainees if p in t_rank[t]]
        rnd.shuffle(applicants)
        ranking = applicants[: int(len(applicants) * rnd.choice([1, 0.8, 0.3]))]
        ranking += rnd.sample(trainees, 3)  # a few who did not choose p
        ranking = list(dict.fromkeys(ranking))
        data["positions"].append({"id": p, "capacity": rnd.randint(0, 12), "ranking": ranking})
    return data


@pytest.mark.parametrize("seed", range(5))
def test_medium_instances_match_the_matching_package(seed):
    data = medium_instance(seed)
    for algorithm, optimal in (
        ("trainee-proposing", "resident"),
        ("position-proposing", "hospital"),
    ):
        out = solve_json(data, algorithm)
        assert out["blocking_pairs"] == 0 == blocking_pairs(data, out["assignment"])
        assert out["assignment"] == package_solution(data, optimal)
    filled = solve_json(data, "fill-seats")
    assert filled["placed_by_fill"] and filled["acceptable_ok"] and filled["capacity_ok"]
