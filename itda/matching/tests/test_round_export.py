"""Round downloads: the input as the exact JSON the CLI takes (its sha256 is the run's) and as
Excel, both anonymised; the result with names only for staff, with a reason, logged."""

import hashlib
import io
import json
import subprocess
import sys

import pytest
from django.test import Client
from openpyxl import load_workbook

from itda.accounts.models import PersonalDataAccess
from itda.matching import services
from itda.matching.engine import solve_json
from itda.matching.tests.conftest import AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(ranked_round, seoul_staff):
    run = services.round_publish(
        round_=ranked_round["round"], algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    return {**ranked_round, "run": run}


def _sheet_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def test_the_input_json_is_the_frozen_bytes_the_cli_reruns(
    published, seoul_staff, login_as, tmp_path
):
    run, round_ = published["run"], published["round"]
    client = login_as(seoul_staff, Client())
    response = client.get(f"/rounds/{round_.pk}/input.json")
    body = response.content
    assert body == run.input_json.encode()
    assert hashlib.sha256(body).hexdigest() == run.input_sha256 == response["X-Input-SHA256"]
    result = solve_json(json.loads(body), algorithm=run.algorithm)
    assert result["assignment"] == json.loads(run.result_json)["assignment"]
    # The command line anyone can run on the download gives the same assignment and sha256.
    path = tmp_path / "input.json"
    path.write_bytes(body)
    cli = subprocess.run(  # noqa: S603 — our own CLI on a file we wrote
        [
            sys.executable,
            "-m",
            "itda.matching.engine",
            "solve",
            str(path),
            "--algorithm",
            run.algorithm,
        ],
        capture_output=True,
        check=True,
    )
    printed = json.loads(cli.stdout)
    assert printed["assignment"] == result["assignment"]
    assert printed["input_sha256"] == run.input_sha256
    # Anonymised: ids only.
    text = body.decode()
    assert all(p.name not in text for p in published["people"].values())


def test_the_input_excel_has_ids_rankings_and_sha_but_no_names(published, seoul_staff, login_as):
    round_, people, positions = published["round"], published["people"], published["positions"]
    client = login_as(seoul_staff, Client())
    text = _sheet_text(client.get(f"/rounds/{round_.pk}/input.xlsx").content)
    me = f"T{people['me'].pk}"
    assert f"{me} 3 P{positions['A'].pk} P{positions['B'].pk} P{positions['C'].pk}" in text
    assert f"P{positions['A'].pk} 1 2 T{people['t2'].pk} {me}" in text
    assert published["run"].input_sha256 in text
    assert all(p.name not in text for p in people.values())
    assert positions["A"].company.name not in text


def test_the_result_export_names_people_only_with_a_reason_and_logs_it(
    published, seoul_staff, company, login_as
):
    round_, people, positions = published["round"], published["people"], published["positions"]
    url = f"/rounds/{round_.pk}/result/export/"
    staff = login_as(seoul_staff, Client())
    assert staff.post(url, {"reason": ""}).status_code == 400
    assert not PersonalDataAccess.objects.filter(action="export").exists()
    response = staff.post(url, {"reason": "인턴십 준비 안내 발송", "full_values": "on"})
    text = _sheet_text(response.content)
    me = people["me"]
    assert f"T{me.pk} {me.name} 서울특별시 P{positions['C'].pk}" in text and "3" in text
    assert people["t5"].name in text and "미배정" in text
    log = PersonalDataAccess.objects.get(action="export")
    assert log.reason == "인턴십 준비 안내 발송 [전체 정보]"
    assert log.subject_ids == sorted(p.pk for p in people.values())
    # A company manager is not staff: no result download, no input either.
    other = login_as(company, Client())
    assert other.post(url, {"reason": "인턴십 준비 안내"}).status_code == 403
    assert other.get(f"/rounds/{round_.pk}/input.json").status_code == 403


def test_busan_staff_cannot_download_a_capital_round(published, busan_staff, login_as):
    client = login_as(busan_staff, Client())
    assert client.get(f"/rounds/{published['round'].pk}/input.json").status_code == 404
