"""The ranking engine on hand-computed cases: aggregation, order, selection, validation, JSON."""

import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest

from itda.evaluation.engine.ranking import (
    Applicant,
    Criterion,
    Quota,
    RankingInput,
    RankingInputError,
    Sheet,
    Status,
    input_from_json,
    input_sha256,
    input_to_json,
    rank,
    result_from_json,
    sheet_total,
    to_json,
)

T0 = "2026-05-20T09:00:00+09:00"
ONE = (Criterion("score", max_points=100, weight=1),)  # sheet total = the score itself


def applicants(*ids, submitted_at=T0, **groups):
    return tuple(Applicant(i, submitted_at, dict(groups)) for i in ids)


def sheets_from(totals: dict[str, list[float]]):
    """One-criterion sheets: ``{"A": [90, 80]}`` is A scored 90 by e1 and 80 by e2."""
    return tuple(
        Sheet(aid, f"e{n}", (score,))
        for aid, scores in totals.items()
        for n, score in enumerate(scores, start=1)
    )


def scored(totals: dict[str, float], groups: dict[str, dict[str, str]] | None = None, **options):
    """One sheet per applicant with the given total; options go to RankingInput."""
    groups = groups or {}
    return RankingInput(
        criteria=ONE,
        applicants=tuple(Applicant(aid, T0, groups.get(aid, {})) for aid in totals),
        sheets=tuple(Sheet(aid, "e1", (total,)) for aid, total in totals.items()),
        **options,
    )


def ids(result, status=None):
    return [r.application_id for r in result.rows if status is None or r.status == status]


# --- aggregation ------------------------------------------------------------------------------


def test_mean_uses_weights_not_maximum_points():
    criteria = (
        Criterion("c1", max_points=10, weight=30),
        Criterion("c2", max_points=20, weight=70),
    )
    inp = RankingInput(
        criteria=criteria,
        applicants=applicants("A", "B", "C", "D"),
        sheets=(
            # A: e1 = 30·8/10 + 70·15/20 = 24 + 52.5 = 76.5; e2 = 30·6/10 + 70·20/20 = 18 + 70 = 88
            #    mean (76.5 + 88) / 2 = 82.25; c1 mean (8 + 6) / 2 = 7, c2 mean (15 + 20) / 2 = 17.5
            Sheet("A", "e1", (8, 15)),
            Sheet("A", "e2", (6, 20)),
            # B: e1 = 30 + 35 = 65; e2 = 27 + 63 = 90; mean 77.5
            Sheet("B", "e1", (10, 10)),
            Sheet("B", "e2", (9, 18)),
            # C: full marks on c1 only = 30; D: full marks on c2 only = 70. Summing raw points
            # instead (10/30 vs 20/30) would give 33.3 and 66.7: the weights decide, not the maxima.
            Sheet("C", "e1", (10, 0)),
            Sheet("D", "e1", (0, 20)),
        ),
    )
    result = rank(inp)
    assert ids(result) == ["A", "B", "D", "C"]
    a = result.row("A")
    assert (a.rank, a.score, a.raw_total) == (1, 82.25, 82.25)
    assert a.criterion_means == {"c1": 7.0, "c2": 17.5}
    assert (a.sheets_used, a.sheets_total, a.trimmed) == (2, 2, False)
    assert result.row("B").score == 77.5
    assert result.row("C").score == 30.0
    assert result.row("D").score == 70.0


def test_weights_need_not_sum_to_100():
    # Σ weight = 1 + 3 = 4: (1·5/10 + 3·10/20) / 4 × 100 = (0.5 + 1.5) / 4 × 100 = 50
    criteria = (Criterion("c1", max_points=10, weight=1), Criterion("c2", max_points=20, weight=3))
    assert sheet_total(criteria, (5, 10)) == 50.0
    # (1·10/10 + 0) / 4 × 100 = 25
    assert sheet_total(criteria, (10, 0)) == 25.0
    result = rank(RankingInput(criteria, applicants("A"), (Sheet("A", "e1", (5, 10)),)))
    assert result.rows[0].score == 50.0


def test_trimmed_mean_with_four_sheets_is_the_plain_mean():
    # 60 + 70 + 80 + 100 = 310; / 4 = 77.5
    result = rank(
        RankingInput(
            ONE, applicants("A"), sheets_from({"A": [60, 70, 80, 100]}), method="trimmed_mean"
        )
    )
    row = result.rows[0]
    assert (row.score, row.trimmed, row.sheets_used, row.sheets_total) == (77.5, False, 4, 4)
    assert row.excluded_evaluators == ()


def test_trimmed_mean_with_five_sheets_drops_one_highest_and_one_lowest():
    # 50 (e1) and 100 (e5) dropped: (60 + 70 + 80) / 3 = 70; the plain mean would be 72
    inp = RankingInput(
        ONE, applicants("A"), sheets_from({"A": [50, 60, 70, 80, 100]}), method="trimmed_mean"
    )
    row = rank(inp).rows[0]
    assert (row.score, row.raw_total, row.trimmed, row.sheets_used) == (70.0, 70.0, True, 3)
    assert row.excluded_evaluators == ("e1", "e5")
    assert rank(replace(inp, method="mean")).rows[0].score == 72.0


def test_trimmed_mean_drops_one_instance_of_tied_totals_by_evaluator_id():
    criteria = (Criterion("c1", 10, 1), Criterion("c2", 10, 1))
    sheets = (
        # totals: e1 70, e2 70, e3 70, e4 90, e5 90 (each sheet: (c1 + c2) / 20 × 100)
        Sheet("A", "e1", (7, 7)),
        Sheet("A", "e2", (6, 8)),
        Sheet("A", "e3", (8, 6)),
        Sheet("A", "e4", (9, 9)),
        Sheet("A", "e5", (10, 8)),
    )
    result = rank(RankingInput(criteria, applicants("A"), sheets, method="trimmed_mean"))
    row = result.rows[0]
    # lowest: the 70 whose evaluator id sorts first (e1); highest: the 90 sorting last (e5)
    assert row.excluded_evaluators == ("e1", "e5")
    # kept e2, e3, e4: (70 + 70 + 90) / 3 = 76.6667; c1 (6 + 8 + 9) / 3 = 7.6667, c2 (8+6+9)/3
    assert row.score == 76.6667
    assert row.criterion_means == {"c1": 7.6667, "c2": 7.6667}


def test_trimmed_mean_breakdown_uses_the_same_sheets_as_the_total():
    criteria = (Criterion("c1", 10, 1), Criterion("c2", 10, 1))
    sheets = (
        Sheet("A", "e1", (0, 2)),  # 10: dropped as lowest
        Sheet("A", "e2", (5, 5)),  # 50
        Sheet("A", "e3", (6, 4)),  # 50
        Sheet("A", "e4", (4, 8)),  # 60
        Sheet("A", "e5", (10, 10)),  # 100: dropped as highest
    )
    row = rank(RankingInput(criteria, applicants("A"), sheets, method="trimmed_mean")).rows[0]
    # total (50 + 50 + 60) / 3 = 53.3333; c1 (5 + 6 + 4) / 3 = 5; c2 (5 + 4 + 8) / 3 = 5.6667
    assert row.score == 53.3333
    assert row.criterion_means == {"c1": 5.0, "c2": 5.6667}


def test_zscore_hand_computed():
    # e1 gives 90, 80, 70: mean 80, population std √((100 + 0 + 100) / 3) = 8.164966
    # e2 gives 70, 60, 50: mean 60, the same std. z = ±10 / 8.164966 = ±1.2247449 for both,
    # so A = 50 + 10 × 1.2247449 = 62.2474, B = 50, C = 50 − 12.247449 = 37.7526
    inp = RankingInput(
        ONE,
        applicants("A", "B", "C"),
        sheets_from({"A": [90, 70], "B": [80, 60], "C": [70, 50]}),
        method="zscore",
    )
    result = rank(inp)
    assert [(r.application_id, r.score) for r in result.rows] == [
        ("A", 62.2474),
        ("B", 50.0),
        ("C", 37.7526),
    ]
    # the breakdown and raw total stay in points: (90 + 70) / 2 = 80
    assert result.row("A").raw_total == 80.0
    assert result.row("A").criterion_means == {"score": 80.0}


def test_zscore_single_sheet_and_constant_evaluators_give_z_zero():
    sheets = (
        Sheet("A", "solo", (95,)),  # solo's only sheet: z = 0
        Sheet("B", "flat", (70,)),  # flat gives 70 to everyone: std 0, z = 0
        Sheet("C", "flat", (70,)),
    )
    result = rank(RankingInput(ONE, applicants("A", "B", "C"), sheets, method="zscore"))
    assert [r.score for r in result.rows] == [50.0, 50.0, 50.0]


def test_zscore_ignores_floating_point_noise_in_a_constant_evaluator():
    # (0, 0, 6) and (0, 1, 5) both total 20 on paper, 20.000000000000004 and 20.0 in floats:
    # a spread of 2e-15 must not become z = ±1.
    criteria = (Criterion("c1", 10, 1), Criterion("c2", 10, 1), Criterion("c3", 10, 1))
    assert sheet_total(criteria, (0, 0, 6)) != sheet_total(criteria, (0, 1, 5))
    sheets = (Sheet("A", "e1", (0, 0, 6)), Sheet("B", "e1", (0, 1, 5)))
    result = rank(RankingInput(criteria, applicants("A", "B"), sheets, method="zscore"))
    assert [r.score for r in result.rows] == [50.0, 50.0]


def harsh_panel(harsh_offset: float, method: str) -> RankingInput:
    """F scores A, B, C and H scores D, E, G; H is harsh by ``harsh_offset`` points."""
    fair = {"A": ("F", 90), "B": ("F", 70), "C": ("F", 50), "D": ("H", 85)}
    fair |= {"E": ("H", 65), "G": ("H", 45)}
    return RankingInput(
        ONE,
        applicants(*fair),
        tuple(
            Sheet(aid, ev, (score - (harsh_offset if ev == "H" else 0),))
            for aid, (ev, score) in fair.items()
        ),
        method=method,
    )


def test_zscore_removes_a_harsh_evaluators_offset():
    fair = rank(harsh_panel(0, "zscore"))
    harsh = rank(harsh_panel(20, "zscore"))
    # H marking everyone 20 points lower changes no T-score and no place
    assert [(r.application_id, r.score) for r in harsh.rows] == [
        (r.application_id, r.score) for r in fair.rows
    ]
    # ... whereas the plain mean moves H's applicants down: D (85 → 65) falls below B (70)
    assert ids(rank(harsh_panel(0, "mean"))) == ["A", "D", "B", "E", "C", "G"]
    assert ids(rank(harsh_panel(20, "mean"))) == ["A", "B", "D", "C", "E", "G"]


def test_zscore_ranking_equals_a_fair_evaluators_when_the_harsh_one_scores_everyone():
    fair_scores = {"A": 91, "B": 84, "C": 77, "D": 63, "E": 58}
    sheets = tuple(Sheet(aid, "fair", (s,)) for aid, s in fair_scores.items()) + tuple(
        Sheet(aid, "harsh", (s - 20,)) for aid, s in fair_scores.items()
    )
    result = rank(RankingInput(ONE, applicants(*fair_scores), sheets, method="zscore"))
    assert ids(result) == sorted(fair_scores, key=fair_scores.get, reverse=True)
    fair_only = rank(
        RankingInput(
            ONE,
            applicants(*fair_scores),
            tuple(s for s in sheets if s.evaluator_id == "fair"),
            method="zscore",
        )
    )
    # both evaluators' z are the fair evaluator's z, so the T-scores are the fair ones too
    assert [r.score for r in result.rows] == [r.score for r in fair_only.rows]


# --- order ----------------------------------------------------------------------------------


def test_ties_break_by_criterion_order_then_submission_instant_then_id():
    criteria = (Criterion("c1", 10, 1), Criterion("c2", 10, 1))
    people = (
        Applicant("A", T0),
        Applicant("B", "2026-05-20T10:00:00+09:00"),
        Applicant("C", T0),
        Applicant("D", "2026-05-20T09:30:00+09:00"),  # 00:30 UTC: earliest as an instant
        Applicant("E", "2026-05-20T01:00:00+00:00"),  # 10:00 KST: the same instant as B
    )
    sheets = (
        Sheet("A", "e1", (8, 6)),  # all total 70
        Sheet("B", "e1", (6, 8)),
        Sheet("C", "e1", (7, 7)),
        Sheet("D", "e1", (6, 8)),
        Sheet("E", "e1", (6, 8)),
    )
    inp = RankingInput(criteria, people, sheets, tie_break=("c2", "c1"))
    result = rank(inp)
    assert {r.score for r in result.rows} == {70.0}
    # c2 = 8: D (earliest), then B and E at the same instant, by id; then C (c2 7), A (c2 6)
    assert ids(result) == ["D", "B", "E", "C", "A"]
    assert [r.rank for r in result.rows] == [1, 2, 3, 4, 5]
    # c1 first reverses the criterion part of the order
    assert ids(rank(replace(inp, tie_break=("c1",)))) == ["A", "C", "D", "B", "E"]
    # no criterion tie-break: submission instant (A and C at 00:00 UTC, D 00:30), then id
    assert ids(rank(replace(inp, tie_break=()))) == ["A", "C", "D", "B", "E"]


def test_scores_equal_on_paper_tie_despite_floating_point_noise():
    criteria = (Criterion("c1", 10, 1), Criterion("c2", 10, 1), Criterion("c3", 10, 1))
    # A totals 20.000000000000004 in floats, B 20.0: the same 20 shown, so c2 decides
    sheets = (Sheet("A", "e1", (0, 0, 6)), Sheet("B", "e1", (0, 1, 5)))
    result = rank(RankingInput(criteria, applicants("A", "B"), sheets, tie_break=("c2",)))
    assert ids(result) == ["B", "A"]


def test_applicants_without_sheets_come_last_unranked():
    inp = RankingInput(ONE, applicants("Z", "A", "M", "B"), sheets_from({"M": [40], "B": [90]}))
    result = rank(inp)
    assert ids(result) == ["B", "M", "A", "Z"]
    assert [(r.rank, r.status) for r in result.rows[2:]] == [(None, Status.NO_SCORES)] * 2
    assert result.row("A").score is None
    assert result.row("A").reason == "평가표 없음"


# --- selection ------------------------------------------------------------------------------


def test_everyone_above_the_cutoff_is_selected_without_seats_or_quotas():
    result = rank(scored({"A": 90, "B": 60, "C": 59.9999, "D": 12.5}, cutoff=60))
    assert [r.status for r in result.rows] == [
        Status.SELECTED,
        Status.SELECTED,  # equal to the cut-off passes
        Status.BELOW_CUTOFF,
        Status.BELOW_CUTOFF,
    ]
    assert result.row("C").reason == "기준 점수 미달: 59.9999 < 60"
    assert result.row("D").reason == "기준 점수 미달: 12.5 < 60"


def test_a_full_quota_passes_the_seat_to_the_next_best_of_another_group():
    groups = {"A": {"region": "capital"}, "B": {"region": "capital"}, "C": {"region": "busan"}}
    result = rank(
        scored(
            {"A": 90, "B": 85, "C": 80},
            groups,
            total_seats=2,
            quotas=(Quota("region", "capital", 1),),
        )
    )
    assert [(r.application_id, r.status) for r in result.rows] == [
        ("A", Status.SELECTED),
        ("B", Status.WAITLISTED),
        ("C", Status.SELECTED),
    ]
    assert result.row("B").reason == "권역 정원 초과: region=capital (1명)"
    assert result.row("B").waitlist_number == 1


def test_below_cutoff_is_never_waitlisted_even_with_room():
    result = rank(scored({"A": 90, "B": 70, "C": 55, "D": 40}, cutoff=60, total_seats=1))
    assert [(r.application_id, r.rank, r.status, r.waitlist_number) for r in result.rows] == [
        ("A", 1, Status.SELECTED, None),
        ("B", 2, Status.WAITLISTED, 1),
        ("C", 3, Status.BELOW_CUTOFF, None),
        ("D", 4, Status.BELOW_CUTOFF, None),
    ]
    assert result.row("B").reason == "전체 선정 인원 초과 (1명)"


def test_cutoff_leaves_seats_empty_rather_than_fill_them():
    result = rank(scored({"A": 90, "B": 70, "C": 55}, cutoff=60, total_seats=5, waitlist_size=3))
    assert ids(result, Status.SELECTED) == ["A", "B"]
    assert ids(result, Status.WAITLISTED) == []
    assert ids(result, Status.BELOW_CUTOFF) == ["C"]


def test_quota_blocked_applicant_above_cutoff_is_waitlisted_but_one_below_is_not():
    groups = {aid: {"region": "capital"} for aid in "ABC"}
    result = rank(
        scored(
            {"A": 90, "B": 80, "C": 50},
            groups,
            cutoff=60,
            quotas=(Quota("region", "capital", 1),),
        )
    )
    assert [r.status for r in result.rows] == [
        Status.SELECTED,
        Status.WAITLISTED,
        Status.BELOW_CUTOFF,
    ]


def test_total_seats_smaller_than_the_sum_of_quotas():
    totals = {"A": 95, "B": 90, "C": 85, "D": 80, "E": 75, "F": 70}
    groups = {aid: {"region": "capital" if aid in "ABC" else "busan"} for aid in totals}
    result = rank(
        scored(
            totals,
            groups,
            total_seats=4,
            quotas=(Quota("region", "capital", 3), Quota("region", "busan", 3)),
        )
    )
    assert ids(result, Status.SELECTED) == ["A", "B", "C", "D"]
    assert ids(result, Status.WAITLISTED) == ["E", "F"]
    assert {result.row(a).reason for a in "EF"} == {"전체 선정 인원 초과 (4명)"}


def test_a_quota_of_zero_seats_excludes_the_group_even_at_the_top():
    groups = {"A": {"track": "track2"}, "B": {"track": "track1"}}
    result = rank(scored({"A": 99, "B": 60}, groups, quotas=(Quota("track", "track2", 0),)))
    assert [(r.application_id, r.status) for r in result.rows] == [
        ("A", Status.WAITLISTED),
        ("B", Status.SELECTED),
    ]
    assert result.row("A").reason == "트랙 정원 초과: track=track2 (0명)"


def test_every_applicable_quota_must_have_a_seat():
    groups = {
        "A": {"region": "capital", "track": "track2", "company_type": "ai_supplier"},
        "B": {"region": "busan", "track": "track2", "company_type": "ai_supplier"},
        "C": {"region": "capital", "track": "track1", "company_type": "ai_supplier"},
        "D": {"region": "capital", "track": "track2", "company_type": "smart_factory"},
        "E": {"region": "busan", "track": "track1", "company_type": "smart_factory"},
    }
    quotas = (
        Quota("region", "capital", 2),
        Quota("track", "track2", 1),
        Quota("company_type", "ai_supplier", 2),
    )
    result = rank(
        scored({"A": 90, "B": 85, "C": 80, "D": 75, "E": 70}, groups, quotas=quotas),
    )
    # A takes a capital, the track2 and an ai_supplier seat; B is blocked by track2;
    # C takes the second capital and ai_supplier seats; D is blocked by region and track; E fits
    assert ids(result, Status.SELECTED) == ["A", "C", "E"]
    assert result.row("B").reason == "트랙 정원 초과: track=track2 (1명)"
    assert result.row("D").reason == (
        "권역 정원 초과: region=capital (2명); 트랙 정원 초과: track=track2 (1명)"
    )


def test_quota_on_an_unlabelled_dimension_and_applicants_outside_it():
    groups = {"A": {"size": "small"}, "B": {"size": "small"}, "C": {}}
    result = rank(scored({"A": 90, "B": 80, "C": 70}, groups, quotas=(Quota("size", "small", 1),)))
    assert ids(result, Status.SELECTED) == ["A", "C"]
    assert result.row("B").reason == "정원 초과: size=small (1명)"


def test_waitlist_numbers_and_size():
    totals = {f"A{n}": 100 - n for n in range(1, 8)}  # A1 99 … A7 93
    result = rank(scored(totals, total_seats=2, waitlist_size=3))
    assert [(r.application_id, r.status, r.waitlist_number) for r in result.rows] == [
        ("A1", Status.SELECTED, None),
        ("A2", Status.SELECTED, None),
        ("A3", Status.WAITLISTED, 1),
        ("A4", Status.WAITLISTED, 2),
        ("A5", Status.WAITLISTED, 3),
        ("A6", Status.NOT_SELECTED, None),
        ("A7", Status.NOT_SELECTED, None),
    ]
    assert ids(rank(scored(totals, total_seats=2, waitlist_size=0)), Status.WAITLISTED) == []
    everyone = rank(scored(totals, total_seats=2))
    assert [r.waitlist_number for r in everyone.rows[2:]] == [1, 2, 3, 4, 5]


def test_no_seats_at_all():
    result = rank(scored({"A": 90, "B": 80}, total_seats=0, waitlist_size=1))
    assert [r.status for r in result.rows] == [Status.WAITLISTED, Status.NOT_SELECTED]


def test_empty_input_ranks_nobody():
    result = rank(RankingInput(ONE, (), ()))
    assert result.rows == ()
    assert len(result.input_sha256) == 64


# --- invalid input --------------------------------------------------------------------------


def valid_input(**changes) -> RankingInput:
    base = RankingInput(
        criteria=(Criterion("c1", 10, 1), Criterion("c2", 20, 1)),
        applicants=applicants("A1", "A2"),
        sheets=(Sheet("A1", "e1", (5, 10)), Sheet("A2", "e1", (6, 12))),
    )
    return replace(base, **changes)


CRITERIA = (Criterion("c1", 10, 1), Criterion("c2", 20, 1))
INVALID = {
    "score above the maximum": (
        {"sheets": (Sheet("A1", "e1", (5, 10)), Sheet("A2", "e7", (6, 21)))},
        "A2/e7",
        "c2",
    ),
    "negative score": ({"sheets": (Sheet("A1", "e2", (-1, 10)),)}, "A1/e2", "c1"),
    "NaN score": ({"sheets": (Sheet("A1", "e2", (float("nan"), 10)),)}, "A1/e2", "c1"),
    "text score": ({"sheets": (Sheet("A1", "e2", ("7", 10)),)}, "A1/e2", "c1"),
    "boolean score": ({"sheets": (Sheet("A1", "e2", (True, 10)),)}, "A1/e2", "c1"),
    "too few scores": ({"sheets": (Sheet("A1", "e2", (5,)),)}, "A1/e2", "점수 1개"),
    "unknown application": ({"sheets": (Sheet("ZZ9", "e1", (5, 10)),)}, "ZZ9", "신청 id"),
    "empty evaluator id": ({"sheets": (Sheet("A1", "", (5, 10)),)}, "A1", "평가위원"),
    "duplicate sheet": (
        {
            "sheets": (
                Sheet("A2", "e1", (1, 1)),
                Sheet("A1", "e1", (1, 1)),
                Sheet("A2", "e1", (2, 2)),
            )
        },
        "A2/e1",
        "둘 이상",
    ),
    "duplicate applicant": ({"applicants": applicants("A1", "A2", "A1")}, "A1", "중복"),
    "naive submission time": (
        {"applicants": (Applicant("A1", "2026-05-20T09:00:00"), Applicant("A2", T0))},
        "A1",
        "시간대",
    ),
    "unreadable submission time": (
        {"applicants": (Applicant("A1", T0), Applicant("A2", "20 May"))},
        "A2",
        "20 May",
    ),
    "unknown tie-break criterion": ({"tie_break": ("c1", "c9")}, "c9", "동점"),
    "repeated tie-break criterion": ({"tie_break": ("c1", "c1")}, "c1", "중복"),
    "unknown method": ({"method": "median"}, "method", "median"),
    "no criteria": ({"criteria": ()}, "criteria", "평가 항목"),
    "duplicate criterion": ({"criteria": CRITERIA + (Criterion("c1", 5, 1),)}, "c1", "중복"),
    "zero maximum": ({"criteria": (Criterion("c1", 0, 1), CRITERIA[1])}, "c1", "배점"),
    "negative weight": ({"criteria": (Criterion("c1", 10, -1), CRITERIA[1])}, "c1", "가중치"),
    "all weights zero": (
        {"criteria": (Criterion("c1", 10, 0), Criterion("c2", 20, 0))},
        "criteria",
        "가중치",
    ),
    "NaN cut-off": ({"cutoff": float("nan")}, "cutoff", "기준 점수"),
    "negative total seats": ({"total_seats": -1}, "total_seats", "-1"),
    "fractional waitlist": ({"waitlist_size": 2.5}, "waitlist_size", "2.5"),
    "duplicate quota": (
        {"quotas": (Quota("region", "capital", 1), Quota("region", "capital", 2))},
        "region=capital",
        "중복",
    ),
    "negative quota": ({"quotas": (Quota("track", "track1", -2),)}, "track=track1", "-2"),
    "boolean quota": ({"quotas": (Quota("track", "track1", True),)}, "track=track1", "True"),
    "non-text group": (
        {"applicants": (Applicant("A1", T0, {"region": 3}), Applicant("A2", T0))},
        "A1",
        "region",
    ),
}


@pytest.mark.parametrize(("changes", "entry", "detail"), INVALID.values(), ids=INVALID.keys())
def test_invalid_input_names_the_offending_entry(changes, entry, detail):
    inp = valid_input(**changes)
    with pytest.raises(RankingInputError) as caught:
        rank(inp)
    assert caught.value.entry == entry
    assert entry in str(caught.value)
    assert detail in str(caught.value)
    with pytest.raises(RankingInputError):
        input_to_json(inp)


def test_not_an_input():
    with pytest.raises(RankingInputError):
        rank({"criteria": []})


# --- reproducibility ------------------------------------------------------------------------


def sample_input() -> RankingInput:
    rng = random.Random(7)
    criteria = (Criterion("c1", 30, 30), Criterion("c2", 40, 40), Criterion("c3", 30, 30))
    people = tuple(
        Applicant(
            f"A{n:02d}",
            f"2026-05-{20 + n % 5}T0{n % 10}:00:00+09:00",
            {"region": rng.choice(["capital", "busan", "jeju"]), "track": f"track{n % 2 + 1}"},
        )
        for n in range(30)
    )
    sheets = tuple(
        Sheet(p.id, f"E{e}", tuple(rng.randint(0, c.max_points) for c in criteria))
        for p in people[:-2]  # the last two have no sheets
        for e in rng.sample(range(8), rng.choice([3, 5, 6]))
    )
    return RankingInput(
        criteria,
        people,
        sheets,
        method="trimmed_mean",
        tie_break=("c2", "c1"),
        cutoff=40,
        total_seats=10,
        quotas=(Quota("region", "capital", 4), Quota("track", "track2", 3)),
        waitlist_size=5,
    )


def shuffled(inp: RankingInput, seed: int) -> RankingInput:
    rng = random.Random(seed)
    return replace(
        inp,
        applicants=tuple(rng.sample(inp.applicants, len(inp.applicants))),
        sheets=tuple(rng.sample(inp.sheets, len(inp.sheets))),
        quotas=tuple(reversed(inp.quotas)),
    )


def test_any_row_order_gives_the_same_result_and_hash():
    inp = sample_input()
    expected = rank(inp)
    assert {r.status for r in expected.rows} == set(Status)  # the sample exercises every status
    for seed in range(5):
        again = rank(shuffled(inp, seed))
        assert again == expected
        assert to_json(again) == to_json(expected)
        assert input_sha256(shuffled(inp, seed)) == expected.input_sha256


def test_a_changed_score_changes_the_hash():
    inp = sample_input()
    first = inp.sheets[0]
    changed = replace(inp, sheets=(replace(first, scores=(0, 0, 0)),) + inp.sheets[1:])
    assert rank(changed).input_sha256 != rank(inp).input_sha256


def test_integers_floats_and_decimals_are_the_same_input():
    as_ints = valid_input()
    as_floats = valid_input(
        sheets=tuple(replace(s, scores=tuple(float(x) for x in s.scores)) for s in as_ints.sheets)
    )
    as_decimals = valid_input(
        sheets=tuple(replace(s, scores=tuple(Decimal(x) for x in s.scores)) for s in as_ints.sheets)
    )
    results = [rank(inp) for inp in (as_ints, as_floats, as_decimals)]
    assert results[0] == results[1] == results[2]


def test_frozen_input_recomputes_to_the_same_result():
    inp = sample_input()
    result = rank(inp)
    text = input_to_json(inp)
    assert json.loads(text)["version"] == 1
    assert input_sha256(inp) == result.input_sha256
    recomputed = rank(input_from_json(text))
    assert recomputed == result
    assert to_json(recomputed) == to_json(result)
    assert input_to_json(input_from_json(text)) == text


def test_result_json_round_trip():
    result = rank(sample_input())
    assert result_from_json(to_json(result)) == result


def test_unknown_frozen_version_is_refused():
    document = json.loads(input_to_json(valid_input()))
    document["version"] = 99
    with pytest.raises(RankingInputError, match="99"):
        input_from_json(json.dumps(document))


def test_sheet_total_matches_the_engine_bit_for_bit():
    inp = sample_input()
    for sheet in inp.sheets[:40]:
        alone = rank(RankingInput(inp.criteria, (Applicant(sheet.application_id, T0),), (sheet,)))
        assert alone.rows[0].score == round(round(sheet_total(inp.criteria, sheet.scores), 9), 4)
