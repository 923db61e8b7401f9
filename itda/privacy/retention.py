"""The retention schedule (보유기간): for each kind of personal data, how long it is kept, on
what basis, and how it is destroyed when that time has passed (PIPA 제21조).

A rule's ``expired(now)`` selects the rows whose period ended before ``now``; ``destroy(rows)``
deletes or anonymises them and returns how many. Anonymised rows keep what the statistics need
(status, result, call, region) and lose everything that identifies a person — in their change
history too, which would otherwise keep every old value.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pghistory.models
import pgtrigger
from axes.models import AccessAttempt
from django.apps import apps
from django.db import models, transaction
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q

from itda.accounts import partitions
from itda.accounts.models import AccountLockout, PersonalDataAccess
from itda.evaluation.models import Appeal, AppealStatus, Ranking, RankingStatus
from itda.payments.models import BatchLine
from itda.privacy.models import DestructionMethod
from itda.recruitment.models import Application, ApplicationDocument, ApplicationStatus, Result

DEFAULT = "itda 기본값 — 운영지침 확인 필요"
DESTROYED = "파기:"  # an anonymised application's key
DESTROYED_SNAPSHOT = {"파기": True}


@dataclass(frozen=True)
class RetentionRule:
    key: str
    what: str  # the kind of data, as the schedule and the destruction record name it
    period: str  # how long, in words
    basis: str  # the law, or DEFAULT
    method: DestructionMethod
    expired: Callable[[datetime.datetime], models.QuerySet]
    destroy: Callable[[models.QuerySet], int]
    # Where the data is kept in monthly partitions: drop the months wholly past their period
    # (returns the rows they held) before ``destroy`` deletes what is left of the period.
    drop_months: Callable[[datetime.datetime], int] | None = None

    @property
    def is_default(self) -> bool:
        return self.basis.startswith("itda 기본값")


def _history_forget(model: type[models.Model], ids: list[int]) -> None:
    """Drop the change history (pghistory events) of destroyed rows: an anonymised row whose
    events still hold its old values would be destroyed in name only."""
    for event_model in apps.get_models():
        if (
            issubclass(event_model, pghistory.models.Event)
            and getattr(event_model, "pgh_tracked_model", None) is model
        ):
            event_model.objects.filter(pgh_obj_id__in=ids).delete()


def _delete(rows: models.QuerySet) -> int:
    return rows._raw_delete(rows.db)


# --- 접속기록 -------------------------------------------------------------------------------


def _access_log_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=2 * 365 + 1)


def _access_log_expired(now: datetime.datetime) -> models.QuerySet:
    return PersonalDataAccess.objects.filter(at__lt=_access_log_cutoff(now))


def _access_log_drop_months(now: datetime.datetime) -> int:
    return partitions.drop_months_before(_access_log_cutoff(now))


def _access_log_destroy(rows: models.QuerySet) -> int:
    # The log refuses DELETE to everyone else; its own retention rule is the one exception.
    with pgtrigger.ignore("accounts.PersonalDataAccess:access_log_append_only"):
        return _delete(rows)


# --- login failures -------------------------------------------------------------------------


def _lockouts_expired(now: datetime.datetime) -> models.QuerySet:
    return AccountLockout.objects.filter(started_at__lt=now - datetime.timedelta(days=365))


def _attempts_expired(now: datetime.datetime) -> models.QuerySet:
    return AccessAttempt.objects.filter(attempt_time__lt=now - datetime.timedelta(days=365))


# --- applications that led nowhere ------------------------------------------------------------

UNSUCCESSFUL = Q(result__in=[Result.NOT_SELECTED, Result.WAITLISTED]) | Q(
    status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT]
)


def _applications_expired(now: datetime.datetime) -> models.QuerySet:
    """Trainee applications not selected (or withdrawn, or never submitted) one year after the
    call's appeal window closed, with no appeal still open."""
    window_closed = ExpressionWrapper(
        F("published_at") + datetime.timedelta(days=1) * F("call__appeal_days"),
        output_field=models.DateTimeField(),
    )
    closed_long_ago = (
        Ranking.objects.filter(call=OuterRef("call"), status=RankingStatus.PUBLISHED)
        .annotate(window_closed=window_closed)
        .filter(window_closed__lt=now - datetime.timedelta(days=365))
    )
    open_appeal = Appeal.objects.filter(application=OuterRef("pk"), status=AppealStatus.FILED)
    return (
        Application.objects.filter(UNSUCCESSFUL, trainee__isnull=False)
        .exclude(applicant_key__startswith=DESTROYED)
        .filter(Exists(closed_long_ago))
        .exclude(Exists(open_appeal))
    )


def _applications_destroy(rows: models.QuerySet) -> int:
    ids = list(rows.values_list("pk", flat=True))
    documents = list(ApplicationDocument.objects.filter(application_id__in=ids))
    for document in documents:
        # Files go once the rows that name them are gone for good.
        transaction.on_commit(lambda f=document.file: f.delete(save=False))
    ApplicationDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    Application.objects.filter(pk__in=ids).update(
        answers={},
        # A submitted application must carry a snapshot (a check constraint): this one says
        # only that it was destroyed.
        profile_snapshot=DESTROYED_SNAPSHOT,
        organisation_name="",
        employment_status="",
        # The key is the applicant's normalised phone number; the unique constraint needs a value.
        applicant_key=models.functions.Concat(models.Value(DESTROYED), F("pk")),
    )
    _history_forget(Application, ids)
    return len(ids)


# --- bank accounts copied into payment batches ---------------------------------------------------


def _batch_accounts_expired(now: datetime.datetime) -> models.QuerySet:
    cutoff = now - datetime.timedelta(days=5 * 365 + 1)
    return BatchLine.objects.exclude(bank_account="").filter(
        Q(batch__closed_at__lt=cutoff) | Q(batch__cancelled_at__lt=cutoff)
    )


def _batch_accounts_destroy(rows: models.QuerySet) -> int:
    return rows.update(bank_account="", bank_holder="")


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        key="access_log",
        what="개인정보 접속기록",
        period="기록 후 2년",
        basis="개인정보의 안전성 확보조치 기준 제8조① (5만 명 이상·고유식별정보 처리 시 2년 이상)",
        method=DestructionMethod.DELETE,
        expired=_access_log_expired,
        destroy=_access_log_destroy,
        drop_months=_access_log_drop_months,
    ),
    RetentionRule(
        key="unsuccessful_applications",
        what="미선정·철회·미제출 교육생 신청서 (신청 내용, 제출 서류)",
        period="이의신청 기간 종료 후 1년",
        basis=DEFAULT,
        method=DestructionMethod.ANONYMISE,
        expired=_applications_expired,
        destroy=_applications_destroy,
    ),
    RetentionRule(
        key="batch_accounts",
        what="지급 묶음에 복사된 계좌번호·예금주",
        period="지급 완료(또는 취소) 후 5년",
        basis=DEFAULT,
        method=DestructionMethod.ANONYMISE,
        expired=_batch_accounts_expired,
        destroy=_batch_accounts_destroy,
    ),
    RetentionRule(
        key="account_lockouts",
        what="계정 잠금 기록 (계정, 접속지)",
        period="잠금 후 1년",
        basis=DEFAULT,
        method=DestructionMethod.DELETE,
        expired=_lockouts_expired,
        destroy=_delete,
    ),
    RetentionRule(
        key="login_attempts",
        what="로그인 실패 기록 (계정, 접속지, 브라우저)",
        period="마지막 실패 후 1년",
        basis=DEFAULT,
        method=DestructionMethod.DELETE,
        expired=_attempts_expired,
        destroy=_delete,
    ),
)
