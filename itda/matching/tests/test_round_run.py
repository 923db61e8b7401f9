"""Staff run a round: a dry run compares the algorithms and stores nothing; publishing freezes
the input, places the assigned trainees once, and anyone can recompute the same assignment."""

import hashlib
import json

import pytest
from django.test import Client
from django.utils import timezone

from itda.accounts.models import PersonalDataAccess
from itda.internships.models import Placement
from itda.matching import services
from itda.matching.engine import solve_json
from itda.matching.models import MatchRun, RoundStatus
from itda.matching.selectors import round_input
from itda.matching.tests.conftest import AFTER, NOW, past_deadlines

pytestmark = pytest.mark.django_db


def _pk(key: str) -> int:
    return int(key[1:])


def test_a_dry_run_compares_the_three_algorithms_and_stores_nothing(ranked_round, seoul_staff):
    dry = services.round_dry_run(
        round_=ranked_round["round"], actor=seoul_staff, today=AFTER.date()
    )
    runs = {r["algorithm"]: r["stats"] for r in dry["runs"]}
    assert set(runs) == {"trainee-proposing", "position-proposing", "fill-seats"}
    stats = runs["trainee-proposing"]
    assert (stats["trainees"], stats["placed"], stats["unplaced"]) == (5, 4, 1)
    assert stats["unplaced_without_choices"] == 1
    assert stats["unplaced_by_region"] == [("서울특별시", 1)]
    assert stats["match_rank"] == [(1, 3), (3, 1)]
    assert (stats["seats"], stats["empty_seats"]) == (6, 2)
    assert stats["empty_by_region_track"] == [("서울특별시", "Track1 테스트", 2)]
    assert stats["blocking_pairs"] == 0
    assert len(dry["input_sha256"]) == 64
    assert not MatchRun.objects.exists() and not Placement.objects.exists()


def test_publishing_freezes_the_input_places_trainees_and_reproduces(ranked_round, seoul_staff):
    round_, people, positions = (
        ranked_round["round"],
        ranked_round["people"],
        ranked_round["positions"],
    )
    run = services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED and round_.published_run == run
    # The stored bytes are the input: their sha256 is the run's, and solving them again gives
    # the stored assignment.
    assert hashlib.sha256(run.input_json.encode()).hexdigest() == run.input_sha256
    stored = json.loads(run.result_json)
    again = solve_json(json.loads(run.input_json), algorithm=run.algorithm)
    assert again["assignment"] == stored["assignment"]
    assert again["input_sha256"] == run.input_sha256
    placed = set(Placement.objects.values_list("trainee", "position", "state"))
    expected = {("me", "C"), ("t2", "A"), ("t3", "B"), ("t4", "C")}
    assert placed == {(people[t].pk, positions[p].pk, "assigned") for t, p in expected}
    assert set(Placement.objects.values_list("origin", flat=True)) == {
        f"match-round:{round_.pk} match-run:{run.pk} (trainee-proposing)"
    }
    with pytest.raises(services.MatchError, match="이미 결과를 발표"):
        services.round_publish(round_=round_, algorithm="fill-seats", actor=seoul_staff, now=AFTER)
    assert MatchRun.objects.count() == 1 and Placement.objects.count() == 4


def test_publishing_is_refused_before_the_deadline_and_to_other_groups(
    ranked_round, seoul_staff, busan_staff
):
    round_ = ranked_round["round"]
    with pytest.raises(services.MatchError, match="마감 후에"):
        services.round_publish(
            round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=NOW
        )
    with pytest.raises(services.MatchError, match="사업단 담당자"):
        services.round_publish(
            round_=round_, algorithm="trainee-proposing", actor=busan_staff, now=AFTER
        )
    with pytest.raises(services.MatchError, match="사업단 담당자"):
        services.round_dry_run(round_=round_, actor=busan_staff)
    assert not MatchRun.objects.exists() and not Placement.objects.exists()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_staff_dry_run_then_publish_through_the_pages(ranked_round, seoul_staff, login_as):
    round_ = past_deadlines(ranked_round["round"])
    client = login_as(seoul_staff, Client())
    html = client.get(f"/rounds/{round_.pk}/dry-run/").content.decode()
    sha = solve_json(round_input(round_, today=timezone.localdate()))["input_sha256"]
    assert sha in html and 'data-testid="placed-trainee-proposing">4<' in html
    url = f"/rounds/{round_.pk}/publish/"
    client.post(url, {"algorithm": "trainee-proposing"})  # not confirmed
    assert not MatchRun.objects.exists()
    response = client.post(url, {"algorithm": "trainee-proposing", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/rounds/{round_.pk}/result/"
    run = MatchRun.objects.get()
    assert run.input_sha256 == sha
    html = client.get(response["Location"]).content.decode()
    assert html.count('data-testid="result-row"') == 5
    assert PersonalDataAccess.objects.filter(actor=seoul_staff, action="list").exists()


def test_the_trainee_sees_where_and_why_not_higher(ranked_round, seoul_staff, login_as, trainee):
    round_ = ranked_round["round"]
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    client = login_as(trainee, Client())
    assert f"/trainee/rounds/{round_.pk}/result/" in client.get("/trainee/rounds/").content.decode()
    html = client.get(f"/trainee/rounds/{round_.pk}/result/").content.decode()
    company = ranked_round["positions"]["A"].company.name
    assert f"배정: {company} · 포지션 C" in html
    assert (
        f"1지망 {company} · 포지션 A: 정원 1명을 회원님보다 높게 평가한 지원자로 채움 "
        "(배정된 교육생은 기업 순위 1위 이내, 회원님 2위)"
    ) in html
    assert f"2지망 {company} · 포지션 B: 기업이 회원님을 순위에 올리지 않음" in html


def test_a_trainee_outside_the_round_gets_no_result(ranked_round, seoul_staff, login_as):
    round_ = ranked_round["round"]
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    from itda import factories

    outsider = factories.user(username="outsider", role="trainee")
    factories.TraineeFactory(user=outsider, region=ranked_round["people"]["me"].region)
    client = login_as(outsider, Client())
    assert client.get(f"/trainee/rounds/{round_.pk}/result/").status_code == 404


def test_the_company_sees_who_was_placed_unmasked_and_logged(
    ranked_round, seoul_staff, company, login_as
):
    round_, people = ranked_round["round"], ranked_round["people"]
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    client = login_as(company, Client())
    html = client.get(f"/company/rounds/{round_.pk}/result/").content.decode()
    for who in ("me", "t2", "t3", "t4"):
        assert people[who].name in html and people[who].phone in html
    assert people["t5"].name not in html
    assert "배정된 교육생은 기업 순위 2위 이내" in html  # position C admitted its 1st and 2nd
    log = PersonalDataAccess.objects.get(actor=company, action="list")
    assert log.subject_ids == sorted(people[w].pk for w in ("me", "t2", "t3", "t4"))


def test_a_follow_up_round_offers_free_seats_to_those_left_out(ranked_round, seoul_staff, login_as):
    round_, people, positions = (
        ranked_round["round"],
        ranked_round["people"],
        ranked_round["positions"],
    )
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    round_.refresh_from_db()
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
    assert data["trainees"] == [{"id": f"T{people['t5'].pk}", "track": "track1", "ranking": []}]
    assert data["positions"] == [
        {"id": f"P{positions['C'].pk}", "track": "track1", "capacity": 1, "ranking": []},
        {"id": f"P{positions['D'].pk}", "track": "track1", "capacity": 1, "ranking": []},
    ]
    client = login_as(people["t5"].user, Client())
    html = client.get(f"/trainee/rounds/{second.pk}/positions/").content.decode()
    assert "포지션 C" in html and "남은 자리 1명 (정원 3명)" in html
    assert "포지션 A" not in html and "포지션 B" not in html


def test_staff_open_a_follow_up_round_only_after_publication(ranked_round, seoul_staff, login_as):
    round_ = ranked_round["round"]
    client = login_as(seoul_staff, Client())
    form = {
        "title": "수도권 2차 연계",
        "operating_group": round_.operating_group_id,
        "follows": round_.pk,
        "max_choices": 10,
        "trainee_deadline": "2026-09-01T10:00",
        "company_deadline": "2026-09-05T10:00",
    }
    # Not yet published: the form does not offer it as a round to follow.
    client.post("/rounds/", form)
    assert round_.followed_by.count() == 0
    services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    response = client.post("/rounds/", form)
    second = round_.followed_by.get()
    assert response["Location"] == f"/rounds/{second.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "후속 차수" in html and round_.title in html


def test_dry_run_and_result_page_queries_do_not_grow_with_the_round(
    ranked_round, seoul_staff, login_as, regions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itda import factories
    from itda.matching.models import CompanyRanking, TraineeChoice

    round_, positions = ranked_round["round"], ranked_round["positions"]

    def dry_run_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.round_dry_run(round_=round_, actor=seoul_staff, today=AFTER.date())
        return len(queries)

    small = dry_run_queries()
    cohort = ranked_round["people"]["me"].enrollments.first().cohort
    for i in range(10):
        extra = factories.TraineeFactory(region=regions["seoul"])
        factories.enrollment(cohort=cohort, trainee=extra, status="completed")
        TraineeChoice.objects.create(round=round_, trainee=extra, position=positions["D"], rank=1)
        CompanyRanking.objects.create(
            round=round_, trainee=extra, position=positions["D"], rank=i + 1
        )
    assert dry_run_queries() == small
    run = services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
    )
    assert run.stats["trainees"] == 15 and run.stats["placed"] == 5
    client = login_as(seoul_staff, Client())
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/rounds/{round_.pk}/result/").content.decode()
    assert html.count('data-testid="result-row"') == 15
    assert len(queries) <= 20  # 11 today; a query per row would make 26 or more
