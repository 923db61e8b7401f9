"""The venue calendar and the cohort pages survive absurd dates (issue 10, items 9 and 16)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader_tags import BlockNode

import itda
from itda import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture_room(regions):
    return factories.room(region=regions["seoul"], name="강의·교육장")


@pytest.mark.parametrize(
    "week, shown",
    [
        ("9999-12-31", "2100. 12. 27."),
        ("0001-01-01", "1900. 1. 1."),
        ("2026-07-02", "2026. 6. 29."),
        ("99999-01-01", None),
        ("nonsense", None),
    ],
)
def test_the_venue_calendar_shows_a_week_within_the_era(
    client, login_as, seoul_staff, lecture_room, week, shown
):
    login_as(seoul_staff)
    response = client.get(f"/training/venues/{lecture_room.venue_id}/", {"week": week})
    assert response.status_code == 200
    html = response.content.decode()
    if shown:
        assert shown in html
    assert "?week=2101" not in html and "?week=1899" not in html


def test_a_cohort_in_year_9999_is_refused_in_korean(client, login_as, seoul_staff, regions):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    login_as(seoul_staff)
    response = client.post(
        f"/training/cohorts/{cohort.pk}/edit/",
        {"number": 1, "starts_on": "9999-12-01", "ends_on": "9999-12-31", "capacity": 30},
    )
    assert response.status_code == 200
    assert "1900-01-01부터 2100-12-31 사이" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.ends_on.year == 2026
    assert client.get(f"/training/cohorts/{cohort.pk}/").status_code == 200


def test_the_service_refuses_year_9999_before_computing_with_it(seoul_staff, regions):
    import datetime

    from itda.training import services

    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    with pytest.raises(services.TrainingError, match="2100-12-31 사이"):
        services.cohort_save(
            actor=seoul_staff,
            course=cohort.course,
            cohort=cohort,
            fields={
                "number": 1,
                "starts_on": datetime.date(9999, 12, 1),
                "ends_on": datetime.date(9999, 12, 31),
                "capacity": 30,
            },
            instructors=[],
        )


def test_the_venue_calendar_title_is_text_without_the_booking_form(
    client, login_as, seoul_staff, lecture_room
):
    login_as(seoul_staff)
    html = client.get(f"/training/venues/{lecture_room.venue_id}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "csrf" not in title.lower()
    assert "테스트 교육장 예약 현황" in title


def _blocks(nodelist):
    for node in nodelist:
        if isinstance(node, BlockNode):
            yield node
        for child in getattr(node, "child_nodelists", ()):
            yield from _blocks(getattr(node, child, None) or [])


def test_no_template_puts_markup_in_its_title_block():
    """The title block is plain text in every template (a missing endblock swallows markup)."""
    engine = engines["django"].engine
    root = Path(itda.__file__).parent
    offenders, seen = [], 0
    for path in sorted(root.glob("**/templates/**/*.html")):
        base = next(p for p in path.parents if p.name == "templates")
        template = engine.from_string(path.read_text(encoding="utf-8"))
        seen += 1
        for block in _blocks(template.nodelist):
            if block.name == "title" and any("<" in getattr(n, "s", "") for n in block.nodelist):
                offenders.append(str(path.relative_to(base)))
    assert seen > 50 and offenders == []
