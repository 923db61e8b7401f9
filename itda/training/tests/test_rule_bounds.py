"""A training rule's minutes and months stay plausible: the reference file that carries the
rules is refused in Korean with nothing loaded; a cohort's capacity has a ceiling too (issue 10,
item 11)."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from itda import factories
from itda.conftest import rolled_back
from itda.programs.services import reference_load
from itda.training import reference
from itda.training.models import Cohort, TrainingRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_file(tmp_path, monkeypatch):
    """Write a rules file like the shipped one, with some values changed."""
    shipped = json.loads(reference._FILE.read_text(encoding="utf-8"))

    def _write(**changes):
        rows = [row | changes for row in shipped["training_rules"]]
        path = tmp_path / "training_rules.json"
        path.write_text(json.dumps({"training_rules": rows}, ensure_ascii=False), "utf-8")
        monkeypatch.setattr(reference, "_FILE", path)

    return _write


IMPLAUSIBLE = [
    ({"late_after_minutes": 60, "absent_after_minutes": 60}, "지각 기준은 결석 기준보다 짧고"),
    ({"absent_after_minutes": 480}, "결석 기준은 8시간(480분) 미만이어야"),
    ({"early_leave_before_minutes": 600}, "조퇴 기준과 입실 가능 시간은 8시간(480분) 미만"),
    ({"checkin_opens_minutes": 1440}, "조퇴 기준과 입실 가능 시간은 8시간(480분) 미만"),
    ({"max_cohort_months": 0}, "구직자 기수 최대 기간은 1개월에서 12개월 사이여야"),
    ({"max_cohort_months": 13}, "구직자 기수 최대 기간은 1개월에서 12개월 사이여야"),
    ({"correction_deadline_days": 365}, "출결 정정 신청 기한은 30일 이하여야"),
]


@pytest.fixture(scope="class")
def programmes(django_db_setup, django_db_blocker):
    """The programmes the rules belong to, loaded once for the class below (each test's own
    changes roll back to them)."""
    with rolled_back(django_db_blocker):
        reference_load()
        yield


@pytest.mark.usefixtures("programmes")
class TestTheRulesFile:
    @pytest.mark.parametrize(("changes", "message"), IMPLAUSIBLE)
    def test_load_reference_refuses_an_implausible_rule_in_korean(
        self, rule_file, changes, message
    ):
        rule_file(**changes)
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("load_reference")
        assert not TrainingRule.objects.exists()

    def test_the_shipped_rule_is_within_every_bound(self, rule_file):
        rule_file()
        call_command("load_reference")
        assert TrainingRule.objects.get().absent_after_minutes == 60


def test_a_cohort_of_301_is_refused_in_korean(client, login_as, seoul_staff, regions):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    login_as(seoul_staff)
    response = client.post(
        f"/training/cohorts/{cohort.pk}/edit/",
        {"number": 1, "starts_on": "2026-07-01", "ends_on": "2026-07-31", "capacity": 301},
    )
    assert "정원은 1명에서 300명 사이여야 합니다." in response.content.decode()
    assert Cohort.objects.get().capacity == cohort.capacity
