"""The privacy officer's pages (the national operator): the retention schedule, what falls
due, the destruction records, and the monthly access-log review with its sign-off."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.privacy import selectors, services
from itda.privacy.models import AccessReview, DestructionRecord
from itda.privacy.tasks import retention_run_task


@never_cache
@require_safe
def retention(request):
    require_role(request, Role.OPERATOR)
    records = Paginator(DestructionRecord.objects.select_related("run_by"), 50)
    return render(
        request,
        "privacy/retention.html",
        {
            "forecasts": selectors.retention_forecast(),
            "next_month": selectors.next_month(timezone.localdate()),
            "page_obj": records.get_page(request.GET.get("page")),
        },
    )


@require_POST
def retention_run(request):
    require_role(request, Role.OPERATOR)
    retention_run_task.enqueue()
    messages.success(
        request, "보유기간이 지난 개인정보 파기를 시작했습니다. 결과는 파기 기록에 남습니다."
    )
    return redirect("privacy:retention")


def _month(value: str | None) -> datetime.date:
    """The month asked for (YYYY-MM), or last month; nonsense falls back to last month."""
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return last_month
    return month if datetime.date(2020, 1, 1) <= month <= last_month else last_month


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def access_review(request):
    require_role(request, Role.OPERATOR)
    month = _month(request.POST.get("month") or request.GET.get("month"))
    review = AccessReview.objects.select_related("signed_off_by").filter(month=month).first()
    figures = review.figures if review else selectors.access_review_figures(month)
    error = ""
    if request.method == "POST":
        try:
            services.access_review_sign_off(
                month=month, figures=figures, note=request.POST.get("note", ""), actor=request.user
            )
        except services.ReviewError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{month:%Y년 %m월} 접속기록 점검을 확인했습니다.")
            return redirect(f"{request.path}?month={month:%Y-%m}")
    return render(
        request,
        "privacy/access_review.html",
        {
            "month": month,
            "figures": figures,
            "review": review,
            "error": error,
            "volume_threshold": selectors.VOLUME_THRESHOLD,
            "work_hours": selectors.WORK_HOURS,
            "reviews": AccessReview.objects.select_related("signed_off_by")[:24],
        },
    )
