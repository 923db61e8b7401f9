"""Internship reminders (issue 12 §3): what each person has due soon, overdue or waiting for
their review, gathered set-based from the stage's selectors, sent as one e-mail per recipient
per day by a scheduled task and shown on the recipient's home page.

What is gathered, and who is reminded:
- OJT months (selectors.ojt_months): the intern's work log to write (open, due within
  ``DUE_SOON_DAYS`` or past due) → the intern; the mentor report likewise → the mentor, or the
  company's managers while the mentor's account is deactivated (they write it then, see
  ojt.py); a report handed in and not yet reviewed → the managing group's staff.
- PBL milestones (pbl.milestones_needing_attention): due or overdue → the intern; awaiting
  review → the mentor (the company's managers without an active mentor).
- Hiring outcomes (hiring.outcomes_due): nothing reported, or returned → the company's managers
  (they confirm their hires); reported, to verify → the group's staff.
- Agreements proposed and not yet accepted in their current version → each party that has not.
A report or hiring outcome the group returned is one to fix ("… 보완"), with the group's reason
in the e-mail line and on the home card.

Idempotency: a ``ReminderSent`` row per (recipient, day) is claimed with one
``INSERT … ON CONFLICT DO NOTHING RETURNING`` before the e-mail goes; only the recipients it
returns are written to, so a second run the same day, or two workers at once, send nothing
new. An e-mail that fails releases its claim, so the next run tries again. The day's e-mail is
also the recipient's notification (itda.notifications, one per recipient and day): it stays
in their inbox, and the notification's own claim keeps it from going twice.

Decisions the issue left open (itda 기본값): "due soon" is ``DUE_SOON_DAYS`` (7) days, the
same window as the PBL board; a day's e-mail lists everything open that day (not only what
changed since yesterday).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from itda.accounts.models import User
from itda.internships import hiring, pbl
from itda.internships.models import (
    Checkpoint,
    Internship,
    InternshipState,
    Party,
    ReminderSent,
)
from itda.internships.selectors import accepted_by, ojt_months
from itda.lib.masking import mask_name
from itda.notifications.models import EmailStatus, Kind, Notification
from itda.notifications.services import Note, emails_send, notify_many
from itda.programs.models import Company, OperatingGroup

DUE_SOON_DAYS = pbl.DUE_SOON_DAYS
_AWAITING = ("submitted", "resubmitted")


class Reminder(NamedTuple):
    """One thing one person must do for one internship. (A named tuple: the daily task makes
    hundreds of thousands of them.)"""

    internship_id: int
    intern: str  # the intern's masked name, so a company's or group's list says whose it is
    what: str  # Korean: "2026-09 근무일지 작성", "마일스톤 「설계」 검토" …
    due_on: datetime.date | None
    overdue: bool
    # Why the operating group returned the item, when it is one to fix ("" otherwise).
    reason: str = ""

    @property
    def status(self) -> str:
        if self.due_on is None:
            return "처리 대기"
        return "마감 지남" if self.overdue else "마감 임박"

    def line(self) -> str:
        due = f" · 마감 {self.due_on:%Y-%m-%d}" if self.due_on else ""
        reason = f" · 보완 요청 사유: {self.reason}" if self.reason else ""
        return f"[{self.status}] {self.intern} · {self.what}{due}{reason}"


class _Who(NamedTuple):
    intern_user: int | None
    company: int
    group: int
    mentor_user: int | None  # None: no mentor, or the mentor's account is deactivated
    name: str


def _people(internships: QuerySet) -> dict[int, _Who]:
    rows = internships.order_by().values_list(
        "pk",
        "placement__trainee__user_id",
        "placement__position__company_id",
        "placement__operating_group_id",
        "mentor__user_id",
        "mentor__user__is_active",
        "placement__trainee__name",
    )
    return {
        # Reminders go to several parties and by e-mail: the intern's name is masked in them.
        pk: _Who(intern, company, group, mentor if active else None, mask_name(name))
        for pk, intern, company, group, mentor, active, name in rows.iterator(chunk_size=5000)
    }


def _members(through, owner: str, ids) -> dict[int, list[int]]:
    """Owner id → user ids of an M2M table (company managers, group staff), one query."""
    members: dict[int, list[int]] = defaultdict(list)
    for owner_id, user_id in (
        through.objects.filter(**{f"{owner}_id__in": ids})
        .filter(user__is_active=True)
        .values_list(f"{owner}_id", "user_id")
    ):
        members[owner_id].append(user_id)
    return members


def collect(internships: QuerySet, day: datetime.date) -> dict[int, list[Reminder]]:
    """Recipient user id → their reminders on ``day`` for ``internships``, set-based: a fixed
    number of queries whatever the number of internships."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # No JIT for these reads: the planner takes generate_series for 1,000 months an
            # internship, so over 100,000 internships it compiled the month query for seconds
            # (3.8 of its 5 s) to save nothing (bench/internship_reminders.py).
            cursor.execute("SET LOCAL jit = off")
        return _collect(internships, day)


def _collect(internships: QuerySet, day: datetime.date) -> dict[int, list[Reminder]]:
    internships = internships.order_by()
    people = _people(internships.exclude(state__in=("declined", "cancelled")))
    if not people:
        return {}
    managers = _members(Company.managers.through, "company", {w.company for w in people.values()})
    staff = _members(
        OperatingGroup.staff.through, "operatinggroup", {w.group for w in people.values()}
    )
    out: dict[int, list[Reminder]] = defaultdict(list)

    def company_side(who: _Who) -> list[int]:
        return [who.mentor_user] if who.mentor_user else managers.get(who.company, [])

    def add(users, pk: int, what: str, due_on, overdue: bool, reason: str = "") -> None:
        reminder = Reminder(pk, people[pk].name, what, due_on, overdue, reason)
        for user in users:
            if user:
                out[user].append(reminder)

    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    for row in ojt_months(internships, day=day):
        pk, who = row.internship_id, people.get(row.internship_id)
        if who is None:
            continue
        month = f"{row.month:%Y-%m}"
        if row.due_on <= soon:
            # A returned report is one to fix, and says why it came back.
            if row.log_to_write:
                reason = row.log_return_reason
                what = f"{month} 근무일지 {'보완' if reason else '작성'}"
                add([who.intern_user], pk, what, row.due_on, row.log_overdue, reason)
            if row.mentor_to_write:
                reason = row.mentor_return_reason
                what = f"{month} 멘토 보고서 {'보완' if reason else '작성'}"
                add(company_side(who), pk, what, row.due_on, row.mentor_overdue, reason)
        if row.log_state in _AWAITING:
            add(staff.get(who.group, []), pk, f"{month} 근무일지 검토", None, False)
        if row.mentor_state in _AWAITING:
            add(staff.get(who.group, []), pk, f"{month} 멘토 보고서 검토", None, False)

    for m in pbl.milestones_needing_attention(internships, day).values_list(
        "internship_id", "title", "due_on", "attention"
    ):
        pk, title, due_on, attention = m
        if pk not in people:
            continue
        if attention == pbl.Attention.AWAITING_REVIEW:
            add(company_side(people[pk]), pk, f"마일스톤 「{title}」 검토", None, False)
        else:
            add(
                [people[pk].intern_user],
                pk,
                f"마일스톤 「{title}」 제출",
                due_on,
                attention == pbl.Attention.OVERDUE,
            )

    for checkpoint, rows in hiring.outcomes_due(internships, day).items():
        label = Checkpoint(checkpoint).label
        for pk, due_on, overdue, status, note in rows.values_list(
            "pk", "due_on", "overdue", "outcome_status", "outcome_return_note"
        ):
            who = people[pk]
            if status == "reported":
                add(staff.get(who.group, []), pk, f"채용 결과({label}) 확인", None, False)
            elif status == "returned":
                what = f"채용 결과({label}) 보완"
                add(managers.get(who.company, []), pk, what, due_on, overdue, note or "")
            else:
                what = f"채용 결과({label}) 입력"
                add(managers.get(who.company, []), pk, what, due_on, overdue)

    proposed = internships.filter(state=InternshipState.PROPOSED).annotate(
        by_company=accepted_by(Party.COMPANY),
        by_intern=accepted_by(Party.INTERN),
        by_group=accepted_by(Party.GROUP),
    )
    for pk, company_ok, intern_ok, group_ok in proposed.values_list(
        "pk", "by_company", "by_intern", "by_group"
    ):
        who = people[pk]
        if not company_ok:
            add(managers.get(who.company, []), pk, "협약 수락", None, False)
        if not intern_ok:
            add([who.intern_user], pk, "협약 수락", None, False)
        if not group_ok:
            add(staff.get(who.group, []), pk, "협약 수락", None, False)
    return out


def for_user(user: User, day: datetime.date | None = None) -> list[Reminder]:
    """The user's own reminders, from the internships they may see (the home pages)."""
    day = day or timezone.localdate()
    return collect(Internship.objects.visible_to(user), day).get(user.pk, [])


# --- the daily e-mail ----------------------------------------------------------------------------


def _claim(user_ids: list[int], day: datetime.date, counts: dict[int, int]) -> list[int]:
    """Insert today's ReminderSent rows; the ids that were not there yet (one statement)."""
    if not user_ids:
        return []
    table = ReminderSent._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (user_id, day, items, sent_at)
            SELECT u, %s, c, %s FROM unnest(%s::bigint[], %s::int[]) AS t(u, c)
            ON CONFLICT (user_id, day) DO NOTHING
            RETURNING user_id
            """,  # noqa: S608 - the table name from the model, values as parameters
            [day, now, user_ids, [counts[u] for u in user_ids]],
        )
        return [row[0] for row in cursor.fetchall()]


def decide(day: datetime.date) -> dict[int, list[Reminder]]:
    """Who is reminded on ``day`` and of what: recipient id → reminders, overdue first, over
    every internship, for active accounts (no writes). An account without an e-mail address is
    reminded too: the note reaches its inbox, and its e-mail is marked as having no address."""
    due = collect(Internship.objects.all(), day)
    active = User.objects.filter(is_active=True).values_list("pk", flat=True)
    return {
        pk: sorted(due[pk], key=lambda r: (not r.overdue, r.due_on or day))
        for pk in active.iterator(chunk_size=10000)
        if pk in due
    }


def _message(day: datetime.date, items: list[Reminder]) -> tuple[str, str]:
    body = "\n".join(
        [
            f"{day:%Y-%m-%d} 기준 인턴십에서 처리할 일이 {len(items)}건 있습니다.",
            "",
            *(r.line() for r in items),
            "",
            "잇다에 로그인하면 첫 화면에서 같은 목록을 볼 수 있습니다.",
        ]
    )
    return f"[잇다] 인턴십 할 일 {len(items)}건", body


def claim(day: datetime.date) -> list[int]:
    """Decide ``day``'s reminders and claim one e-mail a recipient (recipients already written
    to that day are left out); each also goes to the recipient's inbox, linking their home page
    where the same list is. Returns the notifications whose e-mails to deliver."""
    plan = decide(day)
    claimed = _claim(sorted(plan), day, {u: len(items) for u, items in plan.items()})
    home = reverse("accounts:home")
    return notify_many(
        [
            Note(u, Kind.REPORT_DUE, f"internship-reminders:{day}", *_message(day, plan[u]), home)
            for u in claimed
        ],
        email=False,
    )


def deliver(day: datetime.date, ids: list[int]) -> int:
    """Send claimed reminder e-mails over one mail connection (notifications.emails_send); on a
    failure the day's claims of those not sent are released, so the next run claims and sends
    them again. Returns how many went."""
    try:
        return emails_send(ids)
    except Exception:
        unsent = Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING)
        ReminderSent.objects.filter(user__in=unsent.values("recipient"), day=day).delete()
        raise


def send(day: datetime.date | None = None) -> int:
    """Claim and send ``day``'s reminder e-mails here and now (one per recipient, once a day);
    returns how many went. The daily task claims the same way and hands delivery to workers."""
    day = day or timezone.localdate()
    return deliver(day, claim(day))


# --- the operating group's list ------------------------------------------------------------------


@dataclass
class Standing:
    """How many things of one internship are due soon, overdue, or waiting for review."""

    due: int = 0
    overdue: int = 0
    awaiting: int = 0

    def count(self, *, due_on: datetime.date | None, overdue: bool) -> None:
        if due_on is None:
            self.awaiting += 1
        elif overdue:
            self.overdue += 1
        else:
            self.due += 1


def standings(internship_ids: list[int], day: datetime.date) -> dict[int, Standing]:
    """Internship id → its due / overdue / awaiting-review counts on ``day`` (reports,
    milestones, hiring outcomes), in a fixed number of queries: the list's status column."""
    rows = Internship.objects.filter(pk__in=internship_ids)
    out = {pk: Standing() for pk in internship_ids}
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    for row in ojt_months(rows, day=day):
        for state, to_write, overdue in (
            (row.log_state, row.log_to_write, row.log_overdue),
            (row.mentor_state, row.mentor_to_write, row.mentor_overdue),
        ):
            if state in _AWAITING:
                out[row.internship_id].awaiting += 1
            elif to_write and row.due_on <= soon:
                out[row.internship_id].count(due_on=row.due_on, overdue=overdue)
    for pk, attention in pbl.milestones_needing_attention(rows, day).values_list(
        "internship_id", "attention"
    ):
        if attention == pbl.Attention.AWAITING_REVIEW:
            out[pk].awaiting += 1
        else:
            out[pk].count(due_on=day, overdue=attention == pbl.Attention.OVERDUE)
    for due in hiring.outcomes_due(rows, day).values():
        for pk, due_on, overdue, status in due.values_list(
            "pk", "due_on", "overdue", "outcome_status"
        ):
            out[pk].count(due_on=None if status == "reported" else due_on, overdue=overdue)
    return out
