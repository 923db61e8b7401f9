"""A 산단 대개조 round end to end: the operator opens it and registers plans; publishing the
plan call's ranking moves each plan to 예비선정 or 미선정 in the same transaction (and a plan
not yet in 평가 refuses the whole publication)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation import plan_rounds, services
from itda.evaluation.models import Assignment, Criterion, RankingStatus, Scheme
from itda.evaluation.seed import plan_application_upsert
from itda.programs.models import PlanStatus, Programme, TransformationPlan
from itda.recruitment.models import Application, Call, CallKind
from itda.recruitment.services import screening_run

pytestmark = pytest.mark.django_db


def _plan(region, status=PlanStatus.EVALUATION) -> TransformationPlan:
    return TransformationPlan.objects.create(
        region=region, round_year=2021, status=status, source_document="시험"
    )


def _ranked_call(regions, admin, plans_and_points):
    """A closed plan call whose one evaluator scored each plan; its ranking confirmed."""
    call = factories.call(programme=regions["programme"], kind=CallKind.PLAN)
    scheme = Scheme.objects.create(
        call=call,
        name="혁신계획 평가표",
        method="mean",
        evaluators_per_application=1,
        total_seats=1,
    )
    Criterion.objects.create(
        scheme=scheme, code="plan", name="혁신계획 타당성", weight=100, max_points=100
    )
    for p, _points in plans_and_points:
        plan_application_upsert(call, p, created_by=admin, submitted_at=timezone.now(), answers={})
    factories.call_closed(call)
    screening_run(call=call, actor=admin)
    judge = factories.EvaluatorFactory(region=regions["seoul"])
    judge.user = factories.user(username="plan_judge", role=Role.EVALUATOR)
    judge.save()
    panel = services.panel_set(call=call, members=[judge], chair=judge)
    services.assignment_run(call=call)
    for p, points in plans_and_points:
        services.sheet_save(
            assignment=Assignment.objects.get(application__plan=p),
            points={"plan": Decimal(points)},
            comments={},
            submit=True,
        )
    services.panel_close(panel=panel, actor=judge.user)
    ranking = services.ranking_compute(call=call, actor=admin)
    return services.ranking_confirm(ranking=ranking, actor=admin)


def test_publishing_the_plan_calls_ranking_sets_the_plans_stage(regions, admin):
    seoul, busan = _plan(regions["seoul"]), _plan(regions["busan"])
    ranking = _ranked_call(regions, admin, [(seoul, 90), (busan, 70)])
    assert seoul.status == busan.status == PlanStatus.EVALUATION

    services.ranking_publish(ranking=ranking, actor=admin)

    seoul.refresh_from_db()
    busan.refresh_from_db()
    assert seoul.status == PlanStatus.PRELIMINARY
    assert busan.status == PlanStatus.NOT_SELECTED
    move = seoul.transitions.get()
    assert (move.from_status, move.to_status, move.actor) == ("evaluation", "preliminary", admin)
    assert "평가 결과 공개" in move.note
    assert busan.transitions.get().to_status == "not_selected"


def test_a_plan_not_in_evaluation_refuses_the_publication_and_nothing_changes(regions, admin):
    seoul, busan = _plan(regions["seoul"]), _plan(regions["busan"])
    ranking = _ranked_call(regions, admin, [(seoul, 90), (busan, 70)])
    TransformationPlan.objects.filter(pk=busan.pk).update(status=PlanStatus.CONSULTING)

    with pytest.raises(services.EvaluationError, match="평가 단계가 아닌 계획"):
        services.ranking_publish(ranking=ranking, actor=admin)

    ranking.refresh_from_db()
    seoul.refresh_from_db()
    assert ranking.status == RankingStatus.CONFIRMED
    assert seoul.status == PlanStatus.EVALUATION and not seoul.transitions.exists()
    assert set(Application.objects.values_list("result", flat=True)) == {"pending"}


def test_the_operator_opens_a_new_round_and_registers_plans(regions, admin, seoul_staff, login_as):
    Programme.objects.create(
        code="complex-transformation-2021",
        name="산업단지 대개조 지역 선정 (2021년)",
        ministry="국토교통부 · 산업통상자원부",
        starts_on=datetime.date(2021, 1, 6),
        ends_on=datetime.date(2021, 12, 31),
        purpose="5곳을 지정하고 3년간 지원.\n\n사업기간: …",
        source_document="003",
    )
    # Opened yesterday, so the call is open now whatever the hour (it opens at 09:00).
    today = timezone.localdate() - datetime.timedelta(days=1)
    year = today.year
    client = login_as(admin, Client())
    response = client.post(
        reverse("rounds:plan_rounds"),
        {
            "year": year,
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    call = Call.objects.get(kind=CallKind.PLAN, programme__code=f"complex-transformation-{year}")
    assert call.scheme.evaluators_per_application == 9 and call.scheme.total_seats == 5
    assert list(call.scheme.criteria.values_list("name", flat=True)) == [
        "지역진단 전략성",
        "거점·연계지역 적절성",
        "혁신계획 타당성",
        "성과목표 실현가능성",
    ]
    again = client.post(
        reverse("rounds:plan_rounds"),
        {
            "year": year,
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert "이미 열려 있습니다" in again.content.decode()

    url = reverse("rounds:plan_register", args=[call.pk])
    client.post(url, {"region": regions["busan"].pk})
    plan = TransformationPlan.objects.get(region=regions["busan"], round_year=year)
    assert plan.status == PlanStatus.APPLIED
    first = plan.transitions.get()
    assert (first.from_status, first.to_status, first.actor) == ("", "applied", admin)
    assert Application.objects.get(call=call, plan=plan).status == "submitted"
    response = client.post(url, {"region": regions["busan"].pk}, follow=True)
    assert "이미 있습니다" in response.content.decode()
    assert TransformationPlan.objects.filter(region=regions["busan"]).count() == 1

    staff = login_as(seoul_staff, Client())
    assert staff.get(reverse("rounds:plan_rounds")).status_code == 403
    assert staff.post(url, {"region": regions["seoul"].pk}).status_code == 403


def test_a_round_for_an_absurd_year_or_backwards_window_is_refused(regions, admin):
    with pytest.raises(services.EvaluationError, match="내년까지만"):
        plan_rounds.round_open(
            year=2999,
            opens_on=datetime.date(2999, 1, 1),
            closes_on=datetime.date(2999, 2, 1),
            actor=admin,
        )
    year = timezone.localdate().year
    with pytest.raises(services.EvaluationError, match="마감일은 시작일 이후"):
        plan_rounds.round_open(
            year=year,
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 2, 1),
            actor=admin,
        )
    assert not Call.objects.filter(kind=CallKind.PLAN).exists()
