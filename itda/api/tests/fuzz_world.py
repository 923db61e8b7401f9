"""A small world in which every operation of the API has something to answer: the named cast,
a published match round with an internship proposed on one of its placements, the KPI cast
(course, cohort, enrolments, placements, hiring outcomes) and payment statements of two groups.
Built from the helpers the stages' own tests use; the fuzz test (test_fuzz.py) reads it."""

from __future__ import annotations

from itda.internships import agreements
from itda.internships.models import Placement, StartWave
from itda.internships.tests.conftest import WAVE_FIRST, WAVE_LAST, propose
from itda.matching import services as matching
from itda.matching.tests.conftest import AFTER
from itda.outcomes.tests.kpi_cast import build_cast
from itda.payments.tests.money_world import AUGUST, internship_record, statement
from itda.programs.models import Company, Programme, Trainee


def build(regions, cast, ranked_round) -> dict:
    """Rows for every registry of the API; returns one visible id per path parameter."""
    admin, staff, company = cast["admin"], cast["seoul_staff"], cast["company"]
    programme = regions["programme"]
    run = matching.round_publish(
        round_=ranked_round["round"], algorithm="trainee-proposing", actor=staff, now=AFTER
    )
    Programme.objects.filter(pk=programme.pk).update(
        internship_months_max=3, internship_allowance_monthly_krw=2_000_000
    )
    StartWave.objects.create(
        programme=programme,
        label="2026년 8월 1차",
        first_start=WAVE_FIRST,
        last_start=WAVE_LAST,
        created_by=admin,
    )
    me = Trainee.objects.get(user=cast["trainee"])
    placement = Placement.objects.get(trainee=me)
    mentor, _password = agreements.mentor_create(
        company=placement.position.company,
        username="mentor1",
        name="김멘토",
        title="생산팀장",
        actor=company,
    )
    internship = propose({"placement": placement, "mentor": mentor}, staff)
    build_cast(regions, admin)
    mine = statement(
        group=regions["capital_group"],
        trainee=me,
        kind="internship_allowance",
        month=AUGUST,
        state="paid",
        record=internship_record(15),
        actor=admin,
    )
    statement(
        group=regions["capital_group"],
        company=Company.objects.get(managers=company),
        kind="wage_support",
        record=internship_record(21),
    )
    return {"round": run.round_id, "internship": internship.pk, "statement": mine.pk, "me": me}
