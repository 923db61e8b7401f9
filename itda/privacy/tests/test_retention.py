"""Retention and destruction: what is past its period goes (anonymised or deleted, with its
history), what is not stays, each run leaves a destruction record, a second run does nothing."""

import datetime

import pghistory.models
import pgtrigger
import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InternalError, ProgrammingError, transaction
from django.utils import timezone

from itda import factories
from itda.accounts.models import AccessAction, AccountLockout, PersonalDataAccess
from itda.evaluation.models import Appeal, Ranking
from itda.payments.models import BatchLine, BatchState, PaymentBatch
from itda.payments.tests import batch_world
from itda.privacy import selectors
from itda.privacy.models import DestructionRecord
from itda.privacy.services import retention_run
from itda.recruitment.models import ApplicationDocument, CallKind, DocumentRequirement

NOW = timezone.now()


def _published_call(regions, admin, *, published_days_ago: int, appeal_days: int = 7):
    call = factories.call(
        programme=regions["programme"],
        kind=CallKind.TRAINEE,
        track=regions["track"],
        appeal_days=appeal_days,
    )
    Ranking.objects.create(
        call=call,
        status="published",
        method="mean",
        input_json="{}",
        input_sha256="0" * 64,
        result_json="{}",
        computed_by=admin,
        published_at=NOW - datetime.timedelta(days=published_days_ago),
    )
    return call


def _applied(call, result, **extra):
    trainee = factories.TraineeFactory(
        region=call.programme.operating_groups.first().regions.first()
    )
    return factories.application(
        call=call, trainee=trainee, result=result, answers={"motivation": "지원 동기 본문"}, **extra
    )


def _history(application) -> int:
    return (
        pghistory.models.Events.objects.filter(pgh_obj_model="recruitment.Application")
        .filter(pgh_obj_id=str(application.pk))
        .count()
    )


@pytest.fixture
def old_call(regions, admin):
    """Its appeal window closed 393 days ago: past the one-year period."""
    return _published_call(regions, admin, published_days_ago=400)


def test_unsuccessful_applications_are_anonymised_with_their_files_and_history(
    old_call, regions, admin, django_capture_on_commit_callbacks
):
    rejected = _applied(old_call, "not_selected")
    selected = _applied(old_call, "selected")
    requirement = DocumentRequirement.objects.create(
        call=old_call, name="자격증 사본", allowed_kinds=["pdf"]
    )
    name = default_storage.save("applications/test-destroy.pdf", ContentFile(b"%PDF-1.4 test"))
    ApplicationDocument.objects.create(
        application=rejected,
        requirement=requirement,
        file=name,
        original_name="자격증.pdf",
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
    )
    assert _history(rejected) >= 1

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_run(now=NOW)

    assert counts["unsuccessful_applications"] == 1
    rejected.refresh_from_db()
    assert rejected.answers == {} and rejected.profile_snapshot == {"파기": True}
    assert rejected.applicant_key == f"파기:{rejected.pk}"
    assert rejected.result == "not_selected"  # the statistics keep the outcome
    assert not rejected.documents.exists()
    assert not default_storage.exists(name)
    assert _history(rejected) == 0
    selected.refresh_from_db()
    assert selected.answers == {"motivation": "지원 동기 본문"}
    assert _history(selected) >= 1
    record = DestructionRecord.objects.get(rule="unsuccessful_applications")
    assert (record.count, record.method, record.run_by) == (1, "anonymise", None)
    assert "itda 기본값" in record.basis

    assert retention_run(now=NOW)["unsuccessful_applications"] == 0
    assert DestructionRecord.objects.filter(rule="unsuccessful_applications").count() == 1


def test_applications_inside_their_period_or_under_appeal_are_kept(regions, admin, old_call):
    recent = _published_call(regions, admin, published_days_ago=300)
    waiting = _applied(recent, "not_selected")
    appealed = _applied(old_call, "not_selected")
    Appeal.objects.create(
        application=appealed,
        ranking=old_call.rankings.get(),
        reason="점수 재검토 요청",
        filed_by=admin,
    )

    assert retention_run(now=NOW)["unsuccessful_applications"] == 0
    for application in (waiting, appealed):
        application.refresh_from_db()
        assert application.answers == {"motivation": "지원 동기 본문"}


def test_forecast_counts_what_falls_due_next_month(regions, admin):
    today = timezone.localdate()
    next_month = selectors.next_month(today)
    # The window closes on the 10th of next month minus one year: due during next month.
    closes = datetime.datetime.combine(
        next_month.replace(day=10) - datetime.timedelta(days=365),
        datetime.time(12),
        tzinfo=selectors.KST,
    )
    call = _published_call(regions, admin, published_days_ago=(NOW - closes).days + 7)
    _applied(call, "not_selected")

    forecast = {f.rule.key: f for f in selectors.retention_forecast(today=today)}
    assert forecast["unsuccessful_applications"].due_now == 0
    assert forecast["unsuccessful_applications"].due_next_month == 1


def _access(admin, *, at, action=AccessAction.VIEW, subjects=(1,), reason=""):
    row = PersonalDataAccess.objects.create(
        actor=admin,
        actor_username=admin.username,
        ip_address="10.0.0.1",
        action=action,
        subject_type="programs.trainee",
        subject_ids=list(subjects),
        path="/registry/trainees/",
        reason=reason,
    )
    with pgtrigger.ignore("accounts.PersonalDataAccess:access_log_append_only"):
        PersonalDataAccess.objects.filter(pk=row.pk).update(at=at)
    return row


def test_access_log_older_than_two_years_is_deleted_and_the_rest_still_refuses_delete(admin):
    old = _access(admin, at=NOW - datetime.timedelta(days=2 * 365 + 2))
    kept = _access(admin, at=NOW - datetime.timedelta(days=2 * 365 - 2))

    assert retention_run(now=NOW)["access_log"] == 1
    assert not PersonalDataAccess.objects.filter(pk=old.pk).exists()
    assert PersonalDataAccess.objects.filter(pk=kept.pk).exists()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=kept.pk).delete()
    record = DestructionRecord.objects.get(rule="access_log")
    assert "제8조" in record.basis and not record.basis.startswith("itda 기본값")


def test_destruction_records_are_append_only(admin):
    _access(admin, at=NOW - datetime.timedelta(days=800))
    retention_run(now=NOW, actor=admin)
    record = DestructionRecord.objects.get()
    assert record.run_by == admin
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        DestructionRecord.objects.filter(pk=record.pk).update(count=0)


def test_login_failure_records_go_after_a_year(admin):
    old = AccountLockout.objects.create(user=admin, until=NOW, failures=5, ip_address="10.0.0.2")
    AccountLockout.objects.filter(pk=old.pk).update(started_at=NOW - datetime.timedelta(days=366))
    recent = AccountLockout.objects.create(user=admin, until=NOW, failures=5, ip_address="10.0.0.3")
    AccessAttempt.objects.create(
        username="admin", ip_address="10.0.0.2", user_agent="x", failures_since_start=1
    )
    AccessAttempt.objects.update(attempt_time=NOW - datetime.timedelta(days=400))

    counts = retention_run(now=NOW)
    assert (counts["account_lockouts"], counts["login_attempts"]) == (1, 1)
    assert list(AccountLockout.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessAttempt.objects.exists()


def test_bank_accounts_copied_into_a_batch_are_cleared_five_years_after_it_ended(regions, admin):
    statement = batch_world.approved(regions)
    batch = PaymentBatch.objects.create(
        programme=regions["programme"],
        operating_group=regions["capital_group"],
        kind=batch_world.KIND,
        month=batch_world.AUG,
        maker=admin,
        state=BatchState.CANCELLED,
        cancelled_at=NOW - datetime.timedelta(days=5 * 365 + 2),
    )
    line = BatchLine.objects.create(
        batch=batch,
        statement=statement,
        amount_krw=statement.amount_krw,
        bank_name="국민",
        bank_account="12345678901234",
        bank_holder="김지급",
    )

    assert retention_run(now=NOW)["batch_accounts"] == 1
    line.refresh_from_db()
    assert (line.bank_account, line.bank_holder, line.amount_krw) == ("", "", 2_000_000)
