"""Dates sent to the API are bounded like the forms' (issue 10, item 6): year 1, 9999 and 10000
answer a Korean message, and no operation takes an unbounded date."""

import datetime
import re
import typing

import pytest
from ninja import Schema
from pydantic import BaseModel, ValidationError

from itda.api.api import api
from itda.api.dates import ERA_PATTERN, EraDate, EraDateTime
from itda.lib.dates import EARLIEST, LATEST


class _Sample(Schema):
    day: EraDate
    at: EraDateTime | None = None


@pytest.mark.parametrize("year", ["0001", "9999", "10000"])
def test_an_absurd_year_is_refused_in_korean(year):
    with pytest.raises(ValidationError) as caught:
        _Sample(day=f"{year}-01-01", at=f"{year}-01-01T00:00")
    messages = [error["msg"] for error in caught.value.errors()]
    assert len(messages) == 2
    assert all(("사이여야" in m) or ("여야 합니다" in m) for m in messages), messages


@pytest.mark.parametrize("value", [0, "0", "1700000000", 20260701.0, "20260701", "2026-7-1"])
def test_only_iso_text_is_a_date_not_seconds_since_1970(value):
    with pytest.raises(ValidationError) as caught:
        _Sample(day=value)
    assert [e["msg"] for e in caught.value.errors()] == ["날짜(YYYY-MM-DD)여야 합니다."]
    with pytest.raises(ValidationError):
        _Sample(day="2026-07-01", at=value)


def test_the_schema_tells_callers_the_years_a_date_may_take():
    pattern = re.compile(ERA_PATTERN)
    assert pattern.match(EARLIEST.isoformat()) and pattern.match(LATEST.isoformat())
    for outside in (EARLIEST - datetime.timedelta(days=1), datetime.date(2101, 1, 1)):
        assert not pattern.match(outside.isoformat())
    schema = api.get_openapi_schema()
    dates = {
        (path, p["name"]): choice.get("pattern")
        for path, item in schema["paths"].items()
        for operation in item.values()
        for p in operation.get("parameters", [])
        for choice in p["schema"].get("anyOf", [p["schema"]])
        if choice.get("format") == "date"
    }
    assert dates == {
        ("/api/v1/kpis", "day"): ERA_PATTERN,
        ("/api/v1/statements", "month"): ERA_PATTERN,
    }


def test_a_plausible_date_passes():
    sample = _Sample(day="2026-07-01", at="2026-07-01T09:00+09:00")
    assert sample.day == datetime.date(2026, 7, 1)


def _unbounded(model: type[BaseModel], path: str) -> list[str]:
    found = []
    for name, field in model.model_fields.items():
        bounded = any(type(m).__name__ == "WrapValidator" for m in field.metadata)
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _unbounded(arg, f"{path}.{name}")
            elif arg in (datetime.date, datetime.datetime) and not bounded:
                found.append(f"{path}.{name}")
    return found


def test_every_operation_takes_only_bounded_dates():
    unbounded, operations = [], 0
    for router in api._get_bound_routers():
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations += 1
                for model in operation.models:
                    unbounded += _unbounded(model, f"{router.prefix}{route}")
    assert operations > 10 and unbounded == []


def test_the_walk_would_see_an_unbounded_date():
    class Loose(Schema):
        day: datetime.date

    assert _unbounded(Loose, "x") == ["x.day"] and _unbounded(_Sample, "x") == []
