"""Reads for accounts."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from itda.accounts.models import PersonalDataAccess


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
