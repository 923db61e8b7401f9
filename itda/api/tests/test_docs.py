"""The OpenAPI schema and the docs page: public, never a login redirect, only local assets."""

import re
import typing

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/regions": {"get"},
    "/api/v1/complexes": {"get"},
    "/api/v1/complexes/{complex_id}": {"get"},
    "/api/v1/plans": {"get"},
    "/api/v1/plans/{plan_id}": {"get"},
    "/api/v1/programmes": {"get"},
    "/api/v1/programmes/{programme_id}": {"get"},
    "/api/v1/venues": {"get"},
    "/api/v1/companies": {"get"},
    "/api/v1/companies/{company_id}": {"get"},
    "/api/v1/trainees": {"get"},
    "/api/v1/trainees/{trainee_id}": {"get"},
    "/api/v1/trainees/{trainee_id}/reveal": {"post"},
    "/api/v1/stats/regions": {"get"},
    "/api/v1/calls": {"get"},
    "/api/v1/calls/{call_id}": {"get"},
    "/api/v1/applications": {"get"},
    "/api/v1/applications/{application_id}": {"get"},
    "/api/v1/rounds": {"get"},
    "/api/v1/rounds/{round_id}": {"get"},
    "/api/v1/rounds/{round_id}/positions": {"get"},
    "/api/v1/rounds/{round_id}/rankings": {"get"},
    "/api/v1/rounds/{round_id}/results": {"get"},
    "/api/v1/internships": {"get"},
    "/api/v1/internships/{internship_id}": {"get"},
    "/api/v1/internships/{internship_id}/accept": {"post"},
    "/api/v1/internships/{internship_id}/decline": {"post"},
    "/api/v1/internships/{internship_id}/cancel": {"post"},
    "/api/v1/statements": {"get"},
    "/api/v1/statements/{statement_id}": {"get"},
    "/api/v1/courses": {"get"},
    "/api/v1/courses/{course_id}": {"get"},
    "/api/v1/cohorts": {"get"},
    "/api/v1/cohorts/{cohort_id}": {"get"},
    "/api/v1/enrollments": {"get"},
    "/api/v1/enrollments/{enrollment_id}": {"get"},
    "/api/v1/positions": {"get"},
    "/api/v1/positions/{position_id}": {"get"},
    "/api/v1/placements": {"get"},
    "/api/v1/placements/{placement_id}": {"get"},
    "/api/v1/outcomes": {"get"},
    "/api/v1/outcomes/{outcome_id}": {"get"},
    "/api/v1/kpis": {"get"},
}


def test_the_schema_is_public_and_lists_every_path():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "itda API"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == PATHS


def test_the_schema_documents_both_auth_schemes_on_protected_paths_only():
    schema = Client().get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "security" not in schema["paths"]["/api/v1/regions"]["get"]
    assert len(schema["paths"]["/api/v1/trainees"]["get"]["security"]) == 2


def test_anonymous_docs_are_not_redirected_to_the_login_page():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_docs_page_uses_only_local_assets_and_no_inline_script():
    html = Client().get("/api/v1/docs").content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "an external asset"
    assert "cdn" not in html.lower()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, "swagger-ui's scripts"
    for attrs in scripts:
        assert 'src="/api/v1/docs/assets/' in attrs or 'type="application/json"' in attrs, attrs
    assert "style=" not in html and "<style" not in html
    assert '"url": "/api/v1/openapi.json"' in html


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui-init.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_the_docs_assets_are_served_locally(name, content_type):
    response = Client().get(f"/api/v1/docs/assets/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["__init__.py", "..%2F..%2Fmain.py", "swagger.html", "x.js"])
def test_only_the_swagger_files_are_served(name):
    response = Client().get(f"/api/v1/docs/assets/{name}")
    assert response.status_code == 404


def _types(annotation) -> list:
    """The annotation and every type inside it (list[X | None] gives list, X, None...)."""
    return [annotation, *(t for arg in typing.get_args(annotation) for t in _types(arg))]


def test_no_two_schemas_of_the_api_share_a_name():
    # The OpenAPI components are keyed by class name: a second class of the same name would
    # silently document one operation's answer with another's shape.
    from ninja import Schema

    from itda.api.api import api

    seen: dict[str, type] = {}
    clashes: list[str] = []
    walked: set[type] = set()

    def walk(model) -> None:
        if not (isinstance(model, type) and issubclass(model, Schema)):
            return
        known = seen.setdefault(model.__name__, model)
        if known is not model:
            clashes.append(model.__name__)
        elif model not in walked:
            walked.add(model)
            for field in model.model_fields.values():
                for inner in _types(field.annotation):
                    walk(inner)

    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for wrapper in operation.response_models.values():
                    for field in getattr(wrapper, "model_fields", {}).values():
                        for inner in _types(field.annotation):
                            walk(inner)
    assert len(seen) > 20 and clashes == []
