"""The public CSV: anyone may download it, UTF-8 with a BOM, exactly the documented columns,
national and group rows from the last snapshot of the latest ended month with counts under 5
shown as "<5"."""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from itda.outcomes.models import KpiSnapshot
from itda.outcomes.opendata import COLUMNS, SUM_NOTE, WITHHELD_NOTE
from itda.outcomes.services import kpi_snapshot_take
from itda.outcomes.tests.kpi_cast import build_cast
from itda.training.models import Enrollment

pytestmark = pytest.mark.django_db

URL = "/open-data/kpis.csv"
DOC = settings.BASE_DIR / "docs" / "open-data.md"


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# The CSV publishes ended months: a snapshot of last month's last day is the one it shows.
PUBLISHED = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def _row(rows, unit, group, code) -> dict:
    return next(
        r for r in rows if (r["집계단위"], r["사업단"], r["항목코드"]) == (unit, group, code)
    )


def test_the_csv_is_public_with_bom_and_documented_columns(regions, admin):
    build_cast(regions, admin)
    kpi_snapshot_take(day=PUBLISHED)
    response = Client().get(URL)  # nobody logged in
    rows = _rows(response)
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert tuple(header.split(",")) == COLUMNS
    documented = re.findall(r"^\| (\S+) \|", DOC.read_text(), flags=re.MULTILINE)
    assert tuple(c for c in documented if c not in ("column", "---")) == COLUMNS
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert {r["집계단위"] for r in rows} == {"전국", "사업단"}


def test_small_counts_are_suppressed(regions, admin):
    people = build_cast(regions, admin)
    kpi_snapshot_take(day=PUBLISHED)
    rows = _rows(Client().get(URL))
    assert _row(rows, "전국", "", "completed")["값"] == "8"
    assert _row(rows, "전국", "", "completion_rate")["값"] == "80.0"
    hired = _row(rows, "전국", "", "hired_3m")
    assert (hired["값"], hired["비고"]) == ("<5", "5명 미만 비공개")
    rate = _row(rows, "사업단", "수도권 사업단", "employment_3m")
    assert rate["값"] == "" and "비공개" in rate["비고"]
    assert _row(rows, "사업단", "동남권 사업단", "enrolled")["값"] == "0"
    body = Client().get(URL).content.decode("utf-8-sig")
    assert "37.5" not in body and "66.7" not in body
    assert not any(person.name in body for person in people)
    assert "서울" not in body  # nothing finer than a group


def test_a_repeat_request_is_answered_from_the_etag(regions, admin):
    build_cast(regions, admin)
    kpi_snapshot_take(day=PUBLISHED)
    client = Client()
    first = client.get(URL)
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_before_any_snapshot_only_the_header(regions, admin):
    build_cast(regions, admin)
    assert _rows(Client().get(URL)) == []


def test_a_group_count_cannot_be_had_back_from_the_national_total(regions):
    """전국 = Σ 사업단: with 수도권 100 and 동남권 3, hiding 3 alone would leave 103 − 100."""
    day = PUBLISHED
    for group, value in (
        (None, 103),
        (regions["capital_group"], 100),
        (regions["dongnam_group"], 3),
    ):
        KpiSnapshot.objects.create(
            day=day,
            programme=regions["programme"],
            operating_group=group,
            stage="enrolled",
            value=value,
        )
    rows = _rows(Client().get(URL))
    dongnam = _row(rows, "사업단", "동남권 사업단", "enrolled")
    capital = _row(rows, "사업단", "수도권 사업단", "enrolled")
    assert (dongnam["값"], dongnam["비고"]) == ("<5", "5명 미만 비공개")
    assert capital["값"] == "비공개" and "합계" in capital["비고"]
    assert _row(rows, "전국", "", "enrolled")["값"] == "103"
    body = Client().get(URL).content.decode("utf-8-sig")
    assert ",100," not in body


def test_the_running_month_is_published_once_it_has_ended(regions, admin):
    """Last month's end (9 completed) is published, withheld against the month before it (8):
    9 − 8 would give one completion back; tonight's snapshot of this month is not published,
    so two nights of one month never give a small change back either."""
    build_cast(regions, admin)
    month_before = PUBLISHED.replace(day=1) - datetime.timedelta(days=1)
    kpi_snapshot_take(day=month_before)
    Enrollment.objects.filter(status="not_completed").update(status="completed")
    kpi_snapshot_take(day=PUBLISHED)
    Enrollment.objects.filter(status="withdrawn").update(status="completed")
    kpi_snapshot_take(day=timezone.localdate())

    rows = _rows(Client().get(URL))

    completed = _row(rows, "전국", "", "completed")
    assert completed["기준일"] == f"{PUBLISHED:%Y-%m-%d}"
    assert (completed["값"], completed["비고"]) == ("비공개", SUM_NOTE)
    rate = _row(rows, "전국", "", "completion_rate")
    assert (rate["값"], rate["비고"]) == ("", WITHHELD_NOTE)
    assert {r["기준일"] for r in rows} == {f"{PUBLISHED:%Y-%m-%d}"}
