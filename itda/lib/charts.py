"""Chart.js configurations shared by every page that draws a chart. itda.js builds each chart
from the JSON a template writes with json_script; Chart.js itself is served from
static_build/vendor, nothing is fetched at run time.

Readable without colour: series of bars differ in fill pattern as well as in colour (itda.js
turns ``itdaPattern`` into a canvas pattern, the legend shows it), lines differ in point shape
and dash, and every chart has a table beside it with the same numbers."""

from __future__ import annotations

# KRDS primary, secondary and point colours; the patterns and shapes below carry the difference.
COLOURS = ("#256ef4", "#0b9e77", "#e8590c", "#6b4fc7", "#1d1d1d", "#b3261e", "#8a6d00", "#0e7490")
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal", "dots")
POINTS = ("circle", "rect", "triangle", "rectRot", "cross", "crossRot", "star", "rectRounded")
DASHES = ([], [6, 3], [2, 2], [10, 4, 2, 4], [], [6, 3], [2, 2], [10, 4, 2, 4])

OPTIONS = {
    "animation": False,
    "responsive": True,
    "plugins": {"legend": {"position": "bottom", "labels": {"usePointStyle": True}}},
}
# Bars legends show the pattern in a box, not a point.
_BAR_OPTIONS = {
    "animation": False,
    "responsive": True,
    "plugins": {"legend": {"position": "bottom"}},
}


def bar_series(label: str, data: list, index: int = 0) -> dict:
    """One series of bars, the ``index``-th colour and fill pattern."""
    return {
        "label": label,
        "data": data,
        "backgroundColor": COLOURS[index % len(COLOURS)],
        "borderColor": COLOURS[index % len(COLOURS)],
        "borderWidth": 1,
        "itdaPattern": PATTERNS[index % len(PATTERNS)],
    }


def bar_chart(labels: list, datasets: list[dict], *, horizontal: bool | None = None) -> dict:
    """Bars of one or more series over ``labels``; lying down when the labels are many (long
    region names stay readable on a phone). Counts start at zero in whole steps."""
    if horizontal is None:
        horizontal = len(labels) > 6
    count_axis = "x" if horizontal else "y"
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": _BAR_OPTIONS
        | {
            "indexAxis": "y" if horizontal else "x",
            "scales": {count_axis: {"beginAtZero": True, "ticks": {"precision": 0}}},
        },
    }
