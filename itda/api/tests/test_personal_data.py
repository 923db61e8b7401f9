"""Personal fields are masked in every registry response, full values need a logged reason,
and every list or detail leaves one 접속기록 row naming exactly the people returned."""

import pytest

from itda.accounts.models import PersonalDataAccess
from itda.api.tests.conftest import session_client, token_client
from itda.programs.models import Trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def hong(regions):
    from itda import factories

    return factories.TraineeFactory(
        region=regions["seoul"],
        name="홍길동",
        phone="010-1234-5678",
        email="hong@example.kr",
        address="서울특별시 강남구 테헤란로 123 4층",
        bank_account="110-999-123456",
    )


def _assert_masked(body_text: str, row: dict):
    for full in (
        "홍길동",
        "010-1234-5678",
        "01012345678",
        "hong@example.kr",
        "테헤란로",
        "110-999-123456",
        "110999123456",
        "2000-03-01",
    ):
        assert full not in body_text
    assert row["name"] == "홍*동"
    assert row["phone"] == "010-****-5678"
    assert row["email"] == "ho**@example.kr"
    assert row["birth_date"] == "2000-**-**"
    assert row["address"] == "서울특별시 강남구 ***"
    assert row["bank_account"] == "110-****-3456"


def test_the_list_masks_personal_fields(seoul_staff, hong):
    response = token_client(seoul_staff).get("/api/v1/trainees")
    assert response.status_code == 200
    row = next(r for r in response.json()["items"] if r["id"] == hong.pk)
    _assert_masked(response.content.decode(), row)


def test_the_detail_masks_personal_fields(seoul_staff, hong):
    response = session_client(seoul_staff).get(f"/api/v1/trainees/{hong.pk}")
    assert response.status_code == 200
    _assert_masked(response.content.decode(), response.json())
    assert response.json()["region"] == {"code": "11", "name": "서울특별시"}


def test_company_representative_is_masked(admin, regions):
    from itda import factories

    company = factories.CompanyFactory(region=regions["busan"], representative="김대표")
    response = token_client(admin).get(f"/api/v1/companies/{company.pk}")
    assert response.json()["representative"] == "김*표"
    assert "김대표" not in response.content.decode()


def test_registry_responses_are_not_cached(seoul_staff, hong):
    response = token_client(seoul_staff).get(f"/api/v1/trainees/{hong.pk}")
    assert "no-store" in response["Cache-Control"]


def test_a_list_logs_one_row_with_the_ids_on_the_page(seoul_staff, world):
    client = token_client(seoul_staff)
    body = client.get("/api/v1/trainees", {"page": 2, "page_size": 2}).json()
    row = PersonalDataAccess.objects.get()
    assert row.actor == seoul_staff
    assert row.action == "list"
    assert row.subject_type == "programs.trainee"
    assert row.subject_ids == sorted(item["id"] for item in body["items"])
    assert row.path == "/api/v1/trainees?page=2&page_size=2"


def test_a_detail_logs_one_view_row(seoul_staff, world):
    trainee = world["trainees"]["gyeonggi"][1]
    session_client(seoul_staff).get(f"/api/v1/trainees/{trainee.pk}")
    row = PersonalDataAccess.objects.get()
    assert (row.actor_username, row.action, row.subject_ids) == (
        "seoul_staff",
        "view",
        [trainee.pk],
    )
    assert row.ip_address == "127.0.0.1"


def test_a_company_list_and_detail_are_logged(admin, world):
    client = token_client(admin)
    body = client.get("/api/v1/companies").json()
    company_id = body["items"][0]["id"]
    client.get(f"/api/v1/companies/{company_id}")
    rows = list(PersonalDataAccess.objects.order_by("id"))
    assert [(r.action, r.subject_type) for r in rows] == [
        ("list", "programs.company"),
        ("view", "programs.company"),
    ]
    assert rows[0].subject_ids == sorted(item["id"] for item in body["items"])
    assert rows[1].subject_ids == [company_id]


def test_an_empty_list_logs_nothing(busan_staff, regions):
    body = token_client(busan_staff).get("/api/v1/trainees").json()
    assert body == {"items": [], "count": 0, "page": 1, "pages": 1}
    assert not PersonalDataAccess.objects.exists()


def test_reveal_returns_full_values_and_logs_the_reason(seoul_staff, hong):
    response = token_client(seoul_staff).post(
        f"/api/v1/trainees/{hong.pk}/reveal",
        {"reason": "  훈련수당 계좌 확인  "},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["phone"], body["bank_account"], body["birth_date"]) == (
        "홍길동",
        "010-1234-5678",
        "110-999-123456",
        "2000-03-01",
    )
    row = PersonalDataAccess.objects.get()
    assert (row.action, row.reason, row.subject_ids) == ("reveal", "훈련수당 계좌 확인", [hong.pk])


def test_reveal_of_another_regions_trainee_answers_404(busan_staff, hong):
    response = token_client(busan_staff).post(
        f"/api/v1/trainees/{hong.pk}/reveal",
        {"reason": "훈련수당 계좌 확인"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert "홍길동" not in response.content.decode()
    assert PersonalDataAccess.objects.get().action == "denied"


def test_a_trainee_cannot_reveal_even_their_own_record(trainee):
    response = token_client(trainee).post(
        f"/api/v1/trainees/{trainee.trainee.pk}/reveal",
        {"reason": "내 정보 확인"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Trainee.objects.count() == 1


def test_a_nul_in_the_reveal_reason_is_a_korean_400_and_logs_nothing(seoul_staff, hong):
    response = session_client(seoul_staff).post(
        f"/api/v1/trainees/{hong.pk}/reveal",
        {"reason": "계좌 확인\x00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "허용되지 않는 문자(제어 문자 등)가 들어 있습니다."
    )
    assert not PersonalDataAccess.objects.filter(action="reveal").exists()
