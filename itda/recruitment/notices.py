"""What recruitment tells applicants (itda.notifications): a call closing on an application
still in draft, and the selection result once evaluation publishes it. Who is told about an
application, and in which words, lives here, next to the applications.

The e-mail says only that something happened and where to look: the result itself, scores and
personal details stay on itda, behind the login.
Applicants with a draft are reminded ``DEADLINE_NOTICE_DAYS`` before the call closes, once per
deadline (an itda 기본값, said in the text).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from itda.notifications.models import Kind
from itda.notifications.services import DEADLINE_NOTE, DEADLINE_NOTICE_DAYS, Note, notify_many
from itda.programs.models import Company
from itda.recruitment.models import Application, ApplicationStatus, Call


def applicant_users(applications: QuerySet) -> dict[int, list[int]]:
    """Application id → the accounts told about it: a trainee's own account (none for a trainee
    imported without one), a company's active managers, and otherwise the account that filed
    it (an operating group's or a region's application); a fixed number of queries."""
    rows = list(
        applications.order_by().values_list(
            "pk", "trainee_id", "trainee__user_id", "company_id", "created_by_id"
        )
    )
    managers: dict[int, list[int]] = defaultdict(list)
    for company, user in Company.managers.through.objects.filter(
        company_id__in={row[3] for row in rows if row[3]}, user__is_active=True
    ).values_list("company_id", "user_id"):
        managers[company].append(user)
    out = {}
    for pk, trainee, trainee_user, company, filer in rows:
        if trainee:
            out[pk] = [trainee_user] if trainee_user else []
        elif company:
            out[pk] = managers[company]
        else:
            out[pk] = [filer]
    return out


def _notes(applications: QuerySet, note) -> list[Note]:
    return [
        note(user, pk, reverse("recruitment:application_detail", args=[pk]))
        for pk, users in applicant_users(applications).items()
        for user in users
    ]


def results_notify(*, call: Call, applications: QuerySet) -> list[int]:
    """Tell every applicant of ``applications`` that the call's result is published (once per
    application), in the publication's transaction."""
    subject = f"[잇다] 「{call.title}」 선정 결과 안내"
    body = (
        f"「{call.title}」의 선정 결과가 공개되었습니다.\n결과는 잇다의 신청 화면에서 확인하세요."
    )
    return notify_many(
        _notes(
            applications,
            lambda user, pk, link: Note(user, Kind.RESULT, f"result:{pk}", subject, body, link),
        )
    )


def call_deadline_notify(*, now: datetime.datetime | None = None) -> int:
    """Remind applicants whose application is still a draft that its call closes within
    ``DEADLINE_NOTICE_DAYS`` (once per application and deadline); returns the e-mails queued."""
    now = now or timezone.now()
    drafts = Application.objects.filter(
        status=ApplicationStatus.DRAFT,
        call__closes_at__gt=now,
        call__closes_at__lte=now + datetime.timedelta(days=DEADLINE_NOTICE_DAYS),
    )
    calls = {
        pk: (title, closes)
        for pk, title, closes in drafts.values_list("pk", "call__title", "call__closes_at")
    }

    def note(user, pk, link):
        title, closes = calls[pk][0], timezone.localtime(calls[pk][1])
        return Note(
            user,
            Kind.DEADLINE,
            f"call-closing:{pk}:{closes:%Y%m%d%H%M}",
            f"[잇다] 「{title}」 접수 마감 안내",
            f"「{title}」 접수가 {closes:%Y-%m-%d %H:%M}에 마감됩니다.\n"
            "작성 중인 신청서를 아직 제출하지 않았습니다. 마감 전에 제출해야 접수됩니다.\n"
            + DEADLINE_NOTE,
            link,
        )

    return len(notify_many(_notes(drafts, note)))
