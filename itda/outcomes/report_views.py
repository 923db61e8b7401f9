"""월간 성과 보고서: the page that picks a report, and its three downloads (PDF, HWPX, Excel),
all from one ``report_figures`` call. Reports hold aggregates only, so downloads are not
personal-data exports; who reads which report is decided in ``outcomes.reports``."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.outcomes import reports
from itda.programs.models import Programme

FORMATS = {
    "pdf": (reports.report_pdf, "application/pdf"),
    "hwpx": (reports.report_hwpx, "application/hwp+zip"),
    "xlsx": (
        reports.report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
# How the links name each format.
FORMAT_LABELS = {"pdf": "PDF", "hwpx": "한글(HWPX)", "xlsx": "엑셀"}
MONTHS_SHOWN = 12


def _months(programme: Programme, today: datetime.date) -> list[datetime.date]:
    """The programme's months so far, latest first (at most MONTHS_SHOWN)."""
    month = min(today, programme.ends_on).replace(day=1)
    first = programme.starts_on.replace(day=1)
    months = []
    while month >= first and len(months) < MONTHS_SHOWN:
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


@never_cache
@require_GET
def report_list(request):
    """보고서: the months of a programme, with the national report and the groups' reports the
    user may read, each in three formats."""
    require_role(request, *reports.REPORT_ROLES)
    programmes = list(Programme.objects.order_by("starts_on", "pk"))
    code = request.GET.get("programme")
    programme = next(
        (p for p in programmes if p.code == code), programmes[0] if programmes else None
    )
    scopes = []
    months = []
    if programme is not None:
        if request.user.role != Role.GROUP_STAFF:
            scopes.append((reports.NATIONAL_SCOPE, "전국"))
        scopes += [(str(g.pk), g.name) for g in reports.report_groups(request.user, programme)]
        months = _months(programme, timezone.localdate())
    return render(
        request,
        "outcomes/report/report_list.html",
        {
            "programmes": programmes,
            "programme": programme,
            "scopes": scopes,
            "months": months,
            "formats": list(FORMAT_LABELS.items()),
            "cutoff_note": reports.CUTOFF_NOTE,
        },
    )


@never_cache
@require_GET
def report_download(request, code: str, month: str, scope: str, fmt: str):
    """One report in one format, as an attachment."""
    require_role(request, *reports.REPORT_ROLES)
    programme = get_object_or_404(Programme, code=code)
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError:
        raise Http404 from None
    if fmt not in FORMATS:
        raise Http404
    figures = reports.report_figures(
        user=request.user, programme=programme, month=first, scope=scope
    )
    render_file, content_type = FORMATS[fmt]
    response = HttpResponse(render_file(figures), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{figures.filename}.{fmt}"'
    return response
