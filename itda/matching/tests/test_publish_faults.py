"""The web worker killed (SIGKILL) in a match publish's write step, then the operator's second
click: the round is published once, by one run, with the engine's placements. A small version
of ``scripts/faults_work.py --targets match``: a real gunicorn on the test database."""

import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from itda.internships.models import Placement
from itda.matching.engine import solve_json
from itda.matching.models import MatchRun, RoundStatus
from itda.matching.selectors import round_input

from .conftest import past_deadlines

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

import faults_harness as harness  # noqa: E402

PUBLISH = {"algorithm": "trainee-proposing", "confirm": "on"}


@pytest.mark.django_db(transaction=True)
def test_a_web_worker_killed_while_placements_are_written_then_a_second_click_publishes_once(
    ranked_round, seoul_staff, tmp_path
):
    round_ = past_deadlines(ranked_round["round"])
    result = solve_json(round_input(round_, today=timezone.localdate()))
    expected = {(int(t[1:]), int(p[1:])) for t, p in result["assignment"].items() if p}
    database = connection.settings_dict["NAME"]
    cluster = harness.Cluster.serving(connection.settings_dict, tmp_path)
    web = harness.Web(cluster, database, tmp_path / "web.log")
    path = f"/rounds/{round_.pk}/publish/"
    # The placements' INSERT waits half a second, so the kill lands in it on any machine.
    release = harness.hold_writes("internships_placement", 0.5)
    try:
        web.start()
        web.sign_in(seoul_staff)
        answers: list[str] = []
        first = threading.Thread(target=lambda: answers.append(web.post(path, PUBLISH)))
        first.start()
        # The run is stored and the round marked by now, inside the request's transaction.
        harness.Activity(cluster, database).wait_for(
            {"INSERT internships_placement"}, unless=lambda: answers
        )
        web.kill()
        first.join()
        release()  # waits for the killed worker's transaction to end
        assert not answers[0].startswith("302")
        round_.refresh_from_db()
        assert round_.status == RoundStatus.OPEN and round_.published_run is None
        assert not MatchRun.objects.exists() and not Placement.objects.exists()
        assert web.post(path, PUBLISH) == f"302 /rounds/{round_.pk}/result/"
        # A third click is refused: the round is published already.
        assert web.post(path, PUBLISH) == f"302 /rounds/{round_.pk}/"
    finally:
        release()
        web.stop()
    run = MatchRun.objects.get()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED and round_.published_run == run
    assert run.input_sha256 == result["input_sha256"]
    assert set(Placement.objects.values_list("trainee_id", "position_id")) == expected
    assert Placement.objects.count() == len(expected) == 4
