"""A call has one published result, and an appeal is against one's own published result: a
second publication, an appeal without a result, and two appeals sent at once are refused in
Korean, never with a database error."""

from decimal import Decimal

import pytest
from django.test import Client

from itda import factories
from itda.evaluation import services
from itda.evaluation.models import Appeal, Assignment, Ranking
from itda.recruitment.services import screening_run


def _published(world, cast) -> Ranking:
    """The world's round run to a published ranking, through the services."""
    call = world["call"]
    screening_run(call=call, actor=cast["admin"])
    panel = services.panel_set(call=call, members=world["evaluators"], chair=world["evaluators"][0])
    services.assignment_run(call=call)
    for assignment in Assignment.objects.filter(application__call=call):
        services.sheet_save(
            assignment=assignment,
            points={"cap": Decimal(30), "attr": Decimal(20), "hire": Decimal(25)},
            comments={},
            submit=True,
        )
    services.panel_close(panel=panel, actor=world["evaluators"][0].user)
    ranking = services.ranking_compute(call=call, actor=cast["admin"])
    services.ranking_confirm(ranking=ranking, actor=cast["admin"])
    return services.ranking_publish(ranking=ranking, actor=cast["admin"])


@pytest.mark.django_db
def test_a_second_publication_for_one_call_is_refused_in_korean(world, cast, login_as):
    first = _published(world, cast)
    second = services.ranking_compute(call=world["call"], actor=cast["admin"])
    services.ranking_confirm(ranking=second, actor=cast["admin"])
    with pytest.raises(services.EvaluationError, match="이미 공개된 결과가 있습니다"):
        services.ranking_publish(ranking=second, actor=cast["admin"])

    op = login_as(cast["admin"], Client())
    response = op.post(f"/evaluation/rankings/{second.pk}/publish/", {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "이미 공개된 결과가 있습니다" in response.content.decode()
    assert list(Ranking.objects.filter(status="published")) == [first]


@pytest.mark.django_db
def test_no_appeal_on_an_application_without_a_published_result(world, cast):
    _published(world, cast)
    company = factories.CompanyFactory(region=world["apps"][0].region)
    late = factories.application(call=world["call"], company=company)  # never evaluated
    with pytest.raises(services.EvaluationError, match="공개된 결과가 없는 신청"):
        services.appeal_file(
            application=late, actor=cast["company"], reason="결과가 없는데 이의를 신청합니다."
        )
    assert not Appeal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_appeals_sent_at_once_make_one_appeal_and_a_korean_refusal(world, cast):
    _published(world, cast)
    application = world["apps"][1]
    outcomes = factories.in_threads(
        4,
        lambda i: services.appeal_file(
            application=application,
            actor=cast["company"],
            reason="고용 연계 계획 평가가 제출 서류와 다릅니다.",
        ),
    )
    assert Appeal.objects.filter(application=application).count() == 1
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == 3, outcomes
    assert all(isinstance(o, services.EvaluationError) for o in refusals), refusals
    assert all("이미 이의신청을 했습니다" in o.messages[0] for o in refusals)
