"""Allowance pages: staff of the cohort's group see the amounts with their arithmetic, compute
and export them (with a reason, masked, logged); other regions get a 404; the trainee sees only
their own, with what the rest of the month can still change."""

import datetime
import io
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.payments.models import AllowanceLine
from itda.payments.services import allowance_compute
from itda.programs.models import Trainee

from .conftest import AFTER, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(cast, regions, july_cohort):
    """The cast's trainee (Seoul) at 17 of 20 days and a stranger at 15, computed after July."""
    cohort, sessions = july_cohort
    mine = factories.enrollment(cohort=cohort, trainee=Trainee.objects.get(user=cast["trainee"]))
    other = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"], name="김다른")
    )
    record(mine, sessions, ["present"] * 17)
    record(other, sessions, ["present"] * 15)
    allowance_compute(as_of=AFTER)
    return cohort, mine, other


def test_group_staff_see_each_amount_with_its_arithmetic_and_the_view_is_logged(
    cast, login_as, computed
):
    cohort, mine, other = computed
    client = login_as(cast["seoul_staff"], Client())
    html = unescape(
        client.get(reverse("payments:cohort_detail", args=[cohort.pk])).content.decode()
    )
    assert "출석 인정 17차시 / 훈련 20차시 = 85% ≥ 80% → 400,000원" in html
    assert "출석 인정 15차시 / 훈련 20차시 = 75% < 80% → 미지급 0원" in html
    # The month's last day is shown as itself (the stored end is the day after).
    assert "7/1~7/31" in html and "8/1" not in html and "전일" not in html
    assert "김다른" not in html and "김*른" in html  # masked in the list
    log = PersonalDataAccess.objects.get(subject_type="payments.allowanceline")
    assert (log.actor, log.action) == (cast["seoul_staff"], "list")
    assert sorted(log.subject_ids) == sorted(AllowanceLine.objects.values_list("pk", flat=True))


def test_another_regions_staff_get_a_404_and_other_roles_a_403(cast, login_as, computed):
    cohort, *_ = computed
    url = reverse("payments:cohort_detail", args=[cohort.pk])
    busan = login_as(cast["busan_staff"], Client())
    assert busan.get(url).status_code == 404
    assert busan.post(reverse("payments:cohort_compute", args=[cohort.pk])).status_code == 404
    for role in ("company", "evaluator", "trainee"):
        assert login_as(cast[role], Client()).get(url).status_code == 403, role
    overview = busan.get(reverse("payments:overview"))
    assert f"total-{cohort.pk}" not in overview.content.decode()


def test_the_compute_button_writes_the_cohorts_lines(cast, login_as, regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 20)
    client = login_as(cast["seoul_staff"], Client())
    response = client.post(reverse("payments:cohort_compute", args=[cohort.pk]), follow=True)
    assert "신규 1건" in response.content.decode()
    line = AllowanceLine.objects.get()
    assert (line.enrollment, line.amount_krw, line.run.created_by) == (
        enrollment,
        400_000,
        cast["seoul_staff"],
    )


def test_the_export_needs_a_reason_is_masked_and_logged(cast, login_as, computed):
    cohort, *_ = computed
    client = login_as(cast["seoul_staff"], Client())
    url = reverse("payments:cohort_export", args=[cohort.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not PersonalDataAccess.objects.filter(action="export").exists()
    response = client.post(url, {"reason": "8월 훈련수당 지급 준비"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:] if row and row[0]}
    assert "김*른" in names and "김다른" not in names
    assert any(row[8] == 400_000 and "85% ≥ 80%" in row[10] for row in rows[1:] if row[0])
    log = PersonalDataAccess.objects.get(action="export")
    assert log.reason == "8월 훈련수당 지급 준비 [마스킹]"
    assert len(log.subject_ids) == 2


def test_the_trainee_sees_their_own_amount_and_what_is_left(cast, login_as, regions, computed):
    cohort, mine, other = computed
    # Recompute mid-month so the projection has days left.
    AllowanceLine.objects.all().delete()
    allowance_compute(as_of=datetime.datetime(2026, 7, 10, 20, 0, tzinfo=factories.KST))
    client = login_as(cast["trainee"], Client())
    html = unescape(client.get(reverse("payments:my_allowance")).content.decode())
    assert "남은 10차시를 모두 출석하면 출석 인정 20차시 / 20차시 = 100% → 400,000원" in html
    # 10 credited + 10 left = 20; 16 pay in full, so 4 may be missed.
    assert "4차시까지 빠져도 전액이고, 5차시 빠지면 80% 미만" in html
    assert html.count('data-testid="amount"') == 1  # not the other trainee's line
    assert "내 훈련수당" in html  # the nav item
    log = PersonalDataAccess.objects.get(subject_type="payments.allowanceline")
    assert log.subject_ids == [AllowanceLine.objects.get(enrollment=mine).pk]


def test_my_training_page_shows_the_allowance_so_far_and_what_is_left(cast, login_as, computed):
    cohort, mine, other = computed
    AllowanceLine.objects.all().delete()
    allowance_compute(as_of=datetime.datetime(2026, 7, 10, 20, 0, tzinfo=factories.KST))
    client = login_as(cast["trainee"], Client())
    html = unescape(client.get("/trainee/training/").content.decode())
    line = AllowanceLine.objects.get(enrollment=mine)
    assert 'data-testid="allowance-amount">진행 중 — 기간 종료 후 확정' in html
    assert "남은 10차시를 모두 출석하면 출석 인정 20차시 / 20차시 = 100% → 400,000원" in html
    assert html.count('data-testid="allowance-amount"') == 1  # not the other trainee's line
    log = PersonalDataAccess.objects.get(subject_type="payments.allowanceline")
    assert log.subject_ids == [line.pk]


def test_the_overview_totals_per_cohort_in_constant_queries(cast, login_as, regions, computed):
    cohort, *_ = computed
    client = login_as(cast["seoul_staff"], Client())
    url = reverse("payments:overview")
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert "400,000원" in html and "훈련수당" in html
    for number in (2, 3):
        more = factories.cohort(
            group=regions["capital_group"], track=regions["track"], number=number
        )
        factories.enrollment(cohort=more, trainee=factories.TraineeFactory(region=regions["seoul"]))
    allowance_compute(as_of=AFTER)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_the_cohort_page_runs_a_constant_number_of_queries(cast, login_as, regions, computed):
    cohort, *_ = computed
    client = login_as(cast["seoul_staff"], Client())
    url = reverse("payments:cohort_detail", args=[cohort.pk])
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _ in range(3):
        factories.enrollment(
            cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
        )
    allowance_compute(as_of=AFTER)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert html.count('data-testid="amount-') == 5
    assert len(five) == len(two)
