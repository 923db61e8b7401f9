"""The one scope rule through the API: group staff see their regions only; another region's
record answers exactly like a missing one; viewers get aggregates, never registries."""

import pytest

from itda.accounts.models import PersonalDataAccess
from itda.api.errors import FORBIDDEN, NOT_FOUND
from itda.api.tests.conftest import session_client, token_client
from itda.programs.models import Company, Trainee

pytestmark = pytest.mark.django_db


def _all_ids(client, path: str) -> list[int]:
    ids, page = [], 1
    while True:
        body = client.get(path, {"page": page, "page_size": 2}).json()
        ids += [row["id"] for row in body["items"]]
        if page >= body["pages"]:
            return ids
        page += 1


@pytest.mark.parametrize("who", ["admin", "seoul_staff", "busan_staff"])
def test_trainee_list_is_exactly_the_visible_set(cast, world, who):
    user = cast[who]
    ids = _all_ids(token_client(user), "/api/v1/trainees")
    expected = list(Trainee.objects.visible_to(user).values_list("pk", flat=True))
    assert ids == expected
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("who", ["admin", "seoul_staff", "busan_staff", "company"])
def test_company_list_is_exactly_the_visible_set(cast, world, who):
    user = cast[who]
    ids = _all_ids(token_client(user), "/api/v1/companies")
    assert ids == list(Company.objects.visible_to(user).values_list("pk", flat=True))


def test_busan_staff_sees_only_busan(busan_staff, world):
    body = token_client(busan_staff).get("/api/v1/trainees").json()
    assert body["count"] == 3
    assert {row["region"]["code"] for row in body["items"]} == {"26"}


def test_another_regions_trainee_answers_404_like_a_missing_one(busan_staff, world):
    seoul_trainee = world["trainees"]["seoul"][0]
    client = token_client(busan_staff)
    other = client.get(f"/api/v1/trainees/{seoul_trainee.pk}")
    missing = client.get("/api/v1/trainees/987654321")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": NOT_FOUND}
    text = other.content.decode()
    for value in (seoul_trainee.name, seoul_trainee.phone, seoul_trainee.email):
        assert value not in text
    assert "서울" not in text


def test_the_refused_look_is_logged_as_denied(busan_staff, world):
    seoul_trainee = world["trainees"]["seoul"][0]
    token_client(busan_staff).get(f"/api/v1/trainees/{seoul_trainee.pk}")
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.action, row.subject_type, row.subject_ids) == (
        busan_staff,
        "denied",
        "programs.trainee",
        [seoul_trainee.pk],
    )


def test_another_regions_company_answers_404(busan_staff, world):
    seoul_company = world["companies"]["seoul"][0]
    response = session_client(busan_staff).get(f"/api/v1/companies/{seoul_company.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}
    assert seoul_company.name not in response.content.decode()


def test_group_staff_reads_a_trainee_of_a_covered_region(seoul_staff, world):
    gyeonggi_trainee = world["trainees"]["gyeonggi"][0]
    response = token_client(seoul_staff).get(f"/api/v1/trainees/{gyeonggi_trainee.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == gyeonggi_trainee.pk


def test_a_company_manager_sees_only_their_own_company(company, world):
    own = company.companies.get()
    client = token_client(company)
    assert client.get(f"/api/v1/companies/{own.pk}").status_code == 200
    other = world["companies"]["seoul"][0]
    assert client.get(f"/api/v1/companies/{other.pk}").status_code == 404
    assert client.get("/api/v1/trainees").status_code == 403


def test_a_trainee_reads_only_their_own_record(trainee, world):
    client = token_client(trainee)
    assert client.get(f"/api/v1/trainees/{trainee.trainee.pk}").status_code == 200
    other = world["trainees"]["seoul"][0]
    assert client.get(f"/api/v1/trainees/{other.pk}").status_code == 404
    assert client.get("/api/v1/trainees").status_code == 403
    assert client.get("/api/v1/companies").status_code == 403


@pytest.mark.parametrize(
    "path", ["/api/v1/companies", "/api/v1/trainees", "/api/v1/companies/1", "/api/v1/trainees/1"]
)
def test_a_viewer_gets_403_on_registries(viewer, world, path):
    response = token_client(viewer).get(path)
    assert response.status_code == 403
    assert response.json() == {"detail": FORBIDDEN}
    assert not PersonalDataAccess.objects.exists()


def test_an_evaluator_gets_403_on_registries(evaluator, world):
    client = token_client(evaluator)
    assert client.get("/api/v1/trainees").status_code == 403
    assert client.get("/api/v1/companies").status_code == 403


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_region_stats_count_companies_and_trainees(cast, world, who):
    response = token_client(cast[who]).get("/api/v1/stats/regions")
    assert response.status_code == 200
    body = response.json()
    by_code = {row["code"]: row for row in body["regions"]}
    # world: 2 companies and 3 trainees per region; the cast adds one of each in 서울.
    assert by_code["11"]["companies"] == 2 + 1
    assert by_code["11"]["trainees"] == 3 + 1
    assert (by_code["26"]["companies"], by_code["26"]["trainees"]) == (2, 3)
    assert (body["total_companies"], body["total_trainees"]) == (
        Company.objects.count(),
        Trainee.objects.count(),
    )
    # Aggregates only: no names, phones or ids of people.
    text = response.content.decode()
    for trainee in Trainee.objects.all():
        assert trainee.name not in text
        assert trainee.phone not in text


@pytest.mark.parametrize("who", ["seoul_staff", "company", "trainee", "evaluator"])
def test_region_stats_are_for_operator_and_viewer_only(cast, world, who):
    assert token_client(cast[who]).get("/api/v1/stats/regions").status_code == 403
