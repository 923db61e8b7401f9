"""Excel in and out for one call: the import template, the import (upload → preview → commit)
and the export of its applications.

Who: the national operator for any call; operating-group staff for the trainee calls of their
own groups (another group's call answers 404, like a missing one); every other role 403.
An uploaded list waits between preview and commit in private storage under
``DATA_DIR/uploads/imports`` (never a served path), named by a random token that only the
uploading user's session knows, and is deleted after the commit. A list of more than
``QUEUED_FROM_ROWS`` rows with no problem left is imported by the task queue instead of the
request; its job page follows the progress.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import require_role
from itda.accounts.exports import personal_export_view, xlsx_response
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.lib import masking
from itda.recruitment.import_jobs import (
    QUEUED_FROM_ROWS,
    import_job_create,
    import_jobs_fail_stale,
    import_storage,
)
from itda.recruitment.imports import (
    MAX_ROWS,
    ImportFileError,
    ImportPreview,
    ImportRefused,
    import_commit,
    import_preview,
    import_template_bytes,
    template_filename,
)
from itda.recruitment.models import Application, Call, CallKind, ImportJob

MAX_UPLOAD_MB = 10
# One checkbox per problem row, up to this many: Django refuses a POST with more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields. Beyond it, "exclude all problem rows" serves.
SHOWN_PROBLEM_ROWS = 500
_SESSION_KEY = "recruitment_excel_uploads"
_KEPT_PER_SESSION = 5
_STALE_AFTER = datetime.timedelta(hours=12)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_IMPORTABLE = (CallKind.COMPANY, CallKind.TRAINEE)
_SHOWN_JOBS = 5


def _call_for(request, call_id: int, *, importable: bool = True) -> Call:
    """The call whose lists the user may handle; 404 for a call that is not theirs, 403 for a
    role that handles no lists."""
    require_role(request, *PROGRAMME_STAFF)
    calls = Call.objects.visible_to(request.user).select_related(
        "programme", "track", "operating_group"
    )
    if importable:
        calls = calls.filter(kind__in=_IMPORTABLE)
    if request.user.role == Role.GROUP_STAFF:
        # Group staff handle the lists of the trainee calls their group runs, not national ones.
        calls = calls.filter(kind=CallKind.TRAINEE, operating_group__isnull=False)
    return get_object_or_404(calls, pk=call_id)


class UploadForm(forms.Form):
    """An xlsx list of applications, at most ``MAX_UPLOAD_MB``."""

    file = forms.FileField(
        label="신청 목록 파일 (.xlsx)",
        help_text=f"Excel 통합 문서(.xlsx), {MAX_UPLOAD_MB}MB·{MAX_ROWS:,}행까지",
        error_messages={
            "required": "올릴 파일을 선택하세요.",
            "empty": "빈 파일입니다.",
            "invalid": "파일을 올리지 못했습니다. 다시 선택하세요.",
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                "Excel(.xlsx) 파일만 올릴 수 있습니다. xls·csv 파일은 Excel에서"
                " 'Excel 통합 문서(*.xlsx)'로 다시 저장해 올려 주세요."
            )
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(f"파일이 너무 큽니다. {MAX_UPLOAD_MB}MB 이하로 나눠 올려 주세요.")
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":  # every xlsx is a zip package
            raise ValidationError("Excel(.xlsx) 파일이 아닙니다. 파일 형식을 확인해 주세요.")
        return upload


# --- Keeping an upload between preview and commit ------------------------------------------


@dataclass
class _Kept:
    token: str
    meta: dict

    @property
    def file_name(self) -> str:
        return f"{self.token}.xlsx"

    @property
    def meta_name(self) -> str:
        return f"{self.token}.json"


def _keep(request, call: Call, upload, preview: ImportPreview) -> _Kept:
    """Store the upload under a fresh token bound to this user, session and call."""
    storage = import_storage()
    _sweep(storage)
    kept = _Kept(
        token=secrets.token_urlsafe(24),
        meta={
            "user": request.user.pk,
            "call": call.pk,
            "name": upload.name[:200],
            "rows": len(preview.rows),
            "problem_rows": sorted(preview.problem_rows),
        },
    )
    storage.save(kept.file_name, upload)
    storage.save(kept.meta_name, ContentFile(json.dumps(kept.meta).encode()))
    tokens = [t for t in request.session.get(_SESSION_KEY, []) if t != kept.token]
    tokens.append(kept.token)
    for old in tokens[:-_KEPT_PER_SESSION]:
        _discard(request, old)
    request.session[_SESSION_KEY] = tokens[-_KEPT_PER_SESSION:]
    return kept


def _kept(request, call: Call, token: str) -> _Kept:
    """The upload behind ``token`` if this session kept it for this user and call; else 404."""
    if not _TOKEN.match(token) or token not in request.session.get(_SESSION_KEY, []):
        raise Http404
    storage = import_storage()
    try:
        with storage.open(f"{token}.json") as fh:
            meta = json.loads(fh.read())
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    if meta.get("user") != request.user.pk or meta.get("call") != call.pk:
        raise Http404
    if not storage.exists(f"{token}.xlsx"):
        raise Http404
    return _Kept(token=token, meta=meta)


def _discard(request, token: str) -> None:
    if not _TOKEN.match(token):
        return
    storage = import_storage()
    for name in (f"{token}.xlsx", f"{token}.json"):
        storage.delete(name)
    tokens = request.session.get(_SESSION_KEY, [])
    if token in tokens:
        request.session[_SESSION_KEY] = [t for t in tokens if t != token]


def _sweep(storage) -> None:
    """Delete uploads nobody committed (an abandoned preview must not keep personal data)."""
    if not storage.exists(""):
        return
    cutoff = timezone.now() - _STALE_AFTER
    for name in storage.listdir("")[1]:
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
        except FileNotFoundError:
            continue


# --- Views ----------------------------------------------------------------------------------


@never_cache
def template_download(request, call_id: int):
    """The xlsx to fill in for this call: headers, an example row, and a sheet of guidance."""
    call = _call_for(request, call_id)
    return xlsx_response(import_template_bytes(call=call), template_filename(call))


@never_cache
def import_upload(request, call_id: int):
    """Upload a list; answer with the preview of every problem (nothing is written yet)."""
    call = _call_for(request, call_id)
    import_jobs_fail_stale(call=call)  # the list of jobs below shows no dead one as running
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = import_preview(call=call, file=upload)
        except ImportFileError as exc:
            form.add_error("file", exc.messages[0])
        else:
            kept = _keep(request, call, upload, preview)
            return _render_preview(request, call, kept, preview)
    return render(
        request,
        "recruitment/excel/import_upload.html",
        {
            "call": call,
            "form": form,
            "max_rows": MAX_ROWS,
            "queued_from_rows": QUEUED_FROM_ROWS,
            "jobs": call.import_jobs.select_related("created_by")[:_SHOWN_JOBS],
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_POST
def import_confirm(request, call_id: int, token: str):
    """Import the kept list without the rows the operator excluded: all of it or nothing."""
    call = _call_for(request, call_id)
    kept = _kept(request, call, token)
    exclude = {int(v) for v in request.POST.getlist("exclude") if v.isdigit()}
    if request.POST.get("exclude_all"):
        exclude |= set(kept.meta["problem_rows"])
    # A list refused by the preview is refused here at once, within the request, as below.
    if kept.meta.get("rows", 0) > QUEUED_FROM_ROWS and set(kept.meta["problem_rows"]) <= exclude:
        with import_storage().open(kept.file_name) as fh:
            job = import_job_create(
                call=call,
                file=fh,
                original_name=kept.meta["name"],
                exclude_rows=exclude,
                actor=request.user,
            )
        _discard(request, kept.token)
        return redirect("recruitment_excel:import_job", call_id=call.pk, job_id=job.pk)
    try:
        with import_storage().open(kept.file_name) as fh:
            created = import_commit(call=call, file=fh, actor=request.user, exclude_rows=exclude)
    except ImportRefused as exc:
        messages.error(request, exc.messages[0])
        kept.meta["problem_rows"] = sorted(exc.preview.problem_rows)
        import_storage().delete(kept.meta_name)
        import_storage().save(kept.meta_name, ContentFile(json.dumps(kept.meta).encode()))
        return _render_preview(request, call, kept, exc.preview, excluded=exclude, status=400)
    except ImportFileError as exc:
        _discard(request, kept.token)
        messages.error(request, exc.messages[0])
        return redirect("recruitment_excel:import", call_id=call.pk)
    _discard(request, kept.token)
    messages.success(request, f"신청 {created:,}건을 가져왔습니다 (Excel 가져오기, 제출 상태).")
    return redirect("recruitment_excel:import", call_id=call.pk)


@never_cache
def import_job(request, call_id: int, job_id: int):
    """A queued import's progress and outcome (the page polls itself while the job runs)."""
    call = _call_for(request, call_id)
    import_jobs_fail_stale(call=call)
    job = get_object_or_404(ImportJob, pk=job_id, call=call)
    template = "_import_job.html" if request.htmx else "import_job.html"
    return render(request, f"recruitment/excel/{template}", {"call": call, "job": job})


def _render_preview(request, call, kept, preview, *, excluded=frozenset(), status=200):
    groups = preview.problems_by_row()
    return render(
        request,
        "recruitment/excel/import_preview.html",
        {
            "call": call,
            "token": kept.token,
            "file_name": kept.meta["name"],
            "preview": preview,
            "counts": preview.counts,
            "groups": groups[:SHOWN_PROBLEM_ROWS],
            "hidden_rows": max(len(groups) - SHOWN_PROBLEM_ROWS, 0),
            "excluded": excluded,
        },
        status=status,
    )


_COMMON_HEADERS = ["접수번호", "상태", "자격 검토", "결과", "제출 일시(KST)"]
_COMPANY_HEADERS = [
    "기업명",
    "사업자등록번호",
    "대표자",
    "기업유형",
    "규모",
    "시·도",
    "상시근로자 수",
    "대표전화",
]
_TRAINEE_HEADERS = ["성명", "생년월일", "휴대전화", "이메일", "거주 시·도", "최종학력", "전공"]
_OTHER_HEADERS = ["신청자", "시·도"]


def _export_headers(call: Call) -> list[str]:
    if call.kind == CallKind.COMPANY:
        return _COMMON_HEADERS + _COMPANY_HEADERS
    if call.kind == CallKind.TRAINEE:
        return _COMMON_HEADERS + _TRAINEE_HEADERS
    return _COMMON_HEADERS + _OTHER_HEADERS


def _export_row(a: Application, full: bool) -> list:
    submitted = (
        timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""
    )
    row = [
        a.receipt_number or "",
        a.get_status_display(),
        a.get_screening_display(),
        a.get_result_display(),
        submitted,
    ]
    if a.company_id:
        c = a.company
        return row + [
            c.name,
            c.business_number,
            c.representative if full else masking.mask_name(c.representative),
            c.get_kind_display(),
            c.get_size_display(),
            a.region.name,
            c.employees,
            c.phone,
        ]
    if a.trainee_id:
        t = a.trainee
        return row + [
            t.name if full else masking.mask_name(t.name),
            t.birth_date.isoformat() if full else masking.mask_birth_date(t.birth_date),
            t.phone if full else masking.mask_phone(t.phone),
            t.email if full else masking.mask_email(t.email),
            a.region.name,
            t.get_education_display(),
            t.major,
        ]
    return row + [a.applicant_name, a.region.name]


@never_cache
def export(request, call_id: int):
    """Download the call's applications the user may see: a reason first, always logged."""
    call = _call_for(request, call_id, importable=False)
    return personal_export_view(
        request,
        queryset=Application.objects.filter(call=call)
        .select_related("company", "trainee", "region")
        .order_by("submitted_at", "pk"),
        title="신청 목록",
        headers=_export_headers(call),
        row=_export_row,
        filename=f"call-{call.pk}-applications",
        template="recruitment/excel/export.html",
        context={"call": call},
    )
