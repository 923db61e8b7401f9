"""A declined internship frees its seat and its trainee for the next round; the placement knows
the group that ran the round, whose staff manage the internship."""

import datetime

import pytest

from itda.internships import agreements
from itda.internships.models import Placement, StartWave
from itda.matching import services
from itda.matching.selectors import round_input
from itda.matching.tests.conftest import AFTER

pytestmark = pytest.mark.django_db


def test_a_declined_internship_frees_the_seat_for_the_next_round(
    ranked_round, seoul_staff, busan_staff, company, admin
):
    round_, people, positions = (
        ranked_round["round"],
        ranked_round["people"],
        ranked_round["positions"],
    )
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    round_.refresh_from_db()
    placement = Placement.objects.get(trainee=people["t2"])  # t2 → A, A's only seat
    assert placement.operating_group == round_.operating_group
    assert not Placement.objects.visible_to(busan_staff).exists()
    StartWave.objects.create(
        programme=round_.programme,
        label="2026년 8월 2차",
        first_start=datetime.date(2026, 8, 17),
        last_start=datetime.date(2026, 8, 28),
        created_by=admin,
    )
    internship = agreements.internship_propose(
        placement=placement,
        starts_on=datetime.date(2026, 8, 17),
        ends_on=datetime.date(2026, 11, 16),
        days_per_week=5,
        hours_per_week=40,
        actor=seoul_staff,
    )
    agreements.internship_decline(internship=internship, reason="직무가 맞지 않음", actor=company)
    second = services.round_create(
        actor=seoul_staff,
        programme=round_.programme,
        operating_group=round_.operating_group,
        title="수도권 2차 연계",
        trainee_deadline=AFTER,
        company_deadline=AFTER,
        follows=round_,
    )
    data = round_input(second, today=AFTER.date())
    free = {p["id"]: p["capacity"] for p in data["positions"]}
    assert free[f"P{positions['A'].pk}"] == 1  # A's seat is free again
    assert f"T{people['t2'].pk}" in {t["id"] for t in data["trainees"]}
    transition = internship.transitions.get(new="declined")
    assert transition.note == "기업 거절: 직무가 맞지 않음"
