"""A call with a three-criterion scheme, three evaluators with logins, four applications, and
one evaluator whose declared employment conflicts with the first applicant."""

from decimal import Decimal

import pytest

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation.models import Criterion, EvaluatorRelation, Scheme


@pytest.fixture
def world(cast, regions):
    call = factories.call(programme=regions["programme"])
    scheme = Scheme.objects.create(
        call=call,
        name="기업 평가표",
        method="mean",
        evaluators_per_application=3,
        total_seats=2,
        waitlist_size=1,
        cutoff=Decimal("50"),
    )
    for order, (code, name, points) in enumerate(
        [("cap", "스마트제조 역량", 40), ("attr", "취업매력도", 30), ("hire", "고용 연계", 30)]
    ):
        Criterion.objects.create(
            scheme=scheme, code=code, name=name, weight=points, max_points=points, order=order
        )
    evaluators = [factories.EvaluatorFactory(region=regions["seoul"]) for _ in range(3)]
    for i, e in enumerate(evaluators):
        e.user = factories.user(username=f"panel{i}", role=Role.EVALUATOR)
        e.save()
    conflicted = factories.EvaluatorFactory(region=regions["seoul"], affiliation="무관대학교")
    companies = [
        factories.CompanyFactory(region=regions["seoul"], name=f"후보{i}") for i in range(4)
    ]
    apps = [factories.application(call=call, company=c) for c in companies]
    factories.call_closed(call)  # evaluation starts after the close
    EvaluatorRelation.objects.create(
        evaluator=conflicted, kind="employment", business_number=companies[0].business_number
    )
    return {"call": call, "evaluators": evaluators, "conflicted": conflicted, "apps": apps}
