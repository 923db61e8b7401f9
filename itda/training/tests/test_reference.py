"""The training rule seed: loaded by `load_reference` through the app hook, once, never edited."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from itda.programs.models import Programme
from itda.programs.services import reference_load_all
from itda.training.models import TrainingRule
from itda.training.selectors import rule_in_force

pytestmark = pytest.mark.django_db


def test_load_reference_seeds_the_mss_rule_with_the_programme_defaults(capsys):
    call_command("load_reference")
    assert "trainingrule=1" in capsys.readouterr().out
    mss = Programme.objects.get(code="mss-smart-mfg-2026")
    rule = TrainingRule.objects.get(programme=mss)
    assert rule.effective_from == mss.starts_on == datetime.date(2026, 5, 20)
    assert (rule.late_after_minutes, rule.early_leave_before_minutes) == (10, 10)
    assert (rule.absent_after_minutes, rule.incidents_per_absence) == (60, 3)
    assert rule.completion_min_rate == Decimal("0.800") and rule.assessment_required
    assert (rule.correction_deadline_days, rule.qr_rotation_seconds) == (1, 30)
    assert rule.max_cohort_months == 1
    # The release states the month; the 80% and 3-for-1 are ours (issue 11).
    assert "1개월 이내만 보도자료 원문" in rule.note and "80% 이상 수료" in rule.note
    assert "itda 기본값(국민내일배움카드 훈련 관행) — 운영지침 확인 필요" in rule.note
    assert rule_in_force(mss, datetime.date(2026, 7, 1)) == rule


def test_a_second_run_creates_nothing_and_the_counts_are_merged():
    first = reference_load_all()
    second = reference_load_all()
    assert first["trainingrule"] == second["trainingrule"] == 1
    assert first["region"] == 17  # the programs app's counts are in the same dict
    assert second["created"] == 0
    assert TrainingRule.objects.count() == 1


def test_a_version_in_the_database_is_never_rewritten_and_a_later_one_takes_over():
    reference_load_all()
    seeded = TrainingRule.objects.get()
    later = TrainingRule.objects.create(
        programme=seeded.programme,
        effective_from=datetime.date(2026, 9, 1),
        incidents_per_absence=2,
        note="변경 공고",
    )
    TrainingRule.objects.filter(pk=seeded.pk).update(late_after_minutes=15)
    assert reference_load_all()["created"] == 0
    seeded.refresh_from_db()
    assert seeded.late_after_minutes == 15  # the loader leaves an existing version alone
    assert rule_in_force(seeded.programme, datetime.date(2026, 8, 31)) == seeded
    assert rule_in_force(seeded.programme, datetime.date(2026, 9, 1)) == later
