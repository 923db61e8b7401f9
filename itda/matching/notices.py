"""What linkage tells people (itda.notifications): a trainee, an interview a company scheduled
with them (date, place and company, which they otherwise never see) and a round's choice
deadline while they have chosen nothing; the trainees and companies of a round, its result.
The choice deadline is announced ``DEADLINE_NOTICE_DAYS`` ahead, once per round and deadline,
to trainees who may rank in the round and have no choice yet (an itda 기본값, said in the text).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from itda.matching.models import (
    CompanyRanking,
    Interview,
    MatchRound,
    RoundStatus,
    TraineeChoice,
)
from itda.matching.selectors import round_trainees
from itda.notifications.models import Kind
from itda.notifications.services import (
    DEADLINE_NOTE,
    DEADLINE_NOTICE_DAYS,
    Note,
    notify,
    notify_many,
)
from itda.programs.models import Company


def interview_notify(interview: Interview) -> None:
    """Tell the trainee of a scheduled interview (again when its time or place changes)."""
    user = interview.trainee.user
    if user is None:
        return
    when = timezone.localtime(interview.scheduled_at)
    position = interview.position
    notify(
        recipient=user,
        kind=Kind.INTERVIEW,
        key=f"interview:{interview.pk}:{when:%Y%m%d%H%M}:{interview.place}"[:300],
        subject=f"[잇다] {position.company.name} 면접 안내",
        body=(
            f"{position.company.name}의 인턴 자리 「{position.title}」 면접이 잡혔습니다.\n"
            f"일시: {when:%Y-%m-%d %H:%M}\n장소·방법: {interview.place}"
        ),
        link=reverse("matching:my_choices", args=[interview.round_id]),
    )


def choice_deadline_notify(*, now: datetime.datetime | None = None) -> int:
    """Remind trainees who may rank in an open round and have no choice yet that its choice
    deadline is within ``DEADLINE_NOTICE_DAYS``; returns the e-mails queued."""
    now = now or timezone.now()
    rounds = MatchRound.objects.filter(
        status=RoundStatus.OPEN,
        trainee_deadline__gt=now,
        trainee_deadline__lte=now + datetime.timedelta(days=DEADLINE_NOTICE_DAYS),
    )
    notes = []
    for round_ in rounds:
        deadline = timezone.localtime(round_.trainee_deadline)
        chose = TraineeChoice.objects.filter(round=round_, trainee=OuterRef("pk"))
        users = (
            round_trainees(round_, today=timezone.localdate(now))
            .filter(user__isnull=False, user__is_active=True)
            .exclude(Exists(chose))
            .values_list("user_id", flat=True)
        )
        notes += [
            Note(
                user,
                Kind.DEADLINE,
                f"choice-deadline:{round_.pk}:{deadline:%Y%m%d%H%M}",
                f"[잇다] 「{round_.title}」 지망 마감 안내",
                f"「{round_.title}」 인턴 자리 지망이 {deadline:%Y-%m-%d %H:%M}에 마감됩니다.\n"
                "아직 지망한 인턴 자리가 없습니다. 마감 전에 지망을 내야 연계 대상이 됩니다.\n"
                + DEADLINE_NOTE,
                reverse("matching:round_positions", args=[round_.pk]),
            )
            for user in users
        ]
    return len(notify_many(notes))


def round_results_notify(round_: MatchRound) -> list[int]:
    """Tell the round's participants its result is published: each trainee who chose (their
    result page) and the managers of each company chosen or ranking (theirs); once a round."""
    subject = f"[잇다] 「{round_.title}」 연계 결과 안내"
    body = f"「{round_.title}」 인턴십 연계 결과가 발표되었습니다.\n결과는 잇다에서 확인하세요."
    key = f"match-result:{round_.pk}"
    trainees = (
        TraineeChoice.objects.filter(round=round_, trainee__user__is_active=True)
        .values_list("trainee__user_id", flat=True)
        .distinct()
    )
    positions = TraineeChoice.objects.filter(round=round_).values("position__company")
    ranked = CompanyRanking.objects.filter(round=round_).values("position__company")
    managers = (
        Company.managers.through.objects.filter(user__is_active=True)
        .filter(Q(company__in=positions) | Q(company__in=ranked))
        .values_list("user_id", flat=True)
        .distinct()
    )
    mine = reverse("matching:trainee_result", args=[round_.pk])
    theirs = reverse("matching:company_result", args=[round_.pk])
    return notify_many(
        [Note(u, Kind.RESULT, key, subject, body, mine) for u in trainees]
        + [Note(u, Kind.RESULT, key, subject, body, theirs) for u in managers]
    )
