"""The registry pages: constant query counts, masking, and the htmx partial of the log search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/registry/trainees/", "/registry/companies/"])
def test_list_pages_run_a_constant_number_of_queries(cast, regions, login_as, client, url):
    login_as(cast["seoul_staff"])
    factories.TraineeFactory.create_batch(3, region=regions["seoul"])
    factories.CompanyFactory.create_batch(3, region=regions["seoul"])
    few = _queries(client, url)
    factories.TraineeFactory.create_batch(40, region=regions["gyeonggi"])
    factories.CompanyFactory.create_batch(40, region=regions["gyeonggi"])
    assert _queries(client, url) == few


@pytest.mark.django_db
def test_company_list_shows_only_the_managers_company(cast, regions, login_as, client):
    other = factories.CompanyFactory(region=regions["seoul"], name="남의회사")
    login_as(cast["company"])
    body = client.get("/registry/companies/").content.decode()
    assert "볼 수 있는 기업 1곳" in body and other.name not in body
    assert client.get(f"/registry/companies/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_access_log_search_answers_htmx_with_rows_only(cast, login_as, client):
    login_as(cast["admin"])
    full = client.get("/access-log/").content.decode()
    partial = client.get("/access-log/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in partial
    assert "<table" in partial and "접속기록" in partial


def _export(client, data):
    return client.post("/registry/trainees/export/", data)


@pytest.mark.django_db
def test_export_without_a_reason_gives_nothing_and_logs_nothing(cast, regions, login_as, client):
    from itda.accounts.models import PersonalDataAccess

    factories.TraineeFactory(region=regions["seoul"])
    login_as(cast["seoul_staff"])
    response = _export(client, {"reason": ""})
    assert response.status_code == 400 and "열람 사유를 입력하세요." in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not PersonalDataAccess.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_export_is_scoped_masked_logged_and_formula_safe(cast, regions, login_as, client):
    import io

    from openpyxl import load_workbook

    from itda.accounts.models import PersonalDataAccess

    mine = factories.TraineeFactory(
        region=regions["gyeonggi"], name="박지민", phone="010-3333-4444", major='=HYPERLINK("x")'
    )
    busan = factories.TraineeFactory(region=regions["busan"], name="부산사람")
    login_as(cast["seoul_staff"])
    response = _export(client, {"reason": "수료 대상자 명단 확인"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="trainees-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    names = {r[0] for r in rows}
    assert "박*민" in names and "부산사람" not in names and "부*람" not in names
    assert len(rows) == 2  # the cast's own trainee in Seoul, and 박지민
    park = next(r for r in rows if r[0] == "박*민")
    assert park[2] == "010-****-4444" and park[7] == '\'=HYPERLINK("x")'
    entry = PersonalDataAccess.objects.get(action="export")
    assert mine.pk in entry.subject_ids and busan.pk not in entry.subject_ids
    assert entry.reason == "수료 대상자 명단 확인 [마스킹]"

    full = _export(client, {"reason": "훈련수당 지급 확인", "full_values": "on"})
    sheet = load_workbook(io.BytesIO(full.content)).active
    assert "010-3333-4444" in [c.value for row in sheet.iter_rows() for c in row]
    assert PersonalDataAccess.objects.filter(
        action="export", reason="훈련수당 지급 확인 [전체 정보]"
    ).exists()


@pytest.mark.django_db
def test_export_is_for_staff_only(cast, login_as, client):
    login_as(cast["viewer"])
    assert _export(client, {"reason": "궁금해서 봅니다"}).status_code == 403


@pytest.mark.django_db
def test_company_export_is_scoped_masked_and_logged(cast, regions, login_as, client):
    import io

    from openpyxl import load_workbook

    from itda.accounts.models import PersonalDataAccess

    mine = factories.CompanyFactory(region=regions["gyeonggi"], representative="최대표")
    theirs = factories.CompanyFactory(region=regions["busan"], name="부산회사")
    login_as(cast["seoul_staff"])
    response = client.post("/registry/companies/export/", {"reason": "참여기업 현황 보고"})
    assert response["Content-Disposition"].startswith('attachment; filename="companies-')
    rows = [
        [c.value for c in r]
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)
    ]
    names = {r[0] for r in rows}
    assert mine.name in names and theirs.name not in names
    assert next(r for r in rows if r[0] == mine.name)[2] == "최*표"
    entry = PersonalDataAccess.objects.get(action="export", subject_type="programs.company")
    assert mine.pk in entry.subject_ids and theirs.pk not in entry.subject_ids
