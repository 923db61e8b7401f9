"""The agreement pages: staff propose, the company names a mentor, all three accept in the app;
strangers get 404; mentors get a one-time password; the operator opens waves."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.internships.models import Internship, Mentor, StartWave
from itda.internships.tests.conftest import make_position, place, propose

pytestmark = pytest.mark.django_db


def _accept(client, internship):
    return client.post(
        f"/internships/{internship.pk}/accept/", {"version": internship.terms_version}
    )


def test_the_agreement_is_proposed_and_accepted_through_the_pages(
    setup, login_as, seoul_staff, company, trainee
):
    staff = login_as(seoul_staff, Client())
    placement = setup["placement"]
    assert "협약 제안" in staff.get("/internships/placements/").content.decode()
    form = {"starts_on": "2026-08-03", "ends_on": "2026-10-31", "workplace": ""}
    response = staff.post(
        f"/internships/placements/{placement.pk}/propose/",
        form | {"days_per_week": 5, "hours_per_week": 40},
    )
    internship = Internship.objects.get()
    assert response.status_code == 302
    assert internship.mentor is None

    firm = login_as(company, Client())
    page = firm.get(f"/internships/{internship.pk}/").content.decode()
    assert "7. 멘토: 미정" in page
    firm.post(f"/internships/{internship.pk}/mentor/", {"mentor": setup["mentor"].pk})
    internship.refresh_from_db()
    assert (internship.mentor, internship.terms_version) == (setup["mentor"], 2)
    _accept(firm, internship)

    intern = login_as(trainee, Client())
    page = intern.get("/me/internship/").content.decode()
    assert "멘토: 김멘토 (생산팀장)" in page and "버전 2" in page
    _accept(intern, internship)
    _accept(staff, internship)
    internship.refresh_from_db()
    assert internship.state == "active"
    assert "협약 체결" in intern.get("/me/internship/").content.decode()


def test_a_stale_version_is_not_accepted_from_the_page(setup, login_as, seoul_staff, company):
    internship = propose(setup, seoul_staff)
    firm = login_as(company, Client())
    response = firm.post(f"/internships/{internship.pk}/accept/", {"version": 7}, follow=True)
    assert "협약 내용이 바뀌었습니다" in response.content.decode()
    assert not internship.acceptances.exists()


def test_the_intern_declines_with_a_reason_on_the_page(setup, login_as, seoul_staff, trainee):
    internship = propose(setup, seoul_staff)
    intern = login_as(trainee, Client())
    intern.post(f"/internships/{internship.pk}/decline/", {"reason": "다른 기업에 취업"})
    internship.refresh_from_db()
    assert internship.state == "declined"
    assert internship.placement.state == "cancelled"


def test_another_region_and_another_company_get_404(setup, login_as, seoul_staff, busan_staff):
    internship = propose(setup, seoul_staff)
    other = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=setup["position"].region).managers.add(other)
    pk, placement = internship.pk, setup["placement"].pk
    clients = {user: login_as(user, Client()) for user in (busan_staff, other)}
    for user, client in clients.items():
        for url in (f"/internships/{pk}/",):
            assert client.get(url).status_code == 404, (user, url)
        for action in ("accept", "decline", "cancel", "mentor"):
            url = f"/internships/{pk}/{action}/"
            assert client.post(url, {"version": 1, "reason": "남의 것"}).status_code == 404
        assert "설비 운영 인턴" not in client.get("/internships/").content.decode()
    staff = clients[busan_staff]
    assert staff.get(f"/internships/{pk}/terms/").status_code == 404
    assert staff.get(f"/internships/placements/{placement}/propose/").status_code == 404
    internship.refresh_from_db()
    assert (internship.state, internship.acceptances.count()) == ("proposed", 0)


def test_the_list_takes_the_same_queries_for_one_or_many(
    setup, login_as, seoul_staff, company, admin, regions
):
    propose(setup, seoul_staff)
    client = login_as(seoul_staff, Client())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/internships/").status_code == 200
        return len(queries)

    one = count()
    for i in range(3):
        person = factories.TraineeFactory(region=regions["seoul"])
        position = make_position(company, regions["seoul"], regions["track"], title=f"추가 {i}")
        extra = place(person, position, group=regions["capital_group"], actor=admin)
        propose(setup | {"placement": extra}, seoul_staff, mentor=None)
    assert count() == one


def test_a_manager_names_a_mentor_whose_password_is_shown_once(login_as, company, setup):
    client = login_as(company, Client())
    response = client.post(
        "/company/mentors/", {"username": "mentor_kim", "name": "김도움", "title": "과장"}
    )
    page = response.content.decode()
    mentor = Mentor.objects.get(user__username="mentor_kim")
    assert mentor.user.role == "mentor" and mentor.company == setup["position"].company
    password = page.split("처음 비밀번호 <strong><code>")[1].split("</code>")[0]
    assert mentor.user.check_password(password)
    assert password not in client.get("/company/mentors/").content.decode()
    # The mentor sees the company's internships, never manages mentors.
    mentor_client = Client()
    mentor_client.force_login(mentor.user)
    assert mentor_client.get("/internships/").status_code == 200
    assert mentor_client.get("/company/mentors/").status_code == 403


def test_the_operator_opens_a_wave_and_sets_the_ceiling(login_as, admin, seoul_staff, regions):
    client = login_as(admin, Client())
    client.post(
        "/internships/waves/",
        {
            "programme": regions["programme"].pk,
            "label": "2026년 8월 2차",
            "first_start": "2026-08-17",
            "last_start": "2026-08-28",
        },
    )
    wave = StartWave.objects.get()
    assert (wave.first_start, wave.last_start) == (
        datetime.date(2026, 8, 17),
        datetime.date(2026, 8, 28),
    )
    client.post(f"/internships/programmes/{regions['programme'].pk}/mentor-max/", {"ceiling": 5})
    regions["programme"].refresh_from_db()
    assert regions["programme"].mentor_interns_max == 5
    staff = login_as(seoul_staff, Client())
    assert staff.get("/internships/waves/").status_code == 403
    assert (
        staff.post(
            f"/internships/programmes/{regions['programme'].pk}/mentor-max/", {"ceiling": 9}
        ).status_code
        == 403
    )
