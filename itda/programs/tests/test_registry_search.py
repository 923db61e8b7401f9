"""Searching the registries: by name, phone (any way it is typed), BRN, region and status, only
inside the user's scope, masked, paginated and logged like any list."""

import pytest

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.lib.search import typed_number
from itda.programs.models import CompanyKind, EmploymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(regions):
    return {
        "hong": factories.TraineeFactory(
            name="홍길동", phone="010-1234-5678", region=regions["seoul"]
        ),
        "kim": factories.TraineeFactory(
            name="김영희", phone="01098765432", region=regions["seoul"]
        ),
        "lee": factories.TraineeFactory(
            name="이순신", phone="010-2222-3333", region=regions["gyeonggi"]
        ),
        "busan": factories.TraineeFactory(
            name="부산사람", phone="010-4444-5555", region=regions["busan"]
        ),
    }


def _shown(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("typed", ["010-1234-5678", "01012345678", "1234-5678", "+82 10-1234-5678"])
def test_a_trainee_is_found_by_the_phone_number_however_it_is_typed(
    client, login_as, admin, people, typed
):
    login_as(admin)
    html = _shown(client, "/registry/trainees/", q=typed)
    assert "홍*동" in html and "010-****-5678" in html
    assert "김*희" not in html and "이*신" not in html
    assert "1234-5678" not in html.replace(typed, "")  # the full number never shows


def test_a_number_stored_without_hyphens_is_found_with_them(client, login_as, admin, people):
    login_as(admin)
    html = _shown(client, "/registry/trainees/", q="010-9876-5432")
    assert "김*희" in html and "홍*동" not in html


def test_trainees_are_found_by_name_region_and_status(client, login_as, admin, people, regions):
    login_as(admin)
    html = _shown(client, "/registry/trainees/", q="순신")
    assert "이*신" in html and "홍*동" not in html
    html = _shown(client, "/registry/trainees/", region="41")
    assert "이*신" in html and "홍*동" not in html and "부**람" not in html
    employer = factories.CompanyFactory(region=regions["seoul"])
    factories.TraineeFactory(
        name="박재직",
        region=regions["seoul"],
        employment_status=EmploymentStatus.EMPLOYEE,
        employer=employer,
        bank_account="",
    )
    html = _shown(client, "/registry/trainees/", status="employee")
    assert "박*직" in html and "홍*동" not in html


def test_group_staff_never_find_another_region_s_trainee(client, login_as, busan_staff, people):
    login_as(busan_staff)
    assert "부**람" in _shown(client, "/registry/trainees/", q="4444-5555")
    for typed in ("010-1234-5678", "홍길동", "5678"):
        html = _shown(client, "/registry/trainees/", q=typed)
        assert "홍*동" not in html and "조건에 맞는 교육생이 없습니다" in html
    html = _shown(client, "/registry/trainees/", region="11")
    assert "홍*동" not in html and "김*희" not in html


def test_a_search_is_logged_as_a_list_of_what_was_shown(client, login_as, admin, people):
    login_as(admin)
    _shown(client, "/registry/trainees/", q="1234-5678")
    row = PersonalDataAccess.objects.filter(subject_type="programs.trainee").latest("at")
    assert row.action == "list" and row.subject_ids == [people["hong"].pk]
    # The search itself is part of what was done: the log shows who looked for which number.
    assert row.path == "/registry/trainees/?q=1234-5678"


def test_search_results_are_paginated_and_pages_keep_the_search(client, login_as, admin, regions):
    factories.TraineeFactory.create_batch(55, name="반복이름", region=regions["seoul"])
    factories.TraineeFactory(name="다른사람", region=regions["seoul"])
    login_as(admin)
    html = _shown(client, "/registry/trainees/", q="반복")
    assert "볼 수 있는 교육생 55명" in html and "다*람" not in html
    assert "?q=%EB%B0%98%EB%B3%B5&amp;page=2" in html
    assert html.count("반**름") == 50
    assert _shown(client, "/registry/trainees/", q="반복", page=2).count("반**름") == 5


def test_companies_are_found_by_name_brn_region_and_kind(client, login_as, seoul_staff, regions):
    own = factories.CompanyFactory(
        name="잇다정밀", business_number="1208212345", region=regions["seoul"]
    )
    factories.CompanyFactory(
        name="다른기업", region=regions["gyeonggi"], kind=CompanyKind.AI_SUPPLIER
    )
    busan = factories.CompanyFactory(
        name="부산정밀", business_number="1208254321", region=regions["busan"]
    )
    login_as(seoul_staff)
    for typed in ("120-82-12345", "1208212345", "12345"):
        html = _shown(client, "/registry/companies/", q=typed)
        assert own.name in html and "다른기업" not in html
    assert "다른기업" in _shown(client, "/registry/companies/", q="다른")
    html = _shown(client, "/registry/companies/", region="41")
    assert "다른기업" in html and own.name not in html
    html = _shown(client, "/registry/companies/", status=CompanyKind.AI_SUPPLIER)
    assert "다른기업" in html and own.name not in html
    assert busan.name not in _shown(client, "/registry/companies/", q="120-82-54321")


def test_an_unknown_region_is_a_korean_error_and_filters_nothing(client, login_as, admin, people):
    login_as(admin)
    html = _shown(client, "/registry/trainees/", region="99")
    assert "시·도를 목록에서 고르세요." in html and "홍*동" in html


def test_only_number_like_input_of_four_digits_or_more_is_a_number():
    assert typed_number("010-1234-5678") == "01012345678"
    assert typed_number(" 5678 ") == "5678"
    assert typed_number("567") == ""
    assert typed_number("홍길동 5678") == ""
