"""The pipeline after recruitment over the API: every list is exactly the caller's scope,
every detail of another region's row answers 404 like a missing one, names are masked and
each look is logged; the KPIs are the 성과 지표 page's, suppressed for the viewer."""

import pytest

from itda.accounts.models import PersonalDataAccess
from itda.api.errors import FORBIDDEN, NOT_FOUND
from itda.api.tests.conftest import token_client
from itda.internships.models import HiringOutcome, Placement, Position
from itda.outcomes.tests.kpi_cast import build_cast
from itda.training.models import Cohort, Course, Enrollment

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "courses": Course,
    "cohorts": Cohort,
    "enrollments": Enrollment,
    "positions": Position,
    "placements": Placement,
    "outcomes": HiringOutcome,
}


@pytest.fixture
def people(regions, admin):
    return build_cast(regions, admin)


def _all_ids(client, path: str) -> list[int]:
    ids, page = [], 1
    while True:
        response = client.get(path, {"page": page, "page_size": 3})
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["items"]]
        if not body["items"] or len(ids) >= body["count"]:
            return ids
        page += 1


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("who", ["admin", "seoul_staff", "busan_staff"])
def test_each_list_is_exactly_the_visible_set(people, cast, who, name):
    user, model = cast[who], ENDPOINTS[name]
    ids = _all_ids(token_client(user), f"/api/v1/{name}")
    expected = set(model.objects.visible_to(user).values_list("pk", flat=True))
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    # The cast lives in 수도권: its staff see it all, 동남권's staff nothing of it.
    assert bool(ids) == (who != "busan_staff")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_another_regions_ids_answer_404_like_missing_ones(people, busan_staff, seoul_staff, name):
    model = ENDPOINTS[name]
    busan, seoul = token_client(busan_staff), token_client(seoul_staff)
    missing = busan.get(f"/api/v1/{name}/987654321")
    assert missing.status_code == 404
    for pk in model.objects.values_list("pk", flat=True):
        refused = busan.get(f"/api/v1/{name}/{pk}")
        assert refused.status_code == 404
        assert refused.json() == missing.json() == {"detail": NOT_FOUND}
        assert seoul.get(f"/api/v1/{name}/{pk}").status_code == 200


def test_people_are_masked_and_each_look_is_logged(people, seoul_staff):
    client = token_client(seoul_staff)
    for name in ("enrollments", "placements", "outcomes"):
        text = client.get(f"/api/v1/{name}").content.decode()
        assert not any(person.name in text for person in people)
    body = client.get("/api/v1/enrollments", {"status": "completed"}).json()
    assert body["count"] == 8
    assert {row["status_label"] for row in body["items"]} == {"수료"}
    logged = PersonalDataAccess.objects.filter(actor=seoul_staff, action="list")
    assert {row.subject_type for row in logged} == {
        "training.enrollment",
        "internships.placement",
        "internships.hiringoutcome",
    }
    enrolment = Enrollment.objects.filter(status="completed").first()
    assert client.get(f"/api/v1/enrollments/{enrolment.pk}").status_code == 200
    assert PersonalDataAccess.objects.filter(
        actor=seoul_staff, action="view", subject_ids=[enrolment.pk]
    ).exists()


def test_a_cohort_carries_its_completion_and_attendance(people, seoul_staff):
    cohort = Cohort.objects.get()
    body = token_client(seoul_staff).get(f"/api/v1/cohorts/{cohort.pk}").json()
    assert (body["enrolled"], body["completed"], body["withdrawn"], body["not_completed"]) == (
        10,
        8,
        1,
        1,
    )
    assert body["sessions_held"] == 0 and body["attendance_rate"] == "0.0000"


def test_the_viewer_reads_kpis_suppressed_and_no_registry(people, regions, viewer):
    client = token_client(viewer)
    assert client.get("/api/v1/enrollments").json() == {"detail": FORBIDDEN}
    body = client.get("/api/v1/kpis", {"programme": regions["programme"].pk}).json()
    assert body["suppressed"] is True
    national = body["units"][0]
    assert national["label"] == "전국"
    assert national["counts"]["completed"] == 8 and national["counts"]["hired_3m"] == "<5"
    rates = {k["key"]: k for k in national["kpis"]}
    assert rates["completion_rate"]["rate_pct"] == 80.0
    assert rates["employment_3m"]["rate_pct"] is None
    # Aggregates only, as on the viewer's page: no count of 1–4 anywhere.
    assert {u["section"] for u in body["units"]} <= {"totals", "zones", "regions", "tracks"}
    counts = [n for u in body["units"] for n in u["counts"].values()]
    assert counts and not any(isinstance(n, int) and 1 <= n <= 4 for n in counts)


def test_a_groups_kpis_are_its_own(people, regions, busan_staff, seoul_staff):
    query = {"programme": regions["programme"].pk}
    busan = token_client(busan_staff).get("/api/v1/kpis", query).json()
    assert {u["label"] for u in busan["units"] if u["section"] == "totals"} == {"동남권 사업단"}
    assert not any("수도권" in u["label"] or "서울" in u["label"] for u in busan["units"])
    seoul = token_client(seoul_staff).get("/api/v1/kpis", query).json()
    labels = {u["label"] for u in seoul["units"]}
    assert "수도권 사업단" in labels and "전국" not in labels
    assert not any("동남권" in label for label in labels)
    own = next(u for u in seoul["units"] if u["label"] == "수도권 사업단")
    assert own["counts"]["hired_3m"] == 3  # the group's own detail is not suppressed


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in ENDPOINTS:
        assert f"/api/v1/{name}" in paths and f"/api/v1/{name}/{{{name[:-1]}_id}}" in paths
    for listed in ("kpis", "statements", "internships"):
        assert f"/api/v1/{listed}" in paths
