"""Attendance money mid-course (issue 11 §3): on day 11 of 20, with two sessions a day, the
trainee sees the rate over the sessions held so far, counted in 차시, the allowance as 진행 중
with what attending the rest would give, and the period's real last day; approving an
attendance correction moves the allowance shown at once, in the decision's transaction."""

import io
from html import unescape

import pytest
from django.test import Client
from openpyxl import load_workbook

from itda import factories
from itda.payments import services
from itda.payments.models import AllowanceLine, AllowanceRun
from itda.programs.models import Trainee
from itda.training.attendance import correction_request
from itda.training.models import Attendance, AttendanceCorrection

from .conftest import record

pytestmark = pytest.mark.django_db

IN_PROGRESS = "진행 중 — 기간 종료 후 확정"


@pytest.fixture
def day_eleven(cast, regions, allowance_rule):
    """Ten days held of twenty, two sessions a day (20 of 40 held); the cast's trainee attended
    19 of the 20 held (the last one missed) and the allowance was computed this morning."""
    cohort, sessions = factories.running_cohort(
        group=regions["capital_group"],
        track=regions["track"],
        days_held=10,
        days_left=10,
        per_day=2,
    )
    enrollment = factories.enrollment(
        cohort=cohort, trainee=Trainee.objects.get(user=cast["trainee"])
    )
    record(enrollment, sessions, ["present"] * 19)
    services.allowance_compute()
    return cohort, sessions, enrollment


def _page(client, url) -> str:
    return unescape(client.get(url).content.decode())


def test_mid_course_the_trainee_sees_the_rate_over_sessions_held_in_차시_and_진행_중(
    cast, login_as, day_eleven
):
    cohort, _, enrollment = day_eleven
    client = login_as(cast["trainee"], Client())
    html = _page(client, "/allowances/me/")
    assert f'data-testid="amount">{IN_PROGRESS}' in html
    assert 'data-testid="rate">95.00%' in html  # 19 of the 20 held, not 19 of 40
    assert "출석 인정 19 / 지난 20차시 (전체 40차시)" in html
    assert "남은 20차시를 모두 출석하면 출석 인정 39차시 / 40차시 = 97.5% → 400,000원" in html
    # The period ends on the cohort's last day, shown as itself.
    last = cohort.ends_on
    assert f"{cohort.starts_on.month}/{cohort.starts_on.day}~{last.month}/{last.day}</h2>" in html
    # The rule's own wording ("미만 미지급") stays; no verdict is drawn from it yet.
    for wrong in ("→ 미지급", "47.5%", ">0원", "훈련일", "전일"):
        assert wrong not in html, wrong

    training = _page(client, "/trainee/training/")
    assert f'data-testid="allowance-amount">{IN_PROGRESS}' in training
    assert "출석 인정 19 / 지난 20차시 = 95.00%" in training
    assert "출석 인정 19차시 ÷ 지난 차시 20차시 = 95.00%" in training
    assert "남은 20차시를 모두 출석하면 출석 인정 39 / 40차시 = 97.50%, 수료 기준 80.00% 이상" in (
        training
    )
    assert "→ 미지급" not in training and ">0원" not in training


def test_staff_pages_show_a_running_cohort_as_진행_중_never_as_0원(cast, login_as, day_eleven):
    cohort, _, enrollment = day_eleven
    line = AllowanceLine.objects.get(enrollment=enrollment)
    client = login_as(cast["seoul_staff"], Client())
    html = _page(client, f"/allowances/cohorts/{cohort.pk}/")
    assert f'data-testid="amount-{line.pk}"><strong>{IN_PROGRESS}' in html
    assert "19 / 지난 20차시" in html
    assert "지금까지 출석 인정 19차시 / 지난 20차시 = 95%" in html
    assert "→ 미지급" not in html and ">0원" not in html
    overview = _page(client, "/allowances/")
    assert f'data-testid="total-{cohort.pk}">{IN_PROGRESS}' in overview
    assert "(진행 중 1건)" in overview


def test_the_export_leaves_a_running_periods_amount_empty(cast, login_as, day_eleven):
    cohort, *_ = day_eleven
    client = login_as(cast["seoul_staff"], Client())
    response = client.post(f"/allowances/cohorts/{cohort.pk}/export/", {"reason": "중간 점검"})
    header, row = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )[:2]
    cells = dict(zip(header, row, strict=True))
    assert cells["단위기간"] == f"{cohort.starts_on:%Y-%m-%d}~{cohort.ends_on:%Y-%m-%d}"
    assert (cells["훈련 차시"], cells["지난 차시"], cells["출석 인정 차시"]) == (40, 20, 19)
    assert cells["산정액(원)"] is None
    assert cells["산정 근거"].startswith(IN_PROGRESS)


def test_approving_a_correction_moves_the_allowance_shown_without_a_recompute(
    cast, login_as, day_eleven
):
    cohort, sessions, enrollment = day_eleven
    missed = sessions[19]  # yesterday afternoon's session, no record: an absence
    correction = correction_request(
        enrollment=enrollment,
        session=missed,
        requested_status="excused",
        reason="illness",
        explanation="병원 진료",
        actor=cast["trainee"],
    )
    trainee = login_as(cast["trainee"], Client())
    assert "출석 인정 19 / 지난 20차시" in _page(trainee, "/allowances/me/")

    staff = login_as(cast["seoul_staff"], Client())
    detail = _page(staff, f"/training/corrections/{correction.pk}/")
    assert f'action="/training/corrections/{correction.pk}/decide/"' in detail
    response = staff.post(f"/training/corrections/{correction.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    assert Attendance.objects.get(enrollment=enrollment, session=missed).status == "excused"

    html = _page(trainee, "/allowances/me/")
    assert "출석 인정 20 / 지난 20차시 (전체 40차시)" in html
    assert 'data-testid="rate">100.00%' in html
    assert "남은 20차시를 모두 출석하면 출석 인정 40차시 / 40차시 = 100% → 400,000원" in html
    # Recomputed by the approval itself, recorded as the deciding staff member's run.
    assert AllowanceLine.objects.get(enrollment=enrollment).run.created_by == cast["seoul_staff"]


def test_a_rejection_leaves_the_allowance_alone(cast, day_eleven, seoul_staff):
    _, sessions, enrollment = day_eleven
    correction = correction_request(
        enrollment=enrollment,
        session=sessions[19],
        requested_status="excused",
        reason="illness",
        explanation="병원 진료",
        actor=cast["trainee"],
    )
    runs = AllowanceRun.objects.count()
    services.correction_settle(
        correction=correction, approve=False, note="증빙 없음", actor=seoul_staff
    )
    assert AllowanceRun.objects.count() == runs
    assert AllowanceLine.objects.get(enrollment=enrollment).credited == 19


def test_the_approval_and_the_recompute_stand_or_fall_together(
    cast, day_eleven, seoul_staff, monkeypatch
):
    _, sessions, enrollment = day_eleven
    correction = correction_request(
        enrollment=enrollment,
        session=sessions[19],
        requested_status="excused",
        reason="illness",
        explanation="병원 진료",
        actor=cast["trainee"],
    )

    def broken(**kwargs):
        raise RuntimeError("computation failed")

    monkeypatch.setattr(services, "allowance_compute", broken)
    with pytest.raises(RuntimeError):
        services.correction_settle(correction=correction, approve=True, note="", actor=seoul_staff)
    assert AttendanceCorrection.objects.get(pk=correction.pk).status == "pending"
    assert not Attendance.objects.filter(enrollment=enrollment, session=sessions[19]).exists()
