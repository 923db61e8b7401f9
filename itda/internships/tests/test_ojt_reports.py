"""OJT monthly reports: the intern's log and the mentor's report, each draft → submitted →
approved | returned → resubmitted; who may write and review, when a month opens, attendance
within the month's scheduled days, the programme's criteria, and every move on the trail."""

import datetime

import pytest

from itda import factories
from itda.internships import ojt
from itda.internships.models import (
    OjtCriterion,
    OjtReport,
    OjtReportTransition,
    OjtScore,
)
from itda.internships.ojt import OjtError
from itda.internships.tests.conftest import propose
from itda.internships.tests.ojt_world import AUG, OCT, SEP, activate, log, mentor_report
from itda.programs.models import PlacementKind, Track

pytestmark = pytest.mark.django_db


def _trail(report):
    return list(
        OjtReportTransition.objects.filter(report=report).values_list(
            "old", "new", "actor__username", "note"
        )
    )


def test_the_log_goes_draft_submitted_returned_resubmitted_approved(
    ojt_internship, clock, trainee, seoul_staff
):
    draft = log(ojt_internship, AUG, trainee, submit=False, learnt="")
    assert draft.state == "draft" and draft.written_by == trainee
    report = log(ojt_internship, AUG, trainee)
    assert report.pk == draft.pk and report.state == "submitted" and report.submitted_at
    ojt.ojt_report_review(
        report=report, approve=False, reason="배운 점을 구체적으로", actor=seoul_staff
    )
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "배운 점을 구체적으로")
    report = log(ojt_internship, AUG, trainee, learnt="PLC 래더 읽기와 센서 교체")
    assert report.state == "resubmitted"
    ojt.ojt_report_review(report=report, approve=True, reason="", actor=seoul_staff)
    report.refresh_from_db()
    assert report.state == "approved" and report.reviewed_by == seoul_staff
    assert _trail(report) == [
        ("", "draft", "trainee", "작성 시작"),
        ("draft", "submitted", "trainee", ""),
        ("submitted", "returned", "seoul_staff", "배운 점을 구체적으로"),
        ("returned", "resubmitted", "trainee", ""),
        ("resubmitted", "approved", "seoul_staff", ""),
    ]


def test_an_approved_report_is_locked_and_illegal_moves_change_nothing(
    ojt_internship, clock, trainee, seoul_staff
):
    report = log(ojt_internship, AUG, trainee)
    with pytest.raises(OjtError, match="검토가 끝날 때까지 고칠 수 없습니다"):
        log(ojt_internship, AUG, trainee, tasks="바꾼 내용")
    ojt.ojt_report_review(report=report, approve=True, reason="", actor=seoul_staff)
    before = _trail(report)
    with pytest.raises(OjtError, match="승인된 보고서는 고칠 수 없습니다"):
        log(ojt_internship, AUG, trainee, tasks="바꾼 내용")
    with pytest.raises(OjtError, match="'승인' 상태의 보고서는 보완 요청으로 바꿀 수 없습니다"):
        ojt.ojt_report_review(report=report, approve=False, reason="다시", actor=seoul_staff)
    with pytest.raises(OjtError, match="'승인' 상태의 보고서는 승인으로 바꿀 수 없습니다"):
        ojt.ojt_report_review(report=report, approve=True, reason="", actor=seoul_staff)
    report.refresh_from_db()
    assert (report.state, report.tasks, report.return_reason) == ("approved", "설비 점검 보조", "")
    assert _trail(report) == before


def test_a_draft_cannot_be_reviewed_and_a_return_needs_a_reason(
    ojt_internship, clock, trainee, seoul_staff
):
    draft = log(ojt_internship, AUG, trainee, submit=False)
    with pytest.raises(OjtError, match="'작성 중' 상태의 보고서는 승인으로 바꿀 수 없습니다"):
        ojt.ojt_report_review(report=draft, approve=True, reason="", actor=seoul_staff)
    submitted = log(ojt_internship, AUG, trainee)
    with pytest.raises(OjtError, match="보완 요청 사유를 적어야 합니다"):
        ojt.ojt_report_review(report=submitted, approve=False, reason=" ", actor=seoul_staff)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_submission_needs_every_part_and_a_draft_does_not(ojt_internship, clock, trainee):
    with pytest.raises(OjtError) as caught:
        log(ojt_internship, SEP, trainee, tasks="", hours_per_week=None, learnt="")
    assert caught.value.messages == [
        "수행한 업무를 입력하세요.",
        "주당 근무시간을 입력하세요.",
        "배운 점을 입력하세요.",
    ]
    assert not OjtReport.objects.exists()
    draft = log(ojt_internship, SEP, trainee, submit=False, tasks="", hours_per_week=None)
    assert draft.state == "draft"
    with pytest.raises(OjtError, match="주당 근무시간은 1시간에서 52시간 사이"):
        log(ojt_internship, SEP, trainee, submit=False, hours_per_week=60)


def test_only_the_intern_writes_the_log_and_only_staff_of_the_group_review(
    ojt_internship, clock, trainee, company, mentor, seoul_staff, busan_staff, admin
):
    for stranger in (company, mentor, seoul_staff):
        with pytest.raises(OjtError, match="인턴 본인만"):
            log(ojt_internship, AUG, stranger)
    report = log(ojt_internship, AUG, trainee)
    for stranger in (busan_staff, company, trainee, mentor):
        with pytest.raises(OjtError, match="사업단 담당자만 검토"):
            ojt.ojt_report_review(report=report, approve=True, reason="", actor=stranger)
    # The national operator may review any internship's report.
    ojt.ojt_report_review(report=report, approve=True, reason="", actor=admin)
    assert OjtReport.objects.get().state == "approved"


def test_the_log_opens_on_the_months_first_day_and_the_mentor_report_after_its_last(
    ojt_internship, clock, trainee, mentor
):
    clock(datetime.date(2026, 8, 31))
    with pytest.raises(OjtError, match=r"업무일지는 그 달 인턴십 첫날부터 .*2026-09-01부터"):
        log(ojt_internship, SEP, trainee)
    with pytest.raises(OjtError, match=r"멘토 보고서는 그 달 근무가 끝난 다음 날부터 .*2026-09-01"):
        mentor_report(ojt_internship, AUG, mentor)
    assert log(ojt_internship, AUG, trainee).state == "submitted"
    clock(datetime.date(2026, 9, 1))
    assert log(ojt_internship, SEP, trainee, submit=False).state == "draft"
    assert mentor_report(ojt_internship, AUG, mentor).state == "submitted"
    with pytest.raises(OjtError, match="2026년 11월은 이 인턴십 기간이 아닙니다"):
        log(ojt_internship, datetime.date(2026, 11, 1), trainee)


def test_attendance_is_at_most_the_months_scheduled_working_days(ojt_internship, clock, mentor):
    # September 2026: 20 working days (추석 24, 25 off), all inside the internship.
    with pytest.raises(OjtError, match="0일에서 이 달 예정 근무일 20일 사이.*입력: 21일"):
        mentor_report(ojt_internship, SEP, mentor, attendance=21)
    assert not OjtReport.objects.exists()
    # August from Monday 3: 3–7, 10–14, 18–21 (17th off), 24–28, 31 = 20 days.
    assert mentor_report(ojt_internship, AUG, mentor, attendance=20).attendance_days == 20


def test_the_mentor_rates_the_programmes_criteria_itda_defaults_first(
    ojt_internship, clock, mentor, regions
):
    report = mentor_report(ojt_internship, SEP, mentor)
    criteria = list(OjtCriterion.objects.filter(programme=regions["programme"]))
    assert [c.name for c in criteria] == [name for name, _ in ojt.DEFAULT_CRITERIA]
    assert sorted(OjtScore.objects.filter(report=report).values_list("score", flat=True)) == [4] * 5
    # A programme's own criterion: retired ones are no longer asked for.
    criteria[4].is_active = False
    criteria[4].save()
    own = OjtCriterion.objects.create(programme=regions["programme"], order=9, name="품질 의식")
    names = [c.name for c in ojt.criteria_for(regions["programme"])]
    assert names[-1] == "품질 의식" and "안전 수칙" not in names
    scores = {c.pk: 3 for c in criteria[:4]}
    with pytest.raises(OjtError, match="평가 항목마다 점수를 주세요: 품질 의식"):
        ojt.ojt_mentor_report_save(
            internship=ojt_internship,
            month=OCT,
            attendance_days=20,
            scores=scores,
            comment="좋음",
            submit=True,
            actor=mentor,
        )
    with pytest.raises(OjtError, match="품질 의식 점수는 1점에서 5점 사이"):
        ojt.ojt_mentor_report_save(
            internship=ojt_internship,
            month=OCT,
            attendance_days=20,
            scores=scores | {own.pk: 6},
            comment="좋음",
            submit=False,
            actor=mentor,
        )
    assert not OjtReport.objects.filter(month=OCT).exists()


def test_only_the_internships_mentor_writes_its_report_the_manager_when_the_mentor_left(
    setup, ojt_internship, clock, mentor, company, trainee
):
    other = factories.user(username="mentor2", role="mentor")
    setup["mentor"].company.mentors.create(user=other, name="박멘토", created_by=company)
    for stranger in (other, company, trainee):
        with pytest.raises(OjtError, match="이 인턴의 멘토만"):
            mentor_report(ojt_internship, SEP, stranger)
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    report = mentor_report(ojt_internship, SEP, company)
    assert report.written_by == company and report.state == "submitted"


def test_pbl_and_proposed_internships_report_nothing(setup, seoul_staff, clock, trainee, regions):
    internship = propose(setup, seoul_staff)
    with pytest.raises(OjtError, match="체결된 OJT 인턴십만"):
        log(internship, AUG, trainee)
    Track.objects.filter(pk=regions["track"].pk).update(placement_kind=PlacementKind.PBL)
    internship.refresh_from_db()
    internship.state = "active"
    assert not ojt.reports_monthly(internship)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_leave_one_report_and_one_move(
    setup, seoul_staff, company, trainee, clock
):
    internship = activate(setup, seoul_staff, company, trainee)

    def submit(_i):
        return log(internship, AUG, trainee)

    outcomes = factories.in_threads(6, submit)
    assert sum(isinstance(o, OjtReport) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, (OjtReport, OjtError)) for o in outcomes), outcomes
    report = OjtReport.objects.get()
    assert report.state == "submitted"
    assert [t[:2] for t in _trail(report)] == [("", "draft"), ("draft", "submitted")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_move_once(setup, seoul_staff, company, trainee, admin, clock):
    internship = activate(setup, seoul_staff, company, trainee)
    report = log(internship, AUG, trainee)
    people = [seoul_staff, admin] * 3

    def review(i):
        return ojt.ojt_report_review(
            report=report, approve=i % 2 == 0, reason="사유 있음", actor=people[i]
        )

    outcomes = factories.in_threads(len(people), review)
    assert sum(isinstance(o, OjtReport) for o in outcomes) == 1, outcomes
    assert OjtReportTransition.objects.filter(report=report).count() == 3
