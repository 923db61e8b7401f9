"""Statements by hand: a full training month, the 10-won cut of a pro-rated month, the cap
reached by a second cohort, an employee who gets nothing, an approved statement corrected by a
clawback; internship months from approved mentor reports (a full August, September with 추석)
to the intern or the company; and the advisory lock that queues two computations of one key."""

import datetime
import threading
import time

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db import transaction as db_transaction

from itda import factories
from itda.internships import ending, ojt
from itda.internships.models import Internship, Placement
from itda.internships.tests.ojt_world import AUG, SEP, activate, mentor_report
from itda.payments.models import Statement, StatementState
from itda.payments.services import allowance_compute
from itda.payments.statements import (
    StatementError,
    lock_key,
    statement_approve,
    statements_approve,
    statements_compute,
)
from itda.programs.models import Programme
from itda.programs.services import programme_income_class_change
from itda.recruitment.models import Result
from itda.training.models import Attendance

from .conftest import AFTER, prorate_rule, record

pytestmark = pytest.mark.django_db

JULY = datetime.date(2026, 7, 1)
TRAINING = "training_allowance"


def _statements(**filters):
    return list(Statement.objects.filter(**filters).order_by("period_start", "pk"))


def _compute_training(regions, cohorts, month=JULY):
    allowance_compute(cohorts=cohorts, as_of=AFTER)
    return statements_compute(programme=regions["programme"], month=month, kind=TRAINING)


def _person(regions, cohort, sessions, statuses, **extra):
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"]), **extra
    )
    record(enrollment, sessions, statuses)
    return enrollment


def test_a_full_training_month_is_one_statement_of_400000_with_its_arithmetic(regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = _person(regions, cohort, sessions, ["present"] * 16)
    counts = _compute_training(regions, [cohort.pk])
    assert counts["created"] == 1
    (statement,) = _statements(trainee=enrollment.trainee)
    assert (statement.amount_krw, statement.state, statement.operating_group) == (
        400_000,
        StatementState.DRAFT,
        regions["capital_group"],
    )
    assert (statement.period_start, statement.period_end) == (JULY, datetime.date(2026, 8, 1))
    (item,) = statement.arithmetic["items"]
    assert item["steps"][0]["text"] == "출석 인정 16차시 / 훈련 20차시 = 80% ≥ 80% → 400,000원"
    assert statement.rule_version == item["rule_version"]
    # Safe to run twice: nothing changes.
    again = statements_compute(programme=regions["programme"], month=JULY, kind=TRAINING)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_a_prorated_month_is_cut_to_ten_won(regions):
    prorate_rule(regions)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    sessions = factories.sessions(cohort=cohort, days=[JULY.replace(day=d) for d in range(1, 22)])
    enrollment = _person(regions, cohort, sessions, ["present"] * 13)
    _compute_training(regions, [cohort.pk])
    (statement,) = _statements(trainee=enrollment.trainee)
    # 400,000 × 13 / 21 = 247,619.04… → 247,619 (the line) → 247,610 paid.
    assert enrollment.allowance_lines.get().amount_krw == 247_619
    assert statement.amount_krw == 247_610
    assert [s["key"] for s in statement.arithmetic["items"][0]["steps"]] == [
        "by_rule",
        "rounding",
    ]


def test_the_cap_reached_in_june_leaves_july_nothing(regions, allowance_rule):
    Programme.objects.filter(pk=regions["programme"].pk).update(
        training_months_max=1, training_allowance_monthly_krw=400_000
    )
    person = factories.TraineeFactory(region=regions["seoul"])
    june_days = [datetime.date(2026, 6, d) for d in range(1, 11)]
    july_days = [JULY.replace(day=d) for d in range(1, 11)]
    june = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=june_days[0],
        ends_on=datetime.date(2026, 6, 30),
        code="BASIC",
    )
    july = factories.cohort(group=regions["capital_group"], track=regions["track"], code="PRAC")
    first = factories.enrollment(cohort=june, trainee=person, status="completed")
    second = factories.enrollment(cohort=july, trainee=person)
    record(first, factories.sessions(cohort=june, days=june_days), ["present"] * 10)
    record(second, factories.sessions(cohort=july, days=july_days), ["present"] * 10)
    allowance_compute(cohorts=[june.pk, july.pk], as_of=AFTER)
    for month in (datetime.date(2026, 6, 1), JULY):
        statements_compute(programme=regions["programme"], month=month, kind=TRAINING)
    june_statement, july_statement = _statements(trainee=person)
    assert (june_statement.amount_krw, july_statement.amount_krw) == (400_000, 0)
    assert july_statement.arithmetic["items"][0]["steps"][-1]["text"] == (
        "1인당 한도 400,000원 − 이 사업에서 앞서 산정된 400,000원 = 남은 한도 0원 → 0원"
    )


def test_an_employee_gets_a_statement_of_nothing_that_says_why(regions, july_cohort):
    cohort, sessions = july_cohort
    person = factories.TraineeFactory(region=regions["seoul"])
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    application = factories.application(
        call=call, trainee=person, result=Result.SELECTED, employment_status="employee"
    )
    enrollment = factories.enrollment(cohort=cohort, trainee=person, application=application)
    record(enrollment, sessions, ["present"] * 20)
    _compute_training(regions, [cohort.pk])
    (statement,) = _statements(trainee=person)
    assert statement.amount_krw == 0
    assert statement.arithmetic["items"][0]["steps"][0]["key"] == "ineligible"


def test_an_approved_statement_is_never_rewritten_a_clawback_corrects_it(regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = _person(regions, cohort, sessions, ["present"] * 16)
    _compute_training(regions, [cohort.pk])
    (statement,) = _statements(trainee=enrollment.trainee)
    Statement.objects.filter(pk=statement.pk).update(state=StatementState.APPROVED)
    # A record found wrong after approval: one present day was an absence (15/20 < 80%).
    Attendance.objects.filter(enrollment=enrollment, session=sessions[0]).update(status="absent")
    counts = _compute_training(regions, [cohort.pk])
    assert counts["corrections"] == 1
    original, clawback = _statements(trainee=enrollment.trainee)
    assert (original.pk, original.amount_krw, original.state) == (statement.pk, 400_000, "approved")
    assert (clawback.amount_krw, clawback.corrects_id, clawback.state) == (
        -400_000,
        statement.pk,
        "draft",
    )
    # The attendance restored: the draft clawback goes away.
    Attendance.objects.filter(enrollment=enrollment, session=sessions[0]).update(status="present")
    _compute_training(regions, [cohort.pk])
    assert _statements(trainee=enrollment.trainee) == [original]


def _approved_report(internship, month, mentor_user, staff, attendance):
    report = mentor_report(internship, month, mentor_user, attendance=attendance)
    ojt.ojt_report_review(report=report, approve=True, reason="", actor=staff)


def test_internship_months_from_approved_mentor_reports(
    ojt_internship, clock, mentor, seoul_staff, regions
):
    programme = regions["programme"]
    assert ojt_internship.payee == "intern"
    # August 2026: 21 weekdays less 광복절's substitute day (Mon 17) = 20; from Mon 3 all 20.
    _approved_report(ojt_internship, AUG, mentor, seoul_staff, attendance=20)
    # September: 20 working days (추석 Thu 24, Fri 25); 13 days attended.
    _approved_report(ojt_internship, SEP, mentor, seoul_staff, attendance=13)
    # A report not yet approved makes no statement.
    mentor_report(ojt_internship, datetime.date(2026, 10, 1), mentor, attendance=20)
    for month in (AUG, SEP, datetime.date(2026, 10, 1)):
        statements_compute(programme=programme, month=month, kind="internship_allowance")
    trainee = ojt_internship.placement.trainee
    august, september = _statements(trainee=trainee, kind="internship_allowance")
    assert (august.amount_krw, september.amount_krw) == (2_000_000, 1_300_000)
    steps = september.arithmetic["items"][0]["steps"]
    assert steps[1]["text"] == "2,000,000원 × 13일 ÷ 20일(그 달 근무일) = 1,300,000원"
    # The same month to the company when the agreement names it.
    Internship.objects.filter(pk=ojt_internship.pk).update(payee="company")
    statements_compute(programme=programme, month=AUG, kind="wage_support")
    (support,) = _statements(kind="wage_support")
    assert (support.company_id, support.trainee_id, support.amount_krw) == (
        ojt_internship.placement.position.company_id,
        None,
        2_000_000,
    )
    # The intern's draft August statement is no longer due and is removed.
    statements_compute(programme=programme, month=AUG, kind="internship_allowance")
    assert _statements(trainee=trainee, kind="internship_allowance") == [september]


def _dsn():
    settings = connection.settings_dict
    return (
        f"dbname={settings['NAME']} user={settings['USER']} host={settings['HOST']} "
        f"port={settings['PORT'] or 5432}"
        + (f" password={settings['PASSWORD']}" if settings["PASSWORD"] else "")
    )


def test_two_computations_of_one_key_queue_on_the_advisory_lock(regions):
    programme = regions["programme"]
    key = lock_key(programme.pk, JULY, TRAINING)
    # Another connection computing the same key holds the lock.
    with psycopg.connect(_dsn()) as other:
        other.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        with pytest.raises(OperationalError), db_transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            statements_compute(programme=programme, month=JULY, kind=TRAINING)
        # Another key is not held up.
        with db_transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            statements_compute(programme=programme, month=JULY, kind="wage_support")
        # A computation in a thread waits while the other holds the key, then runs.
        done = []
        thread = threading.Thread(
            target=lambda: (
                done.append(statements_compute(programme=programme, month=JULY, kind=TRAINING)),
                connection.close(),
            )
        )
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive() and not done
        other.commit()  # releases the lock
        thread.join(timeout=10)
    assert done and done[0]["created"] == 0


def test_approval_leaves_a_trail_and_a_second_approval_is_refused(
    regions, july_cohort, seoul_staff
):
    cohort, sessions = july_cohort
    enrollment = _person(regions, cohort, sessions, ["present"] * 16)
    _compute_training(regions, [cohort.pk])
    (statement,) = _statements(trainee=enrollment.trainee)
    statement_approve(statement=statement, actor=seoul_staff, note="출석부 대조")
    statement.refresh_from_db()
    assert statement.state == "approved"
    assert list(statement.transitions.values_list("from_state", "to_state", "actor", "note")) == [
        ("draft", "approved", seoul_staff.pk, "출석부 대조")
    ]
    with pytest.raises(StatementError, match="'승인' 상태의 지급 명세는 승인으로 바꿀 수 없습니다"):
        statement_approve(statement=statement, actor=seoul_staff)
    assert statement.transitions.count() == 1


# --- One internship by hand: 2026-08-14 (Fri) ~ 11-13 (Fri), five days a week, 2,000,000원 ----
# August: 21 weekdays less 광복절's substitute day (Mon 17) = 20 working days; scheduled Fri 14,
#   18–21, 24–28, 31 = 11 days.
# September: 22 weekdays less 추석 전날 (Thu 24) and 추석 (Fri 25) = 20; all 20 scheduled.
# October: 22 weekdays less 개천절's substitute day (Mon 5) and 한글날 (Fri 9) = 20; all scheduled.
# November: 21 weekdays, no holiday = 21; scheduled Mon 2 – Fri 13 = 10 days.
AUG14, NOV13 = datetime.date(2026, 8, 14), datetime.date(2026, 11, 13)
OCT, NOV = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
INTERN = "internship_allowance"
FOUR_MONTHS = {AUG: 11, SEP: 20, OCT: 20, NOV: 9}  # days at work by the mentor's reports


@pytest.fixture
def august_intern(setup, seoul_staff, company, trainee, mentor, clock):
    return activate(setup, seoul_staff, company, trainee, starts_on=AUG14, ends_on=NOV13)


def _months(internship, mentor_user, staff, attendance: dict, programme) -> list[Statement]:
    for month, days in attendance.items():
        _approved_report(internship, month, mentor_user, staff, attendance=days)
        statements_compute(programme=programme, month=month, kind=INTERN)
    return _statements(trainee=internship.placement.trainee, kind=INTERN)


def test_an_internship_by_hand_partial_full_and_the_ten_won_cut(
    august_intern, mentor, seoul_staff, regions
):
    statements = _months(
        august_intern,
        mentor,
        seoul_staff,
        {AUG: 11, SEP: 20, OCT: 20, NOV: 9},
        regions["programme"],
    )
    # August, partial with 광복절 대체 휴일: 2,000,000 × 11 ÷ 20 = 1,100,000.
    # September and October, full months with 추석 and 한글날: 2,000,000 each.
    # November: 2,000,000 × 9 ÷ 21 = 857,142.85… → 857,142 → 10원 미만 버림 857,140.
    assert [s.amount_krw for s in statements] == [1_100_000, 2_000_000, 2_000_000, 857_140]
    assert [s.gross_krw for s in statements] == [1_100_000, 2_000_000, 2_000_000, 857_140]
    steps = [s["text"] for s in statements[3].arithmetic["items"][0]["steps"]]
    assert steps == [
        "인정 근무일 = min(출근 9일, 예정 10일) = 9일",
        "2,000,000원 × 9일 ÷ 21일(그 달 근무일) = 857,142.85…원 → 원 미만 버림 857,142원",
        "10원 미만 버림(국고금 관리법 제47조) → 857,140원",
    ]
    assert statements[0].arithmetic["items"][0]["steps"][0]["value"] == 11


def test_the_cap_reached_mid_october_pays_the_rest_then_nothing(
    august_intern, mentor, seoul_staff, regions
):
    # Two months' worth per person: 2 × 2,000,000 = 4,000,000 (set after the agreement).
    Programme.objects.filter(pk=regions["programme"].pk).update(internship_months_max=2)
    regions["programme"].refresh_from_db()
    statements = _months(
        august_intern,
        mentor,
        seoul_staff,
        {AUG: 11, SEP: 20, OCT: 20, NOV: 9},
        regions["programme"],
    )
    # 1,100,000 + 2,000,000 = 3,100,000 before October; October pays the remaining 900,000 of
    # its 2,000,000; November's 857,140 finds nothing left.
    assert [s.amount_krw for s in statements] == [1_100_000, 2_000_000, 900_000, 0]
    assert statements[2].arithmetic["items"][0]["steps"][-1]["text"] == (
        "1인당 한도 4,000,000원 − 이 사업에서 앞서 산정된 3,100,000원 = 남은 한도 900,000원 → "
        "900,000원"
    )


def test_a_dropouts_last_month_pays_the_days_up_to_the_last_working_day(
    august_intern, mentor, seoul_staff, regions
):
    statements = _months(august_intern, mentor, seoul_staff, {SEP: 20}, regions["programme"])
    ending.internship_end_early(
        internship=august_intern,
        kind="intern_quit",
        last_day=datetime.date(2026, 10, 16),
        reason="개인 사정",
        actor=seoul_staff,
        today=datetime.date(2026, 10, 20),
    )
    august_intern.refresh_from_db()
    # October up to Fri 16: 1–2, 6–8, 12–16 = 10 scheduled days, all at work:
    # 2,000,000 × 10 ÷ 20 = 1,000,000.
    assert len(ojt.scheduled(august_intern, OCT)) == 10
    statements = _months(august_intern, mentor, seoul_staff, {OCT: 10}, regions["programme"])
    assert [s.amount_krw for s in statements] == [2_000_000, 1_000_000]
    # Nothing after: November is outside the internship, no report, no statement.
    assert (
        statements_compute(programme=regions["programme"], month=NOV, kind=INTERN)["created"] == 0
    )


def test_a_national_rounds_intern_is_paid_under_the_group_covering_the_workplace(
    august_intern, mentor, seoul_staff, regions
):
    # A national round's placement names no group; the workplace is in 서울 (수도권 사업단).
    Placement.objects.filter(pk=august_intern.placement_id).update(operating_group=None)
    [september] = _months(august_intern, mentor, seoul_staff, {SEP: 20}, regions["programme"])
    assert (september.amount_krw, september.operating_group) == (
        2_000_000,
        regions["capital_group"],
    )
    assert Statement.objects.visible_to(seoul_staff).filter(pk=september.pk).exists()


def test_the_programmes_income_class_withholds_by_the_engine(
    august_intern, mentor, seoul_staff, regions, admin
):
    programme_income_class_change(
        programme=regions["programme"], income_class="business", reason="운영지침", actor=admin
    )
    regions["programme"].refresh_from_db()
    (september,) = _months(august_intern, mentor, seoul_staff, {SEP: 20}, regions["programme"])
    # 사업소득 3%: 2,000,000 × 3% = 60,000; 지방소득세 6,000; paid 2,000,000 − 66,000.
    assert (september.gross_krw, september.amount_krw) == (2_000_000, 1_934_000)
    assert [s["key"] for s in september.arithmetic["items"][0]["steps"]][-3:] == [
        "income_tax",
        "local_tax",
        "net",
    ]
    change = regions["programme"].setting_changes.get()
    assert (change.old_value, change.new_value) == ("원천징수 없음", "사업소득")


def test_a_month_is_approved_in_bulk_within_the_approvers_scope(
    august_intern, mentor, seoul_staff, busan_staff, regions
):
    programme = regions["programme"]
    (september,) = _months(august_intern, mentor, seoul_staff, {SEP: 20}, programme)
    # Another region's staff see no draft of it: naming it refuses, approving all finds none.
    with pytest.raises(StatementError, match="1건"):
        statements_approve(
            programme=programme, month=SEP, kind=INTERN, actor=busan_staff, ids=[september.pk]
        )
    assert statements_approve(programme=programme, month=SEP, kind=INTERN, actor=busan_staff) == 0
    assert (
        statements_approve(
            programme=programme, month=SEP, kind=INTERN, actor=seoul_staff, note="9월분"
        )
        == 1
    )
    september.refresh_from_db()
    assert september.state == "approved"
    assert list(september.transitions.values_list("from_state", "to_state", "actor", "note")) == [
        ("draft", "approved", seoul_staff.pk, "9월분")
    ]
    # Approved, its amount is final: a second bulk approval finds nothing to do.
    assert statements_approve(programme=programme, month=SEP, kind=INTERN, actor=seoul_staff) == 0
