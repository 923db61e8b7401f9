"""Every role's home is a work queue: the right items appear, another region's never do, and a
home costs the same number of queries however long its queues are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.outcomes.tests import home_world
from itda.programs.models import Programme, Trainee
from itda.training.models import BookingKind, BookingStatus, RoomBooking

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions, cast):
    Programme.objects.filter(pk=regions["programme"].pk).update(
        target_trainees=600, target_companies=80
    )
    return home_world.build(regions, cast)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:300]
    return response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_each_role_lands_on_its_home(cast, login_as, client):
    homes = {
        "admin": "/operator/",
        "seoul_staff": "/group/",
        "company": "/company/",
        "trainee": "/trainee/",
        "evaluator": "/evaluator/",
        "viewer": "/viewer/",
    }
    for name, url in homes.items():
        client.logout()
        login_as(cast[name])
        assert client.get("/home/")["Location"] == url


def test_operator_sees_the_decisions_waiting_and_the_progress_strip(world, cast, login_as, client):
    login_as(cast["admin"])
    page = _page(client, "/operator/")
    for side in ("seoul", "busan"):
        assert world[side]["call"].title in page  # closing within 7 days
        assert f"/evaluation/rankings/{world[side]['ranking'].pk}/" in page
        assert world[side]["position"].title in page
    assert "처리할 이의신청 (2건)" in page
    assert "승인할 지급 배치 (2건)" in page
    assert 'data-testid="progress-strip"' in page
    assert "목표 600명" in page and "목표 80개사" in page


def test_a_confirmed_ranking_leaves_the_operators_queue(world, cast, login_as, client):
    ranking = world["seoul"]["ranking"]
    ranking.status = "confirmed"
    ranking.save(update_fields=["status"])
    login_as(cast["admin"])
    page = _page(client, "/operator/")
    assert f"/evaluation/rankings/{ranking.pk}/" not in page
    assert f"/evaluation/rankings/{world['busan']['ranking'].pk}/" in page


def test_group_staff_see_their_region_only(world, cast, login_as, client):
    login_as(cast["seoul_staff"])
    page = _page(client, "/group/")
    seoul, busan = world["seoul"], world["busan"]
    assert f"/training/sessions/{seoul['session'].pk}/qr/" in page
    assert f"/training/sessions/{seoul['session'].pk}/roll-call/" in page
    assert f"/training/sessions/{busan['session'].pk}/" not in page
    assert "출결 정정 요청 (1건)" in page
    assert seoul["position"].title in page and busan["position"].title not in page
    assert f"/recruitment/calls/{seoul['call'].pk}/applications/" in page
    assert f"/recruitment/calls/{busan['call'].pk}/" not in page
    # The trainee attended none of the three sessions held: below 80% on what was held so far.
    assert f"/training/cohorts/{seoul['cohort'].pk}/roster/" in page
    assert f"/training/cohorts/{busan['cohort'].pk}/" not in page
    assert "80.00% 미만 1명" in page
    assert "「서울 1차 연계」 교육생 지망 마감" in page
    assert "부산 1차 연계" not in page and "부산 교육생 모집" not in page


def test_a_trainee_on_track_is_not_at_risk(world, cast, login_as, client):
    """Three sessions held, three attended: the three still to come are not absences."""
    enrollment = world["seoul"]["enrollment"]
    for session in world["seoul"]["cohort"].sessions.filter(ends_at__lte=timezone.now()):
        factories.attendance(enrollment=enrollment, session=session, status="present")
    login_as(cast["seoul_staff"])
    page = _page(client, "/group/")
    assert f"/training/cohorts/{world['seoul']['cohort'].pk}/roster/" not in page


def test_company_sees_its_own_work(world, cast, login_as, client, regions):
    company = world["seoul"]["position"].company
    RoomBooking.objects.create(
        room=factories.room(region=regions["seoul"], name="비즈니스 존 회의실 A"),
        kind=BookingKind.MEETING,
        status=BookingStatus.REQUESTED,
        purpose="신제품 회의",
        attendees=4,
        company=company,
        requested_by=cast["company"],
        during=(
            timezone.now() + datetime.timedelta(days=2),
            timezone.now() + datetime.timedelta(days=2, hours=1),
        ),
    )
    login_as(cast["company"])
    page = _page(client, "/company/")
    assert "서울 설비 인턴" in page and "검토 요청" in page
    assert "부산 설비 인턴" not in page
    assert "서울 본사 3층 회의실" in page  # the interview it set
    assert "부산 본사" not in page
    assert "신제품 회의" in page
    assert "서울 1차 연계" in page  # round deadline (national rounds and its positions' regions)


def test_trainee_sees_interviews_choices_and_today(world, cast, login_as, client):
    login_as(cast["trainee"])
    page = _page(client, "/trainee/")
    assert "서울 본사 3층 회의실" in page
    assert world["seoul"]["position"].company.name in page
    assert "부산 본사" not in page
    assert "서울 1차 연계" in page and "지망 마감" in page
    assert "오늘은 교육이 없습니다" not in page
    assert f"{world['seoul']['session'].number}차시" in page
    assert 'aria-current="step"' in page


@pytest.mark.parametrize(
    ("who", "url"),
    [("admin", "/operator/"), ("seoul_staff", "/group/"), ("company", "/company/")],
)
def test_a_home_costs_the_same_queries_with_longer_queues(world, cast, login_as, client, who, url):
    login_as(cast[who])
    before = _queries(client, url)
    home_world.build_more(world, cast)
    assert _queries(client, url) == before
    assert before <= 45


def test_trainee_home_costs_the_same_queries_with_more_records(world, cast, login_as, client):
    login_as(cast["trainee"])
    before = _queries(client, "/trainee/")
    home_world.build_more(world, cast)
    assert _queries(client, "/trainee/") == before
    assert before <= 30


def test_viewer_sees_the_funnel_against_targets(world, cast, login_as, client):
    login_as(cast["viewer"])
    page = _page(client, "/viewer/")
    assert 'data-testid="progress-strip"' in page
    assert "목표 600명" in page
    assert "서울 교육생 모집" not in page  # aggregates only


# --- the trainee's whole story ------------------------------------------------------------------


def test_staff_read_a_trainees_whole_story_masked_and_logged(world, cast, login_as, client):
    trainee = Trainee.objects.get(user=cast["trainee"])
    login_as(cast["seoul_staff"])
    page = _page(client, f"/registry/trainees/{trainee.pk}/story/")
    assert trainee.name not in page
    assert trainee.name[0] in page  # masked, not absent
    assert "서울 교육생 모집" in page
    assert world["seoul"]["cohort"].course.title in page
    assert "출석 인정 0/3차시" in page
    assert "서울 1차 연계 · 1지망" in page
    log = PersonalDataAccess.objects.filter(actor=cast["seoul_staff"]).latest("at")
    assert log.subject_type == "programs.trainee" and log.subject_ids == [trainee.pk]


def test_another_regions_trainee_story_is_a_404(world, cast, login_as, client):
    trainee = Trainee.objects.get(user=cast["trainee"])
    login_as(cast["busan_staff"])
    assert client.get(f"/registry/trainees/{trainee.pk}/story/").status_code == 404
    assert PersonalDataAccess.objects.filter(
        actor=cast["busan_staff"], action="denied", subject_ids=[trainee.pk]
    ).exists()


def test_trainees_and_companies_have_no_story_page(world, cast, login_as, client):
    trainee = Trainee.objects.get(user=cast["trainee"])
    for who in ("trainee", "company"):
        client.logout()
        login_as(cast[who])
        assert client.get(f"/registry/trainees/{trainee.pk}/story/").status_code == 403


def test_the_story_and_the_viewer_home_stay_within_their_query_budget(
    world, cast, login_as, client, django_assert_max_num_queries
):
    trainee = Trainee.objects.get(user=cast["trainee"])
    login_as(cast["seoul_staff"])
    with django_assert_max_num_queries(25):
        assert client.get(f"/registry/trainees/{trainee.pk}/story/").status_code == 200
    client.logout()
    login_as(cast["viewer"])
    with django_assert_max_num_queries(20):
        assert client.get("/viewer/").status_code == 200
