"""Destroying what is past its retention period, and signing off the monthly access review."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from itda.privacy.models import AccessReview, DestructionRecord
from itda.privacy.retention import RULES, RetentionRule


class ReviewError(Exception):
    """A sign-off that cannot be recorded; the message is shown to the reviewer."""


def retention_rule_run(rule: RetentionRule, *, now: datetime.datetime, actor=None) -> int:
    """Destroy one rule's expired rows and record it, in one transaction (a crash leaves
    neither half). A run with nothing to destroy records nothing."""
    with transaction.atomic():
        # Two runs at once (the nightly task and an operator's button) take turns: the second
        # finds nothing left and records nothing.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [rule.key])
        count = rule.drop_months(now) if rule.drop_months else 0
        rows = rule.expired(now)
        count += rule.destroy(rows) if rows.exists() else 0
        if count:
            DestructionRecord.objects.create(
                rule=rule.key,
                what=rule.what,
                method=rule.method,
                count=count,
                cutoff=now,
                basis=rule.basis,
                run_by=actor,
            )
    return count


def retention_run(*, now: datetime.datetime | None = None, actor=None) -> dict[str, int]:
    """Every rule in turn; safe to run again (destroyed rows are no longer selected)."""
    now = now or timezone.now()
    return {rule.key: retention_rule_run(rule, now=now, actor=actor) for rule in RULES}


def access_review_sign_off(
    *, month: datetime.date, figures: dict, note: str, actor
) -> AccessReview:
    note = note.strip()
    if not note:
        raise ReviewError("점검 의견을 적어 주세요.")
    if month >= timezone.localdate().replace(day=1):
        raise ReviewError("지난 달까지만 점검을 확인할 수 있습니다.")
    try:
        with transaction.atomic():
            return AccessReview.objects.create(
                month=month, figures=figures, note=note, signed_off_by=actor
            )
    except IntegrityError:
        raise ReviewError(f"{month:%Y년 %m월} 점검은 이미 확인되었습니다.") from None
