"""schemathesis over the whole OpenAPI schema of /api/v1/, as every role and as nobody.

Each generated request (schemathesis's examples, coverage and fuzzing phases: valid and invalid
input alike) is sent through the WSGI application, inside the test's transaction, with an API
token of a role (the roles take turns over the cases; each valid request is also sent without
credentials); every answer must be a documented status code with a body of the documented
shape, and never a server error. A request whose ids are valid is sent again with the ids of
real rows of the world (fuzz_world.py), as its role and as the operator, so the detail and
action operations answer 200 and 409 with their real bodies, not only 404. The longer run
sends every request as every role and as nobody.

Bounded for CI (a few fuzzing examples per operation, a fixed seed, derandomised). A longer
run prints its figures (operations, generated cases, requests, answers by status code):

    make fuzz FUZZ_EXAMPLES=100
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.generation import GenerationMode

from itda.accounts.services import api_token_create
from itda.api.tests import fuzz_world
from itda.internships.models import HiringOutcome, Placement, Position
from itda.matching.tests.conftest import ranked_round  # noqa: F401 - a fixture
from itda.programs.models import Company, IndustrialComplex, Programme, TransformationPlan
from itda.recruitment.models import Application, Call
from itda.training.models import Cohort, Course, Enrollment

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ITDA_FUZZ_EXAMPLES", "3"))
# The suite's run rotates the roles over the cases; `make fuzz` sends each case as everyone.
EVERY_ROLE = "ITDA_FUZZ_EXAMPLES" in os.environ
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 16,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
# What a run did, printed when it ends.
FIGURES: Counter = Counter()
OPERATIONS: set[str] = set()
ROLES = ("admin", "seoul_staff", "company", "trainee", "evaluator", "viewer")
# One row of each registry the operator sees, by path parameter.
ROWS = {
    "application_id": Application,
    "call_id": Call,
    "cohort_id": Cohort,
    "company_id": Company,
    "complex_id": IndustrialComplex,
    "course_id": Course,
    "enrollment_id": Enrollment,
    "outcome_id": HiringOutcome,
    "placement_id": Placement,
    "plan_id": TransformationPlan,
    "position_id": Position,
    "programme_id": Programme,
}


@pytest.fixture
def world(regions, cast, ranked_round):  # noqa: F811 - the imported fixture
    made = fuzz_world.build(regions, cast, ranked_round)
    ids = {
        name: model.objects.order_by("pk").values_list("pk", flat=True).first()
        for name, model in ROWS.items()
    }
    ids |= {
        "round_id": made["round"],
        "internship_id": made["internship"],
        "statement_id": made["statement"],
        "trainee_id": made["me"].pk,
    }
    return {name: pk for name, pk in ids.items() if pk is not None}


@pytest.fixture
def callers(cast):
    """A token of each role, the operator's first."""
    tokens = [api_token_create(user=cast[who], name="fuzz")[1] for who in ROLES]
    return [{"Authorization": f"Bearer {raw}"} for raw in tokens]


@pytest.fixture
def in_test_transaction():
    """The WSGI handler closes the connection after each request (CONN_MAX_AGE); inside the
    test's transaction it must stay open, as Django's test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(request, capsys, world, in_test_transaction):
    # schemathesis's lazy schema renames the test's node per operation through `_nodeid`, which
    # pytest 9's Function no longer holds until set.
    request.node._nodeid = request.node.nodeid
    # The WSGI handler itself, not itda.wsgi: importing that sets Django up again, which
    # resets logging and would blind the suite's check for 500s (itda.tests.server_errors).
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)
    statuses = sorted((k, n) for k, n in FIGURES.items() if isinstance(k, int))
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(OPERATIONS)} operations, {FIGURES['cases']} generated cases, "
            f"{FIGURES['requests']} requests ({EXAMPLES} fuzzing examples per operation, "
            "with the examples and coverage phases); "
            f"answers by status: {dict(statuses)}"
        )


schema = schemathesis.pytest.from_fixture("api_schema")


def _send(case, callers) -> None:
    for headers in callers:
        response = case.call_and_validate(headers=headers)
        FIGURES["requests"] += 1
        FIGURES[response.status_code] += 1


@schema.parametrize()
def test_every_operation_as_every_role(case, callers, world):
    OPERATIONS.add(case.operation.label)
    turn = callers[FIGURES["cases"] % len(callers)]
    FIGURES["cases"] += 1
    valid = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    # A caller's role is checked after the input: invalid input needs only one caller, and
    # without credentials it would be refused before it is read.
    if EVERY_ROLE:
        _send(case, [{}, *callers] if valid else callers)
    else:
        _send(case, [{}, turn] if valid else [turn])
    known = {name: world[name] for name in case.path_parameters if name in world}
    if known and valid:
        real = case.derive()
        real.path_parameters.update(known)
        operator = callers[0]
        _send(real, callers if EVERY_ROLE else [turn] if turn is operator else [turn, operator])
