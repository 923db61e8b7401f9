"""National targets shared by the seven groups: the release's Track 1 ≈ 400, Track 2 ≈ 80 and
~600 trainees are national "여" targets with a tolerance the operator sets. The operator gives
each group a share; the shares pass a target's tolerance only with a recorded override, and a
group's selection never passes its share."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.evaluation import services as evaluation
from itda.evaluation.models import Assignment, Criterion, Scheme
from itda.evaluation.seed import trainee_scheme_create
from itda.programs.models import (
    OperatingGroup,
    PlacementKind,
    Track,
    TrackAllocation,
    TrackAllocationChange,
    Zone,
)
from itda.programs.services import AllocationError, track_allocation_set
from itda.recruitment.models import Application
from itda.recruitment.services import screening_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(regions):
    """The programme's seven groups and a Track 2 of 80여 명 with a 10% tolerance (88)."""
    programme = regions["programme"]
    programme.target_trainees, programme.target_tolerance_pct = 600, 5
    programme.save()
    for zone in Zone:
        OperatingGroup.objects.get_or_create(
            programme=programme, zone=zone, defaults={"name": f"{zone.label} 사업단"}
        )
    track2 = Track.objects.create(
        programme=programme,
        code="track2",
        name="Track 2",
        quota=80,
        tolerance_pct=10,
        placement_kind=PlacementKind.PBL,
    )
    groups = list(OperatingGroup.objects.filter(programme=programme).order_by("zone"))
    assert len(groups) == 7 and track2.ceiling == 88
    return {"groups": groups, "track2": track2}


def test_the_seventh_group_cannot_pass_the_national_track_2_target_without_an_override(
    seven, admin
):
    groups, track2 = seven["groups"], seven["track2"]
    for group in groups[:6]:
        track_allocation_set(track=track2, operating_group=group, seats=12, actor=admin)  # 72
    with pytest.raises(AllocationError) as raised:
        track_allocation_set(track=track2, operating_group=groups[6], seats=20, actor=admin)
    assert (
        "Track 2 전국 배정 합계가 92명이 되어 목표 80명(허용 범위 10%, 88명까지)을 4명 넘습니다."
        in " ".join(raised.value.messages)
    )
    assert not TrackAllocation.objects.filter(operating_group=groups[6]).exists()
    assert TrackAllocationChange.objects.count() == 6

    # Within the tolerance: allowed, no override.
    track_allocation_set(track=track2, operating_group=groups[6], seats=16, actor=admin)
    # Past it with a stated reason: allowed, and the override is on record (who, when, why).
    reason = "제주권 PBL 수요가 많아 장관 승인(2026-06-30)으로 추가 배정"
    track_allocation_set(
        track=track2, operating_group=groups[6], seats=20, actor=admin, override_reason=reason
    )
    event = TrackAllocationChange.objects.order_by("pk").last()
    assert (event.old_seats, event.new_seats, event.track_total) == (16, 20, 92)
    assert event.override and event.reason == reason and event.actor == admin and event.at
    assert not TrackAllocationChange.objects.exclude(pk=event.pk).filter(override=True).exists()
    assert TrackAllocation.objects.get(operating_group=groups[6], track=track2).seats == 20


def test_the_programme_wide_trainee_target_holds_too(seven, admin, regions):
    groups = seven["groups"]
    track1 = regions["track"]  # 400, no tolerance; the programme's 600 with 5% → 630
    track1.quota, track1.tolerance_pct = 700, 0
    track1.save()
    for group in groups[:6]:
        track_allocation_set(track=track1, operating_group=group, seats=100, actor=admin)
    with pytest.raises(AllocationError, match="사업 전체 전국 배정 합계가 631명"):
        track_allocation_set(track=track1, operating_group=groups[6], seats=31, actor=admin)


def test_only_the_operator_sets_allocations(seven, seoul_staff):
    with pytest.raises(PermissionDenied):
        track_allocation_set(
            track=seven["track2"], operating_group=seven["groups"][0], seats=1, actor=seoul_staff
        )
    assert not TrackAllocation.objects.exists()


def test_the_operator_page_sets_shares_and_shows_targets_as_goals(
    seven, admin, seoul_staff, login_as, django_assert_max_num_queries
):
    groups, track2 = seven["groups"], seven["track2"]
    for group in groups[:6]:
        track_allocation_set(track=track2, operating_group=group, seats=12, actor=admin)
    client = login_as(admin, Client())
    url = f"/programmes/{track2.programme.code}/allocations/"
    form = {"form": "allocation", "operating_group": groups[6].pk, "track": track2.pk, "seats": 20}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "목표를 넘겨 배정하려면 예외 승인 사유를 적으세요" in refused.content.decode()
    done = client.post(url, {**form, "override_reason": "추가 수요에 따른 예외 승인"})
    assert done.status_code == 302
    html = client.get(url).content.decode()
    assert "80여 명 (10% · 88명까지)" in html and "추가 수요에 따른 예외 승인" in html
    assert html.count('data-testid="allocation-row"') == 7
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for group in groups[:6]:  # more changes on record: the page still runs the same queries
        track_allocation_set(track=track2, operating_group=group, seats=11, actor=admin)
    with django_assert_max_num_queries(len(before)):
        client.get(url)
    assert login_as(seoul_staff, Client()).get(url).status_code == 403


def test_the_operator_sets_the_tolerances(seven, admin, regions, login_as):
    track2 = seven["track2"]
    client = login_as(admin, Client())
    url = f"/programmes/{track2.programme.code}/allocations/"
    form = {"form": "tolerances", "programme_pct": 5, f"track_{regions['track'].pk}": 0}
    assert client.post(url, {**form, f"track_{track2.pk}": 101}).status_code == 400
    assert client.post(url, {**form, f"track_{track2.pk}": 25}).status_code == 302
    track2.refresh_from_db()
    assert (track2.tolerance_pct, track2.ceiling) == (25, 100)


# --- Selection within the group's share ------------------------------------------------------


def _trainee_call_ranked(regions, admin, n_applicants: int):
    """A closed Track 1 call of 수도권 사업단 with ``n_applicants`` scored, ranked and confirmed;
    the scheme selects everyone above the cut-off."""
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    scheme = Scheme.objects.create(
        call=call, name="교육생 평가표", method="mean", evaluators_per_application=1
    )
    Criterion.objects.create(
        scheme=scheme, code="c", name="직무 적합성", weight=100, max_points=100
    )
    for _ in range(n_applicants):
        factories.application(call=call, trainee=factories.TraineeFactory(region=regions["seoul"]))
    factories.call_closed(call)
    screening_run(call=call, actor=admin)
    evaluator = factories.EvaluatorFactory(region=regions["busan"])
    evaluator.user = factories.user(username="panel", role="evaluator")
    evaluator.save()
    panel = evaluation.panel_set(call=call, members=[evaluator], chair=evaluator)
    evaluation.assignment_run(call=call)
    for assignment in Assignment.objects.filter(application__call=call):
        evaluation.sheet_save(
            assignment=assignment, points={"c": Decimal(80)}, comments={}, submit=True
        )
    evaluation.panel_close(panel=panel, actor=evaluator.user)
    ranking = evaluation.ranking_compute(call=call, actor=admin)
    return call, evaluation.ranking_confirm(ranking=ranking, actor=admin)


def test_a_group_selection_past_its_share_is_refused_and_says_why(regions, admin):
    call, ranking = _trainee_call_ranked(regions, admin, n_applicants=3)
    with pytest.raises(evaluation.EvaluationError, match="배정 인원이 아직 정해지지 않았습니다"):
        evaluation.ranking_publish(ranking=ranking, actor=admin)
    track_allocation_set(
        track=regions["track"], operating_group=regions["capital_group"], seats=2, actor=admin
    )
    with pytest.raises(evaluation.EvaluationError) as raised:
        evaluation.ranking_publish(ranking=ranking, actor=admin)
    assert (
        "수도권 사업단의 Track1 테스트 배정 인원은 2명입니다. 이미 선정된 0명에 이번 선정 3명을 "
        "더하면 3명으로 1명을 넘습니다." in " ".join(raised.value.messages)
    )
    assert not Application.objects.filter(result="selected").exists()
    track_allocation_set(
        track=regions["track"], operating_group=regions["capital_group"], seats=3, actor=admin
    )
    evaluation.ranking_publish(ranking=ranking, actor=admin)
    assert Application.objects.filter(call=call, result="selected").count() == 3


def test_a_new_trainee_call_selects_the_group_share_not_the_national_figure(regions, admin):
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    track_allocation_set(
        track=regions["track"], operating_group=regions["capital_group"], seats=57, actor=admin
    )
    assert trainee_scheme_create(call).total_seats == 57  # not the national 400
