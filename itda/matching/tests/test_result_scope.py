"""A national round's published result shows each group the counts of its own trainees, not
national totals; those who run the round see the whole run."""

import re

import pytest
from django.test import Client

from itda.matching import services
from itda.matching.models import MatchRound
from itda.matching.tests.conftest import AFTER

pytestmark = pytest.mark.django_db


def _stat(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">([^<]*)<', html).group(1)


def test_national_round_results_count_only_what_each_group_may_see(
    ranked_round, admin, seoul_staff, busan_staff, login_as
):
    round_ = ranked_round["round"]
    MatchRound.objects.filter(pk=round_.pk).update(operating_group=None)
    round_.refresh_from_db()
    run = services.round_publish(
        round_=round_, algorithm="trainee-proposing", actor=admin, now=AFTER
    )
    assert (run.stats["placed"], run.stats["unplaced"]) == (4, 1)
    url = f"/rounds/{round_.pk}/result/"
    pages = {
        "admin": login_as(admin).get(url).content.decode(),
        "seoul": login_as(seoul_staff, Client()).get(url).content.decode(),
        "busan": login_as(busan_staff, Client()).get(url).content.decode(),
    }
    counts = {who: (_stat(html, "placed"), _stat(html, "unplaced")) for who, html in pages.items()}
    # The five trainees all live in Seoul: Busan sees none of them, and no national totals.
    assert counts == {"admin": ("4", "1"), "seoul": ("4", "1"), "busan": ("0", "0")}
    assert pages["busan"].count('data-testid="result-row"') == 0
    assert "엇갈린 쌍" in pages["admin"] and "엇갈린 쌍" not in pages["busan"]
    assert "담당 사업단이 볼 수 있는 교육생만" in pages["busan"]


def test_national_round_progress_counts_only_what_each_group_may_see(
    ranked_round, admin, seoul_staff, busan_staff, login_as
):
    round_ = ranked_round["round"]
    MatchRound.objects.filter(pk=round_.pk).update(operating_group=None)
    url = f"/rounds/{round_.pk}/"
    pages = {
        "admin": login_as(admin).get(url).content.decode(),
        "seoul": login_as(seoul_staff, Client()).get(url).content.decode(),
        "busan": login_as(busan_staff, Client()).get(url).content.decode(),
    }
    counts = {
        who: tuple(_stat(html, t) for t in ("eligible", "ranked", "positions", "positions-ranked"))
        for who, html in pages.items()
    }
    # Five Seoul trainees, four of whom chose; four Seoul positions (6 seats), three ranked.
    assert counts == {
        "admin": ("5", "4", "4 / 6", "3"),
        "seoul": ("5", "4", "4 / 6", "3"),
        "busan": ("0", "0", "0 / 0", "0"),
    }
    assert "볼 수 있는 교육생과 인턴 자리만" in pages["busan"]
    assert "볼 수 있는 교육생과 인턴 자리만" not in pages["admin"]
