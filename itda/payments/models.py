"""Training allowance (훈련수당): the programme's rule as versioned data, and the amounts computed
from attendance per enrolment and unit period. Amounts are stored here as the input to payment;
nothing in this app pays them."""

from __future__ import annotations

import base64

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import EncryptedCharField
from itda.programs.models import FundingSource, Programme
from itda.training.models import Enrollment


class Shortfall(models.TextChoices):
    """What a trainee below the full-payment rate gets."""

    PRORATE = "prorate", "출석 인정일수 비례 지급"
    NONE = "none", "미지급"


class UnitPeriod(models.TextChoices):
    TRAINING_MONTH = "training_month", "훈련 1개월(개강일부터 매 1개월)"
    COHORT = "cohort", "기수 전체"


class Ineligible(models.TextChoices):
    """Why a line pays nothing whatever the attendance: the allowance is for job seekers
    ("구직자 실무·기술교육(1개월 이내, 월 40만원 훈련수당 지급)", 004)."""

    EMPLOYED = "employed", "신청 시 재직자"


@pgtrigger.register(
    pgtrigger.Protect(
        name="allowance_rule_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class AllowanceRule(models.Model):
    """A programme's allowance rule, one row per version: a change is a new row from a date.

    A cohort is paid under the version in force on its first day (as with the training rule), so
    a new version never rewrites a running cohort's amounts."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="allowance_rules", verbose_name="사업"
    )
    effective_from = models.DateField(
        "적용 시작일(이 날 이후 개강 기수)", validators=[validate_era]
    )
    amount_krw = models.PositiveIntegerField("단위기간 지급액(원)")
    full_rate = models.DecimalField("전액 지급 출석률", max_digits=4, decimal_places=3, default=0.8)
    shortfall = models.CharField(
        "기준 미달 시", max_length=20, choices=Shortfall.choices, default=Shortfall.NONE
    )
    unit_period = models.CharField(
        "단위기간", max_length=20, choices=UnitPeriod.choices, default=UnitPeriod.TRAINING_MONTH
    )
    note = models.CharField("근거", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="처리자",
    )
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "훈련수당 규칙"
        verbose_name_plural = "훈련수당 규칙"
        ordering = ["programme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_from"],
                name="allowance_rule_version_unique",
                violation_error_message="같은 적용 시작일의 훈련수당 규칙이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(full_rate__gt=0) & Q(full_rate__lte=1),
                name="allowance_rule_rate_range",
                violation_error_message="전액 지급 출석률은 0보다 크고 1 이하여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(amount_krw__gt=0) & Q(amount_krw__lte=5_000_000),
                name="allowance_rule_amount_range",
                violation_error_message="지급액은 0원보다 많고 5,000,000원 이하여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} 훈련수당 규칙 ({self.effective_from:%Y-%m-%d}~)"

    @property
    def rule_origin_prefix(self) -> str:
        """The key prefix of the origins of this programme's allowance rules (RuleOrigin.key)."""
        return f"{self.programme.code}.allowance"


class AllowanceRun(models.Model):
    """One computation: who ran it, as of when, and how many lines it wrote."""

    as_of = models.DateTimeField("기준 시각", validators=[validate_era])
    cohort_ids = models.JSONField("대상 기수", null=True, blank=True)  # null: every cohort
    inserted = models.PositiveIntegerField("신규", default=0)
    updated = models.PositiveIntegerField("변경", default=0)
    unchanged = models.PositiveIntegerField("변동 없음", default=0)
    removed = models.PositiveIntegerField("삭제", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="처리자",
    )
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "훈련수당 계산"
        verbose_name_plural = "훈련수당 계산"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"훈련수당 계산 #{self.pk}"


class AllowanceLine(models.Model):
    """One enrolment's allowance for one unit period, with the counts and the rule behind it.

    Counts are sessions (차시; a training day may hold several), counted exactly as
    ``attendance_tally`` counts them. ``ended < planned`` means sessions were still to come when
    the row was computed: its amount is no verdict yet. ``run`` is the last computation that
    changed the row."""

    # No single-column indexes on the foreign keys: the unique (enrollment, period_start)
    # serves enrolment lookups, rules and runs are never deleted, and every index costs the
    # bulk computation time.
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="allowance_lines",
        verbose_name="수강",
        db_index=False,
    )
    period_start = models.DateField("단위기간 시작", validators=[validate_era])
    period_end = models.DateField("단위기간 끝(다음 날)", validators=[validate_era])
    planned = models.PositiveSmallIntegerField("훈련일")
    ended = models.PositiveSmallIntegerField("지난 훈련일")
    attended = models.PositiveSmallIntegerField("출석(공결 포함)")
    incidents = models.PositiveSmallIntegerField("지각·조퇴")
    credited = models.PositiveSmallIntegerField("출석 인정일")
    # credited / planned truncated to four places, so 79.99% never shows as 80.00%.
    rate = models.DecimalField("출석률", max_digits=5, decimal_places=4)
    # The period's amount by the rule alone; ``amount_krw`` is what remains of it under the
    # per-person cap of the programme (training months × monthly allowance), after the amounts
    # of the person's earlier periods in the programme (``prior_krw``), in any cohort.
    uncapped_krw = models.PositiveIntegerField("한도 적용 전 산정액(원)")
    cap_krw = models.PositiveIntegerField("1인당 한도(원)", null=True, blank=True)
    prior_krw = models.PositiveIntegerField("앞서 산정된 금액(원)", default=0)
    ineligible = models.CharField(
        "지급 제외 사유", max_length=20, choices=Ineligible.choices, blank=True
    )
    amount_krw = models.PositiveIntegerField("산정액(원)")
    rule = models.ForeignKey(
        AllowanceRule,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        verbose_name="규칙",
    )
    run = models.ForeignKey(
        AllowanceRun,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        verbose_name="계산",
    )
    computed_at = models.DateTimeField("산정 시각", validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        group="enrollment__cohort__course__operating_group", person="enrollment__trainee__user"
    )

    class Meta:
        verbose_name = "훈련수당 산정"
        verbose_name_plural = "훈련수당 산정"
        ordering = ["enrollment", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "period_start"],
                name="allowance_line_once_per_period",
                violation_error_message="이 단위기간의 수당 내역이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="allowance_line_period_ordered",
                violation_error_message="단위기간 끝은 시작 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(ended__lte=models.F("planned"))
                & Q(credited__lte=models.F("attended"))
                & Q(attended__lte=models.F("ended")),
                name="allowance_line_counts_consistent",
                violation_error_message="수당 내역의 차시 수가 서로 맞지 않습니다.",
            ),
            models.CheckConstraint(
                condition=Q(amount_krw__lte=models.F("uncapped_krw"))
                & (
                    Q(cap_krw__isnull=True)
                    | Q(amount_krw__lte=models.F("cap_krw") - models.F("prior_krw"))
                ),
                name="allowance_line_within_cap",
                violation_error_message="산정액이 1인당 한도를 넘습니다.",
            ),
            models.CheckConstraint(
                condition=Q(ineligible="") | Q(uncapped_krw=0),
                name="allowance_line_ineligible_pays_nothing",
                violation_error_message="지급 제외 대상의 산정액은 0원이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} {self.period_start:%Y-%m-%d} {self.amount_krw:,}원"


# --- Statements, ledger, budget (issue 13) -------------------------------------------------------


class StatementKind(models.TextChoices):
    TRAINING_ALLOWANCE = "training_allowance", "훈련수당"
    INTERNSHIP_ALLOWANCE = "internship_allowance", "인턴수당"
    WAGE_SUPPORT = "wage_support", "기업 인건비 지원"


class StatementState(models.TextChoices):
    """Where a statement stands. An approved statement joins a payment batch (in_batch) and
    becomes paid when the bank's result file says so; a failed transfer puts it back to
    approved (the batch line keeps the reason) so it lands on the retry list."""

    DRAFT = "draft", "산정"
    APPROVED = "approved", "승인"
    IN_BATCH = "in_batch", "지급 처리 중"
    PAID = "paid", "지급 완료"


class Statement(models.Model):
    """What one payee (a person or a company) is owed for one period, kind and programme, with
    the arithmetic that made the amount (``payments.engine``'s record) and the rule version.

    One per (payee, period, kind, programme); a correction of an amount already approved is a
    second statement, negative for a clawback, linked to the one it corrects."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="statements", verbose_name="사업"
    )
    kind = models.CharField("구분", max_length=30, choices=StatementKind.choices)
    period_start = models.DateField("기간 시작", validators=[validate_era])
    period_end = models.DateField("기간 끝(다음 날)", validators=[validate_era])
    trainee = models.ForeignKey(
        "programs.Trainee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name="받는 사람",
    )
    company = models.ForeignKey(
        "programs.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name="받는 기업",
    )
    # The operating group that manages the payee's training or internship: the scope.
    operating_group = models.ForeignKey(
        "programs.OperatingGroup",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name="사업단",
    )
    # What is paid (net of withholding); the gross is what the per-person cap counts.
    amount_krw = models.IntegerField("금액(원)")
    gross_krw = models.IntegerField("원천징수 전 금액(원)", default=0)
    arithmetic = models.JSONField("산정 내역")
    rule_version = models.CharField("산정 규칙 버전", max_length=40)
    state = models.CharField(
        "상태", max_length=20, choices=StatementState.choices, default=StatementState.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="정정 대상",
    )
    computed_at = models.DateTimeField("산정 시각", validators=[validate_era])
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="operating_group", company="company", person="trainee__user")

    class Meta:
        verbose_name = "지급 명세"
        verbose_name_plural = "지급 명세"
        ordering = ["period_start", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trainee__isnull=True) ^ Q(company__isnull=True),
                name="statement_one_payee",
                violation_error_message="지급 명세는 사람 또는 기업 한쪽에만 지급합니다.",
            ),
            models.CheckConstraint(
                condition=Q(amount_krw__gte=0) | Q(corrects__isnull=False),
                name="statement_negative_only_as_clawback",
                violation_error_message="음수 금액은 정정(환수) 명세에만 쓸 수 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="statement_period_ordered",
                violation_error_message="기간 끝은 시작 이후여야 합니다.",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "period_start", "trainee"],
                condition=Q(corrects__isnull=True, trainee__isnull=False),
                name="statement_once_per_person_period",
                violation_error_message="이 사람의 같은 기간·구분 지급 명세가 이미 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "period_start", "company"],
                condition=Q(corrects__isnull=True, company__isnull=False),
                name="statement_once_per_company_period",
                violation_error_message="이 기업의 같은 기간·구분 지급 명세가 이미 있습니다.",
            ),
            # Corrections hang off the one original of their key (the unique constraints above
            # hold for originals); approved ones are final, so at most one is still open and
            # follows the facts.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(state="draft"),
                name="statement_one_open_correction",
                violation_error_message="이 명세에는 아직 승인되지 않은 정정 명세가 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d} {self.amount_krw:,}원"


class StatementTransition(models.Model):
    """One change of a statement's state: who, when, from, to and why."""

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="transitions", verbose_name="지급 명세"
    )
    from_state = models.CharField("이전 상태", max_length=20, choices=StatementState.choices)
    to_state = models.CharField("새 상태", max_length=20, choices=StatementState.choices)
    note = models.CharField("사유", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "지급 명세 상태 변경"
        verbose_name_plural = "지급 명세 상태 변경"
        ordering = ["statement", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.from_state} → {self.to_state}"


class Budget(models.Model):
    """A programme's budget for one kind of money from one funding source (국비/지방비/민간);
    what is committed, paid and left is read from the ledger, never stored."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="kind_budgets", verbose_name="사업"
    )
    source = models.CharField("재원", max_length=20, choices=FundingSource.choices)
    kind = models.CharField("구분", max_length=30, choices=StatementKind.choices)
    amount_krw = models.BigIntegerField("예산(원)")

    class Meta:
        verbose_name = "지급 예산"
        verbose_name_plural = "지급 예산"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source", "kind"],
                name="payments_budget_unique",
                violation_error_message="이 사업에는 같은 재원·구분의 예산이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(amount_krw__gte=0),
                name="payments_budget_non_negative",
                violation_error_message="예산 금액은 0원 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_source_display()} {self.get_kind_display()}"


class EntryType(models.TextChoices):
    COMMIT = "commit", "지출 약정"
    PAY = "pay", "지급"


@pgtrigger.register(
    pgtrigger.Protect(name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class LedgerEntry(models.Model):
    """One money movement against a programme's budget. Append-only (the database refuses
    UPDATE and DELETE): a correction is a reversing entry pointing at the one it reverses."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name="사업"
    )
    source = models.CharField("재원", max_length=20, choices=FundingSource.choices)
    kind = models.CharField("구분", max_length=30, choices=StatementKind.choices)
    entry_type = models.CharField("유형", max_length=20, choices=EntryType.choices)
    amount_krw = models.BigIntegerField("금액(원)")
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name="지급 명세",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="취소 대상",
    )
    memo = models.CharField("적요", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="처리자",
    )
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "원장"
        verbose_name_plural = "원장"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.amount_krw:,}원"


# --- Payment batches (issue 13) ------------------------------------------------------------------


class BatchState(models.TextChoices):
    """A batch is drafted, approved by a second person, exported to the bank and closed once
    every line has the bank's result; it can be cancelled only before export."""

    DRAFT = "draft", "작성"
    APPROVED = "approved", "승인"
    EXPORTED = "exported", "이체 파일 생성"
    CLOSED = "closed", "완료"
    CANCELLED = "cancelled", "취소"


class PaymentBatch(models.Model):
    """One payment run of a programme: the approved statements of one kind and month (and the
    retry list) of an operating group, or of every group (the operator's national batch,
    ``operating_group`` null). Four eyes: the checker who approves is never the maker."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="payment_batches", verbose_name="사업"
    )
    operating_group = models.ForeignKey(
        "programs.OperatingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_batches",
        verbose_name="사업단",
    )
    month = models.DateField("지급 대상 월", validators=[validate_era])
    kind = models.CharField("구분", max_length=30, choices=StatementKind.choices)
    state = models.CharField(
        "상태", max_length=20, choices=BatchState.choices, default=BatchState.DRAFT
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="작성자"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="승인자",
    )
    # The checker re-entered a valid authenticator code for this approval (not only at login).
    totp_verified = models.BooleanField("승인 시 인증번호 확인", default=False)
    created_at = models.DateTimeField("작성 시각", auto_now_add=True)
    approved_at = models.DateTimeField(
        "승인 시각", null=True, blank=True, validators=[validate_era]
    )
    exported_at = models.DateTimeField(
        "이체 파일 생성 시각", null=True, blank=True, validators=[validate_era]
    )
    closed_at = models.DateTimeField("완료 시각", null=True, blank=True, validators=[validate_era])
    cancelled_at = models.DateTimeField(
        "취소 시각", null=True, blank=True, validators=[validate_era]
    )

    objects = ScopedQuerySet.as_manager()
    # A national batch (no group) is seen by group staff too, as a header: its lines are scoped
    # by their statements' groups, and only the operator acts on it (payments.batches).
    scope = ScopePaths(group="operating_group")

    class Meta:
        verbose_name = "지급 배치"
        verbose_name_plural = "지급 배치"
        ordering = ["-month", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="payment_batch_month_first_day",
                violation_error_message="지급 대상 월은 그 달 1일로 기록합니다.",
            ),
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("maker")),
                name="payment_batch_four_eyes",
                violation_error_message="배치를 작성한 사람은 승인할 수 없습니다.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "cancelled"])
                | (Q(checker__isnull=False) & Q(totp_verified=True)),
                name="payment_batch_approved_by_checker",
                violation_error_message="승인자와 인증번호 확인 없이 승인된 배치는 둘 수 없습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y년 %m월} {self.get_kind_display()} 지급 배치 #{self.pk}"


class LineResult(models.TextChoices):
    PENDING = "pending", "결과 대기"
    PAID = "paid", "지급 완료"
    FAILED = "failed", "이체 실패"
    # The batch was cancelled before export: the line never went to the bank.
    CANCELLED = "cancelled", "배치 취소"


class BatchLine(models.Model):
    """One statement in a batch, with the payee's bank details as they were when the batch was
    drafted (the transfer goes where the line says, whatever the profile says later)."""

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="lines", verbose_name="배치"
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="batch_lines", verbose_name="지급 명세"
    )
    amount_krw = models.IntegerField("금액(원)")
    bank_name = models.CharField("은행", max_length=20, blank=True)
    bank_account = EncryptedCharField("계좌번호", blank=True)
    bank_holder = models.CharField("예금주", max_length=50, blank=True)
    result = models.CharField(
        "결과", max_length=20, choices=LineResult.choices, default=LineResult.PENDING
    )
    failure_reason = models.CharField("실패 사유", max_length=200, blank=True)
    result_at = models.DateTimeField(
        "결과 반영 시각", null=True, blank=True, validators=[validate_era]
    )

    objects = ScopedQuerySet.as_manager()
    # As the statement: the staff of the payee's group (in a group's or the national batch),
    # the company or the person paid.
    scope = ScopePaths(
        group="statement__operating_group",
        company="statement__company",
        person="statement__trainee__user",
    )

    class Meta:
        verbose_name = "지급 배치 명세"
        verbose_name_plural = "지급 배치 명세"
        ordering = ["batch", "pk"]
        constraints = [
            # Nothing is ever paid twice: a statement is in at most one line that is waiting
            # for the bank or paid; a failed or cancelled line frees it for the next batch.
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(result__in=["pending", "paid"]),
                name="batch_line_statement_once",
                violation_error_message=(
                    "이 지급 명세는 이미 다른 배치에서 지급 중이거나 지급되었습니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount_krw__gt=0),
                name="batch_line_amount_positive",
                violation_error_message="배치에는 0원보다 많은 금액만 넣을 수 있습니다.",
            ),
            models.CheckConstraint(
                condition=~Q(result="failed") | ~Q(failure_reason=""),
                name="batch_line_failure_has_reason",
                violation_error_message="이체 실패에는 사유가 있어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.statement_id} {self.amount_krw:,}원"


class BatchEvent(models.Model):
    """One change of a batch's state: who, when, from, to and why."""

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="events", verbose_name="배치"
    )
    from_state = models.CharField(
        "이전 상태", max_length=20, choices=BatchState.choices, blank=True
    )
    to_state = models.CharField("새 상태", max_length=20, choices=BatchState.choices)
    note = models.CharField("사유", max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "지급 배치 상태 변경"
        verbose_name_plural = "지급 배치 상태 변경"
        ordering = ["batch", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.from_state or '-'} → {self.to_state}"


class BatchOffset(models.Model):
    """A clawback (an approved negative correction) netted against one line of a batch: the
    line sends the payee's statement less what the payee owes. The clawback moves with the
    line — in the batch, paid when the bank pays the line, back to waiting (환수 대기) when the
    transfer fails or the batch is cancelled."""

    line = models.ForeignKey(
        BatchLine, on_delete=models.PROTECT, related_name="offsets", verbose_name="배치 명세"
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="offsets", verbose_name="환수 명세"
    )
    amount_krw = models.IntegerField("상계액(원)")

    class Meta:
        verbose_name = "환수 상계"
        verbose_name_plural = "환수 상계"
        ordering = ["line", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_krw__lt=0),
                name="batch_offset_negative",
                violation_error_message="상계는 환수(음수) 금액만 할 수 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.statement_id} {self.amount_krw:,}원"


class BatchFileKind(models.TextChoices):
    TRANSFER = "transfer", "이체 파일"
    RESULT = "result", "은행 결과 파일"


class BatchFile(models.Model):
    """A file of a batch kept as it left or reached itda: the one transfer workbook, stored in
    the transaction that marks the batch exported (a process that dies before the operator has
    it loses nothing, and the download again is this very file, never a second export), and
    each result file the bank sent, stored before it is applied so an interrupted application
    resumes from the same rows."""

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="files", verbose_name="배치"
    )
    kind = models.CharField("종류", max_length=20, choices=BatchFileKind.choices)
    # The file names accounts: kept encrypted as the accounts are (base64 inside), under the
    # same keys and their rotation.
    content = EncryptedCharField("파일")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="작성자"
    )
    created_at = models.DateTimeField("생성 시각", auto_now_add=True)
    # A result file: when every one of its rows had been applied.
    applied_at = models.DateTimeField(
        "반영 완료 시각", null=True, blank=True, validators=[validate_era]
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="batch__operating_group")

    class Meta:
        verbose_name = "지급 배치 파일"
        verbose_name_plural = "지급 배치 파일"
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch"],
                condition=Q(kind="transfer"),
                name="batch_file_one_transfer",
                violation_error_message="배치의 이체 파일은 하나뿐입니다.",
            ),
            models.UniqueConstraint(
                fields=["batch", "kind", "sha256"],
                name="batch_file_once",
                violation_error_message="같은 파일이 이미 저장되어 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.get_kind_display()} {self.sha256[:12]}"

    @property
    def data(self) -> bytes:
        return base64.b64decode(self.content)
