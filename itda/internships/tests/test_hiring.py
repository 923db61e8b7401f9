"""The hiring outcome: the company confirms its hires, the intern reports a job elsewhere, staff
verify or return; one outcome per checkpoint, corrections as versions; a hire inside the
subsidised period counts only from the day after the end; outcomes due and overdue, set-based."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.internships import ending, hiring
from itda.internships.hiring import OutcomeError
from itda.internships.models import (
    HiringOutcome,
    HiringOutcomeTransition,
    Internship,
    StartWave,
)
from itda.internships.tests.conftest import make_position, place, propose
from itda.internships.tests.ojt_world import approve_every_month
from itda.internships.tests.test_ending import END, accept_all

pytestmark = pytest.mark.django_db

# Clock moments (UTC noon is 21:00 KST the same day).
NOV_5 = datetime.datetime(2026, 11, 5, 3, 0, tzinfo=datetime.UTC)
FEB_1 = datetime.datetime(2027, 2, 1, 3, 0, tzinfo=datetime.UTC)

HIRE = {
    "checkpoint": "end",
    "kind": "hired_host",
    "employment_type": "regular",
    "hired_on": datetime.date(2026, 11, 2),
    "wage_band": "220to250",
    "insurance_acquired_on": datetime.date(2026, 11, 2),
}


def _pdf(name="근로계약서.pdf", body=b"%PDF-1.4 contract"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def ended(setup, seoul_staff, company, trainee, settings, tmp_path):
    """The cast's internship 2026-08-03~10-31, every month reported and approved, completed on
    its end date."""
    settings.MEDIA_ROOT = tmp_path
    internship = accept_all(propose(setup, seoul_staff), company, trainee, seoul_staff)
    approve_every_month(internship, trainee, setup["mentor"].user, seoul_staff)
    ending.internship_complete(internship=internship, actor=seoul_staff, today=END)
    internship.refresh_from_db()
    return internship


def _trail(outcome):
    return list(
        HiringOutcomeTransition.objects.filter(outcome=outcome).values_list(
            "version", "action", "party", "actor__username"
        )
    )


def test_the_company_confirms_a_hire_and_staff_verify_it(ended, company, seoul_staff):
    outcome = hiring.outcome_report(
        internship=ended, actor=company, contract=_pdf(), now=NOV_5, **HIRE
    )
    assert (outcome.status, outcome.version, outcome.reported_party) == ("reported", 1, "company")
    assert outcome.employer == ended.placement.position.company.name
    assert outcome.contract.read() == b"%PDF-1.4 contract"
    assert not hiring.counts_as_hired(outcome)  # not verified yet
    hiring.outcome_verify(outcome=outcome, version=1, actor=seoul_staff, now=NOV_5)
    outcome.refresh_from_db()
    assert (outcome.status, outcome.verified_by) == ("verified", seoul_staff)
    assert hiring.counts_from(outcome) == datetime.date(2026, 11, 2)
    assert hiring.counts_as_hired(outcome)
    assert list(hiring.counted_hires(HiringOutcome.objects.all())) == [outcome]
    assert _trail(outcome) == [
        (1, "reported", "company", "company"),
        (1, "verified", "group", "seoul_staff"),
    ]
    reported = outcome.transitions.first()
    assert reported.values["wage_band"] == "220to250"
    assert reported.values["hired_on"] == "2026-11-02"
    assert reported.contract.name == outcome.contract.name


def test_a_hire_inside_the_subsidised_period_counts_from_the_day_after_the_end(
    ended, company, seoul_staff
):
    """Hired (on paper) from 10/1 while the internship ran to 10/31: recorded as reported, but
    it counts as a hire only from 11/1."""
    inside = HIRE | {"hired_on": datetime.date(2026, 10, 1)}
    outcome = hiring.outcome_report(internship=ended, actor=company, now=NOV_5, **inside)
    hiring.outcome_verify(outcome=outcome, version=1, actor=seoul_staff, now=NOV_5)
    outcome.refresh_from_db()
    assert outcome.hired_on == datetime.date(2026, 10, 1)
    assert hiring.counts_from(outcome) == datetime.date(2026, 11, 1)
    counted = hiring.counted_hires(HiringOutcome.objects.all()).get()
    assert counted.counts_from == datetime.date(2026, 11, 1)


def test_a_hire_is_not_recorded_while_the_internship_runs(setup, seoul_staff, company, trainee):
    running = accept_all(propose(setup, seoul_staff), company, trainee, seoul_staff)
    with pytest.raises(OutcomeError, match="인턴십이 끝난 뒤"):
        hiring.outcome_report(internship=running, actor=company, now=NOV_5, **HIRE)
    assert not HiringOutcome.objects.exists()


def test_a_hire_starting_after_the_checkpoint_counts_at_a_later_one(ended, company, seoul_staff):
    """Starts 12/15, past the end checkpoint's due date (11/30): no hire at the end; reported
    again at 3 months, it counts there."""
    late = HIRE | {"hired_on": datetime.date(2026, 12, 15)}
    at_end = hiring.outcome_report(internship=ended, actor=company, now=NOV_5, **late)
    hiring.outcome_verify(outcome=at_end, version=1, actor=seoul_staff, now=NOV_5)
    at_end.refresh_from_db()
    assert hiring.due_on(ended, "end") == datetime.date(2026, 11, 30)
    assert not hiring.counts_as_hired(at_end)
    later = hiring.outcome_report(
        internship=ended, actor=company, now=FEB_1, **(late | {"checkpoint": "month_3"})
    )
    hiring.outcome_verify(outcome=later, version=1, actor=seoul_staff, now=FEB_1)
    later.refresh_from_db()
    assert hiring.counts_as_hired(later)
    assert list(hiring.counted_hires(HiringOutcome.objects.all())) == [later]


def test_each_party_reports_only_its_own_kind(ended, company, trainee, seoul_staff, regions):
    with pytest.raises(OutcomeError, match="기업은 인턴 기업 채용만"):
        hiring.outcome_report(
            internship=ended,
            actor=company,
            checkpoint="end",
            kind="hired_elsewhere",
            employer="다른정밀",
            hired_on=datetime.date(2026, 11, 9),
            now=NOV_5,
        )
    with pytest.raises(OutcomeError, match="인턴은 다른 곳 취업, 진학만"):
        hiring.outcome_report(internship=ended, actor=trainee, now=NOV_5, **HIRE)
    mentor_user = ended.mentor.user
    other = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other)
    busan = factories.user(username="busan2", role="group_staff")
    regions["dongnam_group"].staff.add(busan)
    for stranger in (mentor_user, other, busan):
        with pytest.raises(OutcomeError, match="보고할 수 없습니다"):
            hiring.outcome_report(internship=ended, actor=stranger, now=NOV_5, **HIRE)
    outcome = hiring.outcome_report(
        internship=ended,
        actor=trainee,
        checkpoint="end",
        kind="hired_elsewhere",
        employer="다른정밀",
        hired_on=datetime.date(2026, 11, 9),
        employment_type="regular",  # not the host's hire: cleared
        now=NOV_5,
    )
    assert (outcome.reported_party, outcome.employment_type, outcome.status) == (
        "intern",
        "",
        "reported",
    )
    assert HiringOutcome.objects.count() == 1


def test_a_report_lacking_what_its_kind_needs_is_refused(ended, company, trainee):
    with pytest.raises(OutcomeError, match="입사일을 입력하세요") as refused:
        hiring.outcome_report(
            internship=ended, actor=company, now=NOV_5, **(HIRE | {"hired_on": None})
        )
    assert "고용 형태" not in str(refused.value)
    with pytest.raises(OutcomeError, match="고용 형태\\(정규직/계약직\\)와 월 임금 구간"):
        hiring.outcome_report(
            internship=ended, actor=company, now=NOV_5, **(HIRE | {"wage_band": ""})
        )
    with pytest.raises(OutcomeError, match="인턴십 시작일\\(2026-08-03\\) 이후"):
        hiring.outcome_report(
            internship=ended,
            actor=company,
            now=NOV_5,
            **(HIRE | {"hired_on": datetime.date(2026, 7, 1)}),
        )
    with pytest.raises(OutcomeError, match="이름을 입력하세요"):
        hiring.outcome_report(
            internship=ended,
            actor=trainee,
            checkpoint="end",
            kind="education",
            now=NOV_5,
        )
    with pytest.raises(OutcomeError, match="근로계약서: PDF"):
        hiring.outcome_report(
            internship=ended, actor=company, contract=_pdf(body=b"GIF89a"), now=NOV_5, **HIRE
        )
    assert not HiringOutcome.objects.exists()


def test_a_later_checkpoint_opens_on_its_date(ended, company):
    with pytest.raises(OutcomeError, match="종료 3개월 후 결과는 2027-01-31부터"):
        hiring.outcome_report(
            internship=ended, actor=company, now=NOV_5, **(HIRE | {"checkpoint": "month_3"})
        )
    assert hiring.checkpoint_on(ended, "month_6") == datetime.date(2027, 4, 30)


def test_a_correction_is_a_new_version_and_the_first_stays_in_the_trail(
    ended, company, seoul_staff
):
    first = hiring.outcome_report(
        internship=ended, actor=company, contract=_pdf(body=b"%PDF-1 v1"), now=NOV_5, **HIRE
    )
    hiring.outcome_verify(outcome=first, version=1, actor=seoul_staff, now=NOV_5)
    changed = HIRE | {"employment_type": "contract", "wage_band": "lt220"}
    with pytest.raises(OutcomeError, match="정정 사유"):
        hiring.outcome_report(internship=ended, actor=company, now=NOV_5, **changed)
    second = hiring.outcome_report(
        internship=ended,
        actor=company,
        contract=_pdf(body=b"%PDF-1 v2"),
        note="계약직으로 정정",
        now=NOV_5,
        **changed,
    )
    assert second.pk == first.pk and HiringOutcome.objects.count() == 1
    assert (second.version, second.status, second.verified_by) == (2, "reported", None)
    assert _trail(second) == [
        (1, "reported", "company", "company"),
        (1, "verified", "group", "seoul_staff"),
        (2, "corrected", "company", "company"),
    ]
    v1, _verified, v2 = second.transitions.all()
    assert (v1.values["employment_type"], v2.values["employment_type"]) == ("regular", "contract")
    assert v1.contract.read() == b"%PDF-1 v1"
    assert v2.contract.read() == b"%PDF-1 v2"
    assert v2.note == "계약직으로 정정"


def test_staff_record_and_verify_at_once(ended, seoul_staff):
    outcome = hiring.outcome_report(
        internship=ended,
        actor=seoul_staff,
        checkpoint="end",
        kind="unknown",
        note="세 차례 연락 두절",
        now=NOV_5,
    )
    assert (outcome.status, outcome.reported_by, outcome.verified_by) == (
        "verified",
        seoul_staff,
        seoul_staff,
    )
    assert [a for _v, a, _p, _u in _trail(outcome)] == ["reported", "verified"]


def test_verification_moves_are_refused_when_illegal(ended, company, seoul_staff, busan_staff):
    outcome = hiring.outcome_report(internship=ended, actor=company, now=NOV_5, **HIRE)
    with pytest.raises(OutcomeError, match="사업단 담당자만 확인"):
        hiring.outcome_verify(outcome=outcome, version=1, actor=busan_staff)
    with pytest.raises(OutcomeError, match="사업단 담당자만 확인"):
        hiring.outcome_verify(outcome=outcome, version=1, actor=company)
    with pytest.raises(OutcomeError, match="바뀐 내용을 보고 다시"):
        hiring.outcome_verify(outcome=outcome, version=7, actor=seoul_staff)
    with pytest.raises(OutcomeError, match="보완 요청 사유"):
        hiring.outcome_return(outcome=outcome, version=1, reason=" ", actor=seoul_staff)
    hiring.outcome_return(
        outcome=outcome, version=1, reason="계약서 사본이 없습니다", actor=seoul_staff
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.return_note) == ("returned", "계약서 사본이 없습니다")
    with pytest.raises(OutcomeError, match="'보완 요청' 상태의 채용 결과는 확인하거나"):
        hiring.outcome_verify(outcome=outcome, version=1, actor=seoul_staff)
    fixed = hiring.outcome_report(
        internship=ended, actor=company, contract=_pdf(), now=NOV_5, **HIRE
    )
    assert (fixed.version, fixed.status, fixed.return_note) == (2, "reported", "")
    hiring.outcome_verify(outcome=fixed, version=2, actor=seoul_staff)
    with pytest.raises(OutcomeError, match="'확인 완료' 상태의 채용 결과는"):
        hiring.outcome_verify(outcome=fixed, version=2, actor=seoul_staff)
    assert [a for _v, a, _p, _u in _trail(fixed)] == [
        "reported",
        "returned",
        "corrected",
        "verified",
    ]


def test_the_database_holds_one_outcome_per_checkpoint(ended, company):
    outcome = hiring.outcome_report(internship=ended, actor=company, now=NOV_5, **HIRE)
    duplicate = HiringOutcome(
        internship=ended,
        checkpoint="end",
        kind="not_employed",
        reported_by=company,
        reported_party="company",
        reported_at=NOV_5,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    with pytest.raises(Exception, match="Cannot update"), transaction.atomic():
        outcome.transitions.update(note="고침")


# --- due and overdue, set-based ----------------------------------------------------------------


def _ended_on(ends_on, *, setup, company, admin, regions, state="completed"):
    """An internship of a new intern that ended on ``ends_on`` (rows written directly)."""
    person = factories.TraineeFactory(region=regions["seoul"])
    position = make_position(company, regions["seoul"], regions["track"], title=f"{ends_on}")
    placement = place(person, position, group=regions["capital_group"], actor=admin)
    return Internship.objects.create(
        placement=placement,
        programme=regions["programme"],
        wave=StartWave.objects.get(),
        starts_on=ends_on - datetime.timedelta(days=60),
        ends_on=ends_on,
        workplace="-",
        payee="intern",
        state=state,
        proposed_by=admin,
    )


def test_outcomes_due_and_overdue_per_checkpoint(setup, company, admin, regions, seoul_staff):
    world = {"setup": setup, "company": company, "admin": admin, "regions": regions}
    aug = _ended_on(datetime.date(2026, 8, 31), **world)  # +3m 11/30, +6m 2027-02-28
    sep = _ended_on(datetime.date(2026, 9, 30), **world)
    oct_ = _ended_on(datetime.date(2026, 10, 31), **world)
    running = _ended_on(datetime.date(2026, 9, 30), **world, state="active")
    hiring.outcome_report(
        internship=sep,
        actor=seoul_staff,
        checkpoint="end",
        kind="not_employed",
        now=datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC),
    )
    hiring.outcome_report(
        internship=oct_,
        actor=company,
        now=NOV_5,
        **(HIRE | {"hired_on": datetime.date(2026, 11, 1)}),
    )
    day = datetime.date(2026, 12, 1)
    with CaptureQueriesContext(connection) as queries:
        due = {
            cp: {i.pk: (i.checkpoint_on, i.due_on, i.overdue, i.outcome_status) for i in rows}
            for cp, rows in hiring.outcomes_due(Internship.objects.all(), day).items()
        }
    assert len(queries) == 3  # one per checkpoint, however many internships
    assert due["end"] == {
        aug.pk: (datetime.date(2026, 8, 31), datetime.date(2026, 9, 30), True, None),
        oct_.pk: (datetime.date(2026, 10, 31), datetime.date(2026, 11, 30), True, "reported"),
    }
    assert due["month_3"] == {
        aug.pk: (datetime.date(2026, 11, 30), datetime.date(2026, 12, 30), False, None)
    }
    assert due["month_6"] == {}
    assert running.pk not in due["end"]
    # SQL and Python agree on the month ends (8/31 + 6 months = 2027-02-28).
    later = hiring.outcomes_due(Internship.objects.filter(pk=aug.pk), datetime.date(2027, 3, 1))
    assert later["month_6"].get().checkpoint_on == hiring.checkpoint_on(aug, "month_6")
    assert hiring.checkpoint_on(aug, "month_6") == datetime.date(2027, 2, 28)
