"""The agreement (협약): proposed by the group, accepted by company, intern and group, or
declined; terms inside the wave, the programme period and the person's months; mentors capped."""

import datetime
import hashlib

import pytest

from itda import factories
from itda.internships import agreements
from itda.internships.agreements import AgreementError
from itda.internships.models import (
    Internship,
    InternshipAcceptance,
    InternshipTransition,
    Placement,
    StartWave,
)
from itda.internships.tests.conftest import WAVE_FIRST, make_position, place, propose
from itda.programs.models import Programme, Trainee

pytestmark = pytest.mark.django_db


def _accept_all(internship, *people):
    for person in people:
        agreements.internship_accept(
            internship=internship, version=internship.terms_version, actor=person
        )
        internship.refresh_from_db()
    return internship


def test_three_acceptances_make_the_internship_active(setup, seoul_staff, company, trainee):
    internship = propose(setup, seoul_staff)
    assert internship.workplace == "서울 구로구 디지털로 1"  # the position's site by default
    assert (internship.payee, internship.monthly_amount_krw) == ("intern", 2_000_000)
    assert internship.wave.label == "2026년 8월 1차"
    _accept_all(internship, company, trainee)
    assert internship.state == "proposed"  # two of three
    _accept_all(internship, seoul_staff)
    assert internship.state == "active"
    assert Placement.objects.get(pk=setup["placement"].pk).state == "started"
    text = agreements.agreement_text(internship)
    rows = InternshipAcceptance.objects.filter(internship=internship)
    assert sorted(rows.values_list("party", flat=True)) == ["company", "group", "intern"]
    assert {r.text_sha256 for r in rows} == {hashlib.sha256(text.encode()).hexdigest()}
    assert {r.text_version for r in rows} == {agreements.agreement_version(internship)}
    trail = list(InternshipTransition.objects.values_list("old", "new", "actor__username"))
    assert trail == [("", "proposed", "seoul_staff"), ("proposed", "active", "seoul_staff")]


def test_a_change_after_one_acceptance_resets_the_acceptances(setup, seoul_staff, company, trainee):
    internship = propose(setup, seoul_staff)
    _accept_all(internship, company, trainee)
    agreements.internship_terms_change(
        internship=internship, actor=seoul_staff, ends_on=datetime.date(2026, 10, 30)
    )
    internship.refresh_from_db()
    assert internship.terms_version == 2
    assert agreements.current_acceptances(internship) == {}
    # The old version's text is no longer what anyone may accept.
    with pytest.raises(AgreementError, match="협약 내용이 바뀌었습니다"):
        agreements.internship_accept(internship=internship, version=1, actor=seoul_staff)
    _accept_all(internship, seoul_staff)
    assert internship.state == "proposed"  # company and intern must accept version 2
    _accept_all(internship, company, trainee)
    assert internship.state == "active"
    assert InternshipAcceptance.objects.filter(internship=internship).count() == 5
    change = InternshipTransition.objects.get(internship=internship, old="proposed", new="proposed")
    assert "버전 1 → 2" in change.note


def test_a_decline_records_the_reason_and_cancels_the_placement(setup, seoul_staff, trainee):
    internship = propose(setup, seoul_staff)
    agreements.internship_decline(internship=internship, reason="타 기업 취업", actor=trainee)
    internship.refresh_from_db()
    assert internship.state == "declined"
    assert Placement.objects.get(pk=setup["placement"].pk).state == "cancelled"
    event = InternshipTransition.objects.get(new="declined")
    assert (event.old, event.note, event.actor) == ("proposed", "인턴 거절: 타 기업 취업", trainee)


def test_illegal_transitions_are_refused_and_change_nothing(setup, seoul_staff, company, trainee):
    internship = _accept_all(propose(setup, seoul_staff), company, trainee, seoul_staff)
    events = InternshipTransition.objects.count()
    with pytest.raises(AgreementError, match="'협약 체결' 상태의 인턴십은 거절로 바꿀 수 없습니다"):
        agreements.internship_decline(internship=internship, reason="변심", actor=company)
    with pytest.raises(AgreementError, match="수락할 수 없습니다"):
        agreements.internship_accept(internship=internship, version=1, actor=trainee)
    with pytest.raises(AgreementError, match="조건을 바꿀 수 없습니다"):
        agreements.internship_terms_change(
            internship=internship, actor=seoul_staff, hours_per_week=30
        )
    # Staff may cancel a proposal, never decline for a party.
    with pytest.raises(AgreementError, match="바꿀 수 없습니다"):
        agreements.internship_cancel(internship=internship, reason="오류", actor=seoul_staff)
    internship.refresh_from_db()
    assert (internship.state, internship.terms_version) == ("active", 1)
    assert InternshipTransition.objects.count() == events
    assert Placement.objects.get(pk=setup["placement"].pk).state == "started"


def test_a_party_outside_the_agreement_cannot_act(setup, seoul_staff, busan_staff, regions):
    internship = propose(setup, seoul_staff)
    other_company = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_company)
    for stranger in (busan_staff, other_company):
        with pytest.raises(AgreementError, match="당사자가 아닙니다"):
            agreements.internship_accept(internship=internship, version=1, actor=stranger)
    with pytest.raises(AgreementError, match="바꿀 수 없습니다"):
        agreements.internship_decline(internship=internship, reason="남의 것", actor=other_company)
    assert not InternshipAcceptance.objects.exists()


def test_three_months_hold_across_two_internships(
    setup, seoul_staff, company, trainee, admin, regions
):
    first = propose(setup, seoul_staff, ends_on=datetime.date(2026, 8, 31))  # 29 days
    _accept_all(first, company, trainee, seoul_staff)
    # The first internship ended (the ending flow comes later); the person is placed again.
    Placement.objects.filter(pk=setup["placement"].pk).update(state="ended")
    StartWave.objects.create(
        programme=regions["programme"],
        label="2026년 9월",
        first_start=datetime.date(2026, 9, 1),
        last_start=datetime.date(2026, 9, 30),
        created_by=admin,
    )
    second_position = make_position(company, regions["seoul"], regions["track"], title="두 번째")
    again = place(
        Trainee.objects.get(user=trainee),
        second_position,
        group=regions["capital_group"],
        actor=admin,
    )
    # 29 + 9/1..11/3 (64 days) = 93 > 8/3 + 3 months (92 days).
    with pytest.raises(AgreementError) as refused:
        propose(
            setup | {"placement": again},
            seoul_staff,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 11, 3),
        )
    message = " ".join(refused.value.messages)
    assert "1인당 3개월 이내" in message
    assert "설비 운영 인턴(2026-08-03~2026-08-31, 협약 체결) 29일" in message
    assert "93일로 3개월(92일)" in message
    ok = propose(
        setup | {"placement": again},
        seoul_staff,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 2),
    )
    assert ok.state == "proposed"


def test_one_internship_longer_than_three_months_is_refused(setup, seoul_staff):
    with pytest.raises(AgreementError, match=r"이 인턴십은 93일로 3개월\(92일\)을 넘습니다"):
        propose(setup, seoul_staff, ends_on=datetime.date(2026, 11, 3))
    assert not Internship.objects.exists()


def test_dates_outside_the_programme_period_are_refused(setup, seoul_staff, regions):
    Programme.objects.filter(pk=regions["programme"].pk).update(ends_on=datetime.date(2026, 9, 30))
    with pytest.raises(AgreementError, match=r"사업기간\(2026-05-20~2026-09-30\) 안에"):
        propose(setup, seoul_staff)
    assert not Internship.objects.exists()


def test_a_start_outside_an_open_wave_is_refused(setup, seoul_staff):
    with pytest.raises(AgreementError, match="열린 차수: 2026년 8월 1차"):
        propose(setup, seoul_staff, starts_on=datetime.date(2026, 8, 17))
    assert not Internship.objects.exists()


def test_a_mentor_beyond_the_ceiling_is_refused(setup, seoul_staff, company, admin, regions):
    agreements.mentor_ceiling_set(programme=regions["programme"], ceiling=1, actor=admin)
    propose(setup, seoul_staff)
    other = factories.TraineeFactory(region=regions["seoul"])
    position = make_position(company, regions["seoul"], regions["track"], title="두 번째")
    second = place(other, position, group=regions["capital_group"], actor=admin)
    with pytest.raises(AgreementError, match=r"이미 인턴 1명을 맡고 있어.*최대 1명"):
        propose(setup | {"placement": second}, seoul_staff)
    # Without a mentor the proposal stands; the company names another one.
    internship = propose(setup | {"placement": second}, seoul_staff, mentor=None)
    with pytest.raises(AgreementError, match="멘토를 정한 뒤에"):
        agreements.internship_accept(internship=internship, version=1, actor=company)
    with pytest.raises(AgreementError, match="최대 1명"):
        agreements.internship_terms_change(
            internship=internship, actor=company, mentor=setup["mentor"]
        )
    mentor2, _ = agreements.mentor_create(
        company=position.company, username="mentor2", name="이멘토", actor=company
    )
    agreements.internship_terms_change(internship=internship, actor=company, mentor=mentor2)
    internship.refresh_from_db()
    assert (internship.mentor, internship.terms_version) == (mentor2, 2)


def test_only_the_operator_opens_waves_and_sets_the_ceiling(seoul_staff, regions):
    with pytest.raises(AgreementError, match="전담기관 운영자만"):
        agreements.start_wave_create(
            programme=regions["programme"],
            label="8월",
            first_start=WAVE_FIRST,
            last_start=WAVE_FIRST,
            actor=seoul_staff,
        )
    with pytest.raises(AgreementError, match="전담기관 운영자만"):
        agreements.mentor_ceiling_set(programme=regions["programme"], ceiling=5, actor=seoul_staff)


def test_a_mentor_account_is_scoped_to_its_company(setup, seoul_staff, regions):
    internship = propose(setup, seoul_staff)
    mentor_user = setup["mentor"].user
    assert mentor_user.role == "mentor"
    assert list(Internship.objects.visible_to(mentor_user)) == [internship]
    other_company = factories.CompanyFactory(region=regions["seoul"])
    stranger, _ = agreements.mentor_create(
        company=other_company,
        username="stranger",
        name="박멘토",
        actor=other_company.managers.create(username="mgr", role="company"),
    )
    assert not Internship.objects.visible_to(stranger.user).exists()
    with pytest.raises(AgreementError, match="당사자가 아닙니다"):
        agreements.internship_accept(internship=internship, version=1, actor=mentor_user)


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_leave_one_consistent_state(setup, seoul_staff, company, trainee):
    internship = propose(setup, seoul_staff)
    people = [company, trainee, seoul_staff, company, trainee, seoul_staff]

    def accept(i):
        return agreements.internship_accept(internship=internship, version=1, actor=people[i])

    outcomes = factories.in_threads(len(people), accept)
    assert sum(isinstance(o, Internship) for o in outcomes) == 3, outcomes
    assert all(isinstance(o, (Internship, AgreementError)) for o in outcomes), outcomes
    internship.refresh_from_db()
    assert internship.state == "active"
    assert InternshipAcceptance.objects.filter(internship=internship).count() == 3
    assert InternshipTransition.objects.filter(internship=internship, new="active").count() == 1
    assert Placement.objects.get(pk=setup["placement"].pk).state == "started"
