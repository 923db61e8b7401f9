"""The evaluator's home as a work queue: each call's due day and progress, and the conflicts
they declared, which they may withdraw until anyone begins scoring the call."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.evaluation import services
from itda.evaluation.models import (
    Assignment,
    ConflictOfInterest,
    ConflictSource,
    Evaluator,
    ScoreSheet,
    SheetStatus,
)
from itda.evaluation.selectors import SCORING_DAYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast, regions):
    call = factories.call(programme=regions["programme"], title="스마트공장 기업 모집")
    me = Evaluator.objects.get(user=cast["evaluator"])
    companies = [factories.CompanyFactory(region=regions["seoul"]) for _ in range(3)]
    apps = [factories.application(call=call, company=c, screening="eligible") for c in companies]
    return {"call": call, "me": me, "apps": apps}


def _declared(desk, application) -> ConflictOfInterest:
    return services.conflict_declare(
        evaluator=desk["me"], application=application, note="자문 관계"
    )


def test_home_shows_each_calls_due_day_and_progress(desk, cast, login_as, client):
    first, second, _ = desk["apps"]
    done = Assignment.objects.create(application=first, evaluator=desk["me"])
    Assignment.objects.create(application=second, evaluator=desk["me"])
    ScoreSheet.objects.create(assignment=done, status=SheetStatus.SUBMITTED)
    login_as(cast["evaluator"])
    page = client.get("/evaluator/").content.decode()
    due = timezone.localdate(desk["call"].closes_at) + datetime.timedelta(days=SCORING_DAYS)
    assert f"2건 중 1건 제출 · 기한 {due:%Y}. {due.month}. {due.day}." in page
    assert "itda 기본값 — 운영지침 확인 필요" in page


def test_a_declared_conflict_can_be_withdrawn_before_scoring(desk, cast, login_as, client):
    conflict = _declared(desk, desk["apps"][0])
    login_as(cast["evaluator"])
    page = client.get("/evaluator/").content.decode()
    assert f"/evaluator/conflicts/{conflict.pk}/withdraw/" in page
    response = client.post(f"/evaluator/conflicts/{conflict.pk}/withdraw/")
    assert response.status_code == 302
    assert not ConflictOfInterest.objects.filter(pk=conflict.pk).exists()


def test_once_anyone_scores_the_call_the_conflict_stands(desk, cast, login_as, client, regions):
    conflict = _declared(desk, desk["apps"][0])
    other = factories.EvaluatorFactory(region=regions["seoul"])
    started = Assignment.objects.create(application=desk["apps"][1], evaluator=other)
    ScoreSheet.objects.create(assignment=started)  # a draft is a start
    with pytest.raises(services.EvaluationError, match="평가가 시작되어"):
        services.conflict_withdraw(conflict=conflict, evaluator=desk["me"])
    login_as(cast["evaluator"])
    assert "평가 시작됨 — 철회 불가" in client.get("/evaluator/").content.decode()
    client.post(f"/evaluator/conflicts/{conflict.pk}/withdraw/")
    assert ConflictOfInterest.objects.filter(pk=conflict.pk).exists()


def test_a_detected_conflict_is_not_the_evaluators_to_withdraw(desk):
    found = ConflictOfInterest.objects.create(
        evaluator=desk["me"], application=desk["apps"][0], source=ConflictSource.SAME_BUSINESS
    )
    with pytest.raises(services.EvaluationError, match="자동으로 확인된"):
        services.conflict_withdraw(conflict=found, evaluator=desk["me"])
    assert ConflictOfInterest.objects.filter(pk=found.pk).exists()


def test_another_evaluators_conflict_is_a_404(desk, cast, login_as, client, regions):
    other = factories.EvaluatorFactory(region=regions["seoul"])
    theirs = services.conflict_declare(evaluator=other, application=desk["apps"][0], note="가족")
    with pytest.raises(services.EvaluationError):
        services.conflict_withdraw(conflict=theirs, evaluator=desk["me"])
    login_as(cast["evaluator"])
    assert client.post(f"/evaluator/conflicts/{theirs.pk}/withdraw/").status_code == 404
    assert ConflictOfInterest.objects.filter(pk=theirs.pk).exists()
