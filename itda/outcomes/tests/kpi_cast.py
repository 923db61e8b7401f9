"""The issue's hand-built cast for the KPIs, in the real tables of 수도권 사업단 (the reference
world's capital group): 10 trainees apply to its Track 1 call, all are selected and enrolled;
8 complete, 1 drops out (중도포기), 1 does not complete; 6 of the 8 completed are placed; 5
internships are completed and 1 still runs (the intern is still subsidised); 4 are reported
hired at 3 months — the still-subsidised one among them, so 3 count — and 2 of those 3 are
still hired at 6 months. The host is a smart-factory company in the 시·도's test complex.

Hand-computed: 수료율 8/10 = 80.0%, 중도탈락률 1/10 = 10.0%, 연계율 6/8 = 75.0%,
3개월 취업률 3/8 = 37.5%, 6개월 취업률 2/8 = 25.0%, 유지취업률 2/3 = 66.7%.

Noise the counts must not see: a second (distinct) call application of one trainee, a
waitlisted enrolment, a cancelled placement, an unverified hire. Rows go straight into the
tables (the stages' services are tested on their own)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from itda import factories
from itda.accounts.models import User
from itda.internships.models import HiringOutcome, Internship, Placement, Position, StartWave
from itda.programs.models import IndustrialComplex, Trainee
from itda.recruitment.models import Application
from itda.recruitment.snapshots import profile_snapshot

END = datetime.date(2026, 10, 31)


def _internship(placement, state: str, actor: User, wave) -> Internship:
    return Internship.objects.create(
        placement=placement,
        programme=wave.programme,
        wave=wave,
        starts_on=datetime.date(2026, 8, 3),
        ends_on=END if state != "active" else datetime.date(2027, 1, 31),
        workplace="서울 구로구",
        payee="intern",
        state=state,
        proposed_by=actor,
    )


def _outcome(internship, checkpoint: str, actor, *, hired_on=END, status="verified"):
    return HiringOutcome.objects.create(
        internship=internship,
        checkpoint=checkpoint,
        kind="hired_host",
        employment_type="regular",
        wage_band="220to250",
        hired_on=hired_on,
        reported_by=actor,
        reported_party="group",
        reported_at=timezone.now(),
        status=status,
        verified_by=actor if status == "verified" else None,
        verified_at=timezone.now() if status == "verified" else None,
    )


def build_cast(regions, actor: User, *, group=None, region=None, n=10) -> list[Trainee]:
    """The cast in ``group`` (default 수도권 사업단), trainees living in ``region`` (서울)."""
    group = group or regions["capital_group"]
    region = region or regions["seoul"]
    programme, track = regions["programme"], regions["track"]
    call = factories.call(programme=programme, kind="trainee", track=track, operating_group=group)
    other_call = factories.call(
        programme=programme, kind="trainee", track=track, operating_group=group, title="2차"
    )
    cohort = factories.cohort(group=group, track=track, code=f"CAST-{group.pk}")
    people = [factories.TraineeFactory(region=region) for _ in range(n)]
    statuses = ["completed"] * 8 + ["withdrawn", "not_completed"]
    for person, status in zip(people, statuses, strict=True):
        application = factories.application(call=call, trainee=person, result="selected")
        factories.enrollment(cohort=cohort, trainee=person, application=application, status=status)
    Application.objects.create(  # the same person again: counted once
        call=other_call,
        trainee=people[0],
        region=region,
        applicant_key=f"again:{people[0].pk}",
        receipt_number=f"AGAIN-{people[0].pk}",
        status="submitted",
        submitted_at=timezone.now(),
        profile_snapshot=profile_snapshot(trainee=people[0]),
        created_by=actor,
    )
    waiting = factories.TraineeFactory(region=region)
    factories.enrollment(cohort=cohort, trainee=waiting, status="waitlisted", waitlist_position=1)

    complex_, _ = IndustrialComplex.objects.get_or_create(
        name=f"{region.short_name} 테스트 국가산업단지",
        defaults={"kind": "national", "region": region},
    )
    company = factories.CompanyFactory(region=region, complex=complex_)
    position = Position.objects.create(
        company=company,
        track=track,
        title="설비 운영 인턴",
        duties="-",
        seats=10,
        region=region,
        site_address="서울 구로구",
        mentor_name="-",
        status="published",
        created_by=actor,
    )
    wave, _ = StartWave.objects.get_or_create(
        programme=programme,
        label="2026년 8월 1차",
        defaults={
            "first_start": datetime.date(2026, 8, 3),
            "last_start": datetime.date(2026, 8, 14),
            "created_by": actor,
        },
    )

    def placement(person, state="started"):
        return Placement.objects.create(
            trainee=person,
            position=position,
            state=state,
            origin="test",
            operating_group=group,
            created_by=actor,
        )

    placement(people[6], state="cancelled")  # declined: not 연계
    internships = [
        _internship(placement(p, "ended" if i < 5 else "started"), "completed", actor, wave)
        if i < 5
        else _internship(placement(p), "active", actor, wave)
        for i, p in enumerate(people[:6])
    ]
    # Hired at 3 months: three after completed internships (one hired on paper inside the
    # internship, which counts from the day after its end) and the still-running one.
    _outcome(internships[0], "month_3", actor)
    _outcome(internships[1], "month_3", actor, hired_on=datetime.date(2026, 10, 1))
    _outcome(internships[2], "month_3", actor)
    _outcome(internships[5], "month_3", actor, hired_on=datetime.date(2026, 9, 1))
    _outcome(internships[3], "month_3", actor, status="reported")  # not verified: not counted
    _outcome(internships[0], "month_6", actor)
    _outcome(internships[1], "month_6", actor)
    return people
