"""Completion (수료) and certificates (수료증): the judgement of a cohort under its rule, its
confirmation, and the certificates of those who completed.

The judgement counts attendance with the one tally (``selectors.attendance_tally``) as of the
cohort's end, so it matches the rate every other page shows. Before the end, the preview counts
the sessions held so far and says who can still complete: a session not yet held is no absence.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from itda.training.models import (
    AttendanceCorrection,
    Certificate,
    Cohort,
    CorrectionStatus,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from itda.training.selectors import Progress, attendance_rate, attendance_tally, rate_meets

KST = ZoneInfo("Asia/Seoul")
# Enrolments that take part in the judgement: the class as it stands, and its outcome once set.
JUDGED = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED)
SERIAL_PREFIX = "ITDA"
# First key of the advisory lock that serialises serial numbers (the second is the year).
_SERIAL_LOCK = 0x17DA_CE27


@dataclass(frozen=True)
class Judgement:
    """One trainee's completion under the cohort's rule, with the numbers behind it."""

    enrollment: Enrollment
    scheduled: int
    attended: int
    incidents: int
    credited: int
    rate: Decimal
    rate_ok: bool
    assessment_needed: bool
    assessment_passed: bool | None
    planned: int  # the cohort's sessions up to its end, held or not
    in_progress: bool  # the cohort has not ended: the counts cover the sessions held so far
    min_rate: Decimal

    @property
    def progress(self) -> Progress:
        return Progress(
            credited=self.credited,
            held=self.scheduled,
            planned=self.planned,
            min_rate=self.min_rate,
        )

    @property
    def expected(self) -> bool:
        """수료 예정: completed once the cohort has ended; before that, still able to complete
        by attending every remaining session (an assessment not yet taken counts against no one,
        a failed one does)."""
        if not self.in_progress:
            return self.completed
        failed = self.assessment_needed and self.assessment_passed is False
        return self.progress.reachable and not failed

    @property
    def absences_from_incidents(self) -> int:
        return self.attended - self.credited

    @property
    def completed(self) -> bool:
        return self.rate_ok and (not self.assessment_needed or self.assessment_passed is True)

    @property
    def reason(self) -> str:
        """Why not, in Korean (empty when completed)."""
        reasons = []
        if not self.rate_ok:
            reasons.append("출석률 미달")
        if self.assessment_needed and self.assessment_passed is None:
            reasons.append("평가 결과 미입력")
        elif self.assessment_needed and not self.assessment_passed:
            reasons.append("평가 불합격")
        return " · ".join(reasons)


def cohort_end(cohort: Cohort) -> datetime.datetime:
    """The moment the cohort is over: midnight (KST) after its last day."""
    return datetime.datetime.combine(
        cohort.ends_on + datetime.timedelta(days=1), datetime.time(), KST
    )


def completion_preview(cohort: Cohort, *, now: datetime.datetime | None = None) -> list[Judgement]:
    """The judgement of every judged enrolment of the cohort, by name: final once the cohort
    has ended, over the sessions held so far (with what is still possible) before."""
    rule = cohort.rule
    needed = cohort.course.has_assessment and rule.assessment_required
    end = cohort_end(cohort)
    as_of = min(now or timezone.now(), end)
    planned = Session.objects.filter(cohort=cohort, ends_at__lte=end).count()
    rows = attendance_tally(
        Enrollment.objects.filter(cohort=cohort, status__in=JUDGED)
        .select_related("trainee")
        .order_by("trainee__name", "pk"),
        as_of=as_of,
    )
    return [
        Judgement(
            enrollment=row,
            scheduled=row.scheduled,
            attended=row.attended,
            incidents=row.incidents,
            credited=row.credited,
            rate=attendance_rate(row.credited, row.scheduled),
            rate_ok=rate_meets(row.credited, row.scheduled, rule.completion_min_rate),
            assessment_needed=needed,
            assessment_passed=row.assessment_passed,
            planned=planned,
            in_progress=as_of < end,
            min_rate=rule.completion_min_rate,
        )
        for row in rows
    ]


@transaction.atomic
def assessment_results_record(*, cohort: Cohort, results: dict[int, bool | None], actor) -> int:
    """Record pass/fail (None: not yet) for enrolments of the cohort; returns how many changed."""
    if not cohort.course.has_assessment:
        raise ValidationError("이 과정에는 수료 평가가 없습니다.")
    if cohort.completed_at:
        raise ValidationError("수료 판정을 확정한 기수는 평가 결과를 바꿀 수 없습니다.")
    current = dict(
        Enrollment.objects.select_for_update()
        .filter(cohort=cohort, status=EnrollmentStatus.ENROLLED, pk__in=results)
        .order_by("pk")
        .values_list("pk", "assessment_passed")
    )
    if set(results) - set(current):
        raise ValidationError("이 기수의 수강생이 아닌 교육생이 포함되어 있습니다.")
    changed = {pk: value for pk, value in results.items() if current[pk] != value}
    for value in (True, False, None):
        pks = [pk for pk, v in changed.items() if v is value]
        if pks:
            Enrollment.objects.filter(pk__in=pks).update(assessment_passed=value)
    return len(changed)


@transaction.atomic
def completion_confirm(
    *, cohort: Cohort, actor, now: datetime.datetime | None = None
) -> list[Judgement]:
    """Set every enrolled trainee completed or not, and the cohort's judgement time, at once."""
    now = now or timezone.now()
    cohort = Cohort.objects.select_for_update().select_related("course", "rule").get(pk=cohort.pk)
    if cohort.completed_at:
        raise ValidationError("이미 수료 판정을 확정한 기수입니다.")
    if now < cohort_end(cohort):
        raise ValidationError("종강일이 지난 뒤에 수료 판정을 확정할 수 있습니다.")
    pending = AttendanceCorrection.objects.filter(
        enrollment__cohort=cohort, status=CorrectionStatus.PENDING
    ).count()
    if pending:
        raise ValidationError(f"검토 중인 출결 정정 신청이 {pending}건 있습니다. 먼저 처리하세요.")
    judgements = [
        j
        for j in completion_preview(cohort, now=now)
        if j.enrollment.status == EnrollmentStatus.ENROLLED
    ]
    missing = sum(1 for j in judgements if j.assessment_needed and j.assessment_passed is None)
    if missing:
        raise ValidationError(f"평가 결과가 입력되지 않은 교육생이 {missing}명 있습니다.")
    for outcome in (True, False):
        Enrollment.objects.filter(
            pk__in=[j.enrollment.pk for j in judgements if j.completed is outcome]
        ).update(
            status=EnrollmentStatus.COMPLETED if outcome else EnrollmentStatus.NOT_COMPLETED,
            ended_at=now,
        )
    cohort.completed_at = now
    cohort.save(update_fields=["completed_at"])
    return judgements


# --- Certificates ----------------------------------------------------------------------------


def _serial_lock(year: int) -> None:
    """Take the year's serial lock until the transaction ends: concurrent issuers take turns
    instead of colliding on the unique serial."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SERIAL_LOCK, year])


def _serials(year: int, count: int) -> list[str]:
    """The next ``count`` serials of the year (the caller holds the year's lock)."""
    prefix = f"{SERIAL_PREFIX}-{year}-"
    # Six zero-padded digits sort as numbers do.
    last = (
        Certificate.objects.filter(serial__startswith=prefix)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    start = int(last.removeprefix(prefix)) + 1 if last else 1
    return [f"{prefix}{n:06d}" for n in range(start, start + count)]


@transaction.atomic
def certificates_allocate(*, cohort: Cohort, now: datetime.datetime | None = None) -> int:
    """Give every completed enrolment of the cohort without a certificate one (serial,
    verification code, rate as of the cohort's end); the PDFs follow. Returns how many."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    # The lock comes first: a second run waiting here then sees the first one's rows.
    _serial_lock(year)
    rows = list(
        attendance_tally(
            Enrollment.objects.filter(
                cohort=cohort, status=EnrollmentStatus.COMPLETED, certificate__isnull=True
            ).order_by("trainee__name", "pk"),
            as_of=cohort_end(cohort),
        )
    )
    serials = iter(_serials(year, len(rows)))
    Certificate.objects.bulk_create(
        Certificate(
            enrollment=row,
            serial=next(serials),
            verification_code=secrets.token_urlsafe(16),
            issued_at=now,
            attendance_rate=attendance_rate(row.credited, row.scheduled),
        )
        for row in rows
    )
    return len(rows)


def certificates_render(*, certificate_ids: list[int]) -> int:
    """Render and store the PDFs of those certificates that have none, in one transaction;
    rows another worker holds are skipped. Returns how many this call rendered."""
    from itda.training.certificates import certificate_pdf

    with transaction.atomic():
        certificates = list(
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("enrollment__trainee", "enrollment__cohort__course__operating_group")
            .prefetch_related("enrollment__cohort__course__modules")
            .filter(pk__in=certificate_ids, pdf="")
            .order_by("pk")
        )
        for certificate in certificates:
            content = certificate_pdf(certificate)
            name = certificate.pdf.field.generate_filename(certificate, f"{certificate.serial}.pdf")
            # A file already there is an interrupted run's (its rows never committed; this run
            # holds the row, which has no PDF): replaced, not kept beside a second name.
            certificate.pdf.storage.delete(name)
            certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
            certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
        Certificate.objects.bulk_update(certificates, ["pdf", "pdf_sha256"])
    return len(certificates)


def cohort_certificates_issue(*, cohort_id: int, chunk: int = 25) -> int:
    """Issue the certificates of a cohort's completed trainees who have none; safe to run twice
    (and side by side). Returns how many PDFs this run rendered."""
    cohort = Cohort.objects.get(pk=cohort_id)
    certificates_allocate(cohort=cohort)
    # Committing every ``chunk`` PDFs keeps the progress moving without a commit per file.
    waiting = list(
        Certificate.objects.filter(enrollment__cohort=cohort, pdf="")
        .order_by("serial")
        .values_list("pk", flat=True)
    )
    return sum(
        certificates_render(certificate_ids=waiting[i : i + chunk])
        for i in range(0, len(waiting), chunk)
    )


def certificate_progress(cohort: Cohort) -> dict:
    """Certificates issued (with their PDF) against trainees completed, for the batch page."""
    completed = Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.COMPLETED)
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    return {
        "completed": completed.count(),
        "allocated": certificates.count(),
        "issued": certificates.exclude(pdf="").count(),
    }


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke a certificate with a reason; the public page then says so."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError("취소 사유를 5자 이상 입력하세요.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise ValidationError("이미 취소된 수료증입니다.")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate
