"""Attendance (출결): the rotating QR code, check-in and check-out, the roll-call, corrections.

The code shown in the room is an HMAC of the session's secret and the current time window, so a
screenshot stops working once the code has rotated twice. Scanning a valid code gives the phone a
short-lived, signed *ticket* for that session: the login that may follow the scan, and the tap on
the confirmation button, need not race the rotation. Every rule takes ``now`` so tests pin time.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.recruitment.models import FileKind
from itda.recruitment.services import upload_checked
from itda.training.models import (
    Attendance,
    AttendanceCorrection,
    AttendanceSource,
    AttendanceStatus,
    CorrectionStatus,
    Enrollment,
    EnrollmentStatus,
    Session,
    TrainingRule,
)

KST = ZoneInfo("Asia/Seoul")
# How long a scan of a valid code stays good for logging in and confirming.
TICKET_SECONDS = 180
_TICKET_SALT = "itda.training.attendance.ticket"
# Enrolments that belong on the class list (waitlisted and withdrawn people do not).
IN_CLASS = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED)
EVIDENCE_KINDS = (FileKind.PDF, FileKind.IMAGE, FileKind.HWP)
EVIDENCE_MAX_MB = 10


_EXPIRED = "QR 코드가 만료되었습니다. 강의실 화면에 표시된 새 QR 코드를 다시 찍어 주세요."


class AttendanceError(ValidationError):
    """A check-in, roll-call or correction that the rules refuse; the message is Korean."""


class Intent:
    CHECK_IN = "in"
    CHECK_OUT = "out"


# --- The QR code ---------------------------------------------------------------------------


def qr_window(*, rule: TrainingRule, now: datetime.datetime) -> int:
    """The number of the rotation window ``now`` falls in."""
    return int(now.timestamp()) // rule.qr_rotation_seconds


def qr_token(*, session: Session, window: int) -> str:
    """The code for one session and window: 16 url-safe characters of an HMAC-SHA256 keyed by the
    site's secret and the session's own secret."""
    key = f"{settings.SECRET_KEY}:{session.qr_secret}".encode()
    digest = hmac.new(key, f"{session.pk}:{window}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def qr_token_valid(*, session: Session, token: str, now: datetime.datetime) -> bool:
    """Whether ``token`` is the code of the current window or the one just before it (a phone
    that scanned as the code rotated still gets in); compared in constant time."""
    window = qr_window(rule=session.cohort.rule, now=now)
    candidates = (qr_token(session=session, window=w) for w in (window, window - 1))
    # Evaluate both comparisons, so the time taken does not tell which window matched.
    return any([hmac.compare_digest(token.encode(), c.encode()) for c in candidates])


def qr_url(*, session: Session, now: datetime.datetime) -> str:
    """The link the QR code shows now."""
    token = qr_token(session=session, window=qr_window(rule=session.cohort.rule, now=now))
    return f"{settings.ITDA_PUBLIC_URL}/training/c/{session.pk}/{token}/"


# --- Rules of time --------------------------------------------------------------------------


def scan_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When the code is accepted: from ``checkin_opens_minutes`` before the start to the end."""
    opens = session.starts_at - datetime.timedelta(
        minutes=session.cohort.rule.checkin_opens_minutes
    )
    return opens, session.ends_at


def checkin_status(*, session: Session, at: datetime.datetime) -> str:
    """The status a check-in at ``at`` earns: arriving once the late (absent) minutes have passed
    since the start is late (absent); arriving exactly on the minute still counts."""
    rule = session.cohort.rule
    since_start = at - session.starts_at
    if since_start > datetime.timedelta(minutes=rule.absent_after_minutes):
        return AttendanceStatus.ABSENT
    if since_start > datetime.timedelta(minutes=rule.late_after_minutes):
        return AttendanceStatus.LATE
    return AttendanceStatus.PRESENT


def checkout_status(*, status: str, session: Session, at: datetime.datetime) -> str:
    """The status after a check-out at ``at``: leaving before the end minus the early-leave
    minutes turns 출석 into 조퇴 and 지각 into 지각·조퇴; other statuses stay."""
    rule = session.cohort.rule
    if at >= session.ends_at - datetime.timedelta(minutes=rule.early_leave_before_minutes):
        return status
    return {
        AttendanceStatus.PRESENT: AttendanceStatus.LEFT_EARLY,
        AttendanceStatus.LATE: AttendanceStatus.LATE_LEFT_EARLY,
    }.get(status, status)


def require_scan_window(session: Session, now: datetime.datetime) -> None:
    opens, closes = scan_window(session)
    if now < opens:
        raise AttendanceError(
            f"아직 입실 시간이 아닙니다. {timezone.localtime(opens):%H:%M}부터 입실할 수 있습니다."
        )
    if now > closes:
        raise AttendanceError("이 차시는 이미 끝났습니다. 출결 정정이 필요하면 정정 신청을 하세요.")


# --- Check-in and check-out ------------------------------------------------------------------


def checkin_ticket(*, session: Session, token: str, now: datetime.datetime) -> str:
    """A signed pass for ``session``, issued only for a code that is valid now and only inside
    the session's window; it is good for ``TICKET_SECONDS``."""
    if not qr_token_valid(session=session, token=token, now=now):
        raise AttendanceError(_EXPIRED)
    require_scan_window(session, now)
    return signing.dumps({"s": session.pk, "at": int(now.timestamp())}, salt=_TICKET_SALT)


def require_ticket(*, session: Session, ticket: str, now: datetime.datetime) -> None:
    """A scan's ticket, fresh and for this session, inside the session's window; else a Korean
    refusal."""
    if not checkin_ticket_valid(session=session, ticket=ticket, now=now):
        raise AttendanceError(_EXPIRED)
    require_scan_window(session, now)


def checkin_ticket_valid(*, session: Session, ticket: str, now: datetime.datetime) -> bool:
    """Whether ``ticket`` was issued for this session less than ``TICKET_SECONDS`` ago."""
    try:
        data = signing.loads(ticket, salt=_TICKET_SALT)
    except signing.BadSignature:
        return False
    age = now.timestamp() - data.get("at", 0)
    return data.get("s") == session.pk and 0 <= age <= TICKET_SECONDS


# The browser's device cookie: a random value set on the first scan, kept two years.
DEVICE_COOKIE = "itda_device"
DEVICE_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600


def device_key(cookie: str) -> str:
    """What is stored of a device cookie: its SHA-256, so the record cannot be replayed."""
    return hashlib.sha256(cookie.encode()).hexdigest() if cookie else ""


def scan_enrollment(*, session: Session, user: User) -> Enrollment:
    """The user's place in the session's class, or a Korean refusal."""
    enrollment = (
        Enrollment.objects.filter(
            cohort_id=session.cohort_id, trainee__user=user, status=EnrollmentStatus.ENROLLED
        )
        .only("pk")
        .first()
    )
    if enrollment is None:
        raise AttendanceError("이 차시를 수강하는 교육생이 아닙니다. 수강 기수를 확인해 주세요.")
    return enrollment


@transaction.atomic
def attendance_scan(
    *,
    session: Session,
    ticket: str,
    intent: str,
    actor: User,
    now: datetime.datetime | None = None,
    ip: str | None = None,
    device: str = "",
) -> Attendance:
    """Record a QR check-in (the first scan) or check-out (a later one) for ``actor``, with the
    connection's ``ip`` and the browser's ``device`` key on the check-in."""
    now = now or timezone.now()
    require_ticket(session=session, ticket=ticket, now=now)
    return scan_record(
        session=session,
        enrollment=scan_enrollment(session=session, user=actor),
        intent=intent,
        now=now,
        ip=ip,
        device=device,
        recorded_by=actor,
        source=AttendanceSource.QR,
    )


@transaction.atomic
def scan_record(
    *,
    session: Session,
    enrollment: Enrollment,
    intent: str,
    now: datetime.datetime,
    ip: str | None,
    device: str,
    recorded_by: User | None,
    source: str,
    checkin_code=None,
) -> Attendance:
    """Write a scan for a place whose holder is known (by login, or by attendance code).

    A check-in inserts the row; the unique constraint turns a concurrent second insert into
    "이미 입실" rather than a second record. A check-out locks the row and stamps it once."""
    if intent == Intent.CHECK_IN:
        row = Attendance(
            enrollment=enrollment,
            session=session,
            status=checkin_status(session=session, at=now),
            checked_in_at=now,
            source=source,
            recorded_by=recorded_by,
            checkin_code=checkin_code,
            checkin_ip=ip,
            checkin_device=device,
        )
        # Uniqueness is left to the database: a check beforehand would race a second tap.
        row.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            raise AttendanceError("이미 입실 처리되었습니다.") from None
        return row
    if intent != Intent.CHECK_OUT:
        raise AttendanceError("입실 또는 퇴실을 선택해 주세요.")
    row = (
        Attendance.objects.select_for_update()
        .filter(enrollment=enrollment, session=session)
        .first()
    )
    if row is None or row.checked_in_at is None:
        raise AttendanceError("입실 기록이 없습니다. 먼저 입실해 주세요.")
    if row.checked_out_at is not None:
        raise AttendanceError("이미 퇴실 처리되었습니다.")
    row.checked_out_at = now
    row.status = checkout_status(status=row.status, session=session, at=now)
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save(update_fields=["checked_out_at", "status", "updated_at"])
    return row


# --- Staff: which sessions, the class list, the roll-call ------------------------------------


def sessions_for_staff(user: User) -> QuerySet:
    """Sessions whose QR code and roll-call ``user`` may open: an operator's all; group staff's
    those of their operating groups' courses and of cohorts they teach."""
    rows = Session.objects.visible_to(user)
    if user.role == Role.GROUP_STAFF:
        rows = rows | Session.objects.filter(cohort__in=user.taught_cohorts.values("pk"))
    return rows.select_related("cohort__course__operating_group", "cohort__rule")


def session_headcount(session: Session) -> dict:
    """How many of the class have checked in (by QR or roll-call as attending) and how many
    are in the class: one query."""
    return Enrollment.objects.filter(cohort_id=session.cohort_id, status__in=IN_CLASS).aggregate(
        enrolled=Count("pk", distinct=True),
        checked_in=Count(
            "attendances",
            filter=Q(attendances__session=session) & ~Q(attendances__status="absent"),
            distinct=True,
        ),
    )


def roll_call_rows(*, session: Session, user: User) -> list[Enrollment]:
    """The class as ``user`` may see it, each enrolment with ``record`` (this session's row or
    None): two queries whatever the class size."""
    rows = list(
        Enrollment.objects.visible_to(user)
        .filter(cohort_id=session.cohort_id, status__in=IN_CLASS)
        .select_related("trainee")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(session=session),
                to_attr="this_session",
            )
        )
        .order_by("trainee__name", "pk")
    )
    for row in rows:
        row.record = row.this_session[0] if row.this_session else None
    _flag_shared_checkins(rows)
    return rows


def roll_call_row(*, session: Session, user: User, enrollment_id: int) -> Enrollment | None:
    """One row of ``roll_call_rows``, flags included (None when the trainee is not in class):
    the flags compare the row with the whole class, so the class is read as for the page."""
    rows = roll_call_rows(session=session, user=user)
    return next((row for row in rows if row.pk == enrollment_id), None)


def _flag_shared_checkins(rows: list[Enrollment]) -> None:
    """Mark each row whose QR check-in came from a device that also checked in someone else
    (``shared_device``: how many trainees), or from an address other than the one most of the
    class used (``other_ip``): a forwarded link used from elsewhere or on a friend's phone."""
    records = [row.record for row in rows if row.record]
    devices = Counter(r.checkin_device for r in records if r.checkin_device)
    ips = Counter(r.checkin_ip for r in records if r.checkin_ip)
    usual_ip = ips.most_common(1)[0][0] if len(ips) > 1 else None
    for row in rows:
        record = row.record
        row.shared_device = row.other_ip = 0
        if record is None:
            continue
        if devices[record.checkin_device] > 1:
            row.shared_device = devices[record.checkin_device]
        row.other_ip = bool(usual_ip and record.checkin_ip and record.checkin_ip != usual_ip)


# One click a person: what the instructor may set.
ROLL_CALL_STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def _upsert(
    *, enrollment: Enrollment, session: Session, status: str, source: str, actor: User
) -> Attendance:
    """Set a session's record whatever is there: one INSERT … ON CONFLICT DO UPDATE, so a QR
    check-in arriving at the same moment cannot make a second row; times stay as scanned."""
    row = Attendance(
        enrollment=enrollment, session=session, status=status, source=source, recorded_by=actor
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    (row,) = Attendance.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["enrollment", "session"],
        update_fields=["status", "source", "recorded_by", "updated_at"],
    )
    return Attendance.objects.get(pk=row.pk)


@transaction.atomic
def roll_call_set(
    *, session: Session, enrollment: Enrollment, status: str, actor: User
) -> Attendance:
    """The instructor marks one trainee: 출석/지각/조퇴/결석/공결, recorded as roll-call."""
    if status not in ROLL_CALL_STATUSES:
        raise AttendanceError("출결 상태를 다시 선택해 주세요.")
    if enrollment.cohort_id != session.cohort_id or enrollment.status not in IN_CLASS:
        raise AttendanceError("이 차시를 수강하는 교육생이 아닙니다.")
    return _upsert(
        enrollment=enrollment,
        session=session,
        status=status,
        source=AttendanceSource.ROLL_CALL,
        actor=actor,
    )


# --- Corrections ---------------------------------------------------------------------------


def correction_deadline(session: Session) -> datetime.datetime:
    """The first instant a correction is refused: midnight (KST) after the session's day plus
    ``correction_deadline_days``; 23:59:59 of the last day is still in time."""
    day = timezone.localtime(session.starts_at, KST).date()
    last = day + datetime.timedelta(days=session.cohort.rule.correction_deadline_days)
    return datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), KST)


def correction_status_before(*, enrollment: Enrollment, session: Session) -> str:
    """The status a correction would change: the record's, or 결석 when there is none."""
    row = Attendance.objects.filter(enrollment=enrollment, session=session).first()
    return row.status if row else AttendanceStatus.ABSENT


@transaction.atomic
def correction_request(
    *,
    enrollment: Enrollment,
    session: Session,
    requested_status: str,
    reason: str,
    explanation: str,
    evidence=None,
    actor: User,
    now: datetime.datetime | None = None,
) -> AttendanceCorrection:
    """A trainee asks to change their record of one session, with a reason and evidence, before
    the rule's deadline; staff decide later."""
    now = now or timezone.now()
    if enrollment.trainee.user_id != actor.pk:
        raise AttendanceError("본인의 출결만 정정 신청할 수 있습니다.")
    if enrollment.cohort_id != session.cohort_id:
        raise AttendanceError("이 차시를 수강하는 교육생이 아닙니다.")
    if now < session.starts_at:
        raise AttendanceError("차시가 시작된 뒤에 정정 신청할 수 있습니다.")
    deadline = correction_deadline(session)
    if now >= deadline:
        last = timezone.localtime(deadline - datetime.timedelta(seconds=1), KST)
        raise AttendanceError(f"정정 신청 기한({last:%Y-%m-%d %H:%M:%S})이 지났습니다.")
    correction = AttendanceCorrection(
        enrollment=enrollment,
        session=session,
        status_before=correction_status_before(enrollment=enrollment, session=session),
        requested_status=requested_status,
        reason=reason,
        explanation=explanation,
        requested_by=actor,
    )
    if correction.requested_status == correction.status_before:
        raise AttendanceError("지금 기록과 다른 출결을 선택해 주세요.")
    if evidence is not None:
        sha256 = upload_checked(
            evidence, kinds=EVIDENCE_KINDS, max_size_mb=EVIDENCE_MAX_MB, label="증빙"
        )
        correction.evidence_name = evidence.name[:200]
        correction.evidence.save(sha256, evidence, save=False)
    correction.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError:
        raise AttendanceError("이 차시에 검토 중인 정정 신청이 이미 있습니다.") from None
    return correction


@transaction.atomic
def correction_decide(
    *,
    correction: AttendanceCorrection,
    approve: bool,
    note: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> AttendanceCorrection:
    """Staff approve (the record becomes the requested status, source 정정 승인; the old value
    stays in the record's history) or reject with a note."""
    now = now or timezone.now()
    correction = AttendanceCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise AttendanceError("이미 처리된 정정 신청입니다.")
    if not approve and not note.strip():
        raise AttendanceError("반려 사유를 적어 주세요.")
    if approve:
        _upsert(
            enrollment=correction.enrollment,
            session=correction.session,
            status=correction.requested_status,
            source=AttendanceSource.CORRECTION,
            actor=actor,
        )
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by = actor
    correction.decided_at = now
    correction.decision_note = note.strip()
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return correction
