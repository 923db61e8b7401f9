"""The funnel and its KPIs on the issue's hand-built cast: distinct people per stage, the
subsidised intern not hired, hand-computed rates; one query whatever the size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.outcomes.kpis import (
    FUNNEL,
    KPI,
    NATIONAL,
    breakdown_counts,
    funnel_counts,
    kpi_values,
)
from itda.outcomes.tests.kpi_cast import build_cast
from itda.programs.models import IndustrialComplex

pytestmark = pytest.mark.django_db

CAST_FUNNEL = [10, 10, 10, 8, 6, 5, 3, 2]
CAST_RATES = {
    "completion_rate": 80.0,
    "dropout_rate": 10.0,
    "linkage_rate": 75.0,
    "employment_3m": 37.5,
    "employment_6m": 25.0,
    "retention_rate": 66.7,
}


def _funnel(counts):
    return [counts.get(k, 0) for k in FUNNEL]


def test_the_cast_gives_the_hand_computed_funnel_and_rates(regions, admin):
    build_cast(regions, admin)
    cells = funnel_counts(regions["programme"])
    national = cells[NATIONAL]
    assert _funnel(national) == CAST_FUNNEL
    assert (national["withdrawn"], national["retained"]) == (1, 2)
    assert {v.kpi.key: v.rate for v in kpi_values(national, suppress=False)} == CAST_RATES
    group = regions["capital_group"].pk
    assert cells[(group, None, None)] == national  # all of it is the capital group's
    assert _funnel(cells[(None, regions["track"].pk, None)]) == CAST_FUNNEL
    assert _funnel(cells[(None, None, regions["seoul"].pk)]) == CAST_FUNNEL
    assert _funnel(cells[(group, None, regions["seoul"].pk)]) == CAST_FUNNEL
    assert (regions["dongnam_group"].pk, None, None) not in cells


def test_the_cast_by_company_kind_and_complex(regions, admin):
    build_cast(regions, admin)
    company_cells = breakdown_counts(regions["programme"]).company_cells
    complex_ = IndustrialComplex.objects.get()
    group = regions["capital_group"].pk
    # From 연계 on, at the host company: 6 placed, 5 interned, 3 and 2 hired, 2 retained.
    expected = {"placed": 6, "interned": 5, "hired_3m": 3, "hired_6m": 2, "retained": 2}
    for cell in (
        (None, "smart_factory", None),
        (None, None, complex_.pk),
        (group, "smart_factory", None),
        (group, None, complex_.pk),
    ):
        assert company_cells[cell] == expected, cell
    assert (None, "ai_supplier", None) not in company_cells


def test_each_kpi_shows_its_formula_and_source():
    assert KPI["completion_rate"].formula == "수료 ÷ 수강 × 100"
    assert KPI["linkage_rate"].formula == "연계 ÷ 수료 × 100"
    assert KPI["retention_rate"].formula == "3·6개월 모두 채용 ÷ 채용 3개월 × 100"
    assert "HRD-Net" in KPI["employment_3m"].source
    assert "고용보험" in KPI["employment_6m"].note
    for key in ("completion_rate", "dropout_rate", "linkage_rate", "retention_rate"):
        assert KPI[key].source == "itda 정의"
    value = kpi_values({"completed": 8, "enrolled": 10}, suppress=False)[0]
    assert (value.shown, value.explained) == ("80.0%", "수료 8 ÷ 수강 10 × 100")


def test_two_groups_are_counted_apart_and_together(regions, admin):
    build_cast(regions, admin)
    build_cast(regions, admin, group=regions["dongnam_group"], region=regions["busan"], n=10)
    cells = funnel_counts(regions["programme"])
    assert _funnel(cells[NATIONAL]) == [2 * n for n in CAST_FUNNEL]
    assert _funnel(cells[(regions["dongnam_group"].pk, None, None)]) == CAST_FUNNEL
    assert _funnel(cells[(None, None, regions["busan"].pk)]) == CAST_FUNNEL


def test_a_national_call_belongs_to_the_group_covering_the_applicant(regions):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    person = factories.TraineeFactory(region=regions["busan"])
    factories.application(call=call, trainee=person)
    cells = funnel_counts(regions["programme"])
    assert cells[(regions["dongnam_group"].pk, None, None)]["applied"] == 1
    assert (regions["capital_group"].pk, None, None) not in cells


def test_the_funnel_is_one_query_whatever_its_size(regions, admin):
    build_cast(regions, admin)
    with CaptureQueriesContext(connection) as small:
        funnel_counts(regions["programme"])
    build_cast(regions, admin, group=regions["dongnam_group"], region=regions["busan"])
    with CaptureQueriesContext(connection) as large:
        funnel_counts(regions["programme"])
    # One counting query (beside switching JIT off for it), whatever the size.
    assert len(small) == len(large)
    assert sum("GROUPING SETS" in q["sql"] for q in large.captured_queries) == 1
    assert sum(q["sql"].startswith("SELECT") for q in large.captured_queries) == 1
