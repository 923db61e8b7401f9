"""Trainees rank published positions; companies rank the trainees who chose them."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.internships.models import Placement, Position
from itda.matching import services
from itda.matching.models import CompanyRanking, TraineeChoice
from itda.matching.selectors import round_input, round_trainees, skills_fit
from itda.programs.models import Company, Trainee

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def linkage(regions, trainee, company, seoul_staff):
    me = Trainee.objects.get(user=trainee)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    own = Company.objects.get(managers=company)
    positions = [
        Position.objects.create(
            company=own,
            track=regions["track"],
            title=f"포지션 {i}",
            duties="-",
            seats=1,
            region=regions["seoul"],
            site_address="-",
            mentor_name="-",
            status="published",
            required_skills=["PLC", "MES"],
            created_by=company,
        )
        for i in range(3)
    ]
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계",
        trainee_deadline=NOW + datetime.timedelta(days=3),
        company_deadline=NOW + datetime.timedelta(days=7),
        max_choices=2,
    )
    return round_, me, positions


def test_a_trainee_ranks_and_re_ranks_within_the_limit(linkage, trainee):
    round_, me, (p0, p1, p2) = linkage
    services.trainee_choices_save(
        round_=round_, trainee=me, positions=[p1, p0], actor=trainee, now=NOW
    )
    services.trainee_choices_save(
        round_=round_, trainee=me, positions=[p0, p2], actor=trainee, now=NOW
    )
    ranks = list(TraineeChoice.objects.values_list("position__title", "rank"))
    assert ranks == [("포지션 0", 1), ("포지션 2", 2)]
    with pytest.raises(services.MatchError, match="최대 2개"):
        services.trainee_choices_save(
            round_=round_, trainee=me, positions=[p0, p1, p2], actor=trainee, now=NOW
        )
    with pytest.raises(services.MatchError, match="두 번"):
        services.trainee_choices_save(
            round_=round_, trainee=me, positions=[p0, p0], actor=trainee, now=NOW
        )
    assert TraineeChoice.objects.count() == 2  # the refused attempts changed nothing


def test_the_trainee_deadline_is_kept_to_the_minute(linkage, trainee):
    round_, me, (p0, *_) = linkage
    last = round_.trainee_deadline - datetime.timedelta(minutes=1)
    services.trainee_choices_save(
        round_=round_, trainee=me, positions=[p0], actor=trainee, now=last
    )
    with pytest.raises(services.MatchError, match="마감"):
        services.trainee_choices_save(
            round_=round_, trainee=me, positions=[], actor=trainee, now=round_.trainee_deadline
        )
    assert TraineeChoice.objects.count() == 1


def test_only_trained_unplaced_trainees_of_the_round_take_part(linkage, regions, company):
    round_, me, (p0, *_) = linkage
    today = timezone.localdate(NOW)
    untrained = factories.TraineeFactory(region=regions["seoul"])
    busan = factories.TraineeFactory(region=regions["busan"])
    factories.enrollment(
        cohort=factories.cohort(group=regions["dongnam_group"], track=regions["track"], code="B1"),
        trainee=busan,
        status="completed",
    )
    assert set(round_trainees(round_, today=today)) == {me}
    assert untrained not in round_trainees(round_, today=today)
    Placement.objects.create(trainee=me, position=p0, origin="earlier", created_by=company)
    assert not round_trainees(round_, today=today).exists()


def test_a_company_ranks_only_trainees_who_chose_its_position(linkage, trainee, company, regions):
    round_, me, (p0, p1, _) = linkage
    services.trainee_choices_save(round_=round_, trainee=me, positions=[p0], actor=trainee, now=NOW)
    other = factories.TraineeFactory(region=regions["seoul"])
    services.company_ranking_save(round_=round_, position=p0, trainees=[me], actor=company, now=NOW)
    assert list(CompanyRanking.objects.values_list("trainee", "rank")) == [(me.pk, 1)]
    with pytest.raises(services.MatchError, match="지망하지 않은"):
        services.company_ranking_save(
            round_=round_, position=p0, trainees=[me, other], actor=company, now=NOW
        )
    with pytest.raises(services.MatchError, match="지망하지 않은"):
        services.company_ranking_save(
            round_=round_, position=p1, trainees=[me], actor=company, now=NOW
        )
    assert CompanyRanking.objects.count() == 1


def test_another_company_cannot_rank_or_interview(linkage, trainee, regions):
    round_, me, (p0, *_) = linkage
    services.trainee_choices_save(round_=round_, trainee=me, positions=[p0], actor=trainee, now=NOW)
    stranger = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(stranger)
    with pytest.raises(services.MatchError, match="담당자만"):
        services.company_ranking_save(
            round_=round_, position=p0, trainees=[me], actor=stranger, now=NOW
        )
    with pytest.raises(services.MatchError, match="담당자만"):
        services.interview_schedule(
            round_=round_,
            position=p0,
            trainee=me,
            scheduled_at=NOW,
            place="본사",
            actor=stranger,
        )


def test_skills_fit_names_what_matches_and_what_is_missing(linkage):
    _, _, (p0, *_) = linkage
    p0.preferred_skills = ["Python"]
    fit = skills_fit(["plc", "python", "용접"], p0)
    assert fit.matched_required == ["PLC"]
    assert fit.missing_required == ["MES"]
    assert fit.matched_preferred == ["Python"]


def test_group_staff_open_rounds_only_for_their_group(regions, busan_staff):
    with pytest.raises(services.MatchError, match="담당 사업단"):
        services.round_create(
            actor=busan_staff,
            programme=regions["programme"],
            operating_group=regions["capital_group"],
            title="x",
            trainee_deadline=NOW,
            company_deadline=NOW,
        )


def test_the_engine_input_holds_only_eligible_people_and_round_positions(
    linkage, trainee, company, regions
):
    round_, me, (p0, p1, p2) = linkage
    services.trainee_choices_save(
        round_=round_, trainee=me, positions=[p2, p0], actor=trainee, now=NOW
    )
    services.company_ranking_save(round_=round_, position=p0, trainees=[me], actor=company, now=NOW)
    p1.status = "closed"
    p1.save()
    data = round_input(round_, today=timezone.localdate(NOW))
    assert data == {
        "compatible_tracks": {"track1": ["track1"]},
        "trainees": [{"id": f"T{me.pk}", "track": "track1", "ranking": [f"P{p2.pk}", f"P{p0.pk}"]}],
        "positions": [
            {"id": f"P{p0.pk}", "track": "track1", "capacity": 1, "ranking": [f"T{me.pk}"]},
            {"id": f"P{p2.pk}", "track": "track1", "capacity": 1, "ranking": []},
        ],
    }
