"""Track 1 (OJT) monthly reports: the intern's work log and the mentor's report for every
calendar month an internship touches, staff review, the criteria mentors rate, and the monthly
amount the approved attendance gives.

Each report moves draft → submitted → approved | returned → resubmitted → approved | returned …
(table ``_MOVES``); approved is final. The writer edits a draft or a returned report; staff of
the group that manages the internship (the national operator for any) approve or return with a
reason. Every move is an event row; a move the table does not hold is refused in Korean and
changes nothing.

When a month may be reported (RuleOrigin "<programme>.internship.report_due", itda 기본값):
- the intern's log from the internship's first day in that month (it is written as the month
  goes, and may be submitted any time after);
- the mentor's report from the day after the internship's last day in that month (the month's
  end, or the internship's end date when it ends inside the month): attendance is attested for
  days that are over;
- both are due ``OJT_DUE_DAYS_AFTER`` days after that last day.

The internship's last day is its ``ends_on`` here and in the month selector
(selectors.ojt_months): an early end must set it (or both reads must learn the actual end), so
the months up to the end, and no later, are reported.

Who writes: the intern the log; the internship's mentor (the Mentor's account) the mentor report.
The company manager writes it only while the mentor's account is deactivated (a mentor who left):
the report is the company's attestation of attendance, so it stays with a named person of the
company, and the report records who wrote it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import workdays
from itda.internships.models import (
    OJT_DUE_DAYS_AFTER,
    OJT_NOT_REPORTING,
    OJT_SCORE_MAX,
    Internship,
    OjtCriterion,
    OjtReport,
    OjtReportKind,
    OjtReportState,
    OjtReportTransition,
    OjtScore,
)
from itda.internships.selectors import OjtMonth, ojt_months
from itda.lib.korean import josa
from itda.programs.models import PlacementKind, Programme

# itda's default criteria (RuleOrigin "<programme>.internship.criteria", itda 기본값): the
# release names none; these are the usual headings of a workplace-training evaluation.
DEFAULT_CRITERIA = (
    ("직무 수행", "맡은 업무를 이해하고 해낸 정도"),
    ("근무 태도", "출근·성실성·책임감"),
    ("학습과 성장", "새 설비·공정·기술을 익힌 정도"),
    ("협업과 소통", "동료·멘토와 함께 일하고 묻고 알리는 정도"),
    ("안전 수칙", "현장 안전 수칙과 작업 표준을 지킨 정도"),
)

W, R = "writer", "reviewer"
_MOVES = {
    (OjtReportState.DRAFT, OjtReportState.SUBMITTED): W,
    (OjtReportState.RETURNED, OjtReportState.RESUBMITTED): W,
    (OjtReportState.SUBMITTED, OjtReportState.APPROVED): R,
    (OjtReportState.SUBMITTED, OjtReportState.RETURNED): R,
    (OjtReportState.RESUBMITTED, OjtReportState.APPROVED): R,
    (OjtReportState.RESUBMITTED, OjtReportState.RETURNED): R,
}
EDITABLE = (OjtReportState.DRAFT, OjtReportState.RETURNED)
AWAITING_REVIEW = (OjtReportState.SUBMITTED, OjtReportState.RESUBMITTED)


class OjtError(ValidationError):
    """A request about a monthly report that the rules refuse; the message is Korean."""


def today() -> datetime.date:
    """Today in Korea (the pages' and services' clock; tests replace it)."""
    return timezone.localdate()


# --- months --------------------------------------------------------------------------------------


def is_ojt(internship: Internship) -> bool:
    """The internship's position is on a Track 1 (OJT) track."""
    return internship.placement.position.track.placement_kind == PlacementKind.OJT


def reports_monthly(internship: Internship) -> bool:
    """An OJT internship that was agreed (active, and later completed or ended early)."""
    return is_ojt(internship) and internship.state not in OJT_NOT_REPORTING


def months(internship: Internship) -> list[datetime.date]:
    """The first day of every calendar month the internship touches."""
    return workdays.months_between(internship.starts_on, internship.ends_on)


def month_span(internship: Internship, month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The internship's first and last day inside ``month``."""
    first, last = workdays.month_bounds(month)
    return max(first, internship.starts_on), min(last, internship.ends_on)


def due_on(internship: Internship, month: datetime.date) -> datetime.date:
    """When the month's log and mentor report are due."""
    return month_span(internship, month)[1] + datetime.timedelta(days=OJT_DUE_DAYS_AFTER)


def opens_on(internship: Internship, month: datetime.date, kind: str) -> datetime.date:
    """The first day the month's report of ``kind`` may be written."""
    first, last = month_span(internship, month)
    return first if kind == OjtReportKind.LOG else last + datetime.timedelta(days=1)


def scheduled(internship: Internship, month: datetime.date) -> list[datetime.date]:
    """The internship's scheduled working days in ``month``."""
    return workdays.scheduled_days(
        month,
        starts_on=internship.starts_on,
        ends_on=internship.ends_on,
        days_per_week=internship.days_per_week,
    )


def month_amount(
    internship: Internship, month: datetime.date, *, attendance_days: int | None
) -> workdays.MonthlyAmount:
    """The month's amount and its arithmetic, from the approved mentor report's attendance."""
    return workdays.monthly_amount(
        month,
        starts_on=internship.starts_on,
        ends_on=internship.ends_on,
        days_per_week=internship.days_per_week,
        monthly_amount_krw=internship.monthly_amount_krw,
        attendance_days=attendance_days,
    )


# --- who -----------------------------------------------------------------------------------------


def may_write(internship: Internship, kind: str, actor: User) -> bool:
    """Whether ``actor`` writes the internship's reports of ``kind`` (see the module's rule)."""
    if kind == OjtReportKind.LOG:
        return actor.role == Role.TRAINEE and internship.placement.trainee.user_id == actor.pk
    mentor = internship.mentor
    if mentor is None:
        return False
    if actor.role == Role.MENTOR:
        return mentor.user_id == actor.pk and actor.is_active
    if actor.role == Role.COMPANY and not mentor.user.is_active:
        return internship.placement.position.company.managers.filter(pk=actor.pk).exists()
    return False


def may_review(internship: Internship, actor: User) -> bool:
    """Staff of the group that manages the internship, or the national operator."""
    return (
        actor.role in PROGRAMME_STAFF
        and Internship.objects.visible_to(actor).filter(pk=internship.pk).exists()
    )


# --- criteria ------------------------------------------------------------------------------------


def criteria_for(programme: Programme) -> list[OjtCriterion]:
    """The programme's criteria in use; a programme that has none yet gets itda's defaults
    (written once: the programme row is locked while they are)."""
    rows = list(programme.ojt_criteria.filter(is_active=True))
    if rows or programme.ojt_criteria.exists():
        return rows
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        if not programme.ojt_criteria.exists():
            OjtCriterion.objects.bulk_create(
                OjtCriterion(programme=programme, order=i, name=name, description=text)
                for i, (name, text) in enumerate(DEFAULT_CRITERIA, start=1)
            )
    return list(programme.ojt_criteria.filter(is_active=True))


# --- writing -------------------------------------------------------------------------------------


def _lock(internship: Internship) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related(
            "placement__position__track",
            "placement__position__company",
            "placement__trainee",
            "mentor__user",
            "programme",
        )
        .get(pk=internship.pk)
    )


_OPENS = {
    OjtReportKind.LOG: "업무일지는 그 달 인턴십 첫날",
    OjtReportKind.MENTOR: "멘토 보고서는 그 달 근무가 끝난 다음 날",
}


def _check_month(internship: Internship, month: datetime.date, kind: str) -> None:
    if not reports_monthly(internship):
        raise OjtError("체결된 OJT 인턴십만 월간 보고를 씁니다.")
    if month not in months(internship):
        raise OjtError(f"{month.year}년 {month.month}월은 이 인턴십 기간이 아닙니다.")
    opens = opens_on(internship, month, kind)
    if today() < opens:
        raise OjtError(f"{_OPENS[kind]}부터 쓸 수 있습니다 ({opens:%Y-%m-%d}부터).")


def _report_for_writing(
    internship: Internship, month: datetime.date, kind: str, actor: User
) -> OjtReport:
    """The month's report of ``kind``, locked, or a new draft (not saved yet)."""
    report = (
        OjtReport.objects.select_for_update()
        .filter(internship=internship, month=month, kind=kind)
        .first()
    )
    if report is None:
        return OjtReport(internship=internship, month=month, kind=kind, written_by=actor)
    if report.state == OjtReportState.APPROVED:
        raise OjtError("승인된 보고서는 고칠 수 없습니다.")
    if report.state in AWAITING_REVIEW:
        raise OjtError("제출한 보고서는 검토가 끝날 때까지 고칠 수 없습니다.")
    report.written_by = actor
    return report


def _move(report: OjtReport, to: OjtReportState, *, actor: User, by: str, note: str = "") -> None:
    """Change state and write the event row; a move the table does not hold is refused."""
    old = OjtReportState(report.state)
    if _MOVES.get((old, to)) != by:
        raise OjtError(
            f"'{old.label}' 상태의 보고서는 {josa(to.label, '으로/로')} 바꿀 수 없습니다."
        )
    report.state = to
    now = timezone.now()
    if by == W:
        report.submitted_at = now
    else:
        report.reviewed_by, report.reviewed_at = actor, now
    report.save()
    OjtReportTransition.objects.create(report=report, actor=actor, old=old, new=to, note=note)


def _save(report: OjtReport, *, actor: User) -> OjtReport:
    """Save the writer's content; a new report starts as a draft, with its event row."""
    new = report.pk is None
    try:
        report.full_clean()
    except ValidationError as exc:
        raise OjtError(exc.messages) from exc
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # another request created the month's report meanwhile
        raise OjtError("이 달의 보고서가 이미 있습니다. 새로 고친 뒤 다시 하세요.") from exc
    if new:
        OjtReportTransition.objects.create(
            report=report, actor=actor, old="", new=OjtReportState.DRAFT, note="작성 시작"
        )
    return report


def _submit(report: OjtReport, *, actor: User) -> OjtReport:
    """The writer hands the report in: draft → submitted, returned → resubmitted."""
    returned = report.state == OjtReportState.RETURNED
    to = OjtReportState.RESUBMITTED if returned else OjtReportState.SUBMITTED
    _move(report, to, actor=actor, by=W)
    return report


def _required(errors: list[str], value, label: str) -> None:
    if value is None or (isinstance(value, str) and len(value.strip()) < 2):
        errors.append(f"{josa(label, '을/를')} 입력하세요.")


@transaction.atomic
def ojt_log_save(
    *,
    internship: Internship,
    month: datetime.date,
    tasks: str,
    hours_per_week: int | None,
    learnt: str,
    submit: bool,
    actor: User,
) -> OjtReport:
    """The intern saves the month's work log as a draft, or submits it (all three parts
    needed to submit)."""
    internship = _lock(internship)
    if not may_write(internship, OjtReportKind.LOG, actor):
        raise OjtError("업무일지는 인턴 본인만 쓸 수 있습니다.")
    _check_month(internship, month, OjtReportKind.LOG)
    report = _report_for_writing(internship, month, OjtReportKind.LOG, actor)
    report.tasks, report.learnt = tasks.strip(), learnt.strip()
    report.hours_per_week = hours_per_week
    if submit:
        errors: list[str] = []
        _required(errors, report.tasks, "수행한 업무")
        _required(errors, report.hours_per_week, "주당 근무시간")
        _required(errors, report.learnt, "배운 점")
        if errors:
            raise OjtError(errors)
    report = _save(report, actor=actor)
    return _submit(report, actor=actor) if submit else report


@transaction.atomic
def ojt_mentor_report_save(
    *,
    internship: Internship,
    month: datetime.date,
    attendance_days: int | None,
    scores: dict[int, int | None],
    comment: str,
    submit: bool,
    actor: User,
) -> OjtReport:
    """The mentor saves the month's report — attendance days (at most the month's scheduled
    working days), a 1–5 rating on each of the programme's criteria (by criterion id), a
    comment — as a draft, or submits it (everything needed to submit)."""
    internship = _lock(internship)
    if not may_write(internship, OjtReportKind.MENTOR, actor):
        raise OjtError("멘토 보고서는 이 인턴의 멘토만 쓸 수 있습니다.")
    _check_month(internship, month, OjtReportKind.MENTOR)
    report = _report_for_writing(internship, month, OjtReportKind.MENTOR, actor)
    criteria = {c.pk: c for c in criteria_for(internship.programme)}
    errors: list[str] = []
    limit = len(scheduled(internship, month))
    if attendance_days is not None and not 0 <= attendance_days <= limit:
        errors.append(
            f"출근일수는 0일에서 이 달 예정 근무일 {limit}일 사이여야 합니다 "
            f"(입력: {attendance_days}일)."
        )
    unknown = set(scores) - set(criteria)
    if unknown:
        errors.append("이 사업의 평가 항목이 아닌 점수가 있습니다.")
    for pk, score in scores.items():
        if pk in criteria and score is not None and not 1 <= score <= OJT_SCORE_MAX:
            errors.append(f"{criteria[pk].name} 점수는 1점에서 {OJT_SCORE_MAX}점 사이여야 합니다.")
    if submit:
        _required(errors, attendance_days, "출근일수")
        missing = [c.name for pk, c in criteria.items() if scores.get(pk) is None]
        if missing:
            errors.append(f"평가 항목마다 점수를 주세요: {', '.join(missing)}.")
        _required(errors, comment, "멘토 의견")
    if errors:
        raise OjtError(errors)
    report.attendance_days, report.comment = attendance_days, comment.strip()
    report = _save(report, actor=actor)
    for pk, score in scores.items():
        if score is None:
            OjtScore.objects.filter(report=report, criterion_id=pk).delete()
        else:
            OjtScore.objects.update_or_create(
                report=report, criterion_id=pk, defaults={"score": score}
            )
    return _submit(report, actor=actor) if submit else report


@transaction.atomic
def ojt_report_review(*, report: OjtReport, approve: bool, reason: str, actor: User) -> OjtReport:
    """Staff approve a submitted report (final), or return it with a reason for the writer to
    fix and resubmit."""
    report = (
        OjtReport.objects.select_for_update(of=("self",))
        .select_related("internship")
        .get(pk=report.pk)
    )
    if not may_review(report.internship, actor):
        raise OjtError("이 인턴십을 관리하는 사업단 담당자만 검토할 수 있습니다.")
    reason = reason.strip()
    if approve:
        _move(report, OjtReportState.APPROVED, actor=actor, by=R, note=reason)
        return report
    if len(reason) < 2:
        raise OjtError("보완 요청 사유를 적어야 합니다.")
    report.return_reason = reason
    _move(report, OjtReportState.RETURNED, actor=actor, by=R, note=reason)
    return report


# --- reading, for the pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthView:
    """One month of one internship as the pages show it: where it stands (the set-based
    selector's row), its two reports, and its amount with the arithmetic."""

    row: OjtMonth
    log: OjtReport | None
    mentor: OjtReport | None
    amount: workdays.MonthlyAmount

    @property
    def log_editable(self) -> bool:
        return self.log is None or self.log.state in EDITABLE

    @property
    def mentor_editable(self) -> bool:
        return self.mentor is None or self.mentor.state in EDITABLE


def month_views(internship: Internship, *, day: datetime.date) -> list[MonthView]:
    """Every month of an OJT internship that reports monthly (two queries); empty otherwise.
    The amount counts the attendance of an approved mentor report only."""
    if not reports_monthly(internship):
        return []
    rows = ojt_months(Internship.objects.filter(pk=internship.pk), day=day)
    reports = {(r.month, r.kind): r for r in internship.ojt_reports.all()}
    views = []
    for row in rows:
        mentor = reports.get((row.month, OjtReportKind.MENTOR))
        approved = mentor is not None and mentor.state == OjtReportState.APPROVED
        views.append(
            MonthView(
                row=row,
                log=reports.get((row.month, OjtReportKind.LOG)),
                mentor=mentor,
                amount=month_amount(
                    internship,
                    row.month,
                    attendance_days=mentor.attendance_days if approved else None,
                ),
            )
        )
    return views
