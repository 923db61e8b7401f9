"""An early-ended internship frees its seat for the next round (through the real round code),
the placement that takes it is linked as its replacement, and the chain reads both ways; a
completed internship keeps its seat."""

import datetime

import pytest

from itda.internships import agreements, ending
from itda.internships.models import Placement, Replacement, StartWave
from itda.internships.services import placements_create
from itda.internships.tests.ojt_world import approve_every_month
from itda.matching import services
from itda.matching.selectors import round_input
from itda.matching.tests.conftest import AFTER

pytestmark = pytest.mark.django_db

SECOND = datetime.datetime(2026, 9, 7, 10, 0, tzinfo=datetime.UTC)


def _published_internship(ranked_round, seoul_staff, company, admin):
    """Round 1 published (t2 → A, A's only seat) and t2's internship accepted by all three."""
    round_, people = ranked_round["round"], ranked_round["people"]
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    StartWave.objects.create(
        programme=round_.programme,
        label="2026년 8월 2차",
        first_start=datetime.date(2026, 8, 17),
        last_start=datetime.date(2026, 8, 28),
        created_by=admin,
    )
    mentor, _ = agreements.mentor_create(
        company=ranked_round["positions"]["A"].company,
        username="mentor_a",
        name="김멘토",
        actor=company,
    )
    internship = agreements.internship_propose(
        placement=Placement.objects.get(trainee=people["t2"]),
        starts_on=datetime.date(2026, 8, 17),
        ends_on=datetime.date(2026, 11, 16),
        days_per_week=5,
        hours_per_week=40,
        mentor=mentor,
        actor=seoul_staff,
    )
    for person in (company, people["t2"].user, seoul_staff):
        agreements.internship_accept(internship=internship, version=1, actor=person)
    internship.refresh_from_db()
    assert internship.state == "active"
    return internship


def _second_round(round_, seoul_staff):
    round_.refresh_from_db()
    return services.round_create(
        actor=seoul_staff,
        programme=round_.programme,
        operating_group=round_.operating_group,
        title="수도권 2차 연계",
        trainee_deadline=SECOND + datetime.timedelta(days=2),
        company_deadline=SECOND + datetime.timedelta(days=4),
        follows=round_,
    )


def test_an_early_end_frees_the_seat_and_the_next_round_replaces_it(
    ranked_round, seoul_staff, company, admin
):
    people, positions = ranked_round["people"], ranked_round["positions"]
    internship = _published_internship(ranked_round, seoul_staff, company, admin)
    second = _second_round(ranked_round["round"], seoul_staff)
    seat = f"P{positions['A'].pk}"
    before = {p["id"] for p in round_input(second, today=SECOND.date())["positions"]}
    assert seat not in before  # A's one seat is taken while t2 works there

    ending.internship_end_early(
        internship=internship,
        kind="intern_quit",
        last_day=datetime.date(2026, 9, 4),
        reason="개인 사정",
        actor=seoul_staff,
        today=datetime.date(2026, 9, 4),
    )
    data = round_input(second, today=SECOND.date())
    assert {p["id"]: p["capacity"] for p in data["positions"]}[seat] == 1

    t5 = people["t5"]
    services.trainee_choices_save(
        round_=second, trainee=t5, positions=[positions["A"]], actor=t5.user, now=SECOND
    )
    services.company_ranking_save(
        round_=second, position=positions["A"], trainees=[t5], actor=company, now=SECOND
    )
    services.round_publish(
        round_=second,
        algorithm="trainee-proposing",
        actor=seoul_staff,
        now=SECOND + datetime.timedelta(days=5),
    )
    new = Placement.objects.get(trainee=t5, state="assigned")
    assert new.position == positions["A"]
    link = Replacement.objects.get()
    assert (link.ended, link.placement) == (internship, new)
    chain = ending.replacement_chain(internship)
    assert [(c.placement, c.internship) for c in chain] == [
        (internship.placement, internship),
        (new, None),  # no agreement proposed yet
    ]
    assert [c.placement for c in ending.replacement_chain_from(new)] == [internship.placement, new]
    assert not ending.waiting_for_replacement(seoul_staff).exists()


def test_a_chain_runs_through_two_dropouts(ranked_round, seoul_staff, company, admin, regions):
    people, positions = ranked_round["people"], ranked_round["positions"]
    first = _published_internship(ranked_round, seoul_staff, company, admin)
    ending.internship_end_early(
        internship=first,
        kind="company_ended",
        last_day=datetime.date(2026, 8, 31),
        reason="직무 부적합",
        actor=seoul_staff,
        today=datetime.date(2026, 9, 1),
    )
    (second,) = placements_create(
        actor=admin,
        pairs=[(people["t5"].pk, positions["A"].pk)],
        origin="match-round:9 match-run:9 (test)",
        operating_group=regions["capital_group"],
    )
    assert list(ending.waiting_for_replacement(seoul_staff)) == []
    internship = agreements.internship_propose(
        placement=second,
        starts_on=datetime.date(2026, 8, 24),
        ends_on=datetime.date(2026, 10, 31),
        days_per_week=5,
        hours_per_week=40,
        mentor=first.mentor,
        actor=seoul_staff,
    )
    for person in (company, people["t5"].user, seoul_staff):
        agreements.internship_accept(internship=internship, version=1, actor=person)
    ending.internship_end_early(
        internship=internship,
        kind="other",
        last_day=datetime.date(2026, 9, 10),
        reason="군 입대",
        actor=seoul_staff,
        today=datetime.date(2026, 9, 10),
    )
    assert list(ending.waiting_for_replacement(seoul_staff)) == [internship]
    (third,) = placements_create(
        actor=admin,
        pairs=[(people["t2"].pk, positions["A"].pk)],
        origin="match-round:10 match-run:10 (test)",
        operating_group=regions["capital_group"],
    )
    holders = [c.placement for c in ending.replacement_chain(internship)]
    assert holders == [first.placement, second, third]
    assert [c.placement for c in ending.replacement_chain(first)] == holders
    rows = list(ending.replacements_for(seoul_staff))
    assert [(r.ended, r.placement) for r in rows] == [(first, second), (internship, third)]


def test_a_completed_internship_keeps_its_seat(ranked_round, seoul_staff, company, admin):
    internship = _published_internship(ranked_round, seoul_staff, company, admin)
    intern = ranked_round["people"]["t2"].user
    approve_every_month(internship, intern, internship.mentor.user, seoul_staff)
    ending.internship_complete(
        internship=internship, actor=seoul_staff, today=datetime.date(2026, 11, 16)
    )
    second = _second_round(ranked_round["round"], seoul_staff)
    seats = {p["id"] for p in round_input(second, today=SECOND.date())["positions"]}
    assert f"P{ranked_round['positions']['A'].pk}" not in seats
    # The intern is free to be placed again (the placement ended), the seat is not.
    trainees = {t["id"] for t in round_input(second, today=SECOND.date())["trainees"]}
    assert f"T{ranked_round['people']['t2'].pk}" in trainees
    assert not Replacement.objects.exists()
