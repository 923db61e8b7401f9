"""Calls (공모·모집), applications (신청) with their documents and status trail."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField
from itda.programs.models import (
    Company,
    EmploymentStatus,
    OperatingGroup,
    Programme,
    Region,
    Track,
    Trainee,
    TransformationPlan,
)


class CallKind(models.TextChoices):
    COMPANY = "company", "참여기업"
    OPERATING_GROUP = "operating_group", "사업단"
    TRAINEE = "trainee", "교육생"
    PLAN = "plan", "산단대개조 혁신계획"


class CallQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


@pghistory.track()
class Call(models.Model):
    """공모·모집: an open call for one kind of applicant, with a window to the KST minute."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name="사업"
    )
    kind = models.CharField("모집 대상", max_length=20, choices=CallKind.choices)
    title = models.CharField("공고명", max_length=200)
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="트랙",
    )
    operating_group = models.ForeignKey(
        OperatingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="주관 사업단",
    )
    description = BoundedTextField("공고 내용", max_length=10000, blank=True)
    opens_at = models.DateTimeField("접수 시작", validators=[validate_era])
    closes_at = models.DateTimeField("접수 마감", validators=[validate_era])
    # Eligibility rules as data, e.g. {"company_kinds": ["smart_factory"], "min_employees": 5,
    # "birth_year_min": 1991, "regions": ["11", "41"]}; see services.screening_reasons.
    eligibility = models.JSONField("신청 자격", default=dict, blank=True)
    consent_text = BoundedTextField("개인정보 수집·이용 동의문", max_length=10000, blank=True)
    consent_version = models.CharField("동의문 버전", max_length=20, blank=True)
    appeal_days = models.PositiveSmallIntegerField("이의신청 기간(일)", default=7)
    source_note = models.CharField("근거", max_length=200, blank=True)
    # Empty while the call is drafted in the call editor (only its staff see it, in preview);
    # calls seeded, imported or opened in one step are published as they are made.
    published_at = models.DateTimeField(
        "공개 일시", null=True, blank=True, default=timezone.now, validators=[validate_era]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()
    # Run by its group; a national call (no group) is every group's to follow.
    scope = ScopePaths(group="operating_group")

    class Meta:
        verbose_name = "공모"
        verbose_name_plural = "공모"
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_window_valid",
                violation_error_message="접수 마감은 접수 시작보다 늦어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="trainee") | models.Q(track__isnull=False),
                name="trainee_call_has_track",
                violation_error_message="교육생 모집 공고는 트랙을 정해야 합니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(appeal_days__gte=1) & models.Q(appeal_days__lte=90),
                name="call_appeal_days_range",
                violation_error_message="이의신청 기간은 1일에서 90일 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """The window lies inside the programme's period."""
        # Without a programme yet (a form that sets it later), the service's full_clean checks.
        if self.programme_id is not None:
            errors = self.programme.period_errors(self, "opens_at", "closes_at")
            if errors:
                raise ValidationError(errors)

    @property
    def rule_origin_prefix(self) -> str:
        """The key prefix of the origins of this call's dates, eligibility and scheme: the
        programme's, then the kind of call (calls of one kind share their rules)."""
        return f"{self.programme.code}.{self.kind}_call"

    def is_open(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


@pgtrigger.register(
    pgtrigger.Protect(
        name="call_closure_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class CallClosure(models.Model):
    """An operator closing a call before its stated deadline: who, when, why, and the deadline
    it replaced (the call's ``closes_at`` becomes the moment of closing)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="closures")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("마감 처리 일시", validators=[validate_era])
    scheduled_closes_at = models.DateTimeField("원래 마감", validators=[validate_era])
    reason = models.CharField("조기 마감 사유", max_length=300)

    class Meta:
        verbose_name = "공모 조기 마감"
        verbose_name_plural = "공모 조기 마감"
        ordering = ["call", "at", "pk"]


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    HWP = "hwp", "한글(HWP/HWPX)"
    IMAGE = "image", "이미지(JPG/PNG)"


def file_kinds_label(kinds) -> str:
    """Kinds of file as a person reads them: ["pdf", "image"] → "PDF, 이미지(JPG/PNG)"."""
    return ", ".join(FileKind(kind).label for kind in kinds)


@pghistory.track()
class DocumentRequirement(models.Model):
    """A document a call asks for: its kinds of file and size limit."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField("서류명", max_length=100)
    required = models.BooleanField("필수", default=True)
    allowed_kinds = models.JSONField("허용 형식", default=list)
    max_size_mb = models.PositiveSmallIntegerField("최대 크기(MB)", default=10)

    class Meta:
        verbose_name = "제출 서류"
        verbose_name_plural = "제출 서류"
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="requirement_name_unique",
                violation_error_message="이 공고에 같은 이름의 제출서류가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_size_mb__gte=1) & models.Q(max_size_mb__lte=100),
                name="requirement_size_range",
                violation_error_message="제출 서류의 최대 크기는 1MB에서 100MB 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_kinds_label(self) -> str:
        return file_kinds_label(self.allowed_kinds)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "제출"
    WITHDRAWN = "withdrawn", "철회"


class Screening(models.TextChoices):
    PENDING = "pending", "검토 전"
    ELIGIBLE = "eligible", "적격"
    INELIGIBLE = "ineligible", "부적격"


class Result(models.TextChoices):
    PENDING = "pending", "심사 중"
    SELECTED = "selected", "선정"
    WAITLISTED = "waitlisted", "예비"
    NOT_SELECTED = "not_selected", "미선정"


DUPLICATE_APPLICATION = "이 공모에 같은 신청자의 신청이 이미 있습니다 (중복 신청)."


@pghistory.track()
class Application(models.Model):
    """신청: one applicant's submission to one call (one per applicant per call)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    # The applicant's identity, normalised (digits of a BRN, a mobile number, …), so that the
    # same business or person under small variations collides in the unique constraint below.
    # Never made of what the applicant types freely (a birth date): see services.applicant_key.
    applicant_key = models.CharField(max_length=100)
    receipt_number = models.CharField("접수번호", max_length=30, unique=True, null=True, blank=True)
    status = models.CharField(
        "상태", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    plan = models.ForeignKey(
        TransformationPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    organisation_name = models.CharField("기관명", max_length=100, blank=True)
    organisation_number = models.CharField("기관 사업자등록번호", max_length=10, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="applications", verbose_name="시·도"
    )
    answers = models.JSONField("신청 내용", default=dict, blank=True)
    # The applicant's profile as submitted (recruitment.snapshots): evaluators read this, not
    # the company or trainee record, which its owner may edit after submitting.
    profile_snapshot = models.JSONField("제출 시 신청자 정보", default=dict, blank=True)
    # Asked of trainee applicants only; empty for companies, organisations and regions, and for
    # trainees imported from a list that did not carry it.
    employment_status = models.CharField(
        "신청 시 고용 상태", max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    consent_version = models.CharField("동의문 버전", max_length=20, blank=True)
    consented_at = models.DateTimeField(
        "동의 일시", null=True, blank=True, validators=[validate_era]
    )
    submitted_at = models.DateTimeField(
        "제출 일시", null=True, blank=True, validators=[validate_era]
    )
    withdrawn_at = models.DateTimeField(
        "철회 일시", null=True, blank=True, validators=[validate_era]
    )
    screening = models.CharField(
        "자격 검토", max_length=10, choices=Screening.choices, default=Screening.PENDING
    )
    screening_reasons = models.JSONField("검토 사유", default=list, blank=True)
    screening_override = models.CharField("검토 결과 변경 사유", max_length=300, blank=True)
    result = models.CharField("결과", max_length=15, choices=Result.choices, default=Result.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    # A call's applications belong to the group that runs the call; a national call's (no group)
    # to the groups covering the applicant's region, which the applicant cannot change.
    scope = ScopePaths(
        group="call__operating_group",
        region="region",
        company="company",
        person="trainee__user",
        assigned="assignments__evaluator__user",
        conflicted="conflicts__evaluator__user",
        filer="created_by",
    )

    class Meta:
        verbose_name = "신청"
        verbose_name_plural = "신청"
        ordering = ["call", "submitted_at", "pk"]
        # At most one live (not withdrawn) application per applicant and call, held by keys the
        # applicant cannot edit: the company, the trainee record, the filing account (an
        # organisation), and the normalised identity (a BRN, or the mobile number an import
        # matched by). Withdrawal is final: the services refuse a new application after it.
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant_key"],
                condition=~models.Q(status="withdrawn"),
                name="one_live_application_per_key",
                violation_error_message=DUPLICATE_APPLICATION,
            ),
            models.UniqueConstraint(
                fields=["call", "company"],
                condition=models.Q(company__isnull=False) & ~models.Q(status="withdrawn"),
                name="one_live_application_per_company",
                violation_error_message=DUPLICATE_APPLICATION,
            ),
            models.UniqueConstraint(
                fields=["call", "trainee"],
                condition=models.Q(trainee__isnull=False) & ~models.Q(status="withdrawn"),
                name="one_live_application_per_trainee",
                violation_error_message=DUPLICATE_APPLICATION,
            ),
            models.UniqueConstraint(
                fields=["call", "created_by"],
                condition=models.Q(company__isnull=True, trainee__isnull=True, plan__isnull=True)
                & ~models.Q(status="withdrawn"),
                name="one_live_application_per_organisation_account",
                violation_error_message=DUPLICATE_APPLICATION,
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted")
                | models.Q(submitted_at__isnull=False, receipt_number__isnull=False),
                name="submitted_has_receipt",
                violation_error_message="제출된 신청서에는 접수번호와 제출 일시가 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | ~models.Q(profile_snapshot={}),
                name="submitted_has_profile_snapshot",
                violation_error_message="제출된 신청서에는 제출 당시 신청자 정보가 있어야 합니다.",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            # A call's list (selectors.applications_of) is read in its order from this index.
            models.Index(fields=["call", "submitted_at", "id"], name="application_call_order"),
        ]

    def __str__(self) -> str:
        return self.receipt_number or f"신청 #{self.pk}"

    @property
    def applicant_name(self) -> str:
        if self.company_id:
            return self.company.name
        if self.trainee_id:
            return self.trainee.name
        return self.organisation_name or str(self.region)


def _document_path(instance, filename: str) -> str:
    return f"applications/{instance.application_id}/{instance.sha256}"


class ApplicationDocument(models.Model):
    """A file attached to an application; stored privately, served only through a scoped view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "제출 서류 파일"
        verbose_name_plural = "제출 서류 파일"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"],
                name="one_file_per_requirement",
                violation_error_message="이 서류는 이미 제출되었습니다. 기존 파일을 바꾸어 주세요.",
            ),
        ]


@pgtrigger.register(
    pgtrigger.Protect(
        name="application_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class ApplicationTransition(models.Model):
    """A state change of an application: who, when, from what to what, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=20, default="status")
    old = models.CharField(max_length=20, blank=True)
    new = models.CharField(max_length=20)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "신청 이력"
        verbose_name_plural = "신청 이력"
        ordering = ["application", "at", "pk"]

    # The fields a transition records, with their Korean names and values.
    FIELDS = {"status": ApplicationStatus, "screening": Screening, "result": Result}

    @property
    def field_label(self) -> str:
        return str(Application._meta.get_field(self.field).verbose_name)

    def _value_label(self, value: str) -> str:
        choices = self.FIELDS.get(self.field)
        return str(choices(value).label) if choices and value in choices.values else value

    @property
    def old_label(self) -> str:
        return self._value_label(self.old)

    @property
    def new_label(self) -> str:
        return self._value_label(self.new)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "대기 중"
    RUNNING = "running", "가져오는 중"
    DONE = "done", "완료"
    FAILED = "failed", "실패"


class ImportJob(models.Model):
    """A large Excel list of applications imported by the task queue; its page shows progress.

    The list waits in private storage (``file_name``) until the task has run, then is deleted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="import_jobs")
    file_name = models.CharField(max_length=100)
    original_name = models.CharField("파일명", max_length=200)
    exclude_rows = models.JSONField("제외한 행", default=list, blank=True)
    status = models.CharField(
        "상태", max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("가져올 행", null=True, blank=True)
    rows_done = models.PositiveIntegerField("가져온 행", default=0)
    error = models.CharField("실패 사유", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker's last sign of life (start, then every batch): a running job silent for longer
    # than ITDA_IMPORT_JOB_STALE_AFTER lost its worker and is failed by the sweep.
    heartbeat_at = models.DateTimeField(
        "마지막 진행 기록", default=timezone.now, validators=[validate_era]
    )
    finished_at = models.DateTimeField(
        "끝난 시각", null=True, blank=True, validators=[validate_era]
    )

    class Meta:
        verbose_name = "Excel 가져오기 작업"
        verbose_name_plural = "Excel 가져오기 작업"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_total__isnull=True)
                | models.Q(rows_done__lte=models.F("rows_total")),
                name="import_job_done_within_total",
                violation_error_message="가져온 행 수가 전체 행 수보다 많을 수 없습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)
