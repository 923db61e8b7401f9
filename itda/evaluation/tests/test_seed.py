"""The seeded calls: MSS 2026 with the seed's dates, and the 2021 대개조 round's four indicators."""

import pytest

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation.seed import calls_seed
from itda.programs.services import reference_load
from itda.recruitment.models import Application, Call


@pytest.mark.django_db
def test_seeded_calls_schemes_and_plan_applications():
    reference_load()
    factories.user(username="seed-operator", role=Role.OPERATOR)
    assert calls_seed() == calls_seed() == 3  # safe to run twice
    company = Call.objects.get(kind="company")
    assert company.closes_at.isoformat() == "2026-06-12T09:00:00+00:00"  # 18:00 KST
    assert Call.objects.get(kind="operating_group").closes_at.date().isoformat() == "2026-06-05"
    assert [c.name for c in company.scheme.criteria.all()] == [
        "스마트제조 역량",
        "취업매력도",
        "고용 연계 가능성",
    ]
    plan = Call.objects.get(kind="plan")
    assert [(c.name, c.max_points) for c in plan.scheme.criteria.all()] == [
        ("지역진단 전략성", 25),
        ("거점·연계지역 적절성", 25),
        ("혁신계획 타당성", 25),
        ("성과목표 실현가능성", 25),
    ]
    assert plan.scheme.evaluators_per_application == 9 and plan.scheme.total_seats == 5
    apps = Application.objects.filter(call=plan).select_related("plan__region")
    assert sorted(a.plan.region.short_name for a in apps) == [
        "경기",
        "경남",
        "부산",
        "울산",
        "전북",
    ]
