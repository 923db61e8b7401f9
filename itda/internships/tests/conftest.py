"""One placement of the capital group's round, ready for its agreement: trainee (the cast's)
at the cast company's published position, a start wave 2026-08-03~08-14, one mentor."""

import datetime

import pytest

from itda.internships import agreements, ojt
from itda.internships.models import Position, StartWave
from itda.internships.services import placements_create
from itda.programs.models import Company, Programme, Trainee

WAVE_FIRST = datetime.date(2026, 8, 3)
WAVE_LAST = datetime.date(2026, 8, 14)


def make_position(company_user, region, track, title="설비 운영 인턴", seats=1) -> Position:
    return Position.objects.create(
        company=Company.objects.get(managers=company_user),
        track=track,
        title=title,
        duties="-",
        seats=seats,
        region=region,
        site_address="서울 구로구 디지털로 1",
        mentor_name="-",
        status="published",
        created_by=company_user,
    )


def place(trainee, position, *, group, actor):
    (placement,) = placements_create(
        actor=actor,
        pairs=[(trainee.pk, position.pk)],
        origin="match-round:1 match-run:1 (test)",
        operating_group=group,
    )
    return placement


@pytest.fixture
def setup(regions, admin, company, trainee, seoul_staff):
    Programme.objects.filter(pk=regions["programme"].pk).update(
        internship_months_max=3, internship_allowance_monthly_krw=2_000_000
    )
    regions["programme"].refresh_from_db()
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 8월 1차",
        first_start=WAVE_FIRST,
        last_start=WAVE_LAST,
        created_by=admin,
    )
    position = make_position(company, regions["seoul"], regions["track"])
    placement = place(
        Trainee.objects.get(user=trainee), position, group=regions["capital_group"], actor=admin
    )
    mentor, _password = agreements.mentor_create(
        company=position.company, username="mentor1", name="김멘토", title="생산팀장", actor=company
    )
    return {"position": position, "placement": placement, "mentor": mentor}


def propose(setup, staff, **overrides):
    terms = {
        "placement": setup["placement"],
        "starts_on": WAVE_FIRST,
        "ends_on": datetime.date(2026, 10, 31),
        "days_per_week": 5,
        "hours_per_week": 40,
        "mentor": setup["mentor"],
    }
    return agreements.internship_propose(actor=staff, **(terms | overrides))


# --- Track 1 (OJT) monthly reports (helpers in ojt_world.py) ------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Set the day the services and pages see: ``clock(datetime.date(...))``."""

    def set_day(day: datetime.date):
        monkeypatch.setattr(ojt, "today", lambda: day)

    set_day(datetime.date(2026, 12, 1))
    return set_day


@pytest.fixture
def ojt_internship(setup, seoul_staff, company, trainee):
    """The conftest's placement agreed by all three: 2026-08-03 ~ 10-31, five days a week."""
    from itda.internships.tests.ojt_world import activate

    return activate(setup, seoul_staff, company, trainee)


@pytest.fixture
def mentor(setup):
    """The internship's mentor account, with the cast's password (login_as works)."""
    from itda import factories

    user = setup["mentor"].user
    user.set_password(factories.PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def pbl_active(setup, seoul_staff, company, trainee, settings, tmp_path):
    """The placement on a Track 2 (PBL) position, its agreement in force; uploaded files go to
    the test's own folder."""
    from itda.internships.tests.pbl_support import pbl_internship  # it imports this module

    settings.MEDIA_ROOT = tmp_path
    return pbl_internship(setup, seoul_staff, company, trainee)


def more_internships(setup, staff, company, admin, regions, n, *, mentor=None) -> list:
    """``n`` more proposed internships, each at a new position of the cast company."""
    from itda import factories

    made = []
    for i in range(n):
        person = factories.TraineeFactory(region=regions["seoul"])
        position = make_position(company, regions["seoul"], regions["track"], title=f"추가 {i}")
        placement = place(person, position, group=regions["capital_group"], actor=admin)
        made.append(propose(setup | {"placement": placement}, staff, mentor=mentor))
    return made
