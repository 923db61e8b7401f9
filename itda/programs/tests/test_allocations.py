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
from django.urls import reverse

from itda import factories
from itda.evaluation import services as evaluation
from itda.evaluation.engine.ranking import result_from_json
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
    # The operator reaches it from the programme's page.
    programme_page = client.get(reverse("programs:programme_detail", args=[track2.programme.code]))
    assert f'href="{url}"' in programme_page.content.decode()
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


def _trainee_call_scored(regions, admin, n_applicants: int, *, title="교육생 모집"):
    """A closed Track 1 call of 수도권 사업단 with ``n_applicants`` scored (80 points each) and
    its panel closed; the scheme selects everyone above the cut-off."""
    call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
        title=title,
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
    evaluator.user = factories.user(username=f"panel{call.pk}", role="evaluator")
    evaluator.save()
    panel = evaluation.panel_set(call=call, members=[evaluator], chair=evaluator)
    evaluation.assignment_run(call=call)
    for assignment in Assignment.objects.filter(application__call=call):
        evaluation.sheet_save(
            assignment=assignment, points={"c": Decimal(80)}, comments={}, submit=True
        )
    evaluation.panel_close(panel=panel, actor=evaluator.user)
    return call


def _ranked(call, admin):
    ranking = evaluation.ranking_compute(call=call, actor=admin)
    return evaluation.ranking_confirm(ranking=ranking, actor=admin)


def _share(regions, admin, seats):
    return evaluation.allocation_change(
        track=regions["track"], operating_group=regions["capital_group"], seats=seats, actor=admin
    )


def test_a_ranking_waits_for_the_group_share(regions, admin):
    call = _trainee_call_scored(regions, admin, n_applicants=3)
    with pytest.raises(evaluation.EvaluationError, match="배정 인원이 아직 정해지지 않았습니다"):
        evaluation.ranking_compute(call=call, actor=admin)
    assert not call.rankings.exists()


def test_the_ranking_selects_only_the_share_left_and_publication_agrees(
    regions, admin, client, login_as
):
    call = _trainee_call_scored(regions, admin, n_applicants=3)
    _share(regions, admin, 2)
    ranking = _ranked(call, admin)
    rows = result_from_json(ranking.result_json).rows
    assert [r.rank for r in rows] == [1, 2, 3]  # all three stay ranked
    assert [r.status for r in rows] == ["selected", "selected", "waitlisted"]
    assert rows[2].reason == "사업단 배정 인원 초과: 남은 배정 2명"
    html = login_as(admin, client).get(f"/evaluation/rankings/{ranking.pk}/").content.decode()
    assert "계산 당시 남은 2명까지만 선정으로 계산했습니다" in html
    assert "사업단 배정 인원 초과: 남은 배정 2명" in html
    evaluation.ranking_publish(ranking=ranking, actor=admin)  # the two doors agree
    assert Application.objects.filter(call=call, result="selected").count() == 2

    # The group's next call of the track selects within what is left: 3 - 2 = 1.
    _share(regions, admin, 3)
    second = _trainee_call_scored(regions, admin, n_applicants=2, title="교육생 추가 모집")
    rows = result_from_json(_ranked(second, admin).result_json).rows
    assert [r.status for r in rows] == ["selected", "waitlisted"]
    assert rows[1].reason == "사업단 배정 인원 초과: 남은 배정 1명"


def test_a_share_that_shrank_after_the_ranking_refuses_publication_and_says_why(regions, admin):
    call = _trainee_call_scored(regions, admin, n_applicants=3)
    _share(regions, admin, 3)
    ranking = _ranked(call, admin)
    _share(regions, admin, 2)  # nothing selected yet: lowering is allowed
    with pytest.raises(evaluation.EvaluationError) as raised:
        evaluation.ranking_publish(ranking=ranking, actor=admin)
    message = " ".join(raised.value.messages)
    assert (
        "수도권 사업단의 Track1 테스트 배정 인원은 2명입니다. 이미 선정된 0명에 이번 선정 3명을 "
        "더하면 3명으로 1명을 넘습니다." in message
    )
    assert "순위를 다시 계산하면 남은 배정 인원까지만 선정합니다" in message
    assert not Application.objects.filter(result="selected").exists()


def test_a_share_cannot_go_below_what_the_group_has_selected(regions, admin, client, login_as):
    call = _trainee_call_scored(regions, admin, n_applicants=3)
    allocation = _share(regions, admin, 3)
    evaluation.ranking_publish(ranking=_ranked(call, admin), actor=admin)
    changes = TrackAllocationChange.objects.count()
    with pytest.raises(evaluation.EvaluationError) as raised:
        _share(regions, admin, 2)
    assert (
        "수도권 사업단의 Track1 테스트 배정을 2명으로 줄일 수 없습니다. 이 사업단은 이 트랙에서 "
        "이미 3명을 선정했습니다. 배정 인원은 3명 이상이어야 합니다."
    ) in " ".join(raised.value.messages)
    allocation.refresh_from_db()
    assert allocation.seats == 3 and TrackAllocationChange.objects.count() == changes

    # The operator's page refuses the same, shows the selected count beside the share, and a
    # withdrawal gives a place back.
    login_as(admin, client)
    url = f"/programmes/{regions['programme'].code}/allocations/"
    form = {
        "form": "allocation",
        "operating_group": regions["capital_group"].pk,
        "track": regions["track"].pk,
        "seats": 2,
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "이미 3명을 선정했습니다" in refused.content.decode()
    assert "(선정 3명)" in client.get(url).content.decode()
    first = Application.objects.filter(call=call, result="selected").order_by("pk").first()
    Application.objects.filter(pk=first.pk).update(status="withdrawn")
    assert client.post(url, form).status_code == 302
    allocation.refresh_from_db()
    assert allocation.seats == 2


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
