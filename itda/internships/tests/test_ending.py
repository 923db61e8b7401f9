"""The end of an internship: completed at its end date, or ended early by the group with who,
when, why and evidence; the end date is cut to the last working day, so the person's months
and the mentor's load count the days it really ran; illegal moves are refused and change
nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itda import factories
from itda.internships import agreements, ending, ojt
from itda.internships.agreements import AgreementError
from itda.internships.models import (
    FinalReview,
    Internship,
    InternshipEnding,
    InternshipTransition,
    StartWave,
)
from itda.internships.selectors import ojt_months
from itda.internships.tests.conftest import make_position, place, propose
from itda.internships.tests.ojt_world import AUG, SEP, approve_every_month, log, mentor_report
from itda.programs.models import Trainee

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 10, 31)


def accept_all(internship, *people):
    for person in people:
        agreements.internship_accept(
            internship=internship, version=internship.terms_version, actor=person
        )
    internship.refresh_from_db()
    return internship


@pytest.fixture
def active(setup, seoul_staff, company, trainee):
    """The cast's internship 2026-08-03~10-31, accepted by all three."""
    return accept_all(propose(setup, seoul_staff), company, trainee, seoul_staff)


@pytest.fixture
def reported(active, setup, seoul_staff, trainee):
    """``active`` with every month's log and mentor report approved."""
    approve_every_month(active, trainee, setup["mentor"].user, seoul_staff)
    return active


def _pdf(name="사직서.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 resignation", content_type="application/pdf")


def _trail(internship):
    return list(
        InternshipTransition.objects.filter(internship=internship).values_list("old", "new")
    )


def test_an_internship_completes_on_its_end_date(reported, seoul_staff):
    active = reported
    ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    active.refresh_from_db()
    assert active.state == "completed"
    assert active.placement.state == "ended"
    row = InternshipEnding.objects.get(internship=active)
    assert (row.kind, row.last_day, row.agreed_ends_on, row.recorded_by) == (
        "completed",
        END,
        END,
        seoul_staff,
    )
    assert _trail(active)[-1] == ("active", "completed")


def test_completion_before_the_end_date_is_refused_with_its_blockers(reported, seoul_staff):
    active = reported
    day_before = END - datetime.timedelta(days=1)
    assert ending.completion_blockers(active, today=day_before) == [
        "종료일(2026-10-31)이 되어야 완료할 수 있습니다."
    ]
    assert ending.completion_blockers(active, today=END) == []
    with pytest.raises(AgreementError, match=r"종료일\(2026-10-31\)이 되어야"):
        ending.internship_complete(internship=active, actor=seoul_staff, today=day_before)
    active.refresh_from_db()
    assert active.state == "active"
    assert not InternshipEnding.objects.exists()


def test_a_new_completion_check_joins_the_list(reported, seoul_staff, monkeypatch):
    """A check added to the list holds completion back too."""
    active = reported
    checks = [*ending.COMPLETION_CHECKS, lambda i, today: "최종 월간 보고서 승인이 필요합니다."]
    monkeypatch.setattr(ending, "COMPLETION_CHECKS", checks)
    with pytest.raises(AgreementError, match="최종 월간 보고서"):
        ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    assert ending.completion_blockers(active, today=END) == ["최종 월간 보고서 승인이 필요합니다."]


def test_an_early_end_cuts_the_end_date_and_frees_the_seat(active, seoul_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    last = datetime.date(2026, 9, 15)
    ending.internship_end_early(
        internship=active,
        kind="intern_quit",
        last_day=last,
        reason="타 기업 정규직 합격",
        evidence=_pdf(),
        actor=seoul_staff,
        today=datetime.date(2026, 9, 16),
    )
    active.refresh_from_db()
    assert (active.state, active.ends_on) == ("ended_early", last)
    assert active.placement.state == "ended_early"
    row = active.ending
    assert (row.kind, row.last_day, row.agreed_ends_on) == ("intern_quit", last, END)
    assert row.evidence_name == "사직서.pdf"
    assert row.evidence.read() == b"%PDF-1.4 resignation"
    event = InternshipTransition.objects.get(internship=active, new="ended_early")
    assert event.old == "active" and event.actor == seoul_staff
    assert event.note == (
        "인턴 중도 포기: 타 기업 정규직 합격 (마지막 근무일 2026-09-15, "
        "종료일 2026-10-31 → 2026-09-15)"
    )


@pytest.mark.parametrize(
    ("kind", "last_day", "reason", "message"),
    [
        ("completed", datetime.date(2026, 9, 15), "사유", "중도 종료 구분을 고르세요"),
        ("company_ended", datetime.date(2026, 9, 15), " ", "사유를 적어야 합니다"),
        ("other", datetime.date(2026, 8, 2), "사유", r"시작일\(2026-08-03\) 이후여야"),
        ("other", END, "사유", "기간 만료 완료입니다"),
        ("other", datetime.date(2026, 9, 17), "사유", "마지막 근무일이 지난 뒤"),
    ],
)
def test_a_bad_early_end_is_refused_and_changes_nothing(
    active, seoul_staff, kind, last_day, reason, message
):
    with pytest.raises(AgreementError, match=message):
        ending.internship_end_early(
            internship=active,
            kind=kind,
            last_day=last_day,
            reason=reason,
            actor=seoul_staff,
            today=datetime.date(2026, 9, 16),
        )
    active.refresh_from_db()
    assert (active.state, active.ends_on, active.placement.state) == ("active", END, "started")
    assert not InternshipEnding.objects.exists()


def test_evidence_must_be_a_document(active, seoul_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("사직서.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(AgreementError, match="증빙: PDF"):
        ending.internship_end_early(
            internship=active,
            kind="intern_quit",
            last_day=datetime.date(2026, 9, 15),
            reason="개인 사정",
            evidence=fake,
            actor=seoul_staff,
            today=datetime.date(2026, 9, 16),
        )
    active.refresh_from_db()
    assert active.state == "active"


def test_only_the_managing_group_ends_an_internship(
    active, company, trainee, busan_staff, seoul_staff
):
    events = InternshipTransition.objects.count()
    for stranger in (company, trainee, busan_staff):
        with pytest.raises(AgreementError, match="'협약 체결' 상태의 인턴십은 완료로 바꿀 수"):
            ending.internship_complete(internship=active, actor=stranger, today=END)
        with pytest.raises(AgreementError, match="중도 종료로 바꿀 수 없습니다"):
            ending.internship_end_early(
                internship=active,
                kind="company_ended",
                last_day=datetime.date(2026, 9, 1),
                reason="경영 사정",
                actor=stranger,
                today=END,
            )
    assert InternshipTransition.objects.count() == events
    active.refresh_from_db()
    assert active.state == "active"


def test_illegal_moves_around_the_end_are_refused(setup, reported, seoul_staff, company, trainee):
    active = reported
    ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    events = InternshipTransition.objects.count()
    # A completed internship is over: no second ending, no early end, no decline or cancel.
    with pytest.raises(AgreementError, match="'완료' 상태의 인턴십은 완료로 바꿀 수 없습니다"):
        ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    with pytest.raises(AgreementError, match="'완료' 상태의 인턴십은 중도 종료로"):
        ending.internship_end_early(
            internship=active,
            kind="other",
            last_day=datetime.date(2026, 9, 1),
            reason="착오",
            actor=seoul_staff,
            today=END,
        )
    with pytest.raises(AgreementError, match="'완료' 상태의 인턴십은 취소로"):
        agreements.internship_cancel(internship=active, reason="착오", actor=seoul_staff)
    with pytest.raises(AgreementError, match="'완료' 상태의 인턴십은 거절로"):
        agreements.internship_decline(internship=active, reason="착오", actor=trainee)
    assert InternshipTransition.objects.count() == events
    assert InternshipEnding.objects.count() == 1


def test_a_proposal_cannot_be_completed_or_ended_early(setup, seoul_staff):
    proposed = propose(setup, seoul_staff)
    with pytest.raises(AgreementError, match="'협약 대기' 상태의 인턴십은 완료로"):
        ending.internship_complete(internship=proposed, actor=seoul_staff, today=END)
    with pytest.raises(AgreementError, match="'협약 대기' 상태의 인턴십은 중도 종료로"):
        ending.internship_end_early(
            internship=proposed,
            kind="other",
            last_day=datetime.date(2026, 8, 3),
            reason="착오",
            actor=seoul_staff,
            today=END,
        )
    proposed.refresh_from_db()
    assert proposed.state == "proposed"


def test_an_early_end_leaves_the_rest_of_the_months_for_a_second_internship(
    active, seoul_staff, company, trainee, admin, regions, setup
):
    """Ended early after 44 days (8/3~9/15): a second internship of 48 days fits in the 92 of
    three months; with the agreed 90 days still counted it would not."""
    ending.internship_end_early(
        internship=active,
        kind="company_ended",
        last_day=datetime.date(2026, 9, 15),
        reason="사업장 이전",
        actor=seoul_staff,
        today=datetime.date(2026, 9, 16),
    )
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 10월",
        first_start=datetime.date(2026, 10, 1),
        last_start=datetime.date(2026, 10, 30),
        created_by=admin,
    )
    position = make_position(company, regions["seoul"], regions["track"], title="두 번째")
    again = place(
        Trainee.objects.get(user=trainee), position, group=regions["capital_group"], actor=admin
    )
    second = setup | {"placement": again}
    starts_on = datetime.date(2026, 10, 1)
    with pytest.raises(AgreementError, match=r"44일.*93일로 3개월\(92일\)"):
        propose(second, seoul_staff, starts_on=starts_on, ends_on=datetime.date(2026, 11, 18))
    internship = propose(
        second, seoul_staff, starts_on=starts_on, ends_on=datetime.date(2026, 11, 17)
    )
    assert internship.state == "proposed"


def test_the_mentor_is_free_again_after_an_early_end(
    active, setup, seoul_staff, company, admin, regions
):
    agreements.mentor_ceiling_set(programme=regions["programme"], ceiling=1, actor=admin)
    other = factories.TraineeFactory(region=regions["seoul"])
    position = make_position(company, regions["seoul"], regions["track"], title="두 번째")
    second = place(other, position, group=regions["capital_group"], actor=admin)
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 9월",
        first_start=datetime.date(2026, 9, 16),
        last_start=datetime.date(2026, 9, 30),
        created_by=admin,
    )
    later = {"starts_on": datetime.date(2026, 9, 21), "ends_on": datetime.date(2026, 11, 20)}
    with pytest.raises(AgreementError, match="최대 1명"):
        propose(setup | {"placement": second}, seoul_staff, **later)
    ending.internship_end_early(
        internship=active,
        kind="intern_quit",
        last_day=datetime.date(2026, 9, 18),
        reason="건강 문제",
        actor=seoul_staff,
        today=datetime.date(2026, 9, 18),
    )
    internship = propose(setup | {"placement": second}, seoul_staff, **later)
    assert internship.mentor == setup["mentor"]


def test_an_ojt_internship_completes_only_with_every_month_approved(
    active, setup, seoul_staff, trainee
):
    mentor = setup["mentor"].user
    for month in (AUG, SEP):
        for report in (log(active, month, trainee), mentor_report(active, month, mentor)):
            ojt.ojt_report_review(report=report, approve=True, reason="", actor=seoul_staff)
    log(active, datetime.date(2026, 10, 1), trainee)  # submitted, not yet approved
    assert ending.completion_blockers(active, today=END) == [
        "모든 달의 근무일지와 멘토 보고서가 승인되어야 완료할 수 있습니다 (승인 전: 2026-10)."
    ]
    with pytest.raises(AgreementError, match="승인 전: 2026-10"):
        ending.internship_complete(internship=active, actor=seoul_staff, today=END)
    active.refresh_from_db()
    assert active.state == "active"


def test_an_early_end_shortens_the_months_to_report(active, setup, seoul_staff, trainee):
    """Ended on 9월 10일: the months stop at September, the last span ends that day, and
    completion-style checks and reminders read the same months."""
    ending.internship_end_early(
        internship=active,
        kind="intern_quit",
        last_day=datetime.date(2026, 9, 10),
        reason="개인 사정",
        actor=seoul_staff,
        today=END,
    )
    active.refresh_from_db()
    assert ojt.months(active) == [AUG, SEP]
    assert ojt.month_span(active, SEP) == (SEP, datetime.date(2026, 9, 10))
    rows = list(ojt_months(Internship.objects.filter(pk=active.pk), day=END))
    assert [(r.month, r.last_day) for r in rows] == [
        (AUG, datetime.date(2026, 8, 31)),
        (SEP, datetime.date(2026, 9, 10)),
    ]
    assert rows[1].due_on == datetime.date(2026, 9, 15)


def test_a_pbl_internship_completes_only_after_its_final_review(pbl_active, seoul_staff, mentor):
    assert ending.completion_blockers(pbl_active, today=END) == [
        "기업의 최종 평가가 있어야 완료할 수 있습니다."
    ]
    FinalReview.objects.create(
        internship=pbl_active,
        summary="완성",
        scores=[],
        total_score=0,
        max_score=0,
        reviewer=mentor,
    )
    ending.internship_complete(internship=pbl_active, actor=seoul_staff, today=END)
    pbl_active.refresh_from_db()
    assert pbl_active.state == "completed"
