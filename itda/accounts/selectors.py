"""Reads for accounts."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from itda.accounts.models import AccountLockout, LoginThrottle, PersonalDataAccess


def access_log_search(*, user, filters: dict) -> QuerySet[PersonalDataAccess]:
    """The 접속기록 the user may search (the national operator's), filtered."""
    qs = PersonalDataAccess.objects.visible_to(user)
    if filters.get("username"):
        qs = qs.filter(actor_username__icontains=filters["username"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("subject_type"):
        qs = qs.filter(subject_type=filters["subject_type"])
    if filters.get("subject_id"):
        qs = qs.filter(subject_ids__contains=[filters["subject_id"]])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(at__gte=datetime.combine(filters["date_from"], time.min, tzinfo=tz))
    if filters.get("date_to"):
        qs = qs.filter(at__lte=datetime.combine(filters["date_to"], time.max, tzinfo=tz))
    return qs


def account_locked_until(username: str) -> datetime | None:
    """When the lockout of the account ``username`` ends, or None if it is not locked."""
    until = (
        LoginThrottle.objects.filter(user__username=username)
        .values_list("locked_until", flat=True)
        .first()
    )
    return until if until and until > timezone.now() else None


def lockouts_for_operator(*, user) -> QuerySet[AccountLockout]:
    """Account lockouts, newest first, the ones still in force on top (national operator)."""
    now = timezone.now()
    return (
        AccountLockout.objects.visible_to(user)
        .select_related("user", "released_by")
        .annotate(
            in_force=Q(released_at__isnull=True, until__gt=now),
        )
        .order_by("-in_force", "-started_at", "-id")
    )
