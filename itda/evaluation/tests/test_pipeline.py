"""The selection pipeline through the services: screening → panel → conflicts → assignment →
sheets → close → rank → confirm → publish → appeal."""

from decimal import Decimal

import pytest

from itda import factories
from itda.evaluation import services
from itda.evaluation.engine import ranking as ranking_engine
from itda.evaluation.models import (
    Assignment,
    ConflictOfInterest,
    Ranking,
    ScoreSheet,
)
from itda.recruitment.models import Application
from itda.recruitment.services import screening_run


def _score_all(world, points_by_app):
    for assignment in Assignment.objects.filter(application__call=world["call"]):
        cap, attr, hire = points_by_app[assignment.application_id]
        services.sheet_save(
            assignment=assignment,
            points={"cap": Decimal(cap), "attr": Decimal(attr), "hire": Decimal(hire)},
            comments={"cap": "만점 사유", "attr": "만점 사유", "hire": "만점 사유"},
            submit=True,
        )


@pytest.mark.django_db
def test_the_whole_selection(world, cast):
    call, apps = world["call"], world["apps"]
    screening_run(call=call, actor=cast["admin"])
    members = world["evaluators"] + [world["conflicted"]]
    panel = services.panel_set(call=call, members=members, chair=world["evaluators"][0])
    services.assignment_run(call=call)

    # The declared employment relation became a conflict, and that pair was never assigned.
    assert ConflictOfInterest.objects.filter(
        evaluator=world["conflicted"], application=apps[0]
    ).exists()
    assert not Assignment.objects.filter(
        evaluator=world["conflicted"], application=apps[0]
    ).exists()
    for app in apps:
        assert Assignment.objects.filter(application=app).count() == 3
    loads = [Assignment.objects.filter(evaluator=e).count() for e in members]
    assert max(loads) - min(loads) <= 1 and sum(loads) == 12

    # Scores: totals 90, 80, 70, 40 (below the 50 cut-off).
    points = {
        apps[0].pk: (36, 27, 27),
        apps[1].pk: (32, 24, 24),
        apps[2].pk: (28, 21, 21),
        apps[3].pk: (16, 12, 12),
    }
    _score_all(world, points)
    chair_user = world["evaluators"][0].user
    services.panel_close(panel=panel, actor=chair_user)
    assert not ScoreSheet.objects.exclude(status="locked").exists()

    ranking = services.ranking_compute(call=call, actor=cast["admin"])
    result = ranking_engine.result_from_json(ranking.result_json)
    status = {int(r.application_id): (r.status, r.score) for r in result.rows}
    assert status[apps[0].pk] == ("selected", 90.0)
    assert status[apps[1].pk] == ("selected", 80.0)
    assert status[apps[2].pk] == ("waitlisted", 70.0)
    assert status[apps[3].pk][0] == "below_cutoff"

    services.ranking_confirm(ranking=ranking, actor=cast["admin"])
    services.ranking_publish(ranking=ranking, actor=cast["admin"])
    results = dict(Application.objects.filter(call=call).values_list("pk", "result"))
    assert results == {
        apps[0].pk: "selected",
        apps[1].pk: "selected",
        apps[2].pk: "waitlisted",
        apps[3].pk: "not_selected",
    }

    # The frozen input recomputes to the same bytes; the database refuses to change it.
    again = ranking_engine.rank(ranking_engine.input_from_json(ranking.input_json))
    assert ranking_engine.to_json(again) == ranking.result_json
    from django.db import transaction
    from django.db.utils import ProgrammingError

    with pytest.raises(ProgrammingError), transaction.atomic():
        Ranking.objects.filter(pk=ranking.pk).update(result_json="{}")

    # An appeal, decided by someone outside the panel with a reason.
    appeal = services.appeal_file(
        application=apps[2],
        actor=cast["company"],
        reason="고용 연계 계획 평가가 제출 서류와 다릅니다.",
    )
    with pytest.raises(services.EvaluationError, match="원 평가위원회"):
        services.appeal_decide(appeal=appeal, actor=chair_user, upheld=False, reason="기각합니다")
    decided = services.appeal_decide(
        appeal=appeal, actor=cast["admin"], upheld=False, reason="평가표를 재검토했으나 오류가 없음"
    )
    assert decided.status == "rejected" and decided.decided_by == cast["admin"]


@pytest.mark.django_db
def test_extreme_scores_need_a_comment_and_bounds_hold(world, cast):
    call = world["call"]
    screening_run(call=call, actor=cast["admin"])
    services.panel_set(call=call, members=world["evaluators"], chair=world["evaluators"][0])
    services.assignment_run(call=call)
    assignment = Assignment.objects.filter(application__call=call).first()
    with pytest.raises(services.EvaluationError) as exc:
        services.sheet_save(
            assignment=assignment,
            points={"cap": Decimal(40), "attr": Decimal(31), "hire": Decimal(0)},
            comments={},
            submit=True,
        )
    errors = exc.value.message_dict
    assert errors["attr"] == ["취업매력도: 0~30점 사이여야 합니다."]
    assert errors["cap"] == ["스마트제조 역량: 최고·최저점에는 의견을 적어야 합니다."]
    assert not ScoreSheet.objects.filter(status="submitted").exists()


@pytest.mark.django_db
def test_ranking_needs_a_closed_round(world, cast):
    call = world["call"]
    screening_run(call=call, actor=cast["admin"])
    services.panel_set(call=call, members=world["evaluators"], chair=world["evaluators"][0])
    with pytest.raises(services.EvaluationError, match="마감한 뒤에"):
        services.ranking_compute(call=call, actor=cast["admin"])


@pytest.mark.django_db
def test_dropout_rerun_keeps_finished_sheets(world, cast, regions):
    call = world["call"]
    screening_run(call=call, actor=cast["admin"])
    spare = factories.EvaluatorFactory(region=regions["seoul"])
    members = world["evaluators"] + [spare]
    services.panel_set(call=call, members=members, chair=world["evaluators"][0])
    services.assignment_run(call=call)
    finished = Assignment.objects.filter(evaluator=world["evaluators"][1]).first()
    services.sheet_save(
        assignment=finished,
        points={"cap": Decimal(30), "attr": Decimal(20), "hire": Decimal(20)},
        comments={},
        submit=True,
    )
    # Evaluator 1 drops out: their finished sheet stays, their other pairs go to others.
    services.panel_set(
        call=call,
        members=[m for m in members if m != world["evaluators"][1]],
        chair=world["evaluators"][0],
    )
    services.assignment_run(call=call)
    assert Assignment.objects.filter(pk=finished.pk).exists()
    assert Assignment.objects.filter(evaluator=world["evaluators"][1]).count() == 1
    for app in world["apps"]:
        assert Assignment.objects.filter(application=app).count() == 3
