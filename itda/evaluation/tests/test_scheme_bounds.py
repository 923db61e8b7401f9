"""A scheme and its criteria refuse implausible numbers in Korean, in the admin where the
national operator sets them up, and nothing is saved (issue 10, item 11)."""

import pytest
from django.test import Client

from itda import factories
from itda.evaluation.models import Criterion, Scheme

pytestmark = pytest.mark.django_db


def _post(client, call, **overrides):
    data = {
        "call": call.pk,
        "name": "참여기업 평가표",
        "method": "mean",
        "evaluators_per_application": "3",
        "cutoff": "60",
        "total_seats": "10",
        "waitlist_size": "",
        "quotas": "[]",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-code": "plan",
        "criteria-0-name": "사업계획",
        "criteria-0-description": "",
        "criteria-0-weight": "40",
        "criteria-0-max_points": "40",
        "criteria-0-order": "0",
    }
    data.update(overrides)
    return client.post("/admin/evaluation/scheme/add/", data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("criteria-0-weight", "0", "가중치는 1에서 100 사이여야 합니다."),
        ("criteria-0-weight", "101", "가중치는 1에서 100 사이여야 합니다."),
        ("criteria-0-max_points", "500", "배점은 1점에서 100점 사이여야 합니다."),
        ("evaluators_per_application", "0", "신청서당 평가위원 수는 1명에서 20명 사이여야"),
        ("evaluators_per_application", "50", "신청서당 평가위원 수는 1명에서 20명 사이여야"),
        ("cutoff", "150", "선정 기준 점수는 0점에서 100점 사이여야 합니다."),
    ],
)
def test_the_admin_refuses_an_implausible_number_in_korean(
    cast, regions, login_as, field, value, message
):
    call = factories.call(programme=regions["programme"])
    client = login_as(cast["admin"], Client())
    response = _post(client, call, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Scheme.objects.exists() and not Criterion.objects.exists()


def test_a_plausible_scheme_is_saved(cast, regions, login_as):
    call = factories.call(programme=regions["programme"])
    client = login_as(cast["admin"], Client())
    assert _post(client, call).status_code == 302
    assert Criterion.objects.get().weight == 40
