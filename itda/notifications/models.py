"""Notifications: what itda told a person (a selection result, an interview, attendance below
the completion threshold, a deadline, reports due), kept as their inbox and e-mailed once.

The inbox row is written in the transaction of the event it tells about; the e-mail goes later
from a task. ``key`` names the event for its recipient, so telling the same thing twice (a task
rerun, a second click) finds the row already there and sends nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField


class Kind(models.TextChoices):
    RESULT = "result", "선정 결과"
    INTERVIEW = "interview", "면접 안내"
    ATTENDANCE_RISK = "attendance_risk", "출석 부족"
    DEADLINE = "deadline", "마감 안내"
    REPORT_DUE = "report_due", "인턴십 할 일"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "발송 대기"
    SENT = "sent", "발송함"
    NO_ADDRESS = "no_address", "메일 주소 없음"


class Notification(models.Model):
    """One thing itda told one person: in their inbox, and e-mailed once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="받는 사람",
    )
    kind = models.CharField("종류", max_length=20, choices=Kind.choices)
    # The event, for this recipient ("ranking-result:17", "interview:5:202609011400:본사 3층").
    key = models.CharField(max_length=300)
    subject = models.CharField("제목", max_length=200)
    # Generous: a group's daily internship reminders list every item waiting for its staff.
    body = BoundedTextField("내용", max_length=100_000)
    link = models.CharField("바로 가기", max_length=300)
    created_at = models.DateTimeField("알린 시각", auto_now_add=True)
    read_at = models.DateTimeField("읽은 시각", null=True, blank=True, validators=[validate_era])
    email_status = models.CharField(
        "메일", max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(
        "메일 보낸 시각", null=True, blank=True, validators=[validate_era]
    )

    class Meta:
        verbose_name = "알림"
        verbose_name_plural = "알림"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                name="notification_once_per_event",
                violation_error_message="같은 일을 같은 사람에게 두 번 알리지 않습니다.",
            ),
            models.CheckConstraint(
                condition=Q(email_status="sent", emailed_at__isnull=False)
                | ~Q(email_status="sent"),
                name="notification_sent_has_time",
                violation_error_message="메일을 보낸 알림에는 보낸 시각이 있어야 합니다.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.subject
