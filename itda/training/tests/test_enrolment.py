"""Enrolment: fit (track, region), capacity and waitlist, promotion on withdrawal, the
one-active-cohort rule, bulk enrolment of selected trainees in ranking order, and concurrency."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.evaluation.engine import ranking as engine
from itda.evaluation.models import Ranking, RankingStatus
from itda.programs.models import PlacementKind, Track
from itda.recruitment.models import Application, Result
from itda.training.enrolment import EnrolmentError, enrol, enrol_selected, withdraw
from itda.training.models import Enrollment, EnrollmentStatus

pytestmark = pytest.mark.django_db


def _cohort(regions, *, capacity=3, code="T1", group="capital_group", track=None, **extra):
    today = timezone.localdate()
    return factories.cohort(
        group=regions[group],
        track=track or regions["track"],
        code=code,
        capacity=capacity,
        starts_on=extra.pop("starts_on", today + datetime.timedelta(days=7)),
        ends_on=extra.pop("ends_on", today + datetime.timedelta(days=30)),
        **extra,
    )


def _trainees(regions, n, *, region="seoul"):
    return [
        factories.TraineeFactory(region=regions[region], preferred_track=regions["track"])
        for _ in range(n)
    ]


def _roster(cohort):
    return [
        (e.trainee_id, e.status, e.waitlist_position)
        for e in cohort.enrollments.filter(status__in=["enrolled", "waitlisted"]).order_by(
            "status", "waitlist_position", "pk"
        )
    ]


def test_places_up_to_capacity_then_a_numbered_waitlist(regions, admin):
    cohort = _cohort(regions, capacity=2)
    people = _trainees(regions, 5)
    rows = [enrol(cohort, t, actor=admin) for t in people]
    assert [(r.status, r.waitlist_position) for r in rows] == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    assert rows[0].enrolled_by == admin


def test_withdrawing_a_place_promotes_the_first_waiting_and_renumbers(regions, admin):
    cohort = _cohort(regions, capacity=2)
    a, b, c, d, e = _trainees(regions, 5)
    rows = {t.pk: enrol(cohort, t, actor=admin) for t in (a, b, c, d, e)}
    promoted = withdraw(rows[a.pk], reason="취업", actor=admin)
    assert promoted.trainee == c
    ended = Enrollment.objects.get(pk=rows[a.pk].pk)
    assert (ended.status, ended.ended_reason, ended.waitlist_position) == (
        "withdrawn",
        "취업",
        None,
    )
    assert ended.ended_at is not None
    assert _roster(cohort) == [
        (b.pk, "enrolled", None),
        (c.pk, "enrolled", None),
        (d.pk, "waitlisted", 1),
        (e.pk, "waitlisted", 2),
    ]


def test_leaving_the_waitlist_closes_the_gap_without_promoting(regions, admin):
    cohort = _cohort(regions, capacity=1)
    a, b, c, d = _trainees(regions, 4)
    rows = {t.pk: enrol(cohort, t, actor=admin) for t in (a, b, c, d)}
    assert withdraw(rows[c.pk], reason="개인 사정", actor=admin) is None
    positions = dict(
        cohort.enrollments.filter(status="waitlisted").values_list("trainee", "waitlist_position")
    )
    assert positions == {b.pk: 1, d.pk: 2}
    assert cohort.enrollments.filter(status="enrolled").get().trainee == a
    # The next one to join waits behind them.
    assert enrol(cohort, _trainees(regions, 1)[0], actor=admin).waitlist_position == 3


def test_a_withdrawal_needs_a_reason_and_an_active_enrolment(regions, admin):
    cohort = _cohort(regions)
    (t,) = _trainees(regions, 1)
    row = enrol(cohort, t, actor=admin)
    with pytest.raises(EnrolmentError, match="사유"):
        withdraw(row, reason="  ", actor=admin)
    withdraw(row, reason="취업", actor=admin)
    with pytest.raises(EnrolmentError, match="수강 또는 대기 중인"):
        withdraw(row, reason="다시", actor=admin)


def test_one_active_cohort_per_trainee(regions, admin):
    first = _cohort(regions, code="A")
    second = _cohort(regions, code="B")
    (t,) = _trainees(regions, 1)
    row = enrol(first, t, actor=admin)
    with pytest.raises(EnrolmentError, match="이미 .*수강 중"):
        enrol(second, t, actor=admin)
    assert not second.enrollments.exists()
    # Once they leave the first, the second can take them; the first never again.
    withdraw(row, reason="과정 변경", actor=admin)
    assert enrol(second, t, actor=admin).status == "enrolled"
    withdraw(Enrollment.objects.get(cohort=second, trainee=t), reason="취업", actor=admin)
    with pytest.raises(EnrolmentError, match="이 기수에 이미 등록된 적이"):
        enrol(first, t, actor=admin)


def test_the_track_and_the_region_must_fit(regions, admin):
    cohort = _cohort(regions)
    (busan_trainee,) = _trainees(regions, 1, region="busan")
    with pytest.raises(EnrolmentError, match="부산광역시.*수도권 사업단의 담당 지역이 아닙니다"):
        enrol(cohort, busan_trainee, actor=admin)
    track2 = Track.objects.create(
        programme=regions["programme"],
        code="track2",
        name="제조AI",
        placement_kind=PlacementKind.PBL,
    )
    ai_trainee = factories.TraineeFactory(region=regions["gyeonggi"], preferred_track=track2)
    with pytest.raises(EnrolmentError, match=r"트랙\(제조AI\)이 과정의 트랙\(Track1 테스트\)"):
        enrol(cohort, ai_trainee, actor=admin)
    no_track = factories.TraineeFactory(region=regions["seoul"])
    with pytest.raises(EnrolmentError, match=r"트랙\(없음\)"):
        enrol(cohort, no_track, actor=admin)
    assert not cohort.enrollments.exists()
    # Gyeonggi is in the capital group too: a fitting trainee from there is taken.
    (gyeonggi,) = _trainees(regions, 1, region="gyeonggi")
    assert enrol(cohort, gyeonggi, actor=admin).status == "enrolled"


def test_a_finished_cohort_takes_nobody(regions, admin):
    today = timezone.localdate()
    cohort = _cohort(
        regions,
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=10),
    )
    with pytest.raises(EnrolmentError, match="끝난 기수"):
        enrol(cohort, _trainees(regions, 1)[0], actor=admin)
    # An enrolment told as of the day it happened (the demo's calendar) judges by that day.
    on_the_day = today - datetime.timedelta(days=45)
    row = enrol(cohort, _trainees(regions, 1)[0], actor=admin, today=on_the_day)
    assert row.status == "enrolled"
    with pytest.raises(EnrolmentError, match="끝난 기수"):
        enrol(
            cohort,
            _trainees(regions, 1)[0],
            actor=admin,
            today=cohort.ends_on + datetime.timedelta(days=1),
        )


def _trainee_call(regions, track=None):
    return factories.call(
        programme=regions["programme"], kind="trainee", track=track or regions["track"]
    )


def test_an_application_must_be_a_selection_of_that_trainee(regions, admin):
    cohort = _cohort(regions)
    a, b = _trainees(regions, 2)
    call = _trainee_call(regions)
    pending = factories.application(call=call, trainee=a)
    with pytest.raises(EnrolmentError, match="선정된 신청서가 아닙니다"):
        enrol(cohort, a, application=pending, actor=admin)
    selected = factories.application(call=call, trainee=b, result=Result.SELECTED)
    with pytest.raises(EnrolmentError, match="다른 교육생"):
        enrol(cohort, a, application=selected, actor=admin)
    assert enrol(cohort, b, application=selected, actor=admin).application == selected


def _published_ranking(call, applications, actor):
    """A published ranking of ``call`` with ``applications`` in this order (rank 1 first)."""
    rows = tuple(
        engine.RankRow(
            application_id=str(a.pk),
            rank=i,
            score=100.0 - i,
            raw_total=100.0 - i,
            criterion_means={},
            sheets_used=3,
            sheets_total=3,
            trimmed=False,
            excluded_evaluators=(),
            status=engine.Status.SELECTED,
            reason="",
            waitlist_number=None,
        )
        for i, a in enumerate(applications, start=1)
    )
    result = engine.RankingResult(rows=rows, input_sha256="0" * 64, method="mean", version=1)
    return Ranking.objects.create(
        call=call,
        status=RankingStatus.PUBLISHED,
        method="mean",
        input_json="{}",
        input_sha256="0" * 64,
        result_json=engine.to_json(result),
        computed_by=actor,
    )


def test_enrol_selected_takes_the_region_s_selected_in_ranking_order(regions, admin):
    cohort = _cohort(regions, capacity=2)
    call = _trainee_call(regions)
    seoul = _trainees(regions, 4)
    (gyeonggi,) = _trainees(regions, 1, region="gyeonggi")
    (busan,) = _trainees(regions, 1, region="busan")
    (not_selected,) = _trainees(regions, 1)
    apps = {
        t.pk: factories.application(call=call, trainee=t, result=Result.SELECTED)
        for t in [*seoul, gyeonggi, busan]
    }
    factories.application(call=call, trainee=not_selected, result=Result.WAITLISTED)
    # The ranking puts the Gyeonggi trainee first and Seoul's in reverse order.
    order = [gyeonggi, *reversed(seoul), busan]
    _published_ranking(call, [apps[t.pk] for t in order], admin)
    # One of them is already in another cohort.
    elsewhere = _cohort(regions, code="OTHER")
    enrol(elsewhere, seoul[3], actor=admin)

    result = enrol_selected(cohort, actor=admin)

    assert (result.enrolled, result.waitlisted) == (2, 2)
    assert [(t, reason) for t, reason in result.skipped] == [
        (seoul[3], f"이미 {elsewhere}에 수강 중")
    ]
    rows = {e.trainee_id: e for e in cohort.enrollments.all()}
    assert rows[gyeonggi.pk].status == rows[seoul[2].pk].status == "enrolled"
    assert (rows[seoul[1].pk].waitlist_position, rows[seoul[0].pk].waitlist_position) == (1, 2)
    assert rows[gyeonggi.pk].application == apps[gyeonggi.pk]
    assert busan.pk not in rows and not_selected.pk not in rows
    # Running it again adds nobody: everyone is now active somewhere.
    again = enrol_selected(cohort, actor=admin)
    assert (again.enrolled, again.waitlisted, len(again.skipped)) == (0, 0, 5)


def test_enrol_selected_without_a_ranking_follows_the_receipt_numbers(regions, admin):
    cohort = _cohort(regions, capacity=1)
    call = _trainee_call(regions)
    a, b = _trainees(regions, 2)
    for trainee, receipt in ((a, "R-002"), (b, "R-001")):
        row = factories.application(call=call, trainee=trainee, result=Result.SELECTED)
        Application.objects.filter(pk=row.pk).update(receipt_number=receipt)
    assert (enrol_selected(cohort, actor=admin).enrolled, cohort.enrollments.count()) == (1, 2)
    assert cohort.enrollments.get(status="enrolled").trainee == b


def test_enrol_selected_ignores_other_tracks(regions, admin):
    cohort = _cohort(regions)
    track2 = Track.objects.create(
        programme=regions["programme"],
        code="track2",
        name="제조AI",
        placement_kind=PlacementKind.PBL,
    )
    (t,) = _trainees(regions, 1)
    factories.application(call=_trainee_call(regions, track2), trainee=t, result=Result.SELECTED)
    result = enrol_selected(cohort, actor=admin)
    assert (result.enrolled, result.waitlisted, result.skipped) == (0, 0, [])


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_capacity(regions, admin):
    cohort = _cohort(regions, capacity=3)
    people = _trainees(regions, 10)
    outcomes = factories.in_threads(10, lambda i: enrol(cohort, people[i], actor=admin))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    rows = list(cohort.enrollments.all())
    assert sum(r.status == EnrollmentStatus.ENROLLED for r in rows) == 3
    positions = sorted(r.waitlist_position for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, 8))


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_of_one_trainee_leave_one_active(regions, admin):
    cohorts = [_cohort(regions, code=f"C{i}") for i in range(4)]
    (t,) = _trainees(regions, 1)
    outcomes = factories.in_threads(4, lambda i: enrol(cohorts[i], t, actor=admin))
    assert sum(isinstance(o, Enrollment) for o in outcomes) == 1
    assert all(isinstance(o, (Enrollment, EnrolmentError)) for o in outcomes), outcomes
    assert Enrollment.objects.filter(trainee=t, status__in=["enrolled", "waitlisted"]).count() == 1


# --- Pages -------------------------------------------------------------------------------------


@pytest.fixture
def full_cohort(regions, seoul_staff):
    """A capital cohort of capacity 2 with 3 people (one waiting), run by seoul_staff."""
    cohort = _cohort(regions, capacity=2)
    people = [
        factories.TraineeFactory(
            name=name, region=regions["seoul"], preferred_track=regions["track"]
        )
        for name in ("김민준", "이서연", "박도윤")
    ]
    rows = [enrol(cohort, t, actor=seoul_staff) for t in people]
    return cohort, people, rows


def test_the_roster_shows_places_and_waitlist_masked_and_logged(
    client, login_as, seoul_staff, full_cohort, django_assert_max_num_queries
):
    cohort, people, rows = full_cohort
    login_as(seoul_staff)
    with django_assert_max_num_queries(14):
        html = client.get(f"/training/cohorts/{cohort.pk}/roster/").content.decode()
    assert "수강 2 / 정원 2 · 대기 1" in html
    assert "김*준" in html and "박*윤" in html and "김민준" not in html
    assert html.count('data-testid="row-waitlisted"') == 1
    logged = PersonalDataAccess.objects.get(actor=seoul_staff, subject_type="training.enrollment")
    assert sorted(logged.subject_ids) == sorted(r.pk for r in rows)


def test_the_roster_costs_the_same_queries_for_forty(
    client, login_as, seoul_staff, regions, django_assert_num_queries
):
    cohort = _cohort(regions, capacity=40)
    login_as(seoul_staff)
    enrol(cohort, _trainees(regions, 1)[0], actor=seoul_staff)
    url = f"/training/cohorts/{cohort.pk}/roster/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for t in _trainees(regions, 44):
        enrol(cohort, t, actor=seoul_staff)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_withdrawal_on_the_page_shows_the_promotion(client, login_as, seoul_staff, full_cohort):
    cohort, people, rows = full_cohort
    login_as(seoul_staff)
    response = client.post(f"/training/enrollments/{rows[0].pk}/withdraw/", {"reason": "취업"})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "김*준 님을 중도포기 처리했습니다. 대기 1번 박*윤 님이 수강으로 전환되었습니다." in html
    assert "취업" in html  # the reason is on the roster, under those who left
    assert cohort.enrollments.filter(status="enrolled").count() == 2
    assert not cohort.enrollments.filter(status="waitlisted").exists()


def test_bulk_enrolment_on_the_page_reports_the_counts(client, login_as, seoul_staff, regions):
    cohort = _cohort(regions, capacity=1)
    call = _trainee_call(regions)
    for t in _trainees(regions, 3):
        factories.application(call=call, trainee=t, result=Result.SELECTED)
    login_as(seoul_staff)
    response = client.post(f"/training/cohorts/{cohort.pk}/roster/selected/", follow=True)
    assert "선정자 일괄 등록: 수강 1명, 대기 2명, 제외 0명." in response.content.decode()
    assert cohort.enrollments.count() == 3


def test_an_operator_adds_one_trainee_by_phone(client, login_as, seoul_staff, regions):
    cohort = _cohort(regions)
    mine = factories.TraineeFactory(
        name="최하은", region=regions["seoul"], preferred_track=regions["track"]
    )
    theirs = factories.TraineeFactory(region=regions["busan"], preferred_track=regions["track"])
    login_as(seoul_staff)
    url = f"/training/cohorts/{cohort.pk}/roster/add/"
    spaced = mine.phone.replace("-", " ")
    response = client.post(url, {"phone": spaced}, follow=True)
    assert "최*은 님을 수강으로 등록했습니다." in response.content.decode()
    assert cohort.enrollments.get().trainee == mine
    # Another region's trainee is not in this staff member's registry at all.
    response = client.post(url, {"phone": theirs.phone})
    assert response.status_code == 400
    assert "담당 지역 명부에 없습니다" in response.content.decode()
    assert cohort.enrollments.count() == 1


def test_other_groups_get_404_and_other_roles_403(
    client, login_as, busan_staff, trainee, full_cohort
):
    cohort, people, rows = full_cohort
    login_as(busan_staff)
    for method, url in (
        ("get", f"/training/cohorts/{cohort.pk}/roster/"),
        ("post", f"/training/cohorts/{cohort.pk}/roster/selected/"),
        ("post", f"/training/cohorts/{cohort.pk}/roster/add/"),
        ("post", f"/training/enrollments/{rows[0].pk}/withdraw/"),
    ):
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, url
    assert (
        f"/training/cohorts/{cohort.pk}/roster/"
        not in client.get("/training/cohorts/").content.decode()
    )
    assert cohort.enrollments.filter(status="enrolled").count() == 2
    client.logout()
    login_as(trainee)
    assert client.get(f"/training/cohorts/{cohort.pk}/roster/").status_code == 403


def test_the_cohort_list_shows_one_s_own_groups_with_constant_queries(
    client, login_as, seoul_staff, busan_staff, regions, django_assert_num_queries
):
    mine = _cohort(regions, code="MINE")
    theirs = _cohort(regions, code="THEIRS", group="dongnam_group")
    enrol(mine, _trainees(regions, 1)[0], actor=seoul_staff)
    login_as(seoul_staff)
    with CaptureQueriesContext(connection) as one:
        html = client.get("/training/cohorts/").content.decode()
    assert f"/training/cohorts/{mine.pk}/roster/" in html and "1/3" in html
    assert f"/training/cohorts/{theirs.pk}/roster/" not in html
    for i in range(5):
        _cohort(regions, code=f"MORE{i}")
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/training/cohorts/").content.decode()
    assert html.count("명단</a>") == 6
