"""Small-count suppression: every count of 1–4 is hidden, and no hidden count can be worked
out by subtraction from the totals and cells left shown (secondary suppression), on
hierarchical tables like the dashboards' (national = Σ 권역 = Σ 시·도, national = Σ 사업단);
nor, over a monthly series of cumulative counts, by subtracting one month from another."""

from hypothesis import given, settings
from hypothesis import strategies as st

from itda.lib.suppression import (
    SUPPRESSED,
    WITHHELD,
    series_suppressed,
    shown_value,
    suppressed_cells,
)


def _recover(values, sums, hidden) -> set:
    """What a reader can work out by subtraction: any sum with exactly one unknown cell gives
    it away, and a value found helps with the next sum."""
    known = set(values) - hidden
    found = True
    while found:
        found = False
        for total, parts in sums:
            unknown = [c for c in (total, *parts) if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return known & hidden


@st.composite
def _tables(draw):
    """A national total, 권역 made of 시·도, and 사업단 splitting the same people again."""
    zones = draw(
        st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=4)
    )
    values, sums = {}, []
    for z, regions in enumerate(zones):
        parts = []
        for r, value in enumerate(regions):
            values[("region", z, r)] = value
            parts.append(("region", z, r))
        values[("zone", z)] = sum(regions)
        sums.append((("zone", z), parts))
    national = sum(map(sum, zones))
    values["national"] = national
    sums.append(("national", [("zone", z) for z in range(len(zones))]))
    sums.append(("national", [c for c in values if c[0] == "region"]))
    cuts = sorted(draw(st.lists(st.integers(0, national), max_size=3)))
    groups = [b - a for a, b in zip([0, *cuts], [*cuts, national], strict=True)]
    for g, value in enumerate(groups):
        values[("group", g)] = value
    sums.append(("national", [("group", g) for g in range(len(groups))]))
    return values, sums


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_no_hidden_count_can_be_recovered_by_subtraction(table):
    values, sums = table
    hidden = suppressed_cells(values, sums)
    assert {c for c, v in values.items() if 0 < v < 5} <= hidden
    assert _recover(values, sums, hidden) == set()
    for total, parts in sums:
        assert sum(c in hidden for c in (total, *parts)) != 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=8))
def test_a_row_and_its_total(parts):
    values = {i: v for i, v in enumerate(parts)} | {"total": sum(parts)}
    sums = [("total", list(range(len(parts))))]
    hidden = suppressed_cells(values, sums)
    assert _recover(values, sums, hidden) == set()
    # Nothing is hidden without a small count to protect.
    if not any(0 < v < 5 for v in values.values()):
        assert hidden == set()


def test_the_second_cell_is_the_smallest_shown_one_and_says_why():
    values = {"seoul": 3, "busan": 40, "daegu": 7, "jeju": 0, "total": 50}
    hidden = suppressed_cells(values, [("total", ["seoul", "busan", "daegu", "jeju"])])
    assert hidden == {"seoul", "daegu"}
    shown = {c: shown_value(c, values, hidden) for c in values}
    assert shown == {"seoul": SUPPRESSED, "busan": 40, "daegu": WITHHELD, "jeju": 0, "total": 50}


def test_hiding_a_second_cell_can_expose_another_sum():
    # 서울 3 is hidden, so 경기 9 goes too (수도권 = 서울 + 경기); 경기 is also part of a
    # 사업단's total (경기 + 강원), which must then lose a second cell as well.
    values = {"seoul": 3, "gyeonggi": 9, "gangwon": 6, "capital": 12, "group": 15}
    sums = [("capital", ["seoul", "gyeonggi"]), ("group", ["gyeonggi", "gangwon"])]
    hidden = suppressed_cells(values, sums)
    assert hidden == {"seoul", "gyeonggi", "gangwon"}
    assert _recover(values, sums, hidden) == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 9), st.integers(-2, 9)), min_size=1, max_size=8))
def test_two_shown_months_never_differ_by_one_to_four(steps):
    # Two groups' cumulative counts and their national total, month after month (a count may
    # fall: a cancelled placement).
    points, a, b = [], 0, 0
    for da, db in steps:
        a, b = max(0, a + da), max(0, b + db)
        points.append({"a": a, "b": b, "national": a + b})
    sums = [("national", ["a", "b"])]
    withheld = series_suppressed(points, sums)
    for cell in ("a", "b", "national"):
        shown = [p[cell] for p, hidden in zip(points, withheld, strict=True) if cell not in hidden]
        for earlier, later in zip([0, *shown], shown, strict=False):
            assert not 0 < abs(later - earlier) < 5
    for values, hidden in zip(points, withheld, strict=True):
        assert {c for c, v in values.items() if 0 < v < 5} <= hidden
        assert _recover(values, sums, hidden) == set()


def test_a_month_is_compared_with_the_last_one_shown():
    # 100, then 103 (withheld: +3), then 106 (+6 on the 100 shown: shown), then 107 (+1).
    points = [{"n": 100}, {"n": 103}, {"n": 106}, {"n": 107}]
    assert series_suppressed(points, []) == [set(), {"n"}, set(), {"n"}]
    shown = [
        shown_value("n", p, h) for p, h in zip(points, series_suppressed(points, []), strict=True)
    ]
    assert shown == [100, WITHHELD, 106, WITHHELD]
