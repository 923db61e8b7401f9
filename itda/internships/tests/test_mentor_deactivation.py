"""A mentor who left: the company manager deactivates the account (with a reason, an event row
on each internship in force), its interns show "멘토 없음 — 지정 필요", the manager may then write
the mentor report, and a new mentor named to an active internship respects the operator's
ceiling. Another company's manager gets 404."""

import pytest
from django.test import Client

from itda import factories
from itda.accounts.roles import Role
from itda.internships import agreements, ojt
from itda.internships.agreements import AgreementError
from itda.internships.models import InternshipTransition
from itda.internships.tests.conftest import more_internships
from itda.programs.models import Programme

pytestmark = pytest.mark.django_db


def test_the_manager_deactivates_a_mentor_and_writes_the_report_instead(
    ojt_internship, setup, company, login_as, seoul_staff
):
    mentor = setup["mentor"]
    assert not ojt.may_write(ojt_internship, "mentor", company)
    firm = login_as(company, Client())
    response = firm.post(
        f"/company/mentors/{mentor.pk}/deactivate/", {"reason": "퇴사"}, follow=True
    )
    assert "멘토 계정을 비활성화했습니다" in response.content.decode()
    mentor.user.refresh_from_db()
    assert not mentor.user.is_active
    note = InternshipTransition.objects.filter(internship=ojt_internship).last().note
    assert note == "멘토 계정 비활성화(김멘토): 퇴사"
    ojt_internship.refresh_from_db()
    assert ojt.may_write(ojt_internship, "mentor", company)
    assert (
        "멘토 없음 — 지정 필요" in firm.get(f"/internships/{ojt_internship.pk}/").content.decode()
    )
    staff = login_as(seoul_staff, Client())
    assert "멘토 없음 — 지정 필요" in staff.get("/internships/").content.decode()
    # Twice is refused, and a deactivated mentor cannot be named again.
    with pytest.raises(AgreementError, match="이미 비활성화"):
        agreements.mentor_deactivate(mentor=mentor, reason="퇴사", actor=company)
    with pytest.raises(AgreementError, match="비활성화되어 지정할 수 없습니다"):
        agreements.internship_terms_change(internship=ojt_internship, actor=company, mentor=mentor)


def test_a_new_mentor_for_an_active_internship_respects_the_ceiling(
    ojt_internship, setup, company, admin, regions, seoul_staff
):
    Programme.objects.filter(pk=regions["programme"].pk).update(mentor_interns_max=1)
    agreements.mentor_deactivate(mentor=setup["mentor"], reason="퇴사", actor=company)
    busy, _ = agreements.mentor_create(
        company=setup["position"].company, username="mentor2", name="박멘토", actor=company
    )
    more_internships(setup, seoul_staff, company, admin, regions, 1, mentor=busy)
    ojt_internship.refresh_from_db()
    with pytest.raises(AgreementError, match="박멘토 멘토는 이미 인턴 1명을 맡고 있어"):
        agreements.internship_terms_change(internship=ojt_internship, actor=company, mentor=busy)
    ojt_internship.refresh_from_db()
    assert ojt_internship.mentor == setup["mentor"]
    free, _ = agreements.mentor_create(
        company=setup["position"].company, username="mentor3", name="최멘토", actor=company
    )
    agreements.internship_terms_change(internship=ojt_internship, actor=company, mentor=free)
    ojt_internship.refresh_from_db()
    assert (ojt_internship.mentor, ojt_internship.state, ojt_internship.terms_version) == (
        free,
        "active",
        1,
    )
    assert InternshipTransition.objects.filter(
        internship=ojt_internship, note="멘토 변경: 김멘토 → 최멘토"
    ).exists()
    assert ojt.may_write(ojt_internship, "mentor", free.user)
    assert not ojt.may_write(ojt_internship, "mentor", company)


def test_another_companys_manager_cannot_deactivate(setup, login_as, regions):
    other = factories.user(username="company_b", role=Role.COMPANY)
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other)
    response = login_as(other, Client()).post(
        f"/company/mentors/{setup['mentor'].pk}/deactivate/", {"reason": "퇴사"}
    )
    assert response.status_code == 404
    setup["mentor"].user.refresh_from_db()
    assert setup["mentor"].user.is_active
