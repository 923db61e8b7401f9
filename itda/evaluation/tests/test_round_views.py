"""The operator runs a round through the web; the applicant sees only their own result."""

from decimal import Decimal

import pytest
from django.test import Client

from itda import factories
from itda.evaluation import services
from itda.evaluation.models import Assignment, Ranking
from itda.programs.models import Company
from itda.recruitment.services import screening_run


@pytest.mark.django_db
def test_operator_runs_the_round_and_the_company_sees_its_breakdown(world, cast, login_as):
    call, apps = world["call"], world["apps"]
    own = Company.objects.get(managers=cast["company"])
    mine = factories.application(call=call, company=own)
    screening_run(call=call, actor=cast["admin"])
    op = login_as(cast["admin"], Client())
    members = [e.pk for e in world["evaluators"]]
    r = op.post(f"/evaluation/calls/{call.pk}/panel/", {"members": members, "chair": members[0]})
    assert r.status_code == 302
    op.post(f"/evaluation/calls/{call.pk}/assign/")
    assert Assignment.objects.filter(application__call=call).count() == 3 * (len(apps) + 1)
    for a in Assignment.objects.filter(application__call=call):
        services.sheet_save(
            assignment=a,
            points={"cap": Decimal(30), "attr": Decimal(20), "hire": Decimal(25)},
            comments={},
            submit=True,
        )
    services.panel_close(panel=call.panel, actor=world["evaluators"][0].user)
    page = op.get(f"/evaluation/calls/{call.pk}/")
    assert "배정 15건 · 제출 0건 · 확정 15건" in page.content.decode()
    op.post(f"/evaluation/calls/{call.pk}/rank/")
    ranking = Ranking.objects.get(call=call)
    # The irreversible steps need the box ticked, checked on the server.
    refused = op.post(f"/evaluation/rankings/{ranking.pk}/confirm/", follow=True)
    assert "확인란에 표시한 뒤 진행하세요" in refused.content.decode()
    ranking.refresh_from_db()
    assert ranking.status == "draft"
    op.post(f"/evaluation/rankings/{ranking.pk}/confirm/", {"confirm": "on"})
    op.post(f"/evaluation/rankings/{ranking.pk}/publish/")
    ranking.refresh_from_db()
    assert ranking.status == "confirmed"
    op.post(f"/evaluation/rankings/{ranking.pk}/publish/", {"confirm": "on"})
    ranking.refresh_from_db()
    assert ranking.status == "published"

    company = login_as(cast["company"], Client())
    body = company.get(f"/applications/{mine.pk}/result/").content.decode()
    # Every sheet gave 30/40, 20/30, 25/30: 75 points; per-criterion means shown.
    assert "75.0점" in body and "스마트제조 역량" in body and "30.00" in body
    assert "panel0" not in body and world["evaluators"][0].name not in body
    other = company.get(f"/applications/{apps[0].pk}/result/")
    assert other.status_code == 404


@pytest.mark.django_db
def test_a_national_calls_round_pages_are_the_national_operators(world, cast, login_as):
    staff = login_as(cast["seoul_staff"], Client())
    assert staff.get(f"/evaluation/calls/{world['call'].pk}/").status_code == 404
    assert staff.post(f"/evaluation/calls/{world['call'].pk}/assign/").status_code == 404
    company = login_as(cast["company"], Client())
    assert company.get(f"/evaluation/calls/{world['call'].pk}/").status_code == 403


@pytest.mark.django_db
def test_ranking_exports_in_rank_order_with_a_reason(world, cast, login_as):
    import io

    from openpyxl import load_workbook

    from itda.accounts.models import PersonalDataAccess

    call, apps = world["call"], world["apps"]
    screening_run(call=call, actor=cast["admin"])
    services.panel_set(call=call, members=world["evaluators"], chair=world["evaluators"][0])
    services.assignment_run(call=call)
    points = {apps[0].pk: 10, apps[1].pk: 35, apps[2].pk: 20, apps[3].pk: 30}
    for a in Assignment.objects.filter(application__call=call):
        p = Decimal(points[a.application_id])
        services.sheet_save(
            assignment=a,
            points={"cap": p, "attr": Decimal(15), "hire": Decimal(15)},
            comments={},
            submit=True,
        )
    services.panel_close(panel=call.panel, actor=world["evaluators"][0].user)
    ranking = services.ranking_compute(call=call, actor=cast["admin"])
    op = login_as(cast["admin"], Client())
    assert op.post(f"/evaluation/rankings/{ranking.pk}/export/", {"reason": ""}).status_code == 400
    response = op.post(f"/evaluation/rankings/{ranking.pk}/export/", {"reason": "선정위원회 보고"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    ranked = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ranked == [
        apps[1].company.name,
        apps[3].company.name,
        apps[2].company.name,
        apps[0].company.name,
    ]
    assert PersonalDataAccess.objects.filter(
        action="export", reason="선정위원회 보고 [마스킹]", subject_type="recruitment.application"
    ).exists()
