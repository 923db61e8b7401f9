"""The linkage pages: a trainee finds and ranks positions; a company interviews and ranks."""

import datetime

import pytest
from django.utils import timezone

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.internships.models import Position
from itda.matching import services
from itda.matching.models import CompanyRanking, MatchRound, TraineeChoice
from itda.programs.models import Company, Trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_world(regions, trainee, company, seoul_staff):
    me = Trainee.objects.get(user=trainee)
    me.skills = ["PLC", "Python"]
    me.save()
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.enrollment(cohort=cohort, trainee=me, status="completed")
    own = Company.objects.get(managers=company)
    positions = {
        name: Position.objects.create(
            company=own,
            track=regions["track"],
            title=name,
            duties="-",
            seats=1,
            region=region,
            site_address="-",
            mentor_name="-",
            status="published",
            required_skills=skills,
            created_by=company,
        )
        for name, region, skills in (
            ("설비 운영", regions["seoul"], ["PLC", "MES"]),
            ("데이터 분석", regions["gyeonggi"], ["Python"]),
            ("품질 관리", regions["seoul"], ["SPC"]),
        )
    }
    now = timezone.now()
    round_ = services.round_create(
        actor=seoul_staff,
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        title="수도권 1차 연계",
        trainee_deadline=now + datetime.timedelta(days=3),
        company_deadline=now + datetime.timedelta(days=7),
    )
    return round_, me, positions


def test_a_trainee_filters_positions_and_sees_skills_fit(client, login_as, trainee, round_world):
    round_, _, _ = round_world
    login_as(trainee)
    html = client.get(f"/trainee/rounds/{round_.pk}/positions/?region=11").content.decode()
    assert "설비 운영" in html and "품질 관리" in html and "데이터 분석" not in html
    assert "✓ PLC" in html and "✗ MES (부족)" in html
    html = client.get(f"/trainee/rounds/{round_.pk}/positions/?skill=Python").content.decode()
    assert "데이터 분석" in html and "설비 운영" not in html


def test_a_trainee_adds_and_reorders_choices(client, login_as, trainee, round_world):
    round_, me, positions = round_world
    login_as(trainee)
    url = f"/trainee/rounds/{round_.pk}/choices/change/"
    for name in ("설비 운영", "데이터 분석", "품질 관리"):
        client.post(url, {"position": positions[name].pk, "action": "add"})
    client.post(url, {"position": positions["품질 관리"].pk, "action": "up", "back": "choices"})
    client.post(url, {"position": positions["설비 운영"].pk, "action": "remove"})
    order = list(
        TraineeChoice.objects.filter(trainee=me).order_by("rank").values_list("position__title")
    )
    assert order == [("품질 관리",), ("데이터 분석",)]
    html = client.get(f"/trainee/rounds/{round_.pk}/choices/").content.decode()
    assert html.index("품질 관리") < html.index("데이터 분석")


def test_a_round_outside_the_trainee_s_scope_is_missing(client, login_as, regions, round_world):
    round_, _, _ = round_world
    outsider = factories.user(username="busan_trainee", role="trainee")
    factories.TraineeFactory(user=outsider, region=regions["busan"])
    login_as(outsider)
    # Another group's round looks like a missing one (404), as every scoped row does.
    assert client.get(f"/trainee/rounds/{round_.pk}/positions/").status_code == 404


def test_applicants_stay_masked_until_an_interview_and_the_opening_is_logged(
    client, login_as, trainee, company, round_world
):
    round_, me, positions = round_world
    position = positions["설비 운영"]
    services.trainee_choices_save(round_=round_, trainee=me, positions=[position], actor=trainee)
    login_as(company)
    url = f"/company/rounds/{round_.pk}/positions/{position.pk}/"
    html = client.get(url).content.decode()
    assert me.name not in html and me.phone not in html
    client.post(
        f"{url}interviews/{me.pk}/", {"scheduled_at": "2026-12-01T10:00", "place": "본사 회의실"}
    )
    html = client.get(url).content.decode()
    assert me.name in html and me.phone in html
    assert PersonalDataAccess.objects.filter(
        actor=company, subject_type="programs.trainee", subject_ids=[me.pk]
    ).exists()


def test_a_company_ranks_with_blanks_for_those_it_would_not_take(
    client, login_as, trainee, company, regions, round_world
):
    round_, me, positions = round_world
    position = positions["설비 운영"]
    services.trainee_choices_save(round_=round_, trainee=me, positions=[position], actor=trainee)
    login_as(company)
    url = f"/company/rounds/{round_.pk}/positions/{position.pk}/ranking/"
    client.post(url, {f"rank_{me.pk}": "x"})
    assert not CompanyRanking.objects.exists()
    client.post(url, {f"rank_{me.pk}": "1"})
    assert list(CompanyRanking.objects.values_list("trainee", "rank")) == [(me.pk, 1)]
    client.post(url, {f"rank_{me.pk}": ""})
    assert not CompanyRanking.objects.exists()


@pytest.mark.parametrize("rank", ["²", "١", "1" * 5000, "99999"])
def test_a_rank_that_is_not_a_plain_number_is_refused_in_korean(
    client, login_as, trainee, company, regions, round_world, rank
):
    round_, me, positions = round_world
    position = positions["설비 운영"]
    services.trainee_choices_save(round_=round_, trainee=me, positions=[position], actor=trainee)
    login_as(company)
    url = f"/company/rounds/{round_.pk}/positions/{position.pk}/ranking/"
    response = client.post(url, {f"rank_{me.pk}": rank}, follow=True)
    assert response.status_code == 200
    assert "순위는 1 이상의 숫자로 적으세요" in response.content.decode()
    assert not CompanyRanking.objects.exists()


def test_another_company_gets_404_on_the_applicants(client, login_as, regions, round_world):
    round_, _, positions = round_world
    stranger = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(stranger)
    login_as(stranger)
    url = f"/company/rounds/{round_.pk}/positions/{positions['설비 운영'].pk}/"
    assert client.get(url).status_code == 404


def _more_positions(round_world, company, regions, n):
    _, _, positions = round_world
    template = positions["설비 운영"]
    for i in range(n):
        Position.objects.create(
            company=template.company,
            track=regions["track"],
            title=f"추가 포지션 {i}",
            duties="-",
            seats=1,
            region=regions["seoul"],
            site_address="-",
            mentor_name="-",
            status="published",
            required_skills=["PLC"],
            created_by=company,
        )


def test_the_position_list_costs_constant_queries(
    client, login_as, trainee, company, regions, round_world, django_assert_max_num_queries
):
    round_, _, _ = round_world
    login_as(trainee)
    url = f"/trainee/rounds/{round_.pk}/positions/"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _more_positions(round_world, company, regions, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="position-card"') == 20 and "전체 23건" in html  # a full page


def test_the_applicant_list_costs_constant_queries(
    client, login_as, company, regions, round_world, django_assert_max_num_queries
):
    round_, _, positions = round_world
    position = positions["설비 운영"]
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"], code="X")

    def applicants(n):
        for _ in range(n):
            t = factories.TraineeFactory(region=regions["seoul"])
            factories.enrollment(cohort=cohort, trainee=t, status="completed")
            TraineeChoice.objects.create(round=round_, trainee=t, position=position, rank=1)

    applicants(2)
    login_as(company)
    url = f"/company/rounds/{round_.pk}/positions/{position.pk}/"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    applicants(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="applicant"') == 17


def test_staff_open_a_round_and_follow_its_progress(client, login_as, seoul_staff, regions):
    login_as(seoul_staff)
    response = client.post(
        "/rounds/",
        {
            "title": "수도권 2차 연계",
            "operating_group": regions["capital_group"].pk,
            "max_choices": "5",
            "trainee_deadline": "2026-12-01T18:00",
            "company_deadline": "2026-11-30T18:00",
        },
    )
    assert "기업 순위 마감은 교육생 지망 마감 이후" in response.content.decode()
    response = client.post(
        "/rounds/",
        {
            "title": "수도권 2차 연계",
            "operating_group": regions["capital_group"].pk,
            "max_choices": "5",
            "trainee_deadline": "2026-12-01T18:00",
            "company_deadline": "2026-12-05T18:00",
        },
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "수도권 2차 연계" in html and 'data-testid="ranked">0<' in html


def test_a_round_cannot_run_past_its_programme(client, login_as, seoul_staff, regions):
    login_as(seoul_staff)
    response = client.post(
        "/rounds/",
        {
            "title": "수도권 2차 연계",
            "operating_group": regions["capital_group"].pk,
            "max_choices": "5",
            "trainee_deadline": "2026-12-20T18:00",
            "company_deadline": "2027-01-08T18:00",
        },
    )
    assert response.status_code == 200
    assert (
        "기업 순위 마감은 사업기간(2026-05-20~2026-12-31) 안에 있어야 합니다."
        in response.content.decode()
    )
    assert not MatchRound.objects.exists()


def test_staff_of_another_group_cannot_open_or_see_a_group_round(
    client, login_as, busan_staff, round_world, regions
):
    round_, _, _ = round_world
    login_as(busan_staff)
    assert client.get(f"/rounds/{round_.pk}/").status_code == 404
    response = client.post(
        "/rounds/",
        {
            "title": "x",
            "operating_group": regions["capital_group"].pk,
            "max_choices": "5",
            "trainee_deadline": "2026-12-01T18:00",
            "company_deadline": "2026-12-05T18:00",
        },
    )
    assert response.status_code == 200  # the group is not among the choices
    assert "올바르게 선택" in response.content.decode()


def test_the_position_list_comes_in_pages_that_keep_the_filters(
    client, login_as, trainee, company, regions, round_world
):
    round_, _, positions = round_world
    template = positions["품질 관리"]
    for n in range(25):
        template.pk = None
        template.title = f"추가 자리 {n:02d}"
        template.save()
    login_as(trainee)
    url = f"/trainee/rounds/{round_.pk}/positions/"
    first = client.get(url).content.decode()
    assert first.count('data-testid="position-card"') == 20
    assert "전체 28건 중 1–20건" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="position-card"') == 8
    found = client.get(url, {"q": "추가 자리 1", "region": "11"}).content.decode()
    assert found.count('data-testid="position-card"') == 10 and "설비 운영" not in found
