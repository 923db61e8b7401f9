"""Properties of the KPI formulas (outcomes.kpis), the viewer's suppression of the KPI board
(outcomes.dashboards) and the hiring rule the hired stages count by (internships.hiring), over
generated funnels and tables: no database, the pure parts only."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from itda.internships.hiring import counts_as_hired, counts_from, due_on
from itda.internships.models import (
    ENDED_INTERNSHIP,
    HIRED_OUTCOMES,
    Checkpoint,
    HiringOutcome,
    Internship,
    InternshipState,
    OutcomeKind,
    OutcomeStatus,
)
from itda.lib.suppression import SUPPRESSED, WITHHELD, suppressed_cells
from itda.outcomes.dashboards import viewer_sums
from itda.outcomes.kpis import KPI, KPIS, NATIONAL, STAGE, STAGES, kpi_values

SMALL = range(1, 5)


@st.composite
def funnels(draw) -> dict[str, int]:
    """Counts of one cell as the funnel makes them: each stage at most the one it follows."""

    def at_most(n: int) -> int:
        return draw(st.integers(0, n))

    enrolled = draw(st.integers(0, 60))
    completed = at_most(enrolled)
    withdrawn = at_most(enrolled - completed)
    placed = at_most(completed)
    hired_3m = at_most(placed)
    hired_6m = at_most(placed)
    retained = min(hired_3m, hired_6m) - at_most(min(hired_3m, hired_6m))
    applied = enrolled + at_most(40)
    return {
        "applied": applied,
        "selected": enrolled + at_most(applied - enrolled),
        "enrolled": enrolled,
        "completed": completed,
        "withdrawn": withdrawn,
        "placed": placed,
        "interned": at_most(placed),
        "hired_3m": hired_3m,
        "hired_6m": hired_6m,
        "retained": retained,
    }


@settings(max_examples=300, deadline=None)
@given(funnels())
def test_every_rate_is_a_share_of_its_denominator(counts):
    for value in kpi_values(counts, suppress=False):
        num, den = counts[value.kpi.numerator], counts[value.kpi.denominator]
        assert (value.numerator, value.denominator) == (num, den)
        if den == 0:
            assert value.rate is None and value.shown == "—"
        else:
            assert 0.0 <= value.rate <= 100.0
            assert value.rate == round(num * 100 / den, 1)
            assert value.shown == f"{value.rate:.1f}%"


@settings(max_examples=200, deadline=None)
@given(funnels())
def test_completion_rate_is_completed_over_enrolled(counts):
    by_key = {v.kpi.key: v for v in kpi_values(counts, suppress=False)}
    rate = by_key["completion_rate"].rate
    if counts["enrolled"]:
        assert rate == round(100 * counts["completed"] / counts["enrolled"], 1)
    else:
        assert rate is None
    assert (KPI["completion_rate"].numerator, KPI["completion_rate"].denominator) == (
        "completed",
        "enrolled",
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(KPIS),
    st.integers(0, 500),
    st.integers(1, 500),
    st.integers(1, 50),
)
def test_a_rate_rises_with_its_numerator_and_falls_with_its_denominator(kpi, num, den, more):
    def rate(n: int, d: int) -> float:
        (value,) = [
            v
            for v in kpi_values({kpi.numerator: n, kpi.denominator: d}, suppress=False)
            if v.kpi is kpi
        ]
        return value.rate

    if kpi.numerator == kpi.denominator:
        return
    assert rate(num + more, den) >= rate(num, den)
    assert rate(num, den + more) <= rate(num, den)


@settings(max_examples=300, deadline=None)
@given(funnels(), st.sets(st.sampled_from([s.key for s in STAGES])))
def test_a_suppressed_board_never_shows_a_count_under_5(counts, hidden):
    for value in kpi_values(counts, suppress=True, hidden=hidden):
        kpi = value.kpi
        num, den = counts[kpi.numerator], counts[kpi.denominator]
        if num in SMALL or den in SMALL or {kpi.numerator, kpi.denominator} & hidden:
            # Withheld: no rate from which a small count could be worked back.
            assert value.suppressed and value.rate is None and value.shown == WITHHELD
        else:
            assert (
                not value.suppressed
                and value.rate == kpi_values(counts, suppress=False)[KPIS.index(kpi)].rate
            )
        # The formula beside the rate: a count of 1–4 reads "<5", a hidden stage's "비공개".
        operands = []
        for stage, count in ((kpi.numerator, num), (kpi.denominator, den)):
            if count in SMALL:
                expected = SUPPRESSED
            elif value.suppressed and stage in hidden:
                expected = WITHHELD
            else:
                expected = count
            operands.append(f"{STAGE[stage].label} {expected}")
        assert value.explained == f"{operands[0]} ÷ {operands[1]} × 100"


@st.composite
def boards(draw):
    """A board's cells: 사업단 and 시·도 split the same people; 권역 add up their 시·도."""
    n_regions = draw(st.integers(1, 5))
    regions = list(range(100, 100 + n_regions))
    zone_of = {r: draw(st.integers(0, 2)) for r in regions}
    zones = {z: [r for r in regions if zone_of[r] == z] for z in sorted(set(zone_of.values()))}
    stages = [s.key for s in STAGES[:4]]
    cells: dict = {}
    region_counts = {r: {s: draw(st.integers(0, 12)) for s in stages} for r in regions}
    for r, counts in region_counts.items():
        cells[(None, None, r)] = counts
    national = {s: sum(c[s] for c in region_counts.values()) for s in stages}
    cells[NATIONAL] = national
    for z, members in zones.items():
        cells[("zone", z)] = {s: sum(region_counts[r][s] for r in members) for s in stages}
    n_groups = draw(st.integers(1, 3))
    groups = list(range(1, n_groups + 1))
    group_counts = {g: {} for g in groups}
    for s in stages:
        cuts = sorted(
            draw(
                st.lists(st.integers(0, national[s]), min_size=n_groups - 1, max_size=n_groups - 1)
            )
        )
        for g, (a, b) in zip(
            groups, zip([0, *cuts], [*cuts, national[s]], strict=True), strict=True
        ):
            group_counts[g][s] = b - a
    for g, counts in group_counts.items():
        cells[(g, None, None)] = counts
    return cells, groups, zones, regions


@settings(max_examples=200, deadline=None)
@given(boards())
def test_no_hidden_count_of_the_board_is_national_minus_the_others(board):
    cells, groups, zones, regions = board
    values = {(cell, s): n for cell, counts in cells.items() for s, n in counts.items()}
    hidden = suppressed_cells(values, viewer_sums(groups, zones, regions))
    assert {k for k, n in values.items() if n in SMALL} <= hidden
    for stage in cells[NATIONAL]:
        rows = (
            [(g, None, None) for g in groups],
            [("zone", z) for z in zones],
            [(None, None, r) for r in regions],
        )
        for parts in rows:
            unknown = [c for c in (NATIONAL, *parts) if (c, stage) in hidden]
            # A total with exactly one hidden cell would give it back by subtraction.
            assert len(unknown) != 1


_DAYS = st.dates(datetime.date(2026, 1, 1), datetime.date(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    ends_on=_DAYS,
    hired_on=st.one_of(st.none(), _DAYS),
    kind=st.sampled_from(OutcomeKind),
    state=st.sampled_from(InternshipState),
    status=st.sampled_from(OutcomeStatus),
    checkpoint=st.sampled_from([Checkpoint.MONTH_3, Checkpoint.MONTH_6]),
)
def test_a_hire_inside_the_subsidised_period_never_counts(
    ends_on, hired_on, kind, state, status, checkpoint
):
    internship = Internship(ends_on=ends_on, state=state)
    outcome = HiringOutcome(
        internship=internship, kind=kind, hired_on=hired_on, status=status, checkpoint=checkpoint
    )
    start = counts_from(outcome)
    if start is not None:
        assert start > ends_on and start >= hired_on
    if counts_as_hired(outcome):
        assert kind in HIRED_OUTCOMES and hired_on is not None
        assert status == OutcomeStatus.VERIFIED and state in ENDED_INTERNSHIP
        assert ends_on < start <= due_on(internship, checkpoint)
    if state not in ENDED_INTERNSHIP or kind not in HIRED_OUTCOMES:
        assert not counts_as_hired(outcome)
