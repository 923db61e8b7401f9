"""The trainee's step bar (지원 → 선발 → 교육 → 연계(배정) → 인턴십 → 채용) shows where the trainee
really is, from their records: one stage after another through the internship agreement, and
채용 never done without a recorded hiring outcome."""

import re

import pytest

from itda import factories
from itda.internships import agreements
from itda.internships.models import Internship, StartWave
from itda.internships.tests.conftest import WAVE_FIRST, WAVE_LAST, make_position, place, propose
from itda.outcomes.selectors import TraineeProgress, step_bar
from itda.programs.models import Programme
from itda.recruitment.models import CallKind


def _bar(progress: TraineeProgress) -> list[tuple[str, str, str]]:
    return [(s.label, s.state, s.note) for s in step_bar(progress)]


# --- the computation, stage by stage -------------------------------------------------------------


def test_before_any_application_the_first_step_is_to_apply():
    assert _bar(TraineeProgress()) == [
        ("지원", "current", "공모에 지원하세요"),
        ("선발", "todo", ""),
        ("교육", "todo", ""),
        ("연계(배정)", "todo", ""),
        ("인턴십", "todo", ""),
        ("채용", "todo", ""),
    ]


@pytest.mark.parametrize(
    ("result", "note"),
    [("pending", "선발 결과 대기"), ("waitlisted", "예비 선발"), ("not_selected", "선발되지 않음")],
)
def test_an_application_waits_for_selection(result, note):
    bar = _bar(TraineeProgress(applied=True, result=result))
    assert bar[:3] == [("지원", "done", ""), ("선발", "current", note), ("교육", "todo", "")]


def test_a_selected_trainee_is_at_training_before_it_starts():
    bar = _bar(TraineeProgress(applied=True, result="selected"))
    assert [s for _, s, _ in bar] == ["done", "done", "current", "todo", "todo", "todo"]
    assert bar[2] == ("교육", "current", "교육 시작 전")


@pytest.mark.parametrize(
    ("status", "note"),
    [
        ("enrolled", "교육 중"),
        ("waitlisted", "수강 대기"),
        ("not_completed", "미수료"),
        ("withdrawn", "중도포기"),
    ],
)
def test_training_shows_how_it_stands(status, note):
    bar = _bar(TraineeProgress(applied=True, result="selected", training=status))
    assert bar[2] == ("교육", "current", note)
    assert bar[3][1] == "todo"


def test_a_completed_trainee_waits_for_linkage():
    bar = _bar(TraineeProgress(applied=True, result="selected", training="completed"))
    assert [s for _, s, _ in bar] == ["done", "done", "done", "current", "todo", "todo"]
    assert bar[3] == ("연계(배정)", "current", "배정 대기")


def _placed(**fields) -> TraineeProgress:
    return TraineeProgress(applied=True, result="selected", training="completed", **fields)


@pytest.mark.parametrize(
    "fields",
    [{"placement": "assigned"}, {"placement": "assigned", "internship": "proposed"}],
    ids=["placed, no proposal yet", "agreement proposed"],
)
def test_a_placed_trainee_waits_for_the_agreement(fields):
    bar = _bar(_placed(**fields))
    assert [s for _, s, _ in bar[:4]] == ["done"] * 4
    assert bar[4] == ("인턴십 협약 대기", "current", "")
    assert bar[5] == ("채용", "todo", "다음 단계")


def test_an_active_agreement_is_the_internship_under_way():
    bar = _bar(_placed(placement="started", internship="active"))
    assert bar[4] == ("인턴십 중", "current", "")
    assert bar[5] == ("채용", "todo", "다음 단계")


def test_after_the_internship_hiring_stays_the_next_step_until_recorded():
    # A state after active, as the ending stage will add: the internship is over, and 채용 is
    # not done (no hiring outcome is recorded).
    bar = _bar(_placed(placement="ended", internship="completed"))
    assert bar[4] == ("인턴십 종료", "done", "")
    assert bar[5] == ("채용", "todo", "다음 단계")
    assert "current" not in [s for _, s, _ in bar]


def test_a_recorded_hire_completes_the_path():
    bar = _bar(_placed(placement="ended", internship="completed", hired=True))
    assert [s for _, s, _ in bar] == ["done"] * 6


def test_records_out_of_order_still_show_the_furthest_stage():
    # A placement without a recorded completion (e.g. imported): linkage is where they are.
    bar = _bar(TraineeProgress(placement="assigned"))
    assert [s for _, s, _ in bar] == ["done"] * 4 + ["current", "todo"]


# --- from the records, on the trainee's home -----------------------------------------------------


def home_steps(client) -> list[tuple[str, str, str]]:
    html = client.get("/trainee/").content.decode()
    bar = html[html.index('data-testid="steps"') :]
    bar = bar[: bar.index("</ol>")]
    found = []
    for state, body in re.findall(r'<li class="is-(\w+)"[^>]*>(.*?)</li>', bar):
        label = re.search(r'itda-step-label">([^<]+)<', body).group(1)
        note = re.search(r'itda-step-note">([^<]+)<', body)
        found.append((label, state, note.group(1) if note else ""))
    return found


def _placed_by_a_round(me, regions, company, admin):
    """``me`` placed at the cast company by a round of 수도권 사업단, with a start wave open."""
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 8월 1차",
        first_start=WAVE_FIRST,
        last_start=WAVE_LAST,
        created_by=admin,
    )
    position = make_position(company, regions["seoul"], regions["track"])
    return place(me, position, group=regions["capital_group"], actor=admin)


@pytest.mark.django_db
def test_the_home_step_bar_follows_the_records_stage_by_stage(
    client, login_as, trainee, regions, company, admin, seoul_staff
):
    me = trainee.trainee
    login_as(trainee)
    assert home_steps(client)[0] == ("지원", "current", "공모에 지원하세요")
    assert "내 인턴십 보기" not in client.get("/trainee/").content.decode()

    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    application = factories.application(call=call, trainee=me)
    assert home_steps(client)[:2] == [("지원", "done", ""), ("선발", "current", "선발 결과 대기")]

    application.result = "selected"
    application.save(update_fields=["result"])
    assert home_steps(client)[2] == ("교육", "current", "교육 시작 전")

    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    enrollment = factories.enrollment(cohort=cohort, trainee=me, application=application)
    assert home_steps(client)[2] == ("교육", "current", "교육 중")

    enrollment.status = "completed"
    enrollment.save(update_fields=["status"])
    assert home_steps(client)[2:4] == [("교육", "done", ""), ("연계(배정)", "current", "배정 대기")]

    Programme.objects.filter(pk=regions["programme"].pk).update(internship_months_max=3)
    placement = _placed_by_a_round(me, regions, company, admin)
    steps = home_steps(client)
    assert steps[3] == ("연계(배정)", "done", "")
    assert steps[4] == ("인턴십 협약 대기", "current", "")
    assert steps[5] == ("채용", "todo", "다음 단계")
    assert "내 인턴십 보기" in client.get("/trainee/").content.decode()

    mentor, _ = agreements.mentor_create(
        company=placement.position.company, username="mentor1", name="김멘토", actor=company
    )
    internship = propose({"placement": placement, "mentor": mentor}, seoul_staff)
    assert home_steps(client)[4] == ("인턴십 협약 대기", "current", "")
    for party in (company, trainee, seoul_staff):
        agreements.internship_accept(internship=internship, version=1, actor=party)
    assert Internship.objects.get().state == "active"
    steps = home_steps(client)
    assert steps[4] == ("인턴십 중", "current", "")
    # No hiring outcome is recorded: 채용 is the next step, never done.
    assert steps[5] == ("채용", "todo", "다음 단계")


@pytest.mark.django_db
def test_a_declined_agreement_sends_the_trainee_back_to_linkage(
    client, login_as, trainee, regions, company, admin, seoul_staff
):
    me = trainee.trainee
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    placement = _placed_by_a_round(me, regions, company, admin)
    internship = propose({"placement": placement, "mentor": None}, seoul_staff)
    login_as(trainee)
    assert home_steps(client)[4] == ("인턴십 협약 대기", "current", "")
    agreements.internship_decline(internship=internship, reason="다른 기업에 취업", actor=trainee)
    # The seat is freed: the trainee waits for the next round's linkage again.
    assert home_steps(client)[3:5] == [
        ("연계(배정)", "current", "배정 대기"),
        ("인턴십", "todo", ""),
    ]


@pytest.mark.django_db
def test_the_step_bar_takes_a_fixed_number_of_queries(trainee, regions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itda.outcomes.selectors import trainee_steps

    with CaptureQueriesContext(connection) as queries:
        trainee_steps(trainee.trainee)
    assert len(queries) == 4
