"""The batch list is filtered on the server (month, kind, state) and shown a page at a time,
keeping the filters across pages; another region's batches are on no page."""

import datetime
import re

import pytest

from itda import factories
from itda.accounts.roles import Role
from itda.payments.models import PaymentBatch
from itda.payments.views import BATCHES_PER_PAGE

from .batch_world import KIND

pytestmark = pytest.mark.django_db


def _batches(regions, maker, n: int, **fields) -> None:
    PaymentBatch.objects.bulk_create(
        PaymentBatch(
            programme=regions["programme"],
            operating_group=fields.get("group", regions["capital_group"]),
            month=fields.get("month", datetime.date(2026, 8, 1)),
            kind=KIND,
            state=fields.get("state", "draft"),
            maker=maker,
        )
        for _ in range(n)
    )


def test_filters_and_pages(regions, cast, login_as, client):
    maker = factories.user(username="maker", role=Role.GROUP_STAFF)
    _batches(regions, maker, BATCHES_PER_PAGE)
    _batches(regions, maker, 1, state="cancelled", month=datetime.date(2026, 9, 1))
    _batches(regions, maker, 3, group=regions["dongnam_group"])
    login_as(cast["seoul_staff"])

    def rows(query: str) -> tuple[int, str]:
        page = client.get(f"/money/batches/{query}").content.decode()
        return len(re.findall(r'href="/money/batches/\d+/"', page)), page

    count, first = rows("")
    assert count == BATCHES_PER_PAGE and f"지급 배치 {BATCHES_PER_PAGE + 1}건" in first
    assert rows("?page=2")[0] == 1
    assert rows("?state=cancelled")[0] == 1
    assert rows("?month=2026-09")[0] == 1
    assert rows("?state=closed")[0] == 0
    # A bad month is dropped, not an error page.
    assert rows("?month=someday")[0] == BATCHES_PER_PAGE
    _, page = rows("?state=draft")
    assert 'href="?state=draft&amp;page=2"' not in page  # 20 drafts: one page
    _batches(regions, maker, 1)
    _, page = rows("?state=draft")
    assert 'href="?state=draft&amp;page=2"' in page  # the filter is kept on the next page
