"""Selected companies post positions; staff of the region review them before trainees see them."""

import pytest
from django.db import connection
from django.db.utils import ProgrammingError

from itda import factories
from itda.internships.models import Position, PositionTransition
from itda.programs.models import Company, PlacementKind, Track

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(regions, company):
    own = Company.objects.get(managers=company)
    call = factories.call(programme=regions["programme"])
    factories.application(call=call, company=own, result="selected")
    return own


def _form(regions, **overrides):
    data = {
        "track": regions["track"].pk,
        "title": "스마트공장 설비 운영 인턴",
        "duties": "MES 데이터 모니터링, 설비 점검",
        "problem_statement": "",
        "seats": "2",
        "region": regions["seoul"].pk,
        "site_address": "서울 구로구 디지털로 1",
        "mentor_name": "김멘토",
        "mentor_title": "생산팀장",
        "required_skills": "PLC, MES, PLC",
        "preferred_skills": "Python",
    }
    return data | overrides


def test_a_selected_company_drafts_submits_and_staff_publish(
    client, login_as, company, seoul_staff, selected, regions
):
    login_as(company)
    response = client.post("/company/positions/new/", _form(regions) | {"submit": "1"})
    position = Position.objects.get()
    assert response.status_code == 302
    assert position.status == "submitted"
    assert position.required_skills == ["PLC", "MES"]  # trimmed and de-duplicated
    # Submitted: the company can no longer edit it.
    client.post(f"/company/positions/{position.pk}/edit/", _form(regions, title="바꾼 제목"))
    position.refresh_from_db()
    assert position.title == "스마트공장 설비 운영 인턴"
    # Nor publish it themselves.
    client.post(f"/positions/{position.pk}/publish/")
    position.refresh_from_db()
    assert position.status == "submitted"

    login_as(seoul_staff)
    client.post(f"/positions/{position.pk}/publish/")
    position.refresh_from_db()
    assert position.status == "published"
    trail = list(PositionTransition.objects.values_list("old", "new", "actor__username"))
    assert trail == [("draft", "submitted", "company"), ("submitted", "published", "seoul_staff")]


def test_a_company_that_was_not_selected_cannot_post(client, login_as, company, regions):
    login_as(company)
    response = client.post("/company/positions/new/", _form(regions))
    assert "선정된 참여기업만" in response.content.decode()
    assert not Position.objects.exists()


def test_a_pbl_position_needs_its_problem_statement(client, login_as, company, selected, regions):
    pbl = Track.objects.create(
        programme=regions["programme"],
        code="track2",
        name="Track2",
        placement_kind=PlacementKind.PBL,
    )
    login_as(company)
    response = client.post("/company/positions/new/", _form(regions, track=pbl.pk))
    assert "PBL 과제" in response.content.decode()
    assert not Position.objects.exists()


def test_returning_needs_a_reason_and_reopens_editing(
    client, login_as, company, seoul_staff, selected, regions
):
    login_as(company)
    client.post("/company/positions/new/", _form(regions) | {"submit": "1"})
    position = Position.objects.get()
    login_as(seoul_staff)
    client.post(f"/positions/{position.pk}/return/", {"note": ""})
    position.refresh_from_db()
    assert position.status == "submitted"
    client.post(f"/positions/{position.pk}/return/", {"note": "멘토 직위를 적어 주세요"})
    position.refresh_from_db()
    assert (position.status, position.review_note) == ("returned", "멘토 직위를 적어 주세요")
    login_as(company)
    client.post(f"/company/positions/{position.pk}/edit/", _form(regions, mentor_title="공장장"))
    position.refresh_from_db()
    assert position.mentor_title == "공장장"


def test_other_region_staff_get_404(client, login_as, company, busan_staff, selected, regions):
    login_as(company)
    client.post("/company/positions/new/", _form(regions) | {"submit": "1"})
    position = Position.objects.get()
    login_as(busan_staff)
    assert client.get(f"/positions/{position.pk}/").status_code == 404
    assert client.post(f"/positions/{position.pk}/publish/").status_code == 404
    assert position.title not in client.get("/positions/review/").content.decode()


def test_the_review_queue_costs_constant_queries(
    client, login_as, seoul_staff, selected, regions, company, django_assert_max_num_queries
):
    for i in range(3):
        Position.objects.create(
            company=selected,
            track=regions["track"],
            title=f"포지션 {i}",
            duties="-",
            seats=1,
            region=regions["seoul"],
            site_address="-",
            mentor_name="-",
            status="submitted",
            created_by=company,
        )
    login_as(seoul_staff)
    with django_assert_max_num_queries(12) as few:
        html = client.get("/positions/review/").content.decode()
    assert html.count("포지션 ") >= 3
    for i in range(3, 30):
        Position.objects.create(
            company=selected,
            track=regions["track"],
            title=f"포지션 {i}",
            duties="-",
            seats=1,
            region=regions["seoul"],
            site_address="-",
            mentor_name="-",
            status="submitted",
            created_by=company,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/positions/review/")


def test_the_trail_is_append_only(client, login_as, company, selected, regions):
    login_as(company)
    client.post("/company/positions/new/", _form(regions) | {"submit": "1"})
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE internships_positiontransition SET note = 'x'")


def test_a_position_for_51_interns_is_refused_in_korean(
    client, login_as, company, selected, regions
):
    login_as(company)
    response = client.post("/company/positions/new/", _form(regions, seats="51"))
    assert "모집 인원은 1명에서 50명 사이여야 합니다." in response.content.decode()
    assert not Position.objects.exists()


def test_the_review_queue_is_searched_by_title_and_company(
    client, login_as, seoul_staff, selected, regions, company
):
    for title in ("설비 보전", "품질 검사"):
        Position.objects.create(
            company=selected,
            track=regions["track"],
            title=title,
            duties="-",
            seats=1,
            region=regions["seoul"],
            site_address="-",
            mentor_name="-",
            status="submitted",
            created_by=company,
        )
    login_as(seoul_staff)
    html = client.get("/positions/review/", {"q": "보전"}).content.decode()
    assert "설비 보전" in html and "품질 검사" not in html
    html = client.get("/positions/review/", {"q": selected.business_number[-5:]}).content.decode()
    assert "설비 보전" in html and "품질 검사" in html
