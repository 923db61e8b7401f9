"""Downloads of personal data: a stated reason first, masked unless asked, always logged."""

from collections.abc import Callable, Sequence

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from itda.accounts.access import ScopedQuerySet, personal_export
from itda.lib.excel import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReasonForm(forms.Form):
    """Why personal data is needed in full (logged with the reveal or the download)."""

    reason = forms.CharField(
        label="열람 사유",
        min_length=5,
        max_length=300,
        error_messages={
            "required": "열람 사유를 입력하세요.",
            "min_length": "열람 사유를 5자 이상 입력하세요.",
        },
    )


class ExportForm(ReasonForm):
    """Why the download is needed, and whether it needs the full values."""

    full_values = forms.BooleanField(label="마스킹하지 않은 전체 정보 포함", required=False)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel file as a download."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def personal_export_view(
    request,
    *,
    queryset: ScopedQuerySet,
    title: str,
    headers: Sequence[str],
    row: Callable[[object, bool], list],
    filename: str,
    template: str,
    context: dict | None = None,
):
    """GET: the reason form. POST: the rows the user may see as xlsx, masked unless the full
    values are asked for, and one 접속기록 row with the reason; a bad form answers 400."""
    form = ExportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            template,
            {**(context or {}), "form": form, "what": title},
            status=400 if request.method == "POST" else 200,
        )
    full = form.cleaned_data["full_values"]
    rows = personal_export(
        request,
        queryset,
        reason=form.cleaned_data["reason"] + (" [전체 정보]" if full else " [마스킹]"),
    )
    content = workbook_bytes(title=title, headers=headers, rows=(row(r, full) for r in rows))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(content, f"{filename}-{stamp}.xlsx")
