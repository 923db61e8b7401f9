"""The engine's command line, run as a separate process as an auditor would run it."""

import hashlib
import json
import subprocess
import sys

import pytest

from itda.matching.engine import (
    ALGORITHMS,
    ENGINE_VERSION,
    InputError,
    TrackError,
    input_sha256,
    solve_json,
)

GOOD = {
    "trainees": [
        {"id": "T1", "ranking": ["P1", "P2"]},
        {"id": "T2", "ranking": ["P1"]},
        {"id": "T3", "ranking": ["P2", "P1"]},
        {"id": "T4", "ranking": ["P2"]},
    ],
    "positions": [
        {"id": "P1", "capacity": 1, "ranking": ["T2", "T1", "T3"]},
        {"id": "P2", "capacity": 2, "ranking": ["T1", "T3"]},
    ],
}


def run(tmp_path, data, *args):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "itda.matching.engine", "solve", str(path), *args],
        capture_output=True,
        text=True,
    )


def test_solve_prints_the_result_of_solve_json(tmp_path):
    done = run(tmp_path, GOOD, "--explain")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # The printed digest is the file's, what sha256sum prints (this file is not canonical JSON).
    file_digest = hashlib.sha256((tmp_path / "input.json").read_bytes()).hexdigest()
    assert out["input_sha256"] == file_digest != input_sha256(GOOD)
    assert out == solve_json(GOOD, explain=True, input_digest=file_digest)
    assert out["assignment"] == {"T1": "P2", "T2": "P1", "T3": "P2", "T4": None}
    assert out["blocking_pairs"] == 0 and out["capacity_ok"] and out["acceptable_ok"]
    assert out["engine_version"] == ENGINE_VERSION
    assert out["explanations"]["trainees"]["T4"]["above"] == [
        {"position": "P2", "rank": 1, "reason": "not_listed"}
    ]


def test_for_canonical_json_the_printed_digest_is_input_sha256(tmp_path):
    path = tmp_path / "input.json"
    path.write_bytes(
        json.dumps(GOOD, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    done = subprocess.run(
        [sys.executable, "-m", "itda.matching.engine", "solve", str(path)],
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout)["input_sha256"] == input_sha256(GOOD)


def test_fill_seats_places_a_trainee_the_position_did_not_list(tmp_path):
    done = run(tmp_path, GOOD, "--algorithm", "fill-seats")
    out = json.loads(done.stdout)
    assert out["assignment"]["T4"] is None  # P2's two seats went to T1 and T3
    data = {**GOOD, "positions": [GOOD["positions"][0], {**GOOD["positions"][1], "capacity": 3}]}
    out = json.loads(run(tmp_path, data, "--algorithm", "fill-seats").stdout)
    assert out["assignment"] == {"T1": "P2", "T2": "P1", "T3": "P2", "T4": "P2"}
    assert out["placed_by_fill"] == ["T4"] and out["acceptable_ok"]
    assert solve_json(data)["assignment"]["T4"] is None


def test_input_sha256_is_canonical_json():
    reordered = {"positions": GOOD["positions"], "trainees": GOOD["trainees"]}
    assert input_sha256(reordered) == input_sha256(GOOD)
    canonical = '{"b":1,"trainees":[{"id":"연수생","ranking":[]}]}'.encode()
    data = {"trainees": [{"ranking": [], "id": "연수생"}], "b": 1}
    assert input_sha256(data) == hashlib.sha256(canonical).hexdigest()


def with_trainee(i, **entry):
    trainees = list(GOOD["trainees"])
    trainees[i] = {**trainees[i], **entry}
    return {**GOOD, "trainees": trainees}


def with_position(i, **entry):
    positions = list(GOOD["positions"])
    positions[i] = {**positions[i], **entry}
    return {**GOOD, "positions": positions}


def tracked(t_tracks="1122", p_tracks="12"):
    """GOOD with each entry's track ("1" → "track1") and the rule that links each track only
    to itself (as a round of Track 1 → OJT, Track 2 → PBL exports it)."""
    return {
        "compatible_tracks": {"track1": ["track1"], "track2": ["track2"]},
        "trainees": [
            {**t, "track": f"track{k}"} for t, k in zip(GOOD["trainees"], t_tracks, strict=True)
        ],
        "positions": [
            {**p, "track": f"track{k}"} for p, k in zip(GOOD["positions"], p_tracks, strict=True)
        ],
    }


def with_tracked_position(i, *, t_tracks, t4_ranking, **entry):
    data = tracked(t_tracks, "11")
    data["trainees"][3] = {**data["trainees"][3], "ranking": t4_ranking}
    data["positions"][i] = {**data["positions"][i], **entry}
    return data


def test_same_track_input_gives_the_result_without_tracks():
    # Every listed pair within one track: the rule refuses nothing and changes nothing.
    data = tracked("1111", "11")
    for algorithm in ALGORITHMS:
        got, plain = solve_json(data, algorithm, True), solve_json(GOOD, algorithm, True)
        assert got["input_sha256"] != plain["input_sha256"]
        assert {**got, "input_sha256": ""} == {**plain, "input_sha256": ""}


def test_a_cross_track_pair_names_both_ids():
    with pytest.raises(TrackError) as raised:
        solve_json(tracked())
    # T1 (track1) lists P2 (track2) second.
    assert (raised.value.trainee, raised.value.position) == ("T1", "P2")


MALFORMED = [
    (
        tracked(),
        'trainees[0] "T1": ranking[1] "P2": track "track2" is not linked to track "track1"',
    ),
    (
        tracked("1111", "21"),
        'trainees[0] "T1": ranking[0] "P1": track "track2" is not linked to track "track1"',
    ),
    (
        # A position ranks a trainee of another track who did not list it.
        with_tracked_position(1, ranking=["T1", "T4"], t_tracks="1112", t4_ranking=[]),
        'positions[1] "P2": ranking[1] "T4": track "track2" is not linked to track "track1"',
    ),
    (
        {**tracked("2222", "22"), "compatible_tracks": {"track1": ["track2"]}},
        'trainees[0] "T1": ranking[0] "P1": track "track2" is not linked to track "track2"',
    ),
    (
        {**tracked("1111", "11"), "trainees": [*GOOD["trainees"]]},
        "trainees[0] \"T1\": track must be a string when 'compatible_tracks' is given",
    ),
    (
        {**tracked("1111", "11"), "compatible_tracks": {"track1": "track1"}},
        "input: 'compatible_tracks' must map a track to a list of tracks",
    ),
    (with_trainee(1, ranking=["P1", "P9"]), 'trainees[1] "T2": ranking[1] "P9": unknown position'),
    (with_position(0, ranking=["T2", "T7"]), 'positions[0] "P1": ranking[1] "T7": unknown trainee'),
    (with_trainee(0, ranking=["P1", "P2", "P1"]), 'trainees[0] "T1": ranking[2] "P1": repeated'),
    (with_position(1, ranking=["T3", "T3"]), 'positions[1] "P2": ranking[1] "T3": repeated'),
    (with_position(1, capacity=-1), 'positions[1] "P2": capacity -1 < 0'),
    (with_position(0, capacity=10**12), 'positions[0] "P1": capacity 1000000000000 > 1000000000'),
    (with_position(1, capacity="2"), 'positions[1] "P2": capacity must be an integer'),
    (with_trainee(2, ranking=[["P1", "P2"]]), 'trainees[2] "T3": ranking[0] is a list: ties'),
    (with_position(0, ranking=["T2", ["T1", "T3"]]), 'positions[0] "P1": ranking[1] is a list'),
    (with_trainee(3, id="T1"), 'trainees[3] "T1": duplicate id (also trainees[0])'),
    (with_position(1, id="P1"), 'positions[1] "P1": duplicate id (also positions[0])'),
    (with_trainee(0, id=7), "trainees[0] 7: id must be a string"),
    (with_trainee(0, ranking=["P1", 2]), 'trainees[0] "T1": ranking[1] 2: must be a string id'),
    (with_trainee(0, ranking="P1"), "trainees[0] \"T1\": 'ranking' must be a list"),
    ({"trainees": []}, "input: 'positions' must be a list"),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_malformed_input_exits_2_naming_the_entry(tmp_path, data, message):
    with pytest.raises(InputError) as raised:
        solve_json(data)
    assert message in str(raised.value)
    done = run(tmp_path, data)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_not_json_exits_2(tmp_path):
    path = tmp_path / "input.json"
    path.write_text("{not json", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "itda.matching.engine", "solve", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "not valid JSON" in done.stderr
    assert len(done.stderr.splitlines()) == 1
