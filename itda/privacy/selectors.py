"""What the privacy officer reads: the retention schedule with what falls due, and the month's
access log summarised for review."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from itda.accounts.models import AccessAction, PersonalDataAccess
from itda.lib.dates import month_start, next_month
from itda.privacy.retention import RULES, RetentionRule

# itda 기본값 — 운영지침 확인 필요: what the review flags.
VOLUME_THRESHOLD = 1_000  # people whose data one account touched in a month
WORK_HOURS = (7, 22)  # local time; access outside it (or on a weekend) is after hours

KST = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # the day as staff live it


@dataclass(frozen=True)
class RuleForecast:
    rule: RetentionRule
    due_now: int  # past its period and not yet destroyed (the nightly run takes them)
    due_next_month: int  # whose period ends during the next calendar month


def retention_forecast(*, today: datetime.date | None = None) -> list[RuleForecast]:
    today = today or timezone.localdate()
    start = month_start(next_month(today))
    end = month_start(next_month(start.date()))
    now = timezone.now()
    forecasts = []
    for rule in RULES:
        due_start = rule.expired(start).count()
        forecasts.append(
            RuleForecast(
                rule=rule,
                due_now=rule.expired(now).count(),
                due_next_month=rule.expired(end).count() - due_start,
            )
        )
    return forecasts


def _subjects():
    return Func(F("subject_ids"), function="cardinality", output_field=IntegerField())


def access_review_figures(month: datetime.date) -> dict:
    """The month's access log as the review reads it: per account the rows, people, downloads,
    refusals and after-hours rows; flagged accounts; every download with its reason. Plain data
    (stored with the sign-off as it stood)."""
    start, end = month_start(month), month_start(next_month(month))
    rows = PersonalDataAccess.objects.filter(at__gte=start, at__lt=end).annotate(
        hour=ExtractHour("at", tzinfo=KST), weekday=ExtractIsoWeekDay("at", tzinfo=KST)
    )
    after_hours = Q(hour__lt=WORK_HOURS[0]) | Q(hour__gte=WORK_HOURS[1]) | Q(weekday__gte=6)
    accounts = list(
        rows.values("actor_username")
        .annotate(
            rows=Count("id"),
            people=Sum(_subjects()),
            exports=Count("id", filter=Q(action=AccessAction.EXPORT)),
            denied=Count("id", filter=Q(action=AccessAction.DENIED)),
            after_hours=Count("id", filter=after_hours),
        )
        .order_by("-people", "actor_username")
    )
    for account in accounts:
        account["flags"] = [
            label
            for label, raised in (
                ("과다 조회", (account["people"] or 0) >= VOLUME_THRESHOLD),
                ("내려받기", account["exports"] > 0),
                ("업무시간 외", account["after_hours"] > 0),
                ("접근 거부", account["denied"] > 0),
            )
            if raised
        ]
    downloads = [
        {
            "at": timezone.localtime(row["at"]).strftime("%Y-%m-%d %H:%M"),
            "actor": row["actor_username"],
            "people": row["people"],
            "reason": row["reason"],
            "path": row["path"],
        }
        for row in rows.filter(action=AccessAction.EXPORT)
        .annotate(people=_subjects())
        .order_by("at")
        .values("at", "actor_username", "people", "reason", "path")
    ]
    return {
        "month": f"{month:%Y-%m}",
        "rows": sum(a["rows"] for a in accounts),
        "accounts": accounts,
        "flagged": [a for a in accounts if a["flags"]],
        "downloads": downloads,
    }
