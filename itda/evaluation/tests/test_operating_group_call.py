"""An organisation applies on the web to run a 권역; once selected and published it becomes
that 권역's operating group, with the 권역's 시·도."""

from decimal import Decimal

import pytest
from django.test import Client

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation import services
from itda.evaluation.models import Assignment, Criterion, Scheme
from itda.programs.models import OperatingGroup
from itda.recruitment.models import Application
from itda.recruitment.services import screening_run


@pytest.mark.django_db
def test_selected_organisation_becomes_the_zones_operating_group(cast, regions, login_as):
    call = factories.call(programme=regions["programme"], kind="operating_group")
    scheme = Scheme.objects.create(
        call=call,
        name="사업단 평가표",
        method="mean",
        evaluators_per_application=1,
        total_seats=1,
        quotas=[{"dimension": "region", "value": "dongnam", "seats": 1}],
    )
    Criterion.objects.create(
        scheme=scheme, code="plan", name="운영계획", weight=100, max_points=100
    )
    client = login_as(cast["company"], Client())
    response = client.post(
        f"/calls/{call.pk}/apply/",
        {
            "profile-organisation_name": "부산스마트제조혁신센터",
            "profile-business_number": "220-81-62517",
            "profile-zone": "dongnam",
            "profile-region": regions["seoul"].pk,  # office in Seoul, applying for 동남권
            "answers-plan_summary": "부산·울산·경남 제조기업 연계",
            "answers-dedicated_staff": "6",
            "answers-partner_companies": "120",
            "answers-consent": "on",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(call=call)
    assert application.organisation_number == "2208162517"
    assert application.answers["zone"] == "dongnam" and application.status == "submitted"
    # The filer sees it; another company manager does not.
    assert client.get(f"/applications/{application.pk}/").status_code == 200
    other = factories.user(username="other_manager", role=Role.COMPANY)
    assert login_as(other, Client()).get(f"/applications/{application.pk}/").status_code == 404

    factories.call_closed(call)
    screening_run(call=call, actor=cast["admin"])
    judge = factories.EvaluatorFactory(region=regions["seoul"])
    judge.user = factories.user(username="group_judge", role=Role.EVALUATOR)
    judge.save()
    panel = services.panel_set(call=call, members=[judge], chair=judge)
    services.assignment_run(call=call)
    services.sheet_save(
        assignment=Assignment.objects.get(), points={"plan": Decimal(80)}, comments={}, submit=True
    )
    services.panel_close(panel=panel, actor=judge.user)
    ranking = services.ranking_compute(call=call, actor=cast["admin"])
    services.ranking_confirm(ranking=ranking, actor=cast["admin"])
    services.ranking_publish(ranking=ranking, actor=cast["admin"])

    group = OperatingGroup.objects.get(programme=regions["programme"], zone="dongnam")
    assert group.name == "부산스마트제조혁신센터"
    assert set(group.regions.values_list("code", flat=True)) == {"26"}  # 부산 in this world
