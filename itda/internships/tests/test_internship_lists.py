"""The internship lists: the operating group's list is paged, filtered by state and takes the
same queries for 3 or 60 internships; the company's "우리 회사 인턴" shows its own interns, what it
must accept, the mentor and the way to each agreement — to its managers only."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.accounts.roles import Role
from itda.internships import agreements
from itda.internships.models import Internship
from itda.internships.tests.conftest import more_internships, propose
from itda.internships.tests.ojt_world import AUG, log

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- the operating group's list ------------------------------------------------------------------


def test_the_group_list_takes_the_same_queries_for_3_or_60(
    setup, login_as, seoul_staff, company, admin, regions
):
    propose(setup, seoul_staff)
    more_internships(setup, seoul_staff, company, admin, regions, 2, mentor=setup["mentor"])
    client = login_as(seoul_staff, Client())
    few = _queries(client, "/internships/")
    more_internships(setup, seoul_staff, company, admin, regions, 57)
    assert Internship.objects.count() == 60
    many = _queries(client, "/internships/")
    assert many == few
    # The last page too: a page of 10 costs what a page of 50 does.
    assert _queries(client, "/internships/?page=2") == few


def _standing(html: str, internship) -> str:
    """The 할 일 cell of one row, as text."""
    cell = html[html.index(f'data-standing="{internship.pk}"') :]
    text = re.sub(r"<[^>]+>", " ", cell[cell.index(">") + 1 : cell.index("</td>")])
    return " ".join(text.split())


def test_the_group_list_counts_what_is_due_in_the_same_queries_for_2_or_55(
    ojt_internship, clock, setup, login_as, trainee, seoul_staff, company, admin, regions
):
    """On the real clock (after 2026-11-05) every month of an 08-03~10-31 OJT internship is
    overdue: three logs and three mentor reports, less what was handed in (waiting for
    review). A proposed agreement has no reports yet."""
    log(ojt_internship, AUG, trainee)  # handed in: staff to review it
    (other,) = more_internships(setup, seoul_staff, company, admin, regions, 1)
    # The list reads each internship's state; an agreed one reports monthly.
    Internship.objects.filter(pk=other.pk).update(state="active")
    client = login_as(seoul_staff, Client())
    few = _queries(client, "/internships/")
    page = client.get("/internships/").content.decode()
    assert _standing(page, ojt_internship) == "마감 지남 5 검토 대기 1"
    assert _standing(page, other) == "마감 지남 6"

    more = more_internships(setup, seoul_staff, company, admin, regions, 53)
    Internship.objects.filter(pk__in=[i.pk for i in more[:50]]).update(state="active")
    assert Internship.objects.count() == 55
    assert _queries(client, "/internships/") == few
    page = client.get("/internships/").content.decode()
    assert _standing(page, ojt_internship) == "마감 지남 5 검토 대기 1"
    assert _standing(page, other) == "마감 지남 6"
    assert _standing(page, more[0]) == "마감 지남 6"
    assert page.count("마감 지남 6") == 49  # the page's 50 rows: all but ojt_internship
    # Page 2 (5 rows) takes the same queries; the proposed ones have nothing due.
    assert _queries(client, "/internships/?page=2") == few
    assert _standing(client.get("/internships/?page=2").content.decode(), more[-1]) == "-"
    # The state filter is kept from page to page.
    active = client.get("/internships/?state=active").content.decode()
    assert "전체 52건 중 1–50건" in active
    assert 'href="?state=active&amp;page=2"' in active


def test_the_group_list_is_paged_and_logs_the_page_shown(
    setup, login_as, seoul_staff, company, admin, regions
):
    made = [propose(setup, seoul_staff)]
    made += more_internships(setup, seoul_staff, company, admin, regions, 54)
    client = login_as(seoul_staff, Client())
    PersonalDataAccess.objects.all().delete()
    page = client.get("/internships/?page=2").content.decode()
    assert "볼 수 있는 인턴십 55건" in page
    assert "전체 55건 중 51–55건 (2/2쪽)" in page
    rows = Internship.objects.order_by("starts_on", "pk").values_list("pk", flat=True)
    shown = PersonalDataAccess.objects.get(subject_type="internships.internship")
    assert (shown.action, shown.subject_ids) == ("list", sorted(rows[50:]))
    # The intern's name is masked in the list.
    trainee = made[-1].placement.trainee
    assert trainee.name not in page


def test_the_group_list_filters_by_state(setup, login_as, seoul_staff, company, admin, regions):
    kept = propose(setup, seoul_staff)
    (gone,) = more_internships(setup, seoul_staff, company, admin, regions, 1)
    agreements.internship_cancel(internship=gone, reason="중복 제안", actor=seoul_staff)
    client = login_as(seoul_staff, Client())

    def listed(query):
        html = client.get("/internships/" + query).content.decode()
        return {i.pk for i in (kept, gone) if f"/internships/{i.pk}/" in html}

    assert listed("") == {kept.pk, gone.pk}
    assert listed("?state=cancelled") == {gone.pk}
    assert listed("?state=proposed") == {kept.pk}
    assert listed("?state=nonsense") == {kept.pk, gone.pk}  # an unknown state: no filter
    empty = client.get("/internships/?state=active").content.decode()
    assert "이 상태의 인턴십이 없습니다." in empty


def test_the_group_list_finds_an_intern_by_name_and_phone(
    setup, login_as, seoul_staff, company, admin, regions
):
    kept = propose(setup, seoul_staff)
    (other,) = more_internships(setup, seoul_staff, company, admin, regions, 1)
    trainee = kept.placement.trainee
    client = login_as(seoul_staff, Client())

    def listed(q):
        html = client.get("/internships/", {"q": q}).content.decode()
        return {i.pk for i in (kept, other) if f"/internships/{i.pk}/" in html}

    assert other.placement.trainee.phone != trainee.phone
    assert listed(trainee.name) == {kept.pk}
    digits = "".join(ch for ch in trainee.phone if ch.isdigit())
    assert listed(digits) == {kept.pk}
    assert listed(f"{digits[3:7]}-{digits[7:]}") == {kept.pk}


def test_another_groups_staff_see_none_of_them(setup, login_as, seoul_staff, busan_staff):
    internship = propose(setup, seoul_staff)
    html = login_as(busan_staff, Client()).get("/internships/").content.decode()
    assert "인턴십이 없습니다." in html
    assert f"/internships/{internship.pk}/" not in html


# --- 우리 회사 인턴 ----------------------------------------------------------------------


def test_the_company_sees_its_interns_what_to_accept_and_the_mentor(
    setup, login_as, seoul_staff, company, admin, regions, trainee
):
    with_mentor = propose(setup, seoul_staff)
    (without_mentor,) = more_internships(setup, seoul_staff, company, admin, regions, 1)
    client = login_as(company, Client())
    html = client.get("/company/interns/").content.decode()
    to_accept = html[html.index('data-testid="to-accept"') : html.index('id="all-interns"')]
    assert "우리 회사가 수락할 협약 2건" in to_accept
    assert "멘토 김멘토" in to_accept
    assert "멘토를 먼저 정해야 수락할 수 있습니다" in to_accept
    for internship in (with_mentor, without_mentor):
        assert f'href="/internships/{internship.pk}/"' in to_accept
    assert "김멘토 (생산팀장)" in html
    assert trainee.trainee.name not in html  # masked

    agreements.internship_accept(internship=with_mentor, version=1, actor=company)
    html = client.get("/company/interns/").content.decode()
    assert "우리 회사가 수락할 협약 1건" in html
    row = html[html.index(f'data-internship="{with_mentor.pk}"') :]
    assert "수락함" in row[: row.index("</tr>")]
    row = html[html.index(f'data-internship="{without_mentor.pk}"') :]
    assert "수락 필요" in row[: row.index("</tr>")]


def test_a_changed_version_needs_the_company_again(setup, login_as, seoul_staff, company):
    internship = propose(setup, seoul_staff)
    agreements.internship_accept(internship=internship, version=1, actor=company)
    client = login_as(company, Client())
    assert "지금 수락할 협약이 없습니다." in client.get("/company/interns/").content.decode()
    agreements.internship_terms_change(
        internship=internship, workplace="서울 금천구 가산로 9", actor=seoul_staff
    )
    assert "우리 회사가 수락할 협약 1건" in client.get("/company/interns/").content.decode()


def test_placements_without_an_agreement_are_shown_as_waiting(setup, login_as, company):
    client = login_as(company, Client())
    html = client.get("/company/interns/").content.decode()
    assert "협약 제안을 기다리는 배정 1건" in html
    assert setup["position"].title in html
    assert "아직 우리 회사 인턴십이 없습니다." in html


def test_another_companys_manager_sees_none_of_it(setup, login_as, seoul_staff, regions):
    internship = propose(setup, seoul_staff)
    other = factories.user(username="other_company", role=Role.COMPANY)
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other)
    html = login_as(other, Client()).get("/company/interns/").content.decode()
    assert "지금 수락할 협약이 없습니다." in html and "아직 우리 회사 인턴십이 없습니다." in html
    assert f"/internships/{internship.pk}/" not in html
    assert setup["position"].title not in html


@pytest.mark.parametrize("who", ["seoul_staff", "trainee", "viewer", "evaluator"])
def test_only_company_managers_open_it(setup, login_as, cast, who):
    assert login_as(cast[who], Client()).get("/company/interns/").status_code == 403


def test_a_mentor_does_not_open_it(setup, seoul_staff):
    propose(setup, seoul_staff)
    client = Client()
    client.force_login(setup["mentor"].user)
    assert client.get("/company/interns/").status_code == 403


def test_the_company_page_takes_the_same_queries_for_2_or_12(
    setup, login_as, seoul_staff, company, admin, regions
):
    propose(setup, seoul_staff)
    more_internships(setup, seoul_staff, company, admin, regions, 1)
    client = login_as(company, Client())
    few = _queries(client, "/company/interns/")
    more_internships(setup, seoul_staff, company, admin, regions, 10)
    assert _queries(client, "/company/interns/") == few


def test_the_company_nav_leads_to_its_interns(login_as, company):
    html = login_as(company, Client()).get("/company/").content.decode()
    assert 'href="/company/interns/"' in html and "우리 회사 인턴" in html
