"""The set-based computation: the same counts as ``attendance_tally``, nothing written when
nothing changed, versions applied by the cohort's first day, the rule table append-only."""

import datetime
import io
import random

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction

from itda import factories
from itda.payments.models import AllowanceLine, AllowanceRule
from itda.payments.services import allowance_compute, allowance_rule_create
from itda.programs.models import Programme
from itda.training.models import AttendanceStatus, Enrollment
from itda.training.selectors import attendance_tally

from .conftest import AFTER, record

pytestmark = pytest.mark.django_db


def _kst_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), factories.KST)


def test_counts_equal_the_tally_for_every_enrolment_and_period(regions, allowance_rule):
    # 7/20–8/25 spans two training months: [7/20, 8/20) and [8/20, 8/26).
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 7, 20),
        ends_on=datetime.date(2026, 8, 25),
    )
    days = [datetime.date(2026, 7, 20) + datetime.timedelta(days=n) for n in range(37)]
    sessions = factories.sessions(cohort=cohort, days=days)
    rng = random.Random(4)  # noqa: S311 - a seeded fixture
    statuses = [*AttendanceStatus.values, None]
    enrollments = []
    for n in range(8):
        trainee = factories.TraineeFactory(region=regions["seoul"])
        extra = {"status": "waitlisted", "waitlist_position": 1} if n == 7 else {}
        enrollment = factories.enrollment(cohort=cohort, trainee=trainee, **extra)
        record(enrollment, sessions, [rng.choice(statuses) for _ in sessions])
        enrollments.append(enrollment)
    as_of = datetime.datetime(2026, 8, 22, 12, 0, tzinfo=factories.KST)  # mid second period
    run = allowance_compute(cohorts=[cohort.pk], as_of=as_of)

    lines = AllowanceLine.objects.order_by("enrollment", "period_start")
    assert run.inserted == lines.count() == 14  # 7 enrolled × 2 periods; the waitlisted none
    for line in lines:
        tally = attendance_tally(
            Enrollment.objects.filter(pk=line.enrollment_id),
            as_of=as_of,
            since=_kst_midnight(line.period_start),
            until=_kst_midnight(line.period_end),
        ).get()
        planned = cohort.sessions.filter(
            starts_at__gte=_kst_midnight(line.period_start),
            starts_at__lt=_kst_midnight(line.period_end),
        ).count()
        assert (line.ended, line.attended, line.incidents, line.credited) == (
            tally.scheduled,
            tally.attended,
            tally.incidents,
            tally.credited,
        ), line.pk
        assert line.planned == planned
    assert {line.period_start for line in lines} == {
        datetime.date(2026, 7, 20),
        datetime.date(2026, 8, 20),
    }
    assert sum(line.incidents for line in lines) > 0  # the fixture exercised incidents


def _xmins() -> dict[int, str]:
    """Each line's row version: it changes whenever PostgreSQL writes the row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM payments_allowanceline")
        return dict(cursor.fetchall())


def test_a_recompute_with_nothing_new_writes_nothing_and_one_change_writes_one(
    regions, july_cohort
):
    cohort, sessions = july_cohort
    enrollments = [
        factories.enrollment(cohort=cohort, trainee=factories.TraineeFactory(region=r))
        for r in (regions["seoul"], regions["busan"], regions["gyeonggi"])
    ]
    for enrollment in enrollments:
        record(enrollment, sessions, ["present"] * 15)
    first = allowance_compute(as_of=AFTER)
    before = _xmins()
    second = allowance_compute(as_of=AFTER)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert _xmins() == before
    assert set(AllowanceLine.objects.values_list("run", flat=True)) == {first.pk}

    # The sixteenth day attended (a late roll-call) lifts one trainee to 80%.
    factories.attendance(enrollment=enrollments[0], session=sessions[15], status="present")
    third = allowance_compute(as_of=AFTER)
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 2)
    changed = AllowanceLine.objects.get(enrollment=enrollments[0])
    assert (changed.credited, changed.amount_krw, changed.run_id) == (16, 400_000, third.pk)
    after = _xmins()
    assert [pk for pk in after if after[pk] != before[pk]] == [changed.pk]


def test_a_new_version_applies_to_cohorts_starting_from_its_date(regions, allowance_rule):
    july = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.sessions(cohort=july, days=[datetime.date(2026, 7, 1)])
    august = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 8, 3),
        ends_on=datetime.date(2026, 8, 31),
        number=2,
    )
    factories.sessions(cohort=august, days=[datetime.date(2026, 8, 3)])
    for cohort in (july, august):
        enrollment = factories.enrollment(
            cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
        )
        record(enrollment, cohort.sessions.all(), ["present"])
    as_of = datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
    allowance_compute(as_of=as_of)
    assert set(AllowanceLine.objects.values_list("amount_krw", flat=True)) == {400_000}

    raised = allowance_rule_create(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 8, 1),
        amount_krw=450_000,
        full_rate="0.800",
        note="2026년 8월 개정",
    )
    run = allowance_compute(as_of=as_of)
    assert (run.updated, run.unchanged) == (1, 1)
    by_cohort = {
        line.enrollment.cohort_id: line
        for line in AllowanceLine.objects.select_related("enrollment")
    }
    assert (by_cohort[july.pk].rule_id, by_cohort[july.pk].amount_krw) == (
        allowance_rule.pk,
        400_000,
    )
    assert (by_cohort[august.pk].rule_id, by_cohort[august.pk].amount_krw) == (raised.pk, 450_000)


def test_a_rule_version_cannot_be_changed_or_deleted(allowance_rule):
    for change in (
        lambda: AllowanceRule.objects.filter(pk=allowance_rule.pk).update(amount_krw=1),
        lambda: AllowanceRule.objects.filter(pk=allowance_rule.pk).delete(),
    ):
        with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
            change()
    allowance_rule.refresh_from_db()
    assert allowance_rule.amount_krw == 400_000


def test_the_reference_load_seeds_the_mss_rule_once(db):
    Programme.objects.create(
        code="mss-smart-mfg-2026",
        name="스마트제조 전문인력 육성사업",
        ministry="중소벤처기업부",
        starts_on=datetime.date(2026, 5, 20),
        ends_on=datetime.date(2026, 12, 31),
        training_allowance_monthly_krw=400_000,
        source_document="중소벤처기업부 보도자료",
    )
    config = apps.get_app_config("payments")
    assert config.reference_load()["created"] == 1
    assert config.reference_load()["created"] == 0
    rule = AllowanceRule.objects.get()
    assert (rule.effective_from, rule.amount_krw, str(rule.full_rate), rule.shortfall) == (
        datetime.date(2026, 5, 20),
        400_000,
        "0.800",
        "none",
    )
    assert rule.note.startswith("훈련수당 월 400,000원: 중소벤처기업부 보도자료.")
    assert "출석률 80% 이상 지급·미만 미지급: itda 기본값(국민내일배움카드" in rule.note


def test_the_command_computes_every_cohort_and_says_so(regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 20)
    out = io.StringIO()
    call_command("compute_allowances", stdout=out)
    assert "신규 1" in out.getvalue()
    assert AllowanceLine.objects.get().amount_krw == 400_000


def test_a_line_whose_enrolment_went_back_to_the_waitlist_is_removed(regions, july_cohort):
    cohort, sessions = july_cohort
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    allowance_compute(as_of=AFTER)
    Enrollment.objects.filter(pk=enrollment.pk).update(status="waitlisted", waitlist_position=1)
    run = allowance_compute(as_of=AFTER)
    assert run.removed == 1 and not AllowanceLine.objects.exists()


def test_the_operator_adds_a_version_in_the_admin_but_cannot_edit_one(
    cast, login_as, allowance_rule
):
    from django.test import Client

    client = login_as(cast["admin"], Client())
    response = client.post(
        "/admin/payments/allowancerule/add/",
        {
            "programme": allowance_rule.programme_id,
            "effective_from": "2026-09-01",
            "amount_krw": "450000",
            "full_rate": "0.800",
            "shortfall": "prorate",
            "unit_period": "training_month",
            "note": "2026년 9월 개정",
        },
    )
    assert response.status_code == 302
    added = AllowanceRule.objects.get(effective_from=datetime.date(2026, 9, 1))
    assert (added.amount_krw, added.created_by) == (450_000, cast["admin"])
    change = client.post(
        f"/admin/payments/allowancerule/{allowance_rule.pk}/change/",
        {"amount_krw": "1", "note": "x"},
    )
    assert change.status_code == 403
    allowance_rule.refresh_from_db()
    assert allowance_rule.amount_krw == 400_000


def test_the_admin_refuses_an_implausible_allowance_in_korean(cast, login_as, allowance_rule):
    from django.test import Client

    client = login_as(cast["admin"], Client())
    response = client.post(
        "/admin/payments/allowancerule/add/",
        {
            "programme": allowance_rule.programme_id,
            "effective_from": "2026-09-01",
            "amount_krw": "40000000",  # 400,000 with two zeros too many
            "full_rate": "0.800",
            "shortfall": "prorate",
            "unit_period": "training_month",
            "note": "오타",
        },
    )
    assert "지급액은 0원보다 많고 5,000,000원 이하여야 합니다." in response.content.decode()
    assert AllowanceRule.objects.get() == allowance_rule


def test_a_cohort_unit_period_is_one_line_however_long_the_cohort(regions):
    allowance_rule_create(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 1, 1),
        amount_krw=600_000,
        full_rate="0.800",
        unit_period="cohort",
        note="기수 단위",
    )
    cohort = factories.cohort(
        group=regions["capital_group"],
        track=regions["track"],
        starts_on=datetime.date(2026, 7, 20),
        ends_on=datetime.date(2026, 8, 25),
    )
    days = [datetime.date(2026, 7, 20) + datetime.timedelta(days=n) for n in range(37)]
    sessions = factories.sessions(cohort=cohort, days=days)
    enrollment = factories.enrollment(
        cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
    )
    record(enrollment, sessions, ["present"] * 30)  # 30 / 37 = 81.08%
    allowance_compute(as_of=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
    line = AllowanceLine.objects.get()
    assert (line.period_start, line.period_end) == (
        datetime.date(2026, 7, 20),
        datetime.date(2026, 8, 26),
    )
    assert (line.planned, line.credited, str(line.rate), line.amount_krw) == (
        37,
        30,
        "0.8108",
        600_000,
    )
