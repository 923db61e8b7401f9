"""The applicant list of a call runs a constant number of queries however many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_call_applications_page_query_count_is_constant(cast, regions, login_as, client):
    call = factories.call(programme=regions["programme"])
    trainee_call = factories.call(
        programme=regions["programme"], kind="trainee", track=regions["track"]
    )
    for _ in range(2):
        factories.application(call=call, company=factories.CompanyFactory(region=regions["seoul"]))
        factories.application(
            call=trainee_call, trainee=factories.TraineeFactory(region=regions["seoul"])
        )
    login_as(cast["admin"])
    few = _count(client, f"/recruitment/calls/{call.pk}/applications/")
    few_t = _count(client, f"/recruitment/calls/{trainee_call.pk}/applications/")
    for _ in range(30):
        factories.application(call=call, company=factories.CompanyFactory(region=regions["busan"]))
        factories.application(
            call=trainee_call, trainee=factories.TraineeFactory(region=regions["busan"])
        )
    assert _count(client, f"/recruitment/calls/{call.pk}/applications/") == few
    assert _count(client, f"/recruitment/calls/{trainee_call.pk}/applications/") == few_t
    body = client.get(f"/recruitment/calls/{trainee_call.pk}/applications/").content.decode()
    assert "볼 수 있는 신청 32건" in body and "홍*" in body  # trainee names masked
