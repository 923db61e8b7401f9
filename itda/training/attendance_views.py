"""Attendance pages: the QR link a phone opens, the QR code on the room's screen, the roll-call,
and corrections (the trainee's request, staff's decision)."""

import secrets
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import client_ip, personal_data_access_record
from itda.lib.files import private_download
from itda.training import attendance as svc
from itda.training import checkin_codes
from itda.training.completion import cohort_end
from itda.training.forms import CorrectionDecisionForm
from itda.training.models import (
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    Audience,
    Cohort,
    CorrectionReason,
    CorrectionStatus,
    Enrollment,
    Session,
)
from itda.training.selectors import MARKS, attendance_heatmap


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- The QR link (a trainee's phone) ----------------------------------------------------------


def _scan_session(pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("cohort__rule", "cohort__course"), pk=pk
    )


def _scan_render(request, session, *, ticket="", error="", record=None, status=200):
    return render(
        request,
        "training/attendance/checkin.html",
        {
            "session": session,
            "ticket": ticket,
            "error": error,
            "record": record,
            "leaving_early": record is not None
            and svc.checkout_status(status=record.status, session=session, at=timezone.now())
            != record.status,
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request, pk: int, token: str):
    """GET: check the scanned code and show the session with one big button (anonymous visitors
    log in first and come back with a ticket); POST: record the check-in or check-out."""
    session = _scan_session(pk)
    now = timezone.now()
    ticket = request.POST.get("ticket") or request.GET.get("ticket", "")
    if request.method == "GET" and not svc.checkin_ticket_valid(
        session=session, ticket=ticket, now=now
    ):
        try:
            ticket = svc.checkin_ticket(session=session, token=token, now=now)
        except svc.AttendanceError as exc:
            return _scan_render(request, session, error=_errors(exc), status=400)
    employees = session.cohort.course.audience == Audience.EMPLOYEE
    if employees and request.method == "POST" and "code" in request.POST:
        return _code_scan(request, session, ticket, now)
    if not request.user.is_authenticated:
        if employees:  # nominated employees have no login: their attendance code instead
            return _code_render(request, session, ticket=ticket, now=now)
        return redirect_to_login(f"{request.path}?{urlencode({'ticket': ticket})}")
    require_role(request, Role.TRAINEE)
    if request.method == "POST":
        return _scan_done(
            request,
            session,
            lambda ip, device: svc.attendance_scan(
                session=session,
                ticket=ticket,
                intent=request.POST.get("intent", ""),
                actor=request.user,
                now=now,
                ip=ip,
                device=device,
            ),
            refused=lambda error: _scan_render(request, session, error=error, status=400),
        )
    try:
        enrollment = svc.scan_enrollment(session=session, user=request.user)
    except svc.AttendanceError as exc:
        return _scan_render(request, session, error=_errors(exc), status=403)
    record = Attendance.objects.filter(enrollment=enrollment, session=session).first()
    return _scan_render(request, session, ticket=ticket, record=record)


def _code_render(request, session, *, ticket, now, error="", status=200):
    return render(
        request,
        "training/attendance/checkin_code.html",
        {
            "session": session,
            "ticket": ticket,
            "error": error,
            "login_url": f"{resolve_url(settings.LOGIN_URL)}?"
            + urlencode({"next": f"{request.path}?{urlencode({'ticket': ticket})}"}),
            # Whoever types the code, leaving now would be an early leave for a present one.
            "leaving_early": svc.checkout_status(
                status=AttendanceStatus.PRESENT, session=session, at=now
            )
            != AttendanceStatus.PRESENT,
        },
        status=status,
    )


def _code_scan(request, session, ticket, now):
    """A nominated employee's check-in or check-out with their attendance code."""
    return _scan_done(
        request,
        session,
        lambda ip, device: checkin_codes.attendance_scan_by_code(
            session=session,
            ticket=ticket,
            code=request.POST.get("code", ""),
            intent=request.POST.get("intent", ""),
            now=now,
            ip=ip,
            device=device,
        ),
        refused=lambda error: _code_render(
            request, session, ticket=ticket, now=now, error=error, status=400
        ),
        by_code=True,
    )


def _scan_done(request, session, scan, *, refused, **extra):
    """Record a scan with the connection's address and the browser's device key: the done
    page (keeping the device cookie), or ``refused`` with the Korean reason."""
    cookie = request.COOKIES.get(svc.DEVICE_COOKIE) or secrets.token_urlsafe(24)
    try:
        record = scan(client_ip(request), svc.device_key(cookie))
    except ValidationError as exc:
        return refused(_errors(exc))
    response = render(
        request,
        "training/attendance/checkin_done.html",
        {"session": session, "record": record, **extra},
    )
    return _remember_device(request, response, cookie)


def _remember_device(request, response, cookie: str):
    """Keep the browser's device cookie (set on its first check-in) so that the next check-in
    from this phone, whoever is logged in, carries the same device key."""
    if request.COOKIES.get(svc.DEVICE_COOKIE) != cookie:
        response.set_cookie(
            svc.DEVICE_COOKIE,
            cookie,
            max_age=svc.DEVICE_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


# --- Staff: the QR screen and the roll-call --------------------------------------------------


def _staff_session(request, pk: int) -> Session:
    """A session the user runs; another group's looks missing, other roles are refused."""
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(svc.sessions_for_staff(request.user), pk=pk)


@never_cache
@require_safe
def qr_display(request, pk: int):
    """The room's screen: a big QR code that renews itself, and how many have checked in."""
    session = _staff_session(request, pk)
    return render(request, "training/attendance/qr.html", _qr_context(session))


@never_cache
@require_safe
def qr_code(request, pk: int):
    """The part of the QR screen that htmx fetches every few seconds."""
    session = _staff_session(request, pk)
    return render(request, "training/attendance/_qr_code.html", _qr_context(session))


def _qr_context(session: Session) -> dict:
    import qrcode
    import qrcode.image.svg

    now = timezone.now()
    opens, closes = svc.scan_window(session)
    context = {"session": session, "opens": opens, "closes": closes, "is_open": False}
    context |= svc.session_headcount(session)
    if opens <= now <= closes:
        url = svc.qr_url(session=session, now=now)
        svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(
            encoding="unicode"
        )
        # Size comes from the stylesheet (no inline style under the CSP), not the mm attributes.
        svg = svg.replace(
            "<svg ", '<svg class="itda-qr-svg" role="img" aria-label="출석 QR 코드" ', 1
        )
        context |= {"is_open": True, "svg": svg, "url": url}
    return context


@never_cache
@require_safe
def roll_call(request, pk: int):
    """The whole class on one page, one click a person; the names shown are logged."""
    session = _staff_session(request, pk)
    rows = svc.roll_call_rows(session=session, user=request.user)
    if rows:
        personal_data_access_record(
            request=request,
            subject_type="training.enrollment",
            subject_ids=[row.pk for row in rows],
            action="list",
        )
    return render(
        request,
        "training/attendance/roll_call.html",
        {"session": session, "rows": rows, "choices": _ROLL_CALL_CHOICES},
    )


@never_cache
@require_safe
def cohort_attendance(request, pk: int):
    """출결 현황: the cohort's sessions × its trainees as a heat map, each cell a state in colour,
    symbol and word, each row the rate so far against the completion rate (masked, logged)."""
    require_role(request, *PROGRAMME_STAFF)
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("rule", "course"), pk=pk
    )
    as_of = min(timezone.now(), cohort_end(cohort))
    sessions, rows = attendance_heatmap(
        cohort,
        Enrollment.objects.visible_to(request.user)
        .filter(cohort=cohort, status__in=svc.IN_CLASS)
        .order_by("trainee__name", "pk"),
        as_of=as_of,
    )
    if rows:
        personal_data_access_record(
            request=request,
            subject_type="training.enrollment",
            subject_ids=[row.enrollment.pk for row in rows],
            action="list",
        )
    return render(
        request,
        "training/attendance/cohort_heatmap.html",
        {
            "cohort": cohort,
            "rule": cohort.rule,
            "sessions": sessions,
            "held": sum(s.ends_at <= as_of for s in sessions),
            "rows": rows,
            "marks": MARKS.values(),
        },
    )


_ROLL_CALL_CHOICES = [
    (status, "공결" if status == AttendanceStatus.EXCUSED else AttendanceStatus(status).label)
    for status in svc.ROLL_CALL_STATUSES
]


@require_POST
def roll_call_mark(request, pk: int, enrollment_id: int):
    """Set one trainee's status; htmx gets the row back, a plain form the page."""
    session = _staff_session(request, pk)
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("trainee"),
        pk=enrollment_id,
        cohort_id=session.cohort_id,
    )
    error = ""
    try:
        svc.roll_call_set(
            session=session,
            enrollment=enrollment,
            status=request.POST.get("status", ""),
            actor=request.user,
        )
    except svc.AttendanceError as exc:
        if not request.htmx:
            messages.error(request, _errors(exc))
            return redirect("attendance:roll_call", pk=pk)
        error = _errors(exc)
    if not request.htmx:
        return redirect("attendance:roll_call", pk=pk)
    # The row exactly as the page shows it, device and address flags included.
    row = svc.roll_call_row(session=session, user=request.user, enrollment_id=enrollment.pk)
    if row is None:  # not in class (the service refused it): the refusal, without a record
        row = enrollment
        row.record = None
    row.error = error
    return render(
        request,
        "training/attendance/_roll_call_row.html",
        {"session": session, "row": row, "choices": _ROLL_CALL_CHOICES},
    )


# --- Corrections -----------------------------------------------------------------------------


class CorrectionForm(forms.Form):
    requested_status = forms.ChoiceField(
        label="정정할 출결", choices=[(s, s.label) for s in AttendanceStatus]
    )
    reason = forms.ChoiceField(label="사유", choices=CorrectionReason.choices)
    explanation = forms.CharField(
        label="상세 사유", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label="증빙 파일",
        required=False,
        help_text=f"PDF, 이미지(JPG/PNG), 한글 파일, {svc.EVIDENCE_MAX_MB}MB 이하",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def correction_request(request, pk: int):
    """A trainee asks to correct their record of one session of their own class."""
    require_role(request, Role.TRAINEE)
    session = get_object_or_404(Session.objects.select_related("cohort__rule"), pk=pk)
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("trainee"),
        cohort_id=session.cohort_id,
        trainee__user=request.user,
    )
    form = CorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.correction_request(
                enrollment=enrollment, session=session, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "정정 신청을 접수했습니다. 사업단 검토 후 결과가 표시됩니다.")
            return redirect("outcomes:my_training")
    return render(
        request,
        "training/attendance/correction_form.html",
        {
            "session": session,
            "form": form,
            "deadline": svc.correction_deadline(session),
            "status_before": svc.correction_status_before(enrollment=enrollment, session=session),
        },
    )


_CORRECTIONS = AttendanceCorrection.objects.select_related(
    "enrollment__trainee", "enrollment__cohort__course", "session", "decided_by"
)


@never_cache
@require_safe
def corrections(request):
    """Staff's queue: pending requests first, then decided ones, within their scope."""
    require_role(request, *PROGRAMME_STAFF)
    pending = request.GET.get("status", CorrectionStatus.PENDING)
    rows = _CORRECTIONS.filter(status=pending) if pending in CorrectionStatus else _CORRECTIONS
    return render(
        request,
        "training/attendance/corrections.html",
        {
            "page": personal_page(request, rows.order_by("requested_at", "pk")),
            "status": pending,
            "statuses": CorrectionStatus.choices,
        },
    )


@never_cache
@require_safe
def correction_detail(request, pk: int):
    """One request with its evidence and the decision form (the decision itself is taken by
    ``payments.views.correction_decide``, which moves the allowance with the record)."""
    require_role(request, *PROGRAMME_STAFF)
    correction = personal_detail(request, _CORRECTIONS, pk)
    return render(
        request,
        "training/attendance/correction_detail.html",
        {"correction": correction, "form": CorrectionDecisionForm()},
    )


@never_cache
@require_safe
def correction_evidence(request, pk: int):
    """The evidence file, for the trainee who filed it and staff in scope; logged, always a
    download."""
    correction = personal_detail(
        request, AttendanceCorrection.objects.all(), pk, action="export", reason="정정 증빙 열람"
    )
    if not correction.evidence:
        raise Http404
    return private_download(correction.evidence, correction.evidence_name or "evidence")
