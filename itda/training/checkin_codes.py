"""출석 코드: how a nominated employee, who has no account, checks in with the room's QR code.

Trainees scan the rotating QR code and confirm while logged in; the login says who they are. An
employee nominated by their company (training.nominations) has no login, so the company is given
a personal code for them when it nominates (and the company or the staff running the cohort may
reissue it): after scanning the room's QR code the employee types the code, which names their
place. Everything else is the trainees' check-in: the same rotating code and ticket, the same
window, the same late/early rules, and the address and device cookie recorded, so the roll-call
shows "같은 기기"/"다른 IP" for code check-ins too.

Decisions (itda 기본값 — 운영지침 확인 필요):
- The code is 10 characters from 31 letters and digits that cannot be misread (no I, L, O, 0,
  1), about 49 bits; shown once, stored as a keyed hash (HMAC-SHA256 with the site's secret).
- It works for its nomination's cohort only, from acceptance until the cohort's last day ends
  (KST); a change of the cohort's dates moves that day with them. Reissuing or revoking ends it
  at once; a refused or withdrawn nomination's code is revoked.
- Guessing is held back as login is (django-axes' numbers, ``AXES_FAILURE_LIMIT`` wrong codes
  in ``AXES_COOLOFF_TIME`` per cohort and address) — and a guess needs a QR ticket first, which
  only a scan of the room's current code gives. A right code used at the wrong time or place
  (another cohort's session, revoked, expired) is refused with its reason and not counted as a
  guess: whoever typed it holds the code.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from itda.accounts.models import User
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.training.attendance import (
    KST,
    AttendanceError,
    require_ticket,
    scan_record,
)
from itda.training.models import (
    Attendance,
    AttendanceSource,
    CheckinCode,
    CheckinCodeFailure,
    CodeRevocation,
    EmployeeNomination,
    Enrollment,
    EnrollmentStatus,
    NominationStatus,
    Session,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
_HMAC_SALT = "itda.training.checkin_code"

CODE_RULE = (
    "출석 코드는 추천한 재직자 본인만 쓰는 개인 코드입니다. 강의실 QR 코드를 찍은 뒤 이 코드를 "
    "입력하면 입실·퇴실이 기록됩니다. 추천한 기수에서만, 종강일까지 쓸 수 있고, 발급할 때 "
    "한 번만 보여 줍니다. 잃어버리면 재발급하세요(이전 코드는 바로 쓸 수 없게 됩니다)."
)
CODE_RULE_ORIGIN = (
    "itda 기본값 — 운영지침 확인 필요 (원문은 재직자 교육의 출결 방법을 정하지 않음; "
    "교육생 QR 출석과 같은 입실 시간·지각·조퇴 기준을 적용)"
)


def normalised(code: str) -> str:
    """The code as stored: upper case, without the spaces and hyphens people type."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest_of(code: str) -> str:
    return salted_hmac(_HMAC_SALT, normalised(code), algorithm="sha256").hexdigest()


def _new_raw() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def expires_at(nomination: EmployeeNomination) -> datetime.datetime:
    """The first instant the code no longer works: midnight (KST) after the cohort's last day."""
    last = nomination.cohort.ends_on + datetime.timedelta(days=1)
    return datetime.datetime.combine(last, datetime.time(0), KST)


# --- Issuing and revoking ------------------------------------------------------------------


def _require_in_charge(actor: User, nomination: EmployeeNomination) -> None:
    """The nominating company's managers, and staff of the organisation running the cohort."""
    if actor.role not in (Role.COMPANY, *PROGRAMME_STAFF):
        raise PermissionDenied
    if not EmployeeNomination.objects.visible_to(actor).filter(pk=nomination.pk).exists():
        raise PermissionDenied


def _revoke_live(nomination: EmployeeNomination, *, reason: str, actor: User) -> int:
    return CheckinCode.objects.filter(nomination=nomination, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoked_reason=reason
    )


@transaction.atomic
def code_issue(
    *, nomination: EmployeeNomination, actor: User, today: datetime.date | None = None
) -> tuple[CheckinCode, str]:
    """Issue the nominee's code (the live one, if any, ends now): the row and the code itself,
    which is shown once and never stored."""
    _require_in_charge(actor, nomination)
    nomination = (
        EmployeeNomination.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=nomination.pk)
    )
    if nomination.status not in (NominationStatus.PENDING, NominationStatus.ACCEPTED):
        raise AttendanceError(
            f"'{nomination.get_status_display()}' 상태의 추천에는 출석 코드를 발급할 수 없습니다."
        )
    if nomination.cohort.ends_on < (today or timezone.localdate()):
        raise AttendanceError("이미 끝난 기수라 출석 코드를 발급할 수 없습니다.")
    _revoke_live(nomination, reason=CodeRevocation.REISSUED, actor=actor)
    for _ in range(3):  # a collision of two random codes is all but impossible; retry anyway
        raw = _new_raw()
        code = CheckinCode(nomination=nomination, digest=digest_of(raw), issued_by=actor)
        try:
            with transaction.atomic():
                code.save()
        except IntegrityError:
            continue
        return code, raw
    raise AttendanceError("출석 코드를 만들지 못했습니다. 다시 시도해 주세요.")


@transaction.atomic
def code_revoke(*, nomination: EmployeeNomination, actor: User) -> int:
    """End the nominee's live code at once (a lost phone, a code seen by others)."""
    _require_in_charge(actor, nomination)
    ended = _revoke_live(nomination, reason=CodeRevocation.REVOKED, actor=actor)
    if not ended:
        raise AttendanceError("사용 중인 출석 코드가 없습니다.")
    return ended


def codes_close(*, nomination: EmployeeNomination, actor: User) -> int:
    """A refused or withdrawn nomination's code stops working (called by nominations)."""
    return _revoke_live(nomination, reason=CodeRevocation.NOMINATION_CLOSED, actor=actor)


# --- Checking in with a code ---------------------------------------------------------------


def _recent_failures(session: Session, ip: str | None, now: datetime.datetime) -> int:
    since = now - settings.AXES_COOLOFF_TIME
    return CheckinCodeFailure.objects.filter(
        cohort_id=session.cohort_id, ip=ip, at__gt=since
    ).count()


def _failure_record(session: Session, ip: str | None, now: datetime.datetime) -> int:
    """Count one wrong code (committed even though the check-in is refused: the caller is not
    in a transaction) and forget this address's counts that have cooled off."""
    CheckinCodeFailure.objects.filter(
        cohort_id=session.cohort_id, ip=ip, at__lte=now - settings.AXES_COOLOFF_TIME
    ).delete()
    CheckinCodeFailure.objects.create(cohort_id=session.cohort_id, ip=ip)
    return _recent_failures(session, ip, now)


def code_enrollment(
    *, session: Session, code: str, ip: str | None, now: datetime.datetime
) -> tuple[CheckinCode, Enrollment]:
    """The place in the session's class that ``code`` names, or a Korean refusal; a code that
    matches nothing counts against the address (see the module's decisions)."""
    limit = settings.AXES_FAILURE_LIMIT
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if _recent_failures(session, ip, now) >= limit:
        raise AttendanceError(
            f"출석 코드를 {limit}번 잘못 입력해 {minutes}분 동안 입력할 수 없습니다. 잠시 뒤 "
            "다시 시도하거나 강사에게 출석 확인을 요청하세요."
        )
    row = (
        CheckinCode.objects.filter(digest=digest_of(code))
        .select_related("nomination__cohort", "nomination__enrollment__trainee")
        .first()
        if len(normalised(code)) == LENGTH
        else None
    )
    if row is None:
        failures = _failure_record(session, ip, now)
        left = max(0, limit - failures)
        raise AttendanceError(
            "출석 코드가 맞지 않습니다. 기업 담당자에게 받은 코드를 확인해 주세요."
            + (
                f" {left}번 더 틀리면 {minutes}분 동안 입력할 수 없습니다."
                if left
                else f" {minutes}분 동안 입력할 수 없습니다."
            )
        )
    nomination = row.nomination
    if row.revoked_at is not None:
        why = "새 코드가 발급되어" if row.revoked_reason == CodeRevocation.REISSUED else "폐기되어"
        raise AttendanceError(f"이 출석 코드는 {why} 쓸 수 없습니다. 새 코드를 받아 주세요.")
    if nomination.cohort_id != session.cohort_id:
        raise AttendanceError(
            "이 출석 코드는 다른 기수의 코드입니다. 수강하는 기수의 강의실 QR 코드를 찍어 주세요."
        )
    if now >= expires_at(nomination):
        raise AttendanceError(
            f"출석 코드의 사용 기간(종강일 {nomination.cohort.ends_on:%Y-%m-%d}까지)이 지났습니다."
        )
    enrollment = nomination.enrollment
    if enrollment is None or enrollment.status != EnrollmentStatus.ENROLLED:
        raise AttendanceError(
            "이 기수에 수강 등록된 재직자가 아닙니다. 교육 운영 기관에 등록 여부를 확인해 주세요."
        )
    return row, enrollment


def attendance_scan_by_code(
    *,
    session: Session,
    ticket: str,
    code: str,
    intent: str,
    now: datetime.datetime | None = None,
    ip: str | None = None,
    device: str = "",
) -> Attendance:
    """Record a check-in or check-out for the employee whose code is typed after a scan of the
    room's QR code (the ticket): as attendance.attendance_scan, with the code in place of the
    login. Not one transaction: a wrong code's count must outlive the refusal."""
    now = now or timezone.now()
    require_ticket(session=session, ticket=ticket, now=now)
    code_row, enrollment = code_enrollment(session=session, code=code, ip=ip, now=now)
    return scan_record(
        session=session,
        enrollment=enrollment,
        intent=intent,
        now=now,
        ip=ip,
        device=device,
        recorded_by=None,
        source=AttendanceSource.CODE,
        checkin_code=code_row,
    )
