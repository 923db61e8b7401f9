"""Operating-group staff run the whole selection of their own trainee calls — screening,
committee, assignment, ranking, publication — and never another group's, nor a national call's."""

from decimal import Decimal

import pytest
from django.test import Client

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation import services
from itda.evaluation.models import Assignment, Criterion, Ranking, Scheme
from itda.programs.models import TrackAllocation
from itda.recruitment.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_call(regions):
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    scheme = Scheme.objects.create(
        call=call, name="교육생 선발 평가표", method="mean", evaluators_per_application=1
    )
    Criterion.objects.create(
        scheme=scheme, code="fit", name="직무 적합성", weight=100, max_points=100
    )
    for motivation in ("설비 보전을 배우고 싶습니다", "MES 운영을 배우고 싶습니다"):
        trainee = factories.TraineeFactory(region=regions["seoul"])
        factories.application(
            call=call, trainee=trainee, answers={"motivation": motivation, "certificates": ""}
        )
    # The group's share of the track, which a trainee call selects within.
    TrackAllocation.objects.create(
        track=regions["track"], operating_group=regions["capital_group"], seats=10
    )
    evaluator = factories.EvaluatorFactory(region=regions["seoul"])
    evaluator.user = factories.user(username="seoul_panel", role=Role.EVALUATOR)
    evaluator.save()
    factories.call_closed(call)
    return call, evaluator


def test_staff_run_and_publish_their_own_calls_selection(cast, own_call, login_as):
    call, evaluator = own_call
    staff = login_as(cast["seoul_staff"], Client())
    applications = staff.get(f"/recruitment/calls/{call.pk}/applications/").content.decode()
    assert "자격 검토 실행" in applications and "평가 진행" in applications
    staff.post(f"/recruitment/calls/{call.pk}/screening/")
    assert set(Application.objects.filter(call=call).values_list("screening", flat=True)) == {
        "eligible"
    }
    # The applicant's answers, for the staff who run the call.
    first = Application.objects.filter(call=call).first()
    detail = staff.get(f"/applications/{first.pk}/").content.decode()
    assert "지원 동기" in detail and first.answers["motivation"] in detail

    assert staff.get(f"/evaluation/calls/{call.pk}/").status_code == 200
    r = staff.post(
        f"/evaluation/calls/{call.pk}/panel/", {"members": [evaluator.pk], "chair": evaluator.pk}
    )
    assert r.status_code == 302 and call.panel.chair == evaluator
    staff.post(f"/evaluation/calls/{call.pk}/assign/")
    for points, a in zip((80, 60), Assignment.objects.filter(application__call=call), strict=True):
        services.sheet_save(assignment=a, points={"fit": Decimal(points)}, comments={}, submit=True)
    services.panel_close(panel=call.panel, actor=evaluator.user)
    staff.post(f"/evaluation/calls/{call.pk}/rank/")
    ranking = Ranking.objects.get(call=call)
    assert staff.get(f"/evaluation/rankings/{ranking.pk}/").status_code == 200
    staff.post(f"/evaluation/rankings/{ranking.pk}/confirm/", {"confirm": "on"})
    staff.post(f"/evaluation/rankings/{ranking.pk}/publish/", {"confirm": "on"})
    ranking.refresh_from_db()
    assert ranking.status == "published"
    assert not Application.objects.filter(call=call, result="pending").exists()


def test_another_groups_staff_touch_nothing_of_the_selection(cast, own_call, login_as):
    call, evaluator = own_call
    busan = login_as(cast["busan_staff"], Client())
    first = Application.objects.filter(call=call).first()
    assert busan.post(f"/recruitment/calls/{call.pk}/screening/").status_code == 404
    assert (
        busan.post(
            f"/applications/{first.pk}/screening/", {"eligible": "0", "reason": "다른 권역 시도"}
        )
    ).status_code == 404
    for url in ("", "panel/", "assign/", "rank/"):
        assert busan.post(f"/evaluation/calls/{call.pk}/{url}").status_code in (404, 405)
    assert busan.get(f"/evaluation/calls/{call.pk}/").status_code == 404
    services.panel_set(call=call, members=[evaluator], chair=evaluator)
    services.assignment_run(call=call)
    for a in Assignment.objects.filter(application__call=call):
        services.sheet_save(assignment=a, points={"fit": Decimal(70)}, comments={}, submit=True)
    services.panel_close(panel=call.panel, actor=evaluator.user)
    ranking = services.ranking_compute(call=call, actor=cast["admin"])
    services.ranking_confirm(ranking=ranking, actor=cast["admin"])
    assert busan.get(f"/evaluation/rankings/{ranking.pk}/").status_code == 404
    refused = busan.post(f"/evaluation/rankings/{ranking.pk}/publish/", {"confirm": "on"})
    assert refused.status_code == 404
    ranking.refresh_from_db()
    first.refresh_from_db()
    assert ranking.status == "confirmed" and first.screening == "pending"


def test_a_national_calls_round_stays_the_operators(cast, regions, login_as):
    call = factories.call(programme=regions["programme"])
    staff = login_as(cast["seoul_staff"], Client())
    assert staff.get(f"/evaluation/calls/{call.pk}/").status_code == 404
    assert staff.post(f"/recruitment/calls/{call.pk}/screening/").status_code == 404
    assert login_as(cast["admin"], Client()).get(f"/evaluation/calls/{call.pk}/").status_code == 200
