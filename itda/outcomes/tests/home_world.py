"""A small world for the role homes: the same things in 수도권 (서울, the cast's region) and in
동남권 (부산), so each home can be checked to show its own and never the other region's."""

from __future__ import annotations

import datetime

from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation.models import Appeal, Ranking
from itda.internships.models import Position
from itda.matching.models import Interview, MatchRound, RoundStatus, TraineeChoice
from itda.payments.models import PaymentBatch, StatementKind
from itda.programs.models import Company, Trainee
from itda.recruitment.models import CallKind
from itda.training.models import AttendanceCorrection, CorrectionReason


def position_of(company: Company, region, track, title: str, status: str, user) -> Position:
    return Position.objects.create(
        company=company,
        track=track,
        title=title,
        duties="설비 점검",
        seats=1,
        region=region,
        site_address="공장",
        mentor_name="김멘토",
        status=status,
        created_by=user,
    )


def _side(
    regions, *, region, group, trainee: Trainee, company: Company, label: str, admin, learner=None
):
    """One region's things: a call closing soon with an application to screen, a ranking to
    confirm with an appeal, a position to review, a running cohort with a session today and a
    trainee below the completion rate, a pending correction, a round with an interview.
    ``learner`` (default ``trainee``) applies and is enrolled: a person holds one place at a
    time and applies once."""
    learner = learner or trainee
    now = timezone.now()
    programme, track = regions["programme"], regions["track"]
    call = factories.call(
        programme=programme,
        kind=CallKind.TRAINEE,
        track=track,
        operating_group=group,
        days_open=3,
        title=f"{label} 교육생 모집",
    )
    application = factories.application(call=call, trainee=learner)
    ranking = Ranking.objects.create(
        call=call,
        method="mean",
        input_json="{}",
        input_sha256="0" * 64,
        result_json="{}",
        computed_by=admin,
    )
    Appeal.objects.create(
        application=application, ranking=ranking, reason="점수 확인 요청", filed_by=admin
    )
    company_user = company.managers.first()
    position = position_of(company, region, track, f"{label} 설비 인턴", "submitted", company_user)
    cohort, _ = factories.running_cohort(
        group=group, track=track, days_held=3, days_left=3, code=f"{label}-C"
    )
    today = timezone.localdate()
    (session,) = factories.sessions(cohort=cohort, days=[today], start=(0, 0), end=(23, 59))
    enrollment = factories.enrollment(cohort=cohort, trainee=learner)
    AttendanceCorrection.objects.create(
        enrollment=enrollment,
        session=cohort.sessions.order_by("starts_at").first(),
        status_before="absent",
        requested_status="present",
        reason=CorrectionReason.ILLNESS,
        requested_by=learner.user or admin,
    )
    round_ = MatchRound.objects.create(
        programme=programme,
        operating_group=group,
        title=f"{label} 1차 연계",
        trainee_deadline=now + datetime.timedelta(days=2),
        company_deadline=now + datetime.timedelta(days=4),
        status=RoundStatus.OPEN,
        created_by=admin,
    )
    TraineeChoice.objects.create(round=round_, trainee=trainee, position=position, rank=1)
    Interview.objects.create(
        round=round_,
        position=position,
        trainee=trainee,
        scheduled_at=now + datetime.timedelta(days=1),
        place=f"{label} 본사 3층 회의실",
        created_by=company_user,
    )
    PaymentBatch.objects.create(
        programme=programme,
        operating_group=group,
        month=datetime.date(2026, 11, 1),
        kind=StatementKind.TRAINING_ALLOWANCE,
        maker=admin,
    )
    return {
        "call": call,
        "application": application,
        "ranking": ranking,
        "position": position,
        "cohort": cohort,
        "session": session,
        "enrollment": enrollment,
        "round": round_,
    }


def build(regions, cast) -> dict:
    """Both sides: 서울 with the cast's trainee and company, 부산 with their own."""
    admin = cast["admin"]
    seoul = _side(
        regions,
        region=regions["seoul"],
        group=regions["capital_group"],
        trainee=Trainee.objects.get(user=cast["trainee"]),
        company=Company.objects.get(managers=cast["company"]),
        label="서울",
        admin=admin,
    )
    busan_trainee_user = factories.user(username="busan_trainee", role=Role.TRAINEE)
    busan_company_user = factories.user(username="busan_company", role=Role.COMPANY)
    busan_company = factories.CompanyFactory(region=regions["busan"], name="부산정밀")
    busan_company.managers.add(busan_company_user)
    busan = _side(
        regions,
        region=regions["busan"],
        group=regions["dongnam_group"],
        trainee=factories.TraineeFactory(user=busan_trainee_user, region=regions["busan"]),
        company=busan_company,
        label="부산",
        admin=admin,
    )
    return {"seoul": seoul, "busan": busan, "regions": regions}


def build_more(world: dict, cast) -> None:
    """A second round of everything on the 서울 side, for the same cast: longer queues."""
    regions = world["regions"]
    for n in range(2, 4):
        _side(
            regions,
            region=regions["seoul"],
            group=regions["capital_group"],
            trainee=Trainee.objects.get(user=cast["trainee"]),
            company=Company.objects.get(managers=cast["company"]),
            label=f"서울{n}",
            admin=cast["admin"],
            learner=factories.TraineeFactory(region=regions["seoul"]),
        )
