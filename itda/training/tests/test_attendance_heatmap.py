"""출결 현황: a cohort's sessions × trainees as a heat map whose cells are the attendance rows
(a session that ended with no row reads 결석, one not yet held 예정), each row's rate over the
sessions held so far, another group's staff refused, and every look logged (issue 15)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.training.models import Attendance

pytestmark = pytest.mark.django_db


def _cells(html: str) -> dict:
    """{(masked name, session number): (state class, the cell's text)} of the heat map."""
    cells = {}
    for row in re.findall(r'<tr data-testid="heat-row">(.*?)</tr>', html, re.S):
        name = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row)[1]
        for key, number, text in re.findall(
            r'<td class="itda-heat-cell is-(\w+)" data-session="(\d+)">(.*?)</td>', row
        ):
            cells[(name, int(number))] = (key, re.sub(r"<[^>]+>", " ", text).split())
    return cells


def test_the_cells_are_the_attendance_rows_and_the_rates_count_held_sessions(
    client, login_as, seoul_staff, running_cohort
):
    login_as(seoul_staff)
    url = f"/training/cohorts/{running_cohort['cohort'].pk}/attendance/"
    html = client.get(url).content.decode()
    cells = _cells(html)
    # Every recorded row is its cell, in colour class and word.
    labels = {"present": "출석", "late": "지각", "excused": "공결"}
    for record in Attendance.objects.select_related("enrollment__trainee", "session"):
        name = record.enrollment.trainee.name[0] + "*" + record.enrollment.trainee.name[2:]
        key, words = cells[(name, record.session.number)]
        assert key == record.status and labels[record.status] in words
    assert len(cells) == 2 * 4
    # No row for a session that ended: 결석, with its symbol, not only a colour.
    assert cells[("김*람", 3)] == ("absent", ["✕", "결석"])
    # Not held yet: no absence.
    assert cells[("김*람", 4)][0] == cells[("이*래", 4)][0] == "upcoming"
    assert 'data-testid="held">3<' in html
    # Rates over the three held sessions: 2/3 misses the 80 % rule, 3/3 (공결 counts) meets it.
    rates = re.findall(r'data-testid="heat-rate">(.*?)</td>', html)
    assert "(2/3)" in rates[0] and "기준 미달" in rates[0]
    assert "(3/3)" in rates[1] and "기준 미달" not in rates[1]
    assert '<th scope="row" class="itda-heat-name">' in html and "김가람" not in html
    # The rule the rates are held against is stated (with its origin where one is registered).
    assert "수료 기준 80.00% 이상" in html
    # Reached from the cohort's page.
    cohort_page = client.get(f"/training/cohorts/{running_cohort['cohort'].pk}/").content.decode()
    assert url in cohort_page


def test_the_look_is_logged_and_another_region_is_refused(
    client, login_as, seoul_staff, busan_staff, trainee, running_cohort
):
    url = f"/training/cohorts/{running_cohort['cohort'].pk}/attendance/"
    login_as(seoul_staff)
    assert client.get(url).status_code == 200
    log = PersonalDataAccess.objects.get(actor=seoul_staff)
    assert log.action == "list" and log.subject_type == "training.enrollment"
    assert sorted(log.subject_ids) == sorted(e.pk for e in running_cohort["people"].values())
    client.logout()
    login_as(busan_staff)
    response = client.get(url)
    assert response.status_code == 404 and "이*래" not in response.content.decode()
    client.logout()
    login_as(trainee)
    assert client.get(url).status_code == 403
    assert not PersonalDataAccess.objects.exclude(actor=seoul_staff).filter(action="list").exists()


def test_the_queries_do_not_grow_with_the_class(
    client, login_as, seoul_staff, regions, running_cohort
):
    login_as(seoul_staff)
    url = f"/training/cohorts/{running_cohort['cohort'].pk}/attendance/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(3):
        trainee = factories.TraineeFactory(region=regions["seoul"])
        row = factories.enrollment(cohort=running_cohort["cohort"], trainee=trainee)
        factories.attendance(enrollment=row, session=running_cohort["sessions"][i], status="late")
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert html.count('data-testid="heat-row"') == 5
    assert len(after) == len(before)
