"""The evaluator's side of evaluation: assigned applications, the score sheet (draft, submit,
read-only), conflicts of interest closing the door, declared relations, the chair closing the
round."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.evaluation import services
from itda.evaluation.models import (
    Assignment,
    ConflictOfInterest,
    ConflictSource,
    Criterion,
    Evaluator,
    EvaluatorRelation,
    Panel,
    PanelStatus,
    Scheme,
    Score,
    ScoreSheet,
    SheetStatus,
)
from itda.lib.masking import mask_name

CRITERIA = [("plan", "사업 계획", 40), ("capability", "수행 역량", 30), ("effect", "기대 효과", 30)]


def _scheme(call) -> Scheme:
    scheme = Scheme.objects.create(call=call, name="테스트 기준표", evaluators_per_application=3)
    for order, (code, name, max_points) in enumerate(CRITERIA):
        Criterion.objects.create(
            scheme=scheme,
            code=code,
            name=name,
            description=f"{name} 세부 내용",
            weight=max_points,
            max_points=max_points,
            order=order,
        )
    return scheme


def _other_evaluator(username: str, regions) -> Evaluator:
    user = factories.user(username=username, role=Role.EVALUATOR)
    return factories.EvaluatorFactory(user=user, region=regions["seoul"])


@pytest.fixture
def world(cast, regions):
    """A company call with a 40/30/30 scheme and a panel chaired by the cast's evaluator."""
    call = factories.call(programme=regions["programme"])
    _scheme(call)
    me = Evaluator.objects.get(user=cast["evaluator"])
    second = _other_evaluator("evaluator2", regions)
    third = _other_evaluator("evaluator3", regions)
    panel = Panel.objects.create(call=call, chair=me)
    panel.members.set([me, second, third])
    companies = [
        factories.CompanyFactory(region=regions["seoul"], name=f"평가대상정밀{i}") for i in range(3)
    ]
    applications = [
        factories.application(call=call, company=c, screening="eligible") for c in companies
    ]
    return {
        "call": call,
        "panel": panel,
        "me": me,
        "second": second,
        "third": third,
        "applications": applications,
    }


def _assign(application, evaluator) -> Assignment:
    return Assignment.objects.create(application=application, evaluator=evaluator)


def _url(assignment) -> str:
    return f"/evaluation/assignments/{assignment.pk}/"


def _post(action="save", **values) -> dict:
    data = {"action": action, "comment": values.pop("comment", "")}
    for code, _, _ in CRITERIA:
        data[f"points_{code}"] = values.pop(code, "")
        data[f"comment_{code}"] = values.pop(f"{code}_comment", "")
    assert not values
    return data


# --- Home ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_lists_exactly_the_assigned_unconflicted_applications(cast, world, login_as, client):
    mine, conflicted, others = world["applications"]
    _assign(mine, world["me"])
    _assign(conflicted, world["me"])
    _assign(others, world["second"])
    ConflictOfInterest.objects.create(
        evaluator=world["me"], application=conflicted, source=ConflictSource.SAME_BUSINESS
    )
    login_as(cast["evaluator"])
    html = client.get("/evaluator/").content.decode()
    assert mine.receipt_number in html and mine.company.name in html
    assert conflicted.receipt_number not in html and conflicted.company.name not in html
    assert others.receipt_number not in html
    assert world["call"].title in html and "미작성" in html
    assert "배정된 평가" in html


@pytest.mark.django_db
def test_home_shows_each_sheet_status(cast, world, login_as, client):
    a1, a2, a3 = (_assign(a, world["me"]) for a in world["applications"])
    services.sheet_save(assignment=a2, points={"plan": Decimal(20)}, comments={})
    services.sheet_save(
        assignment=a3,
        points={"plan": Decimal(20), "capability": Decimal(20), "effect": Decimal(20)},
        comments={},
        submit=True,
    )
    login_as(cast["evaluator"])
    html = client.get("/evaluator/").content.decode()
    assert 'is-gray">미작성<' in html and 'is-warning">작성 중<' in html
    assert 'is-primary">제출<' in html
    assert _url(a1) in html and _url(a3) in html


@pytest.mark.django_db
def test_home_is_for_evaluators_only(cast, login_as, client):
    login_as(cast["company"])
    assert client.get("/evaluator/").status_code == 403


@pytest.mark.django_db
def test_home_runs_a_constant_number_of_queries(cast, regions, world, login_as, client):
    login_as(cast["evaluator"])

    def count(n: int) -> int:
        for company in (factories.CompanyFactory(region=regions["seoul"]) for _ in range(n)):
            _assign(factories.application(call=world["call"], company=company), world["me"])
        client.get("/evaluator/")  # warm the session and the user
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/evaluator/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    two = count(2)
    Assignment.objects.all().delete()
    ten = count(10)
    assert two == ten


# --- The sheet page: what an evaluator sees, and who may open it ----------------------------


@pytest.mark.django_db
def test_sheet_shows_the_company_as_the_scheme_needs_it(cast, regions, world, login_as, client):
    company = factories.CompanyFactory(
        region=regions["seoul"],
        name="평가대상스마트",
        smart_factory_level="intermediate1",
        ksx9001_level=3,
    )
    application = factories.application(
        call=world["call"],
        company=company,
        screening="eligible",
        answers={"motivation": "MES 고도화를 준비하고 있습니다", "consent": True},
    )
    assignment = _assign(application, world["me"])
    login_as(cast["evaluator"])
    response = client.get(_url(assignment))
    html = response.content.decode()
    assert response.status_code == 200
    assert company.name in html and company.industry in html
    assert "중간1" in html and "3수준" in html
    assert "MES 고도화를 준비하고 있습니다" in html
    # The company's representative, BRN, address and phone are not what the scheme needs.
    for private in (
        company.representative,
        company.business_number,
        company.address,
        company.phone,
    ):
        assert private not in html
    for code, name, max_points in CRITERIA:
        assert f'name="points_{code}"' in html and name in html
        assert f'max="{max_points}"' in html
    assert 'step="0.5"' in html and "임시저장" in html and "제출" in html
    assert PersonalDataAccess.objects.filter(
        actor=cast["evaluator"], action="view", subject_ids=[application.pk]
    ).exists()


@pytest.mark.django_db
def test_sheet_of_a_trainee_call_masks_the_name_and_hides_contact_details(
    cast, regions, world, login_as, client
):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    _scheme(call)
    Panel.objects.create(call=call, chair=world["me"]).members.set([world["me"]])
    trainee = factories.TraineeFactory(region=regions["seoul"], name="홍길동", major="기계공학")
    application = factories.application(call=call, trainee=trainee)
    assignment = _assign(application, world["me"])
    login_as(cast["evaluator"])
    html = client.get(_url(assignment)).content.decode()
    assert mask_name("홍길동") in html and "홍길동" not in html
    assert regions["track"].name in html and "대학교 졸업" in html and "기계공학" in html
    for private in (trainee.phone, trainee.email, trainee.address, "2000-03-01", "테헤란로"):
        assert private not in html
    home = client.get("/evaluator/").content.decode()
    assert "홍*동" in home and "홍길동" not in home


@pytest.mark.django_db
def test_a_trainees_sheet_shows_the_application_answers(cast, regions, world, login_as, client):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    _scheme(call)
    Panel.objects.create(call=call, chair=world["me"]).members.set([world["me"]])
    trainee = factories.TraineeFactory(region=regions["seoul"])
    answers = {
        "certificates": "전기기능사, 정보처리기사",
        "motivation": "설비 예지보전을 배우고 싶습니다",
        "consent": True,
    }
    assignment = _assign(
        factories.application(call=call, trainee=trainee, answers=answers), world["me"]
    )
    login_as(cast["evaluator"])
    html = client.get(_url(assignment)).content.decode()
    assert "지원 동기" in html and "설비 예지보전을 배우고 싶습니다" in html
    assert "자격증" in html and "전기기능사, 정보처리기사" in html
    assert "consent" not in html


@pytest.mark.django_db
def test_another_evaluators_assignment_is_a_404_and_is_logged(cast, world, login_as, client):
    application = world["applications"][0]
    _assign(application, world["me"])  # even on the same application
    theirs = _assign(application, world["second"])
    login_as(cast["evaluator"])
    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs), _post(plan="10")).status_code == 404
    assert not ScoreSheet.objects.filter(assignment=theirs).exists()
    assert PersonalDataAccess.objects.filter(
        actor=cast["evaluator"], action="denied", subject_ids=[application.pk]
    ).exists()
    assert client.get("/evaluation/assignments/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "seoul_staff", "busan_staff", "company", "trainee"])
def test_nobody_else_opens_an_evaluators_sheet(cast, world, login_as, client, who):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast[who])
    assert client.get(_url(assignment)).status_code == 404
    assert client.post(f"{_url(assignment)}conflict/", {"conflict-reason": "x"}).status_code == 404
    assert client.get("/evaluator/").status_code == 403
    assert not ConflictOfInterest.objects.exists()


# --- Scoring ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_score_out_of_bounds_is_refused_and_nothing_is_saved(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(_url(assignment), _post(plan="45", capability="20", effect="-1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "사업 계획: 0~40점 사이여야 합니다." in html
    assert "기대 효과: 0~30점 사이여야 합니다." in html
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    assert not Score.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1e309", "-1e309", "NaN", "inf", "1e-400", "9" * 400])
def test_a_score_that_is_not_a_finite_number_in_bounds_is_refused(
    cast, world, login_as, client, typed
):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(_url(assignment), _post(plan=typed))
    html = response.content.decode()
    assert response.status_code == 200
    assert "사업 계획: 0~40점 사이여야 합니다." in html or "사업 계획: 점수는" in html
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_a_score_off_the_half_point_grid_is_refused(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(_url(assignment), _post(plan="33.3"))
    assert "사업 계획: 점수는 0.5점 단위로 입력하세요." in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_a_draft_keeps_partial_scores_and_extremes_without_comment(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(_url(assignment), _post(plan="40", capability="12.5"), follow=True)
    assert "임시저장했습니다" in response.content.decode()
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == SheetStatus.DRAFT
    assert {s.criterion.code: s.points for s in sheet.scores.select_related("criterion")} == {
        "plan": Decimal("40"),
        "capability": Decimal("12.5"),
    }
    html = client.get(_url(assignment)).content.decode()
    assert 'value="12.5"' in html and "52.5" in html


@pytest.mark.django_db
def test_submitting_an_extreme_score_needs_a_comment(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(
        _url(assignment), _post("submit", plan="40", capability="0", effect="20")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "사업 계획: 최고·최저점에는 의견을 적어야 합니다." in html
    assert "수행 역량: 최고·최저점에는 의견을 적어야 합니다." in html
    assert not ScoreSheet.objects.filter(
        assignment=assignment, status=SheetStatus.SUBMITTED
    ).exists()
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_submitting_needs_every_score(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(_url(assignment), _post("submit", plan="30"))
    assert "수행 역량: 점수를 입력하세요." in response.content.decode()
    assert not ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).exists()


@pytest.mark.django_db
def test_a_valid_submission_is_stored_and_then_read_only(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(
        _url(assignment),
        _post(
            "submit",
            plan="35.5",
            capability="30",
            capability_comment="현장 인력 구성이 탁월함",
            effect="20",
            comment="전반적으로 우수",
        ),
        follow=True,
    )
    assert "평가표를 제출했습니다" in response.content.decode()
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert sheet.comment == "전반적으로 우수"
    scores = {s.criterion.code: s for s in sheet.scores.select_related("criterion")}
    assert scores["plan"].points == Decimal("35.5")
    assert isinstance(scores["plan"].points, Decimal)
    assert scores["capability"].comment == "현장 인력 구성이 탁월함"

    html = client.get(_url(assignment)).content.decode()
    assert 'name="points_plan"' not in html and "임시저장" not in html
    assert "85.5" in html and "제출한 평가표는 수정할 수 없습니다" in html

    response = client.post(_url(assignment), _post("submit", plan="10"), follow=True)
    assert "제출한 평가표는 수정할 수 없습니다." in response.content.decode()
    assert Score.objects.get(sheet=sheet, criterion__code="plan").points == Decimal("35.5")


# --- Conflicts of interest -------------------------------------------------------------------


@pytest.mark.django_db
def test_declaring_a_conflict_closes_the_page_and_the_list(cast, world, login_as, client):
    application = world["applications"][0]
    assignment = _assign(application, world["me"])
    login_as(cast["evaluator"])
    client.post(_url(assignment), _post(plan="20"))  # a draft already exists
    response = client.post(
        f"{_url(assignment)}conflict/", {"conflict-reason": "신청 기업에서 자문을 맡고 있음"}
    )
    assert response.status_code == 302 and response.url == "/evaluator/"
    conflict = ConflictOfInterest.objects.get(evaluator=world["me"], application=application)
    assert conflict.source == ConflictSource.DECLARED
    assert client.get(_url(assignment)).status_code == 404
    assert client.post(_url(assignment), _post(plan="30")).status_code == 404
    assert application.receipt_number not in client.get("/evaluator/").content.decode()


@pytest.mark.django_db
def test_a_conflict_declaration_needs_a_reason(cast, world, login_as, client):
    assignment = _assign(world["applications"][0], world["me"])
    login_as(cast["evaluator"])
    response = client.post(f"{_url(assignment)}conflict/", {"conflict-reason": "  "})
    assert response.status_code == 200
    assert "이해충돌 사유를 입력하세요." in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.django_db
def test_no_conflict_declaration_on_someone_elses_assignment(cast, world, login_as, client):
    theirs = _assign(world["applications"][0], world["second"])
    login_as(cast["evaluator"])
    response = client.post(f"{_url(theirs)}conflict/", {"conflict-reason": "사유"})
    assert response.status_code == 404
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.django_db
def test_a_declared_relation_is_validated_and_detects_conflicts(cast, world, login_as, client):
    application = world["applications"][0]
    _assign(application, world["me"])
    login_as(cast["evaluator"])
    response = client.post(
        "/evaluator/relations/",
        {"relation-kind": "advisory", "relation-business_number": "220-81-62518"},
    )
    assert "사업자등록번호가 올바르지 않습니다 (검증번호 불일치)." in response.content.decode()
    response = client.post("/evaluator/relations/", {"relation-kind": "family"})
    assert "기관·기업명이나 사업자등록번호 중 하나는 입력하세요." in response.content.decode()
    assert not EvaluatorRelation.objects.exists()

    number = application.company.business_number
    response = client.post(
        "/evaluator/relations/",
        {
            "relation-kind": "advisory",
            "relation-business_number": f"{number[:3]}-{number[3:5]}-{number[5:]}",
        },
        follow=True,
    )
    html = response.content.decode()
    relation = EvaluatorRelation.objects.get(evaluator=world["me"])
    assert relation.business_number == number and relation.kind == "advisory"
    assert "이해충돌 신청서 1건" in html
    assert ConflictOfInterest.objects.filter(
        evaluator=world["me"], application=application, source=ConflictSource.SAME_BUSINESS
    ).exists()
    assert application.receipt_number not in html


# --- Closing the round -----------------------------------------------------------------------


def _submit(assignment):
    services.sheet_save(
        assignment=assignment,
        points={"plan": Decimal(30), "capability": Decimal(20), "effect": Decimal(20)},
        comments={},
        submit=True,
    )


@pytest.mark.django_db
def test_the_chair_closes_the_round_only_when_every_sheet_is_in(cast, world, login_as, client):
    application = world["applications"][0]
    mine = _assign(application, world["me"])
    theirs = _assign(application, world["second"])
    _submit(mine)
    login_as(cast["evaluator"])
    url = f"/evaluation/panels/{world['panel'].pk}/close/"
    home = client.get("/evaluator/").content.decode()
    assert "평가 마감" in home and url in home and "1/2" in home

    response = client.post(url, follow=True)
    assert "제출되지 않은 평가표가 1건 있습니다." in response.content.decode()
    world["panel"].refresh_from_db()
    assert world["panel"].status == PanelStatus.OPEN

    _submit(theirs)
    response = client.post(url, follow=True)
    assert "평가를 마감했습니다" in response.content.decode()
    world["panel"].refresh_from_db()
    assert world["panel"].status == PanelStatus.CLOSED
    assert set(ScoreSheet.objects.values_list("status", flat=True)) == {SheetStatus.LOCKED}
    html = client.get(_url(mine)).content.decode()
    assert "확정" in html and "임시저장" not in html and "이해충돌 신고" not in html


@pytest.mark.django_db
def test_a_member_who_is_not_the_chair_cannot_close(regions, world, login_as, client):
    _submit(_assign(world["applications"][0], world["me"]))
    login_as(world["second"].user)
    assert "평가 마감" not in client.get("/evaluator/").content.decode()
    response = client.post(f"/evaluation/panels/{world['panel'].pk}/close/")
    assert response.status_code == 403
    world["panel"].refresh_from_db()
    assert world["panel"].status == PanelStatus.OPEN


@pytest.mark.django_db
def test_an_evaluator_outside_the_panel_gets_a_404(regions, world, login_as, client):
    outsider = _other_evaluator("outsider", regions)
    login_as(outsider.user)
    assert client.post(f"/evaluation/panels/{world['panel'].pk}/close/").status_code == 404


# --- Many sheets at once ---------------------------------------------------------------------


@pytest.mark.django_db
def test_sheets_submit_takes_many_sheets_under_sheet_saves_rules(world):
    apps, me, second = world["applications"], world["me"], world["second"]
    mine = [_assign(a, me) for a in apps]
    theirs = _assign(apps[0], second)
    good = {"plan": Decimal("30"), "capability": Decimal("20"), "effect": Decimal("25.5")}

    # A score at an extreme needs its comment: nothing is written.
    with pytest.raises(services.EvaluationError, match="의견"):
        services.sheets_submit(
            call=world["call"],
            sheets={mine[0].pk: (good, {}), theirs.pk: ({**good, "plan": Decimal("40")}, {})},
        )
    assert not ScoreSheet.objects.exists()

    # A conflicted pair is refused, as sheet_save refuses it.
    ConflictOfInterest.objects.create(
        evaluator=me, application=apps[2], source=ConflictSource.DECLARED, note="겸직"
    )
    with pytest.raises(services.EvaluationError, match="이해충돌"):
        services.sheets_submit(call=world["call"], sheets={mine[2].pk: (good, {})})

    with CaptureQueriesContext(connection) as queries:
        n = services.sheets_submit(
            call=world["call"], sheets={a.pk: (good, {}) for a in (mine[0], mine[1], theirs)}
        )
    assert n == 3 and len(queries) < 15
    assert set(ScoreSheet.objects.values_list("status", flat=True)) == {SheetStatus.SUBMITTED}
    assert Score.objects.count() == 9
    # Submitted once; never again.
    with pytest.raises(services.EvaluationError, match="제출한 평가표"):
        services.sheets_submit(call=world["call"], sheets={mine[0].pk: (good, {})})
    world["panel"].status = PanelStatus.CLOSED
    world["panel"].save()
    with pytest.raises(services.EvaluationError, match="마감"):
        services.sheets_submit(call=world["call"], sheets={theirs.pk: (good, {})})
