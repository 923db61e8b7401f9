"""Chart.js configurations for the KPI dashboard (the shared parts in itda.lib.charts).

Readable without colour: a bar chart carries one series, named on its axis; where a target
stands beside the counts it is drawn as a different mark (a cross, no bar); the history's
lines differ in point shape and dash as well as in colour, and the legend shows the shapes.
A withheld count is left out (null); the table beside every chart says "<5" or "비공개"."""

from __future__ import annotations

from itda.lib.charts import COLOURS, DASHES, OPTIONS, POINTS, bar_chart, bar_series
from itda.outcomes.kpis import FUNNEL, STAGE


def _number(value):
    return value if isinstance(value, int) else None


def funnel_chart(unit) -> dict:
    """The funnel of one row (national, or the group's own) as bars, stage by stage."""
    return bar_chart(
        [STAGE[k].label for k in FUNNEL],
        [bar_series(f"{unit.label} 단계별 인원(명)", [unit.raw[k] for k in FUNNEL])],
        horizontal=False,
    )


def section_chart(title: str, units, *, company: bool) -> dict:
    """One bar per row of a section: 선발 (연계 for the company sections), with the 선발 목표
    as a cross where the row has one."""
    stage = "placed" if company else "selected"
    datasets = [
        {
            "type": "bar",
            "label": f"{STAGE[stage].label}(명)",
            "data": [u.raw[stage] for u in units],
            "backgroundColor": COLOURS[0],
            "pointStyle": "rect",
        }
    ]
    if any(u.target for u in units):
        datasets.append(
            {
                "type": "line",
                "label": "선발 목표(명)",
                "data": [u.target for u in units],
                "showLine": False,
                "pointStyle": "crossRot",
                "pointRadius": 9,
                "pointBorderWidth": 3,
                "borderColor": COLOURS[4],
                "backgroundColor": COLOURS[4],
            }
        )
    return {
        "type": "bar",
        "data": {"labels": [u.label for u in units], "datasets": datasets},
        "options": OPTIONS | {"indexAxis": "y" if len(units) > 6 else "x"},
    }


def history_chart(history) -> dict | None:
    """Each funnel stage over the months, oldest first, for the first row's unit."""
    if not history:
        return None
    label = history[0][1]
    rows = sorted((day, counts) for day, name, counts in history if name == label)
    return {
        "type": "line",
        "data": {
            "labels": [f"{day:%Y-%m}" for day, _ in rows],
            "datasets": [
                {
                    "label": STAGE[k].label,
                    "data": [_number(counts[i]) for _, counts in rows],
                    "borderColor": COLOURS[i],
                    "backgroundColor": COLOURS[i],
                    "pointStyle": POINTS[i],
                    "pointRadius": 6,
                    "borderDash": DASHES[i],
                }
                for i, k in enumerate(FUNNEL)
            ],
        },
        "options": OPTIONS,
    }
