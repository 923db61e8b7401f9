"""The dry run's breakdowns are charts with a table beside them, and both hold exactly the
counts the engine's dry run computes, algorithm by algorithm (issue 15, pictures)."""

import json
import re

import pytest
from django.test import Client

from itda.matching import services
from itda.matching.tests.conftest import past_deadlines

pytestmark = pytest.mark.django_db


def _expected(stats: dict) -> dict:
    """The dry run's statistics, labelled as the page labels them, zeros left out."""
    return {
        "unplaced-region": dict(stats["unplaced_by_region"]),
        "unplaced-track": dict(stats["unplaced_by_track"]),
        "empty-region-track": {f"{r}·{t}": n for r, t, n in stats["empty_by_region_track"]},
        "match-rank": {f"{rank}지망": n for rank, n in stats["match_rank"]},
    }


def _chart(html: str, key: str) -> dict:
    found = re.search(rf'id="dry-{key}-chart" type="application/json">(.*?)</script>', html)
    return json.loads(found[1])


def test_each_breakdown_chart_and_table_hold_the_engine_counts(ranked_round, seoul_staff, login_as):
    round_ = past_deadlines(ranked_round["round"])
    dry = services.round_dry_run(round_=round_, actor=seoul_staff)
    html = login_as(seoul_staff, Client()).get(f"/rounds/{round_.pk}/dry-run/").content.decode()
    for key in ("unplaced-region", "unplaced-track", "empty-region-track", "match-rank"):
        chart = _chart(html, key)
        labels, datasets = chart["data"]["labels"], chart["data"]["datasets"]
        assert len(datasets) == len(dry["runs"]) == 3
        for run, series in zip(dry["runs"], datasets, strict=True):
            drawn = {label: n for label, n in zip(labels, series["data"], strict=True) if n}
            assert drawn == _expected(run["stats"])[key], (key, run["algorithm"])
            assert series["label"].startswith(run["label"])
        # Three series told apart by fill pattern too, not by colour alone.
        assert len({s["itdaPattern"] for s in datasets}) == 3
        assert f'data-testid="dry-{key}"' in html
    # The worked example (conftest): the trainee-proposing run places three 1st choices and
    # one 3rd; the table says so beside the chart, no comma-separated text remains.
    ranks = _chart(html, "match-rank")
    assert ranks["data"]["labels"] == ["1지망", "3지망"]
    assert ranks["data"]["datasets"][0]["data"] == [3, 1]
    table = re.search(r'data-testid="dry-match-rank".*?</table>', html, re.S)[0]
    assert re.search(r'<th scope="row">3지망</th><td class="num">1</td>', table)
    assert "1지망 3, 3지망 1" not in html
    assert "vendor/chart.umd.min.js" in html
