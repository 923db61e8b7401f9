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
