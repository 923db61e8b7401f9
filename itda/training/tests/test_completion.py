"""Completion (수료 판정): the rate rule at its boundary, lateness turned into absences, excused
sessions, the assessment, and confirming a cohort's judgement in one go."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.training import completion
from itda.training.models import (
    Attendance,
    AttendanceCorrection,
    AttendanceSource,
    Course,
    Enrollment,
    Session,
)

pytestmark = pytest.mark.django_db

TEN_DAYS = [datetime.date(2026, 7, d) for d in range(1, 11)]
AFTER = datetime.datetime(2026, 8, 1, 9, tzinfo=factories.KST)


@pytest.fixture
def cohort(regions):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.sessions(cohort=cohort, days=TEN_DAYS)
    return cohort


def trainee_with(cohort, statuses, *, name=None, **extra):
    """An enrolment whose first sessions have these statuses (None: no record = absent)."""
    trainee = factories.TraineeFactory(region=cohort.course.operating_group.regions.first())
    if name:
        trainee.name = name
        trainee.save(update_fields=["name"])
    enrollment = factories.enrollment(cohort=cohort, trainee=trainee, **extra)
    for session, status in zip(cohort.sessions.order_by("number"), statuses, strict=False):
        if status:
            factories.attendance(enrollment=enrollment, session=session, status=status)
    return enrollment


def judged(cohort) -> dict:
    return {j.enrollment.pk: j for j in completion.completion_preview(cohort)}


def test_eight_of_ten_completes_and_seven_does_not(cohort):
    eight = trainee_with(cohort, ["present"] * 8)
    seven = trainee_with(cohort, ["present"] * 7 + ["absent"])
    j = judged(cohort)
    assert (j[eight.pk].credited, j[eight.pk].rate, j[eight.pk].completed) == (
        8,
        Decimal("0.8000"),
        True,
    )
    assert (j[seven.pk].rate, j[seven.pk].completed) == (Decimal("0.7000"), False)
    assert j[seven.pk].reason == "출석률 미달"


@pytest.mark.parametrize(
    ("lates", "absences", "completed"),
    [(2, 0, True), (3, 1, False), (5, 1, False), (6, 2, False)],
)
def test_every_third_late_is_one_absence(cohort, lates, absences, completed):
    # All ten attended, `lates` of them late: 10 − ⌊lates/3⌋ credited.
    enrollment = trainee_with(cohort, ["late"] * lates + ["present"] * (10 - lates))
    j = judged(cohort)[enrollment.pk]
    assert (j.attended, j.incidents, j.absences_from_incidents) == (10, lates, absences)
    assert j.credited == 10 - absences
    # With 8 attended, any absence from lateness drops below 80%.
    short = trainee_with(cohort, ["late"] * lates + ["present"] * (8 - lates))
    assert judged(cohort)[short.pk].completed is completed


def test_late_and_left_early_in_one_session_count_twice(cohort):
    enrollment = trainee_with(cohort, ["late_left_early", "left_early"] + ["present"] * 8)
    j = judged(cohort)[enrollment.pk]
    assert (j.incidents, j.credited, j.completed) == (3, 9, True)


def test_excused_sessions_count_as_attended_and_absent_records_do_not(cohort):
    excused = trainee_with(cohort, ["excused", "excused"] + ["present"] * 6)
    absent = trainee_with(cohort, ["absent", "absent"] + ["present"] * 6 + [None, None])
    j = judged(cohort)
    assert (j[excused.pk].attended, j[excused.pk].completed) == (8, True)
    assert (j[absent.pk].attended, j[absent.pk].completed) == (6, False)


def test_the_boundary_is_exact_at_799_and_800_of_1000(regions):
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 31),
        code="LONG",
    )
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=factories.KST)
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            number=n,
            title=f"{n}",
            starts_at=start + datetime.timedelta(minutes=40 * n),
            ends_at=start + datetime.timedelta(minutes=40 * n + 30),
        )
        for n in range(1, 1001)
    )
    recorder = factories._system_user()
    outcome = {}
    for attended in (800, 799):
        enrollment = trainee_with(cohort, [])
        Attendance.objects.bulk_create(
            Attendance(
                enrollment=enrollment,
                session=s,
                status="present",
                source=AttendanceSource.ROLL_CALL,
                recorded_by=recorder,
            )
            for s in sessions[:attended]
        )
        outcome[attended] = enrollment.pk
    j = judged(cohort)
    assert (j[outcome[800]].rate, j[outcome[800]].completed) == (Decimal("0.8000"), True)
    assert (j[outcome[799]].rate, j[outcome[799]].completed) == (Decimal("0.7990"), False)


def test_a_seventy_percent_rule_passes_seven_of_ten_exactly(regions, cohort):
    # In floating point 0.7 × 10 = 7.000000000000001, which 7 would not reach.
    cohort.rule.completion_min_rate = Decimal("0.700")
    cohort.rule.save(update_fields=["completion_min_rate"])
    enrollment = trainee_with(cohort, ["present"] * 7)
    assert judged(cohort)[enrollment.pk].completed


@pytest.fixture
def assessed(cohort):
    Course.objects.filter(pk=cohort.course_id).update(has_assessment=True)
    cohort.course.refresh_from_db()
    return cohort


def test_the_assessment_must_be_passed_where_the_course_has_one(assessed):
    passed = trainee_with(assessed, ["present"] * 10, assessment_passed=True)
    failed = trainee_with(assessed, ["present"] * 10, assessment_passed=False)
    unknown = trainee_with(assessed, ["present"] * 10)
    j = judged(assessed)
    assert j[passed.pk].completed and not j[failed.pk].completed
    assert j[failed.pk].reason == "평가 불합격" and j[unknown.pk].reason == "평가 결과 미입력"
    with pytest.raises(ValidationError, match="평가 결과가 입력되지 않은 교육생이 1명"):
        completion.completion_confirm(cohort=assessed, actor=None, now=AFTER)
    assert Enrollment.objects.filter(cohort=assessed, status="enrolled").count() == 3


def test_a_rule_without_the_assessment_requirement_ignores_it(assessed):
    assessed.rule.assessment_required = False
    assessed.rule.save(update_fields=["assessment_required"])
    failed = trainee_with(assessed, ["present"] * 10, assessment_passed=False)
    assert judged(assessed)[failed.pk].completed


def test_assessment_results_are_recorded_only_where_there_is_an_assessment(cohort, assessed):
    a = trainee_with(assessed, ["present"] * 10)
    b = trainee_with(assessed, ["present"] * 10, assessment_passed=False)
    changed = completion.assessment_results_record(
        cohort=assessed, results={a.pk: True, b.pk: False}, actor=None
    )
    assert changed == 1
    assert Enrollment.objects.get(pk=a.pk).assessment_passed is True
    outsider = trainee_with(
        factories.cohort(
            group=assessed.course.operating_group, track=assessed.course.track, number=2
        ),
        [],
    )
    with pytest.raises(ValidationError, match="이 기수의 수강생이 아닌"):
        completion.assessment_results_record(
            cohort=assessed, results={a.pk: False, outsider.pk: True}, actor=None
        )
    assert Enrollment.objects.get(pk=a.pk).assessment_passed is True  # nothing changed
    Course.objects.filter(pk=assessed.course_id).update(has_assessment=False)
    assessed.course.refresh_from_db()
    with pytest.raises(ValidationError, match="수료 평가가 없습니다"):
        completion.assessment_results_record(cohort=assessed, results={a.pk: True}, actor=None)


def test_confirming_sets_every_outcome_and_the_cohort_time_once(cohort):
    done = trainee_with(cohort, ["present"] * 9)
    short = trainee_with(cohort, ["present"] * 5)
    gone = trainee_with(cohort, ["present"] * 2, status="withdrawn")
    judgements = completion.completion_confirm(cohort=cohort, actor=None, now=AFTER)
    assert {j.enrollment.pk for j in judgements} == {done.pk, short.pk}
    statuses = dict(Enrollment.objects.filter(cohort=cohort).values_list("pk", "status"))
    assert statuses == {done.pk: "completed", short.pk: "not_completed", gone.pk: "withdrawn"}
    cohort.refresh_from_db()
    assert cohort.completed_at == AFTER
    assert Enrollment.objects.get(pk=done.pk).ended_at == AFTER
    with pytest.raises(ValidationError, match="이미 수료 판정을 확정한"):
        completion.completion_confirm(cohort=cohort, actor=None, now=AFTER)


def test_confirming_waits_for_the_end_and_for_pending_corrections(cohort):
    enrollment = trainee_with(cohort, ["present"] * 7 + ["absent"])
    last_day = datetime.datetime(2026, 7, 31, 20, tzinfo=factories.KST)
    with pytest.raises(ValidationError, match="종강일이 지난 뒤"):
        completion.completion_confirm(cohort=cohort, actor=None, now=last_day)
    AttendanceCorrection.objects.create(
        enrollment=enrollment,
        session=cohort.sessions.get(number=8),
        status_before="absent",
        requested_status="excused",
        reason="illness",
        explanation="진단서 첨부",
        requested_by=factories._system_user(),
    )
    with pytest.raises(ValidationError, match="검토 중인 출결 정정 신청이 1건"):
        completion.completion_confirm(cohort=cohort, actor=None, now=AFTER)
    cohort.refresh_from_db()
    assert cohort.completed_at is None
    assert Enrollment.objects.get(pk=enrollment.pk).status == "enrolled"


def test_staff_preview_record_and_confirm_on_the_page(
    assessed, client, login_as, seoul_staff, busan_staff
):
    one = trainee_with(assessed, ["late"] * 3 + ["present"] * 6, name="남궁뚫례")
    two = trainee_with(assessed, ["present"] * 10, name="홍길동")
    login_as(seoul_staff)
    url = f"/training/cohorts/{assessed.pk}/completion/"
    html = client.get(url).content.decode()
    # 9 attended, 3 lates → 8 credited = 80.00%; names masked in the table.
    assert "남**례" in html and "남궁뚫례" not in html and "80.00%" in html
    assert "평가 결과 미입력" in html
    assert PersonalDataAccess.objects.filter(
        actor=seoul_staff, action="list", subject_type="training.enrollment"
    ).exists()
    client.post(url + "assessment/", {f"result-{one.pk}": "pass", f"result-{two.pk}": "fail"})
    response = client.post(url + "confirm/", follow=True)
    assert "수료 1명, 미수료 1명" in response.content.decode()
    assert Enrollment.objects.get(pk=one.pk).status == "completed"
    assert Enrollment.objects.get(pk=two.pk).status == "not_completed"
    other = login_as(busan_staff, Client())
    assert other.get(url).status_code == 404
    assert other.post(url + "assessment/", {f"result-{one.pk}": "fail"}).status_code == 404


def test_other_roles_are_refused(cohort, client, login_as, trainee, company):
    login_as(company)
    assert client.get(f"/training/cohorts/{cohort.pk}/completion/").status_code == 403
    as_trainee = login_as(trainee, Client())
    assert as_trainee.get(f"/training/cohorts/{cohort.pk}/completion/").status_code == 403
    assert Client().get(f"/training/cohorts/{cohort.pk}/completion/").status_code == 302  # login


def test_the_page_takes_the_same_queries_for_five_trainees_or_fifty(
    cohort, client, login_as, seoul_staff
):
    login_as(seoul_staff)
    url = f"/training/cohorts/{cohort.pk}/completion/"
    counts = []
    for _ in range(2):
        for _ in range(len(counts) * 45 + 5):
            trainee_with(cohort, ["present"] * 9)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.fixture
def running(regions):
    """Ten days held, ten to come, one session a day."""
    cohort, _ = factories.running_cohort(
        group=regions["capital_group"], track=regions["track"], days_held=10, days_left=10
    )
    return cohort


def test_mid_course_the_preview_counts_held_sessions_and_who_can_still_complete(running):
    # 10 of 10 held: on track. 7 of 10: 70% now, 17 of 20 at best → can still complete.
    # 5 of 10: 15 of 20 at best = 75% → cannot.
    full = trainee_with(running, ["present"] * 10)
    seven = trainee_with(running, ["present"] * 7)
    five = trainee_with(running, ["present"] * 5)
    j = judged(running)
    assert (j[full.pk].scheduled, j[full.pk].planned, j[full.pk].rate) == (10, 20, Decimal("1"))
    assert j[full.pk].in_progress and j[full.pk].expected
    assert (j[seven.pk].rate, j[seven.pk].progress.best_rate) == (
        Decimal("0.7000"),
        Decimal("0.8500"),
    )
    assert j[seven.pk].expected and not j[seven.pk].rate_ok
    assert not j[five.pk].expected
    # Once the cohort is over, the sessions not attended are absences and the verdict final.
    after = completion.cohort_end(running)
    final = {row.enrollment.pk: row for row in completion.completion_preview(running, now=after)}
    assert not final[full.pk].in_progress
    assert (final[full.pk].scheduled, final[full.pk].rate) == (20, Decimal("0.5000"))
    assert not final[full.pk].expected


def test_mid_course_the_preview_page_says_who_is_on_track(running, client, login_as, seoul_staff):
    trainee_with(running, ["present"] * 10)
    trainee_with(running, ["present"] * 7)
    trainee_with(running, ["present"] * 5)
    login_as(seoul_staff)
    html = client.get(f"/training/cohorts/{running.pk}/completion/").content.decode()
    assert "진행 중 — 기간 종료 후 확정" in html
    assert "전체 20차시 중 10차시가 지났습니다" in html
    assert "수료 예정 2명 / 3명(남은 10차시를 모두 출석하면 출석률 80.00% 이상)" in html
    assert "지난 차시 기준 출석률 충족 1명" in html
    assert "70.00%" in html  # 7 of the 10 held, not 7 of 20
    assert "35.00%" not in html and "미수료" not in html
    assert "수료 판정 확정</button>" not in html
