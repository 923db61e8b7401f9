"""What training tells trainees (itda.notifications): attendance below the completion threshold
on the sessions held so far, while the cohort runs and there is still time to catch up.

A trainee below the line is told once an ISO week (an itda 기본값, said in the text) until
they are back above it or the cohort ends; the group's staff see the same trainees on their
home page (outcomes.homes.cohorts_at_risk, the same selector).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from itda.notifications.models import Kind
from itda.notifications.services import Note, notify_many
from itda.training.models import Enrollment
from itda.training.selectors import enrollments_at_risk

WEEKLY_NOTE = "(출석 부족 알림은 주 1회: itda 기본값 — 운영지침 확인 필요)"


def attendance_risk_notify(*, now: datetime.datetime | None = None) -> int:
    """Tell every trainee below their cohort's completion rate on the sessions held so far
    (once an ISO week per enrolment); returns the e-mails queued."""
    now = now or timezone.now()
    year, week, _ = timezone.localdate(now).isocalendar()
    rows = (
        enrollments_at_risk(Enrollment.objects.all(), now=now)
        .filter(trainee__user__isnull=False, trainee__user__is_active=True)
        .values_list(
            "pk",
            "trainee__user_id",
            "cohort__course__title",
            "cohort__number",
            "cohort__rule__completion_min_rate",
            "credited",
            "scheduled",
        )
    )
    link = reverse("outcomes:my_training")
    return len(
        notify_many(
            [
                Note(
                    user,
                    Kind.ATTENDANCE_RISK,
                    f"attendance-risk:{pk}:{year}-W{week:02d}",
                    f"[잇다] {title} {number}기 출석 안내",
                    f"{title} {number}기의 지금까지 열린 {scheduled}차시 중 출석 인정은 "
                    f"{credited}차시로, 수료 기준 출석률 {rate:.0%}에 못 미칩니다.\n"
                    "남은 차시에 빠짐없이 출석해야 수료할 수 있습니다. "
                    "결석 사유가 있으면 사업단에 출결 정정을 요청하세요.\n" + WEEKLY_NOTE,
                    link,
                )
                for pk, user, title, number, rate, credited, scheduled in rows
            ]
        )
    )
