"""Evaluation starts only after a call's close (the operator may close early, on record); a
submitted application changed by its applicant is submitted again, and nothing changes after
the close or once results are out."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.evaluation import services as evaluation
from itda.evaluation.models import Scheme
from itda.recruitment import services
from itda.recruitment.models import Application, ApplicationTransition, CallClosure


@pytest.fixture
def call(regions):
    return factories.call(programme=regions["programme"])


@pytest.mark.django_db
def test_no_evaluation_step_runs_while_the_call_is_open(cast, regions, call):
    application = factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"])
    )
    Scheme.objects.create(call=call, name="평가표", method="mean", evaluators_per_application=1)
    with pytest.raises(services.ApplicationError, match="접수 중인 공모입니다"):
        services.screening_run(call=call, actor=cast["admin"])
    with pytest.raises(services.ApplicationError, match="접수 중인 공모입니다"):
        services.screening_override(
            application=application, actor=cast["admin"], eligible=True, reason="서류 확인 완료"
        )
    judge = factories.EvaluatorFactory(region=regions["seoul"])
    evaluation.panel_set(call=call, members=[judge], chair=judge)  # preparing may start early
    with pytest.raises(evaluation.EvaluationError, match="접수 중인 공모입니다"):
        evaluation.assignment_run(call=call)
    with pytest.raises(evaluation.EvaluationError, match="접수 중인 공모입니다"):
        evaluation.ranking_compute(call=call, actor=cast["admin"])
    application.refresh_from_db()
    assert application.screening == "pending"


@pytest.mark.django_db
def test_screening_an_open_call_on_the_web_answers_in_korean(cast, regions, login_as, call):
    factories.application(call=call, company=factories.CompanyFactory(region=regions["seoul"]))
    op = login_as(cast["admin"], Client())
    response = op.post(f"/recruitment/calls/{call.pk}/screening/", follow=True)
    assert response.status_code == 200
    assert "접수 중인 공모입니다" in response.content.decode()


@pytest.mark.django_db
def test_the_operator_closes_a_call_early_on_record(cast, regions, login_as, call):
    scheduled = call.closes_at
    url = f"/recruitment/calls/{call.pk}/close/"
    assert (
        login_as(cast["seoul_staff"], Client()).post(url, {"reason": "예산 소진"}).status_code
        == 403
    )
    op = login_as(cast["admin"], Client())
    refused = op.post(url, {"reason": "신청 목표 인원 초과"}, follow=True)
    assert "확인란에 표시한 뒤 진행하세요" in refused.content.decode()
    call.refresh_from_db()
    assert call.closes_at == scheduled and not CallClosure.objects.exists()

    before = timezone.now()
    op.post(url, {"reason": "신청 목표 인원 초과", "confirm": "on"})
    call.refresh_from_db()
    closure = CallClosure.objects.get(call=call)
    assert closure.actor == cast["admin"] and closure.reason == "신청 목표 인원 초과"
    assert closure.scheduled_closes_at == scheduled
    assert before <= call.closes_at == closure.at <= timezone.now()
    page = op.get(f"/recruitment/calls/{call.pk}/applications/").content.decode()
    assert "조기 마감" in page and "신청 목표 인원 초과" in page

    company = factories.CompanyFactory(region=regions["seoul"])
    with pytest.raises(services.ApplicationError, match="접수가 마감되었습니다"):
        services.application_save(
            call=call, actor=cast["company"], answers={}, consent=True, company=company
        )
    with pytest.raises(services.ApplicationError, match="접수 중인 공모만"):
        services.call_close_early(call=call, actor=cast["admin"], reason="다시 한번 마감")


@pytest.mark.django_db
def test_a_changed_submission_goes_back_to_draft_until_submitted_again(cast, regions, call):
    company = factories.CompanyFactory(region=regions["seoul"])
    company.managers.add(cast["company"])

    def save(wanted: int) -> Application:
        return services.application_save(
            call=call,
            actor=cast["company"],
            answers={"interns_wanted": wanted},
            consent=True,
            company=company,
        )

    application = services.application_submit(application=save(2), actor=cast["company"])
    services.application_submit(application=application, actor=cast["company"])  # a no-op
    application = save(5)
    assert application.status == "draft" and application.submitted_at is None
    application = services.application_submit(application=application, actor=cast["company"])
    trail = list(
        ApplicationTransition.objects.filter(application=application).values_list("old", "new")
    )
    assert trail == [("draft", "submitted"), ("submitted", "draft"), ("draft", "submitted")]
    assert ("submitted", "submitted") not in trail

    factories.call_closed(call)
    with pytest.raises(services.ApplicationError, match="접수가 마감되었습니다"):
        save(9)
    application.refresh_from_db()
    assert application.answers["interns_wanted"] == 5 and application.status == "submitted"


@pytest.mark.django_db
def test_nobody_applies_once_results_are_out(cast, regions, call):
    factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"]), result="selected"
    )
    # Even with the window opened again by hand, the results settle the call.
    call.closes_at = timezone.now() + datetime.timedelta(days=3)
    call.save()
    with pytest.raises(services.ApplicationError, match="선정 결과가 나온 공모"):
        services.application_save(
            call=call,
            actor=cast["company"],
            answers={},
            consent=True,
            company=factories.CompanyFactory(region=regions["seoul"]),
        )
    assert Application.objects.filter(call=call).count() == 1
