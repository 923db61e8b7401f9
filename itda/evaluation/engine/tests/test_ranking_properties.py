"""Properties of the ranking engine on random valid inputs (hypothesis)."""

import math
import statistics
from dataclasses import replace
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from itda.evaluation.engine.ranking import (
    Applicant,
    Criterion,
    Quota,
    RankingInput,
    Sheet,
    Status,
    input_from_json,
    input_to_json,
    rank,
    result_from_json,
    to_json,
)

DIMENSIONS = {"region": ["capital", "busan", "jeju"], "track": ["track1", "track2"]}
EVALUATORS = [f"E{n}" for n in range(8)]


@st.composite
def ranking_inputs(draw):
    criteria = tuple(
        Criterion(f"c{i}", draw(st.sampled_from([5, 10, 20, 25.5])), draw(st.integers(1, 5)))
        for i in range(draw(st.integers(1, 4)))
    )
    n_applicants = draw(st.integers(0, 25))
    applicants = tuple(
        Applicant(
            f"A{n:02d}",
            f"2026-05-20T{draw(st.integers(0, 3)):02d}:00:00+0{draw(st.integers(0, 9))}:00",
            {dim: draw(st.sampled_from(values)) for dim, values in DIMENSIONS.items()},
        )
        for n in range(n_applicants)
    )
    sheets = []
    for applicant in applicants:
        for evaluator in draw(st.lists(st.sampled_from(EVALUATORS), max_size=7, unique=True)):
            scores = tuple(
                # coarse scores make ties in totals and criterion means common
                draw(st.integers(0, int(c.max_points * 2))) / 2
                for c in criteria
            )
            sheets.append((applicant.id, evaluator, scores))
    pairs = [(d, v) for d, values in DIMENSIONS.items() for v in values]
    quotas = tuple(
        Quota(d, v, draw(st.integers(0, 6)))
        for d, v in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4))
    )
    return RankingInput(
        criteria=criteria,
        applicants=applicants,
        sheets=tuple(Sheet(*s) for s in sheets),
        method=draw(st.sampled_from(["mean", "trimmed_mean", "zscore"])),
        tie_break=tuple(
            draw(st.permutations([c.id for c in criteria]))[: draw(st.integers(0, len(criteria)))]
        ),
        cutoff=draw(st.none() | st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1))),
        total_seats=draw(st.none() | st.integers(0, 20)),
        quotas=quotas,
        waitlist_size=draw(st.none() | st.integers(0, 10)),
    )


def reference_scores(inp: RankingInput) -> dict[str, float]:
    """The scores, computed the slow and obvious way."""
    weight_sum = sum(c.weight for c in inp.criteria)

    def total(sheet):
        parts = (
            c.weight * s / c.max_points for c, s in zip(inp.criteria, sheet.scores, strict=True)
        )
        return 100 * math.fsum(parts) / weight_sum

    by_app: dict[str, list] = {}
    for sheet in inp.sheets:
        by_app.setdefault(sheet.application_id, []).append(sheet)
    if inp.method == "zscore":
        by_evaluator: dict[str, list[float]] = {}
        for sheet in inp.sheets:
            by_evaluator.setdefault(sheet.evaluator_id, []).append(total(sheet))

        def z(sheet):
            totals = by_evaluator[sheet.evaluator_id]
            std = statistics.pstdev(totals)
            return (
                0.0
                if len(totals) < 2 or std <= 1e-9
                else (total(sheet) - statistics.fmean(totals)) / std
            )

        return {a: 50 + 10 * statistics.fmean(z(s) for s in ss) for a, ss in by_app.items()}
    scores = {}
    for a, ss in by_app.items():
        totals = sorted(total(s) for s in ss)
        if inp.method == "trimmed_mean" and len(totals) >= 5:
            totals = totals[1:-1]
        scores[a] = statistics.fmean(totals)
    return scores


def quota_applies(quota, applicant) -> bool:
    return applicant.groups.get(quota.dimension) == quota.value


@settings(max_examples=200, deadline=None)
@given(ranking_inputs())
def test_selection_invariants(inp):
    result = rank(inp)
    people = {a.id: a for a in inp.applicants}
    rows = result.rows
    assert sorted(r.application_id for r in rows) == sorted(people)

    # Ranked rows first, ranks 1..k with non-increasing scores; unscored rows last.
    ranked = [r for r in rows if r.status != Status.NO_SCORES]
    assert rows[: len(ranked)] == tuple(ranked)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.score >= b.score for a, b in pairwise(ranked))
    sheet_count = {a: 0 for a in people}
    for sheet in inp.sheets:
        sheet_count[sheet.application_id] += 1
    assert {r.application_id for r in rows[len(ranked) :]} == {
        a for a, n in sheet_count.items() if n == 0
    }

    # The scores are what the slow reference computes.
    expected = reference_scores(inp)
    for r in ranked:
        assert abs(r.score - expected[r.application_id]) <= 5e-5 + 1e-9
        trims = inp.method == "trimmed_mean" and sheet_count[r.application_id] >= 5
        assert r.trimmed == trims
        assert r.sheets_used == sheet_count[r.application_id] - (2 if trims else 0)

    selected = [r for r in ranked if r.status == Status.SELECTED]
    # Cut-off: exactly the scores below it, never selected or waitlisted.
    for r in ranked:
        below = inp.cutoff is not None and r.score < inp.cutoff
        assert (r.status == Status.BELOW_CUTOFF) == below
    # Seats and quotas are respected.
    if inp.total_seats is not None:
        assert len(selected) <= inp.total_seats
    used = {
        q: sum(quota_applies(q, people[r.application_id]) for r in selected) for q in inp.quotas
    }
    assert all(used[q] <= q.seats for q in inp.quotas)

    passed_over = [r for r in ranked if r.status in (Status.NOT_SELECTED, Status.WAITLISTED)]
    for r in passed_over:
        applicant = people[r.application_id]
        # Nobody is passed over while a seat they could take is free...
        seats_full = inp.total_seats is not None and len(selected) == inp.total_seats
        quota_full = any(quota_applies(q, applicant) and used[q] == q.seats for q in inp.quotas)
        assert seats_full or quota_full
        assert r.reason
        # ... and nobody selected ranks below someone passed over with the same groups.
        for s in selected:
            if people[s.application_id].groups == applicant.groups:
                assert s.rank < r.rank

    # Waitlist: the best passed-over applicants, numbered 1..n in rank order.
    waitlisted = [r for r in ranked if r.status == Status.WAITLISTED]
    assert [r.waitlist_number for r in waitlisted] == list(range(1, len(waitlisted) + 1))
    assert passed_over[: len(waitlisted)] == waitlisted
    if inp.waitlist_size is None:
        assert len(waitlisted) == len(passed_over)
    else:
        assert len(waitlisted) == min(inp.waitlist_size, len(passed_over))
    assert all(r.waitlist_number is None for r in rows if r.status != Status.WAITLISTED)


@settings(max_examples=100, deadline=None)
@given(ranking_inputs(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(inp, rnd):
    shuffled = replace(
        inp,
        applicants=tuple(rnd.sample(inp.applicants, len(inp.applicants))),
        sheets=tuple(rnd.sample(inp.sheets, len(inp.sheets))),
        quotas=tuple(rnd.sample(inp.quotas, len(inp.quotas))),
    )
    assert to_json(rank(shuffled)) == to_json(rank(inp))


@settings(max_examples=100, deadline=None)
@given(ranking_inputs())
def test_json_round_trips_reproduce_the_result_and_hash(inp):
    result = rank(inp)
    text = input_to_json(inp)
    recomputed = rank(input_from_json(text))
    assert recomputed == result
    assert recomputed.input_sha256 == result.input_sha256
    assert result_from_json(to_json(result)) == result
