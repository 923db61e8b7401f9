"""A small round everyone can follow by hand, ranked and past both deadlines.

Positions (one company): A 1 seat, B 1 seat, C 3 seats, D 1 seat (nobody chooses D).
Choices: me A>B>C, t2 A, t3 B>A, t4 C, t5 none. Rankings: A t2>me, B t3, C me>t4.
Trainee-proposing: me→C (3rd choice; A filled with t2 ranked above me, B did not list me),
t2→A, t3→B, t4→C, t5 unplaced; 2 empty seats (C 1, D 1).
"""

import datetime

import pytest

from itda import factories
from itda.internships.models import Position
from itda.matching import services
from itda.matching.models import MatchRound
from itda.programs.models import Company, Trainee

NOW = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=datetime.UTC)
AFTER = NOW + datetime.timedelta(days=8)


def make_position(company_user, company, regions, title, seats):
    return Position.objects.create(
        company=company,
        track=regions["track"],
        title=title,
        duties="-",
        seats=seats,
        region=regions["seoul"],
        site_address="-",
        mentor_name="-",
        status="published",
        created_by=company_user,
    )


@pytest.fixture
def ranked_round(regions, trainee, company, seoul_staff):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    me = Trainee.objects.get(user=trainee)
    people = {"me": me}
    for i in range(2, 6):
        user = factories.user(username=f"t{i}", role="trainee")
        people[f"t{i}"] = factories.TraineeFactory(region=regions["seoul"], user=user)
    for person in people.values():
        factories.enrollment(cohort=cohort, trainee=person, status="completed")
    own = Company.objects.get(managers=company)
    positions = {
        name: make_position(company, own, regions, f"포지션 {name}", seats)
        for name, seats in (("A", 1), ("B", 1), ("C", 3), ("D", 1))
    }
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계",
        trainee_deadline=NOW + datetime.timedelta(days=3),
        company_deadline=NOW + datetime.timedelta(days=7),
    )
    for who, names in (("me", "ABC"), ("t2", "A"), ("t3", "BA"), ("t4", "C")):
        person = people[who]
        services.trainee_choices_save(
            round_=round_,
            trainee=person,
            positions=[positions[n] for n in names],
            actor=person.user,
            now=NOW,
        )
    for name, order in (("A", ["t2", "me"]), ("B", ["t3"]), ("C", ["me", "t4"])):
        services.company_ranking_save(
            round_=round_,
            position=positions[name],
            trainees=[people[w] for w in order],
            actor=company,
            now=NOW,
        )
    return {"round": round_, "people": people, "positions": positions}


def past_deadlines(round_: MatchRound) -> MatchRound:
    """Move both deadlines into the past, for pages that use the real clock."""
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    MatchRound.objects.filter(pk=round_.pk).update(trainee_deadline=past, company_deadline=past)
    round_.refresh_from_db()
    return round_
