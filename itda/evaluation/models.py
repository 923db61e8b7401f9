"""Evaluation: the evaluator pool, schemes and criteria, panels, conflicts of interest,
assignments, score sheets, rankings and appeals."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField
from itda.recruitment.models import Application, Call


@pghistory.track()
class Evaluator(models.Model):
    """평가위원: a person in the evaluator pool, with affiliation and expertise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluator",
    )
    name = models.CharField("성명", max_length=50)
    affiliation = models.CharField("소속", max_length=100)
    position = models.CharField("직위", max_length=50, blank=True)
    expertise = models.CharField("전문분야", max_length=200)
    phone = models.CharField("연락처", max_length=13)
    email = models.EmailField("이메일")
    region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        related_name="evaluators",
        verbose_name="소재지",
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="region", person="user")

    class Meta:
        verbose_name = "평가위원"
        verbose_name_plural = "평가위원"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Method(models.TextChoices):
    MEAN = "mean", "단순 평균"
    TRIMMED_MEAN = "trimmed_mean", "최고·최저점 제외 평균"
    ZSCORE = "zscore", "평가위원별 표준화(T점수)"


@pghistory.track()
class Scheme(models.Model):
    """평가 기준표: a call's criteria, how sheets are combined, and how many are selected."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="scheme")
    name = models.CharField("기준표명", max_length=100)
    method = models.CharField(
        "집계 방식", max_length=20, choices=Method.choices, default=Method.TRIMMED_MEAN
    )
    evaluators_per_application = models.PositiveSmallIntegerField("신청서당 평가위원 수", default=3)
    cutoff = models.DecimalField(
        "선정 기준 점수", max_digits=5, decimal_places=2, null=True, blank=True
    )
    total_seats = models.PositiveIntegerField("선정 인원", null=True, blank=True)
    waitlist_size = models.PositiveIntegerField("예비 인원", null=True, blank=True)
    # Quotas as data: [{"dimension": "region", "value": "capital", "seats": 100}, ...]
    quotas = models.JSONField("정원", default=list, blank=True)

    class Meta:
        verbose_name = "평가 기준표"
        verbose_name_plural = "평가 기준표"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evaluators_per_application__gte=1)
                & models.Q(evaluators_per_application__lte=20),
                name="scheme_evaluators_range",
                violation_error_message="신청서당 평가위원 수는 1명에서 20명 사이여야 합니다.",
            ),
            # Totals are on the 0–100 scale (engine.ranking.sheet_total).
            models.CheckConstraint(
                condition=models.Q(cutoff__isnull=True)
                | (models.Q(cutoff__gte=0) & models.Q(cutoff__lte=100)),
                name="scheme_cutoff_range",
                violation_error_message="선정 기준 점수는 0점에서 100점 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Criterion(models.Model):
    """One criterion of a scheme, with its weight, maximum points and tie-break order."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField("코드")
    name = models.CharField("평가 항목", max_length=100)
    description = BoundedTextField("세부 내용", max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField("가중치")
    max_points = models.PositiveSmallIntegerField("배점")
    order = models.PositiveSmallIntegerField("순서 (동점 시 우선)", default=0)

    class Meta:
        verbose_name = "평가 항목"
        verbose_name_plural = "평가 항목"
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="criterion_code_unique",
                violation_error_message="이 평가표에 같은 코드의 평가항목이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_points__gte=1) & models.Q(max_points__lte=100),
                name="criterion_max_points_range",
                violation_error_message="배점은 1점에서 100점 사이여야 합니다.",
            ),
            # A weight of 0 would drop the criterion from every total (or divide by a zero sum).
            models.CheckConstraint(
                condition=models.Q(weight__gte=1) & models.Q(weight__lte=100),
                name="criterion_weight_range",
                violation_error_message="가중치는 1에서 100 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PanelStatus(models.TextChoices):
    OPEN = "open", "평가 중"
    CLOSED = "closed", "마감"


@pghistory.track()
class Panel(models.Model):
    """평가위원회: the evaluators of one call's round, with a chair who closes it."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="panel")
    chair = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="chaired_panels")
    members = models.ManyToManyField(Evaluator, related_name="panels", verbose_name="위원")
    status = models.CharField(
        "상태", max_length=10, choices=PanelStatus.choices, default=PanelStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])

    class Meta:
        verbose_name = "평가위원회"
        verbose_name_plural = "평가위원회"


class ConflictSource(models.TextChoices):
    DECLARED = "declared", "본인 신고"
    SAME_BUSINESS = "same_business", "동일 사업자"
    SAME_ORGANISATION = "same_organisation", "동일 기관"
    SAME_GROUP = "same_group", "동일 사업단"


@pghistory.track()
class ConflictOfInterest(models.Model):
    """상피: an evaluator who must not score an application, and why."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField("근거", max_length=20, choices=ConflictSource.choices)
    note = models.CharField("내용", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "이해충돌"
        verbose_name_plural = "이해충돌"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "application"],
                name="conflict_unique",
                violation_error_message="이 신청서에 대한 이해충돌 신고가 이미 있습니다.",
            ),
        ]


@pghistory.track()
class EvaluatorRelation(models.Model):
    """A relation an evaluator declared in advance: an organisation or business they are tied
    to (employment, family, advisory), matched against applicants automatically."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(
        "관계",
        max_length=20,
        choices=[("employment", "재직·겸직"), ("family", "가족"), ("advisory", "자문·용역")],
    )
    organisation_name = models.CharField("기관·기업명", max_length=100, blank=True)
    business_number = models.CharField("사업자등록번호", max_length=10, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(person="evaluator__user")

    class Meta:
        verbose_name = "평가위원 이해관계 신고"
        verbose_name_plural = "평가위원 이해관계 신고"


@pghistory.track()
class Assignment(models.Model):
    """An evaluator assigned to score an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "평가 배정"
        verbose_name_plural = "평가 배정"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"],
                name="assignment_unique",
                violation_error_message="이 평가위원에게 이미 배정된 신청서입니다.",
            ),
        ]


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "제출"
    LOCKED = "locked", "확정"


@pghistory.track()
class ScoreSheet(models.Model):
    """One evaluator's scores for one application."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="sheet")
    status = models.CharField(
        "상태", max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    comment = BoundedTextField("종합 의견", max_length=2000, blank=True)

    class Meta:
        verbose_name = "평가표"
        verbose_name_plural = "평가표"


@pghistory.track()
class Score(models.Model):
    """A score for one criterion on one sheet, with the comment an extreme score needs."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("점수", max_digits=5, decimal_places=1)
    comment = models.CharField("의견", max_length=500, blank=True)

    class Meta:
        verbose_name = "항목 점수"
        verbose_name_plural = "항목 점수"
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"],
                name="score_unique",
                violation_error_message="이 평가항목의 점수가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(points__gte=0),
                name="score_non_negative",
                violation_error_message="점수는 0점 이상이어야 합니다.",
            ),
        ]


class RankingStatus(models.TextChoices):
    DRAFT = "draft", "계산됨"
    CONFIRMED = "confirmed", "확정"
    PUBLISHED = "published", "공개"


@pgtrigger.register(
    pgtrigger.Protect(
        name="confirmed_ranking_input_frozen",
        operation=pgtrigger.Update,
        condition=pgtrigger.Condition(
            "OLD.status IN ('confirmed', 'published') AND ("
            "NEW.input_json IS DISTINCT FROM OLD.input_json OR "
            "NEW.result_json IS DISTINCT FROM OLD.result_json OR "
            "NEW.input_sha256 IS DISTINCT FROM OLD.input_sha256)"
        ),
    )
)
@pghistory.track()
class Ranking(models.Model):
    """A computed ranking of a call; once confirmed its input and result are frozen."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="rankings")
    status = models.CharField(
        "상태", max_length=10, choices=RankingStatus.choices, default=RankingStatus.DRAFT
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    # Canonical JSON text exactly as the engine wrote it (jsonb would reorder keys), so anyone
    # can rerun the engine on input_json and compare with result_json byte for byte.
    input_json = models.TextField()
    input_sha256 = models.CharField(max_length=64)
    result_json = models.TextField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    published_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="call__operating_group")

    class Meta:
        verbose_name = "선정 결과"
        verbose_name_plural = "선정 결과"
        ordering = ["call", "-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(status="published"),
                name="one_published_ranking_per_call",
                violation_error_message="이 공고에는 이미 공개된 순위가 있습니다.",
            ),
        ]


class AppealStatus(models.TextChoices):
    FILED = "filed", "접수"
    UPHELD = "upheld", "인용"
    REJECTED = "rejected", "기각"


@pghistory.track()
class Appeal(models.Model):
    """이의신청: an applicant's appeal against a published result, decided by someone outside
    the original panel."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    ranking = models.ForeignKey(Ranking, on_delete=models.PROTECT, related_name="appeals")
    reason = BoundedTextField("이의신청 사유", max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        "처리 상태", max_length=10, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    decision_reason = BoundedTextField("처리 사유", max_length=2000, blank=True)

    class Meta:
        verbose_name = "이의신청"
        verbose_name_plural = "이의신청"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "ranking"],
                name="one_appeal_per_result",
                violation_error_message="이 결과에 대한 이의신청이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="filed") | ~models.Q(decision_reason=""),
                name="appeal_decision_has_reason",
                violation_error_message="이의신청을 처리하려면 처리 사유를 적어야 합니다.",
            ),
        ]
