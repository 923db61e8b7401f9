"""A company's region changes only by a staff action with a reason, logged: the operator or the
staff of the company's current region; the company's own forms cannot move it."""

import pytest
from django.db import ProgrammingError, transaction
from django.test import Client

from itda import factories
from itda.programs.models import Company, CompanyRegionChange
from itda.recruitment.models import Application

pytestmark = pytest.mark.django_db
MOVE_REASON = "본사를 부산으로 이전하여 관할 변경"


@pytest.fixture
def mine(company):
    return Company.objects.get(managers=company)


def _url(company) -> str:
    return f"/registry/companies/{company.pk}/region/"


def test_staff_of_the_company_s_region_move_it_with_a_logged_reason(
    regions, mine, company, seoul_staff, busan_staff, login_as
):
    move = {"region": regions["busan"].pk, "reason": MOVE_REASON}
    # Not theirs: Busan cannot take a Seoul company over; the company cannot move itself.
    busan = login_as(busan_staff)
    assert busan.post(_url(mine), move).status_code == 404
    manager = login_as(company, Client())
    assert manager.post(_url(mine), move).status_code == 403
    assert "소재지 변경" not in manager.get(f"/registry/companies/{mine.pk}/").content.decode()

    seoul = login_as(seoul_staff, Client())
    page = seoul.get(f"/registry/companies/{mine.pk}/").content.decode()
    assert "소재지 변경" in page and _url(mine) in page
    bad = seoul.post(_url(mine), {"region": regions["busan"].pk, "reason": "  "})
    assert bad.status_code == 400 and "변경 사유를 입력하세요." in bad.content.decode()
    same = seoul.post(_url(mine), {"region": regions["seoul"].pk, "reason": MOVE_REASON})
    assert same.status_code == 400 and "새 소재지가 지금과 같습니다." in same.content.decode()
    mine.refresh_from_db()
    assert mine.region == regions["seoul"] and not CompanyRegionChange.objects.exists()

    response = seoul.post(_url(mine), move)
    assert response.status_code == 302 and response.url == f"/registry/companies/{mine.pk}/"
    mine.refresh_from_db()
    change = CompanyRegionChange.objects.get()
    assert mine.region == regions["busan"]
    assert (change.company, change.old_region, change.new_region) == (
        mine,
        regions["seoul"],
        regions["busan"],
    )
    assert (change.actor, change.reason) == (seoul_staff, MOVE_REASON)
    # Now Busan's company: Busan sees it and its move; Seoul no longer does, nor moves it back.
    page = busan.get(f"/registry/companies/{mine.pk}/").content.decode()
    assert "소재지 변경 이력" in page and MOVE_REASON in page
    assert seoul.post(_url(mine), move).status_code == 404
    # The manager still sees the company, not the staff's reasons.
    assert MOVE_REASON not in manager.get(f"/registry/companies/{mine.pk}/").content.decode()


def test_the_operator_moves_any_company(regions, admin, login_as):
    gyeonggi = factories.CompanyFactory(region=regions["gyeonggi"])
    response = login_as(admin).post(
        _url(gyeonggi), {"region": regions["busan"].pk, "reason": MOVE_REASON}
    )
    assert response.status_code == 302
    gyeonggi.refresh_from_db()
    assert gyeonggi.region == regions["busan"]
    assert CompanyRegionChange.objects.get().actor == admin


def test_the_trail_is_append_only(regions, mine, seoul_staff, login_as):
    login_as(seoul_staff).post(_url(mine), {"region": regions["busan"].pk, "reason": MOVE_REASON})
    change = CompanyRegionChange.objects.get()
    for write in (
        lambda: CompanyRegionChange.objects.filter(pk=change.pk).update(reason="고침"),
        lambda: CompanyRegionChange.objects.filter(pk=change.pk).delete(),
    ):
        with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
            write()


def test_the_company_s_profile_form_ignores_a_posted_region_after_a_move(
    regions, mine, company, seoul_staff, login_as
):
    """Moved to Busan by staff, the company posts Seoul back on an application: it stays."""
    login_as(seoul_staff).post(_url(mine), {"region": regions["busan"].pk, "reason": MOVE_REASON})
    call = factories.call(programme=regions["programme"])
    profile = {
        "name": mine.name,
        "business_number": mine.business_number,
        "representative": mine.representative,
        "kind": mine.kind,
        "size": mine.size,
        "industry": mine.industry,
        "region": regions["seoul"].pk,
        "address": mine.address,
        "employees": mine.employees,
        "phone": mine.phone,
    }
    form = {f"profile-{name}": value for name, value in profile.items()} | {
        "answers-motivation": "역량",
        "answers-internship_plan": "계획",
        "answers-interns_wanted": "2",
        "answers-hiring_plan": "채용",
        "answers-consent": "on",
    }
    client = login_as(company, Client())
    assert client.post(f"/calls/{call.pk}/apply/", form).status_code == 302
    mine.refresh_from_db()
    application = Application.objects.get(call=call, company=mine)
    assert mine.region == regions["busan"] and application.region == regions["busan"]
    assert CompanyRegionChange.objects.count() == 1
