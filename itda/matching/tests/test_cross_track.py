"""Tracks carry through linkage: a Track 1 trainee (trained in a Track 1 course) is linked only
to OJT positions, a Track 2 trainee only to PBL ones. Every entry point refuses a cross-track
pair in Korean: the trainee's choices, the company's ranking, the dry run, publication, and the
engine's command line on the exported input."""

import datetime
import json
import subprocess
import sys

import pytest
from django.test import Client

from itda import factories
from itda.internships.models import Placement, Position
from itda.matching import exports, services
from itda.matching.models import MatchRun, TraineeChoice
from itda.matching.tests.conftest import AFTER, NOW, past_deadlines
from itda.programs.models import Company, PlacementKind, Track, Trainee

pytestmark = pytest.mark.django_db
REFUSAL = "Track1 테스트 교육생은 OJT 기반 인턴십에만 연계할 수 있습니다"


def _position(company_user, track, title, region):
    return Position.objects.create(
        company=Company.objects.get(managers=company_user),
        track=track,
        title=title,
        duties="-",
        seats=1,
        region=region,
        site_address="-",
        mentor_name="-",
        status="published",
        created_by=company_user,
    )


@pytest.fixture
def tracks_round(regions, trainee, company, seoul_staff):
    """A Track 1 trainee (me, trained in Track 1) in a round with an OJT and a PBL position."""
    track2 = Track.objects.create(
        programme=regions["programme"],
        code="track2",
        name="Track2 테스트",
        quota=80,
        placement_kind=PlacementKind.PBL,
    )
    me = Trainee.objects.get(user=trainee)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    ojt = _position(company, regions["track"], "설비 운영 인턴", regions["seoul"])
    pbl = _position(company, track2, "불량 예측 PBL", regions["seoul"])
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계",
        trainee_deadline=NOW + datetime.timedelta(days=3),
        company_deadline=NOW + datetime.timedelta(days=7),
    )
    return {"round": round_, "me": me, "ojt": ojt, "pbl": pbl}


def _stale_cross_choice(w):
    """A cross-track choice already in the database (saved before a track changed, or written
    around the services): the later entry points must still refuse it."""
    TraineeChoice.objects.create(round=w["round"], trainee=w["me"], position=w["pbl"], rank=1)


def _choose(w, users):
    services.trainee_choices_save(
        round_=w["round"],
        trainee=w["me"],
        positions=[w["ojt"], w["pbl"]],
        actor=users["trainee"],
        now=NOW,
    )


def _rank(w, users):
    _stale_cross_choice(w)
    services.company_ranking_save(
        round_=w["round"], position=w["pbl"], trainees=[w["me"]], actor=users["company"], now=NOW
    )


def _dry_run(w, users):
    _stale_cross_choice(w)
    services.round_dry_run(round_=w["round"], actor=users["seoul_staff"])


def _publish(w, users):
    _stale_cross_choice(w)
    services.round_publish(
        round_=w["round"], algorithm="trainee-proposing", actor=users["seoul_staff"], now=AFTER
    )


@pytest.mark.parametrize(
    "entry", [_choose, _rank, _dry_run, _publish], ids=["choices", "ranking", "dry-run", "publish"]
)
def test_a_cross_track_pair_is_refused_in_korean(
    entry, tracks_round, trainee, company, seoul_staff
):
    users = {"trainee": trainee, "company": company, "seoul_staff": seoul_staff}
    with pytest.raises(services.MatchError) as raised:
        entry(tracks_round, users)
    message = " ".join(raised.value.messages)
    assert REFUSAL in message
    assert "불량 예측 PBL: Track2 테스트, 문제해결형(PBL) 직무훈련" in message
    assert not MatchRun.objects.exists() and not Placement.objects.exists()
    # Nothing of the refused request was saved: at most the stale row the test wrote itself.
    assert set(TraineeChoice.objects.values_list("position", flat=True)) <= {tracks_round["pbl"].pk}


def test_the_command_line_refuses_the_exported_input_too(tracks_round, tmp_path):
    _stale_cross_choice(tracks_round)
    path = tmp_path / "input.json"
    path.write_text(exports.round_input_text(tracks_round["round"]), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    me, pbl = f"T{tracks_round['me'].pk}", f"P{tracks_round['pbl'].pk}"
    assert data["compatible_tracks"] == {"track1": ["track1"], "track2": ["track2"]}
    assert {t["id"]: t["track"] for t in data["trainees"]} == {me: "track1"}
    done = subprocess.run(
        [sys.executable, "-m", "itda.matching.engine", "solve", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert f'"{me}": ranking[0] "{pbl}": track "track2" is not linked to track "track1"' in (
        done.stderr
    )


def test_same_track_choices_pass_and_the_trainee_is_shown_only_their_kind(
    tracks_round, trainee, login_as
):
    w = tracks_round
    services.trainee_choices_save(
        round_=w["round"], trainee=w["me"], positions=[w["ojt"]], actor=trainee, now=NOW
    )
    assert TraineeChoice.objects.get().position == w["ojt"]
    client = login_as(trainee, Client())
    html = client.get(f"/trainee/rounds/{w['round'].pk}/positions/").content.decode()
    assert "설비 운영 인턴" in html and "불량 예측 PBL" not in html


def test_staff_see_why_the_dry_run_is_refused(tracks_round, seoul_staff, login_as):
    _stale_cross_choice(tracks_round)
    round_ = past_deadlines(tracks_round["round"])
    client = login_as(seoul_staff, Client())
    response = client.get(f"/rounds/{round_.pk}/dry-run/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/rounds/{round_.pk}/"
    assert REFUSAL in html and "트랙이 맞지 않는 지망·순위가 있어 실행할 수 없습니다" in html
