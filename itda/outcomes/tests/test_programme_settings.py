"""The operator extends a programme's timeline and chooses who receives the monthly internship
money (issue 11 §1, §2): every change carries a reason and leaves a trail row, and a period that
would leave a cohort, a call or a round outside it is refused, naming it, with nothing changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from itda import factories
from itda.outcomes.services import programme_period_change
from itda.programs.models import (
    InternshipPayee,
    Programme,
    ProgrammeSetting,
    ProgrammeSettingChange,
)
from itda.programs.services import programme_payee_change
from itda.recruitment.models import Call

pytestmark = pytest.mark.django_db


def _url(programme) -> str:
    return reverse("outcomes:programme_settings", kwargs={"code": programme.code})


def test_the_operator_extends_the_period_and_the_change_is_recorded(regions, admin, login_as):
    programme = regions["programme"]
    client = login_as(admin, Client())
    response = client.post(
        _url(programme),
        {
            "form": "period",
            "period-starts_on": "2026-05-20",
            "period-ends_on": "2027-06-30",
            "period-reason": "국회 예산 이월로 사업기간 연장",
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.ends_on == datetime.date(2027, 6, 30)
    change = ProgrammeSettingChange.objects.get(programme=programme)
    assert (change.setting, change.old_value, change.new_value, change.actor) == (
        ProgrammeSetting.PERIOD,
        "2026-05-20~2026-12-31",
        "2026-05-20~2027-06-30",
        admin,
    )
    assert change.reason == "국회 예산 이월로 사업기간 연장"
    page = client.get(_url(programme)).content.decode()
    assert "국회 예산 이월로 사업기간 연장" in page and "2027-06-30" in page


def test_a_shortening_that_strands_a_cohort_is_refused_naming_it(regions, admin, login_as):
    programme = regions["programme"]
    factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 11, 2),
        ends_on=datetime.date(2026, 12, 18),
        number=3,
    )
    response = login_as(admin, Client()).post(
        _url(programme),
        {
            "form": "period",
            "period-starts_on": "2026-05-20",
            "period-ends_on": "2026-11-30",
            "period-reason": "예산 감액으로 사업기간 단축",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "새 사업기간(2026-05-20~2026-11-30) 밖에 남는 일정이 있어 바꿀 수 없습니다" in page
    assert "기수 「" in page and "3기」(2026-11-02~2026-12-18)" in page
    programme.refresh_from_db()
    assert programme.ends_on == datetime.date(2026, 12, 31)
    assert not ProgrammeSettingChange.objects.exists()


def test_call_windows_and_round_deadlines_hold_the_period_in_kst(regions, admin):
    programme = regions["programme"]
    kst = datetime.timezone(datetime.timedelta(hours=9))
    call = factories.call(programme=programme, title="기업 모집")
    Call.objects.filter(pk=call.pk).update(
        opens_at=datetime.datetime(2026, 6, 1, 9, tzinfo=kst),
        closes_at=datetime.datetime(2026, 6, 30, 23, 59, tzinfo=kst),
    )
    with pytest.raises(ValidationError, match="공모 「기업 모집」"):
        programme_period_change(
            programme=programme,
            starts_on=datetime.date(2026, 6, 2),
            ends_on=datetime.date(2026, 12, 31),
            reason="착수 지연",
            actor=admin,
        )
    # The call's last minute, 23:59 KST on the 30th, is still inside a period ending that day.
    programme_period_change(
        programme=programme,
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 6, 30),
        reason="착수 지연에 따른 조정",
        actor=admin,
    )
    assert Programme.objects.get(pk=programme.pk).starts_on == datetime.date(2026, 6, 1)


def test_only_the_operator_changes_settings(regions, seoul_staff, login_as):
    programme = regions["programme"]
    with pytest.raises(PermissionDenied):
        programme_period_change(
            programme=programme,
            starts_on=programme.starts_on,
            ends_on=datetime.date(2027, 12, 31),
            reason="연장 요청",
            actor=seoul_staff,
        )
    with pytest.raises(PermissionDenied):
        programme_payee_change(
            programme=programme,
            payee=InternshipPayee.COMPANY,
            reason="해석 변경",
            actor=seoul_staff,
        )
    assert login_as(seoul_staff, Client()).get(_url(programme)).status_code == 403
    assert not ProgrammeSettingChange.objects.exists()


def test_a_change_needs_a_reason(regions, admin, login_as):
    programme = regions["programme"]
    response = login_as(admin, Client()).post(
        _url(programme), {"form": "payee", "payee-payee": "company", "payee-reason": ""}
    )
    assert response.status_code == 400
    assert "변경 사유를 입력하세요." in response.content.decode()
    programme.refresh_from_db()
    assert programme.internship_allowance_payee == InternshipPayee.INTERN


def test_the_payee_change_is_recorded_and_shown_on_the_programme_page(regions, admin, login_as):
    programme = regions["programme"]
    programme.internship_allowance_monthly_krw, programme.internship_months_max = 2_000_000, 6
    programme.save()
    client = login_as(admin, Client())
    settings_page = client.get(_url(programme)).content.decode()
    # Both readings are offered.
    assert InternshipPayee.INTERN.label in settings_page
    assert InternshipPayee.COMPANY.label in settings_page
    response = client.post(
        _url(programme),
        {"form": "payee", "payee-payee": "company", "payee-reason": "운영지침 제5조 확인"},
    )
    assert response.status_code == 302
    change = ProgrammeSettingChange.objects.get(programme=programme)
    assert (change.setting, change.old_value, change.new_value) == (
        ProgrammeSetting.PAYEE,
        InternshipPayee.INTERN.label,
        InternshipPayee.COMPANY.label,
    )
    detail = client.get(
        reverse("programs:programme_detail", kwargs={"code": programme.code})
    ).content.decode()
    assert f"인턴십 월 지원금을 받는 쪽</dt><dd>{InternshipPayee.COMPANY.label}" in detail
    assert _url(programme) in detail
    # The same value again is no change and leaves no second row.
    with pytest.raises(ValidationError, match="지금과 같습니다"):
        programme_payee_change(
            programme=programme, payee=InternshipPayee.COMPANY, reason="재확인", actor=admin
        )
    assert ProgrammeSettingChange.objects.count() == 1


def test_the_trail_is_append_only(regions, admin):
    programme = programme_payee_change(
        programme=regions["programme"],
        payee=InternshipPayee.COMPANY,
        reason="운영지침 확인",
        actor=admin,
    )
    with pytest.raises(Exception, match="append_only"):
        ProgrammeSettingChange.objects.filter(programme=programme).update(reason="고침")
