"""Reference data (regions, complexes, 대개조 plans, programmes, venues) and the scoped
registries of companies and trainees."""

import datetime
from zoneinfo import ZoneInfo

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField, EncryptedCharField
from itda.lib.korean import josa
from itda.lib.search import phone_suffix_index
from itda.payments.engine import INCOME_CLASSES

# Programme periods are whole days in Korea.
_KST = ZoneInfo("Asia/Seoul")


class Zone(models.TextChoices):
    CAPITAL = "capital", "수도권"
    CHUNGCHEONG = "chungcheong", "충청권"
    HONAM = "honam", "호남권"
    DAEGYEONG = "daegyeong", "대경권"
    DONGNAM = "dongnam", "동남권"
    GANGWON = "gangwon", "강원권"
    JEJU = "jeju", "제주권"


class Source(models.TextChoices):
    BODY = "body", "본문"
    ANNEX = "annex", "참고자료"


class OriginKind(models.TextChoices):
    """Where a rule, weight, cut-off, time or date the system shows comes from."""

    SOURCE = "source", "원문"
    READING = "reading", "원문 해석"
    DEFAULT = "default", "itda 기본값 — 운영지침 확인 필요"
    OFFICIAL = "official", "운영지침"


@pghistory.track()
class RuleOrigin(models.Model):
    """The origin of one rule or date the pages show: the source's words and place, how an
    ambiguous line was read, or the precedent of a default of ours; the operator replaces a
    default with the official value (who and when kept here and in the history)."""

    key = models.CharField("키", max_length=100, unique=True)
    label = models.CharField("규칙", max_length=200)
    kind = models.CharField("출처 구분", max_length=20, choices=OriginKind.choices)
    document = models.CharField("문서", max_length=300, blank=True)
    quote = BoundedTextField("원문 인용", max_length=2000, blank=True)
    place = models.CharField("문서 내 위치", max_length=200, blank=True)
    reading = BoundedTextField("해석과 이유", max_length=2000, blank=True)
    precedent = models.CharField("따른 선례·정한 이유", max_length=300, blank=True)
    # Set only when the source documents disagree; the pages then say so in a notice.
    disagreement = BoundedTextField("원문 간 불일치", max_length=2000, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="확인한 사람",
    )
    confirmed_at = models.DateTimeField(
        "확인 일시", null=True, blank=True, validators=[validate_era]
    )

    class Meta:
        verbose_name = "규칙 출처"
        verbose_name_plural = "규칙 출처"
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["source", "reading"])
                | (~models.Q(quote="") & ~models.Q(document="")),
                name="rule_origin_source_quoted",
                violation_error_message="원문·원문 해석에는 문서와 원문 인용이 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="reading") | ~models.Q(reading=""),
                name="rule_origin_reading_explained",
                violation_error_message="원문 해석에는 어떻게 읽었는지와 그 이유가 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="default") | ~models.Q(precedent=""),
                name="rule_origin_default_precedent",
                violation_error_message="itda 기본값에는 따른 선례나 정한 이유가 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="official")
                | (
                    ~models.Q(document="")
                    & models.Q(confirmed_by__isnull=False, confirmed_at__isnull=False)
                ),
                name="rule_origin_official_confirmed",
                violation_error_message=(
                    "운영지침에는 문서 이름과 확인한 사람·일시가 있어야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"


class DatePrecision(models.TextChoices):
    """How exactly the source gives a date: a date given only as a month is shown as a month."""

    DAY = "day", "일"
    MONTH = "month", "월"
    YEAR = "year", "연"


@pghistory.track()
class Region(models.Model):
    """A province-level region (광역 시·도); 17 of them."""

    code = models.CharField("행정구역코드", max_length=2, unique=True)
    name = models.CharField("명칭", max_length=20, unique=True)
    short_name = models.CharField("약칭", max_length=4, unique=True)
    zone = models.CharField("권역", max_length=20, choices=Zone.choices)
    # 강원도 → 강원특별자치도 (2023-06-11), 전라북도 → 전북특별자치도 (2024-01-18): a document
    # from before the change names the region as it was then.
    former_name = models.CharField("이전 명칭", max_length=20, blank=True)
    renamed_on = models.DateField("명칭 변경일", null=True, blank=True, validators=[validate_era])

    class Meta:
        verbose_name = "시·도"
        verbose_name_plural = "시·도"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(former_name="") | models.Q(renamed_on__isnull=False),
                name="region_rename_dated",
                violation_error_message="이전 명칭에는 명칭 변경일이 있어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def name_on(self, day: datetime.date) -> str:
        """The region's name on ``day``: the former name before the rename."""
        if self.former_name and day < self.renamed_on:
            return self.former_name
        return self.name


class ComplexKind(models.TextChoices):
    NATIONAL = "national", "국가산업단지"
    GENERAL = "general", "일반산업단지"
    INDUSTRIAL_AREA = "industrial_area", "공업지역"
    OTHER_AREA = "other_area", "연계지역(산단 외)"


@pghistory.track()
class IndustrialComplex(models.Model):
    """An industrial complex or other named area that a seed document mentions."""

    name = models.CharField("명칭", max_length=100, unique=True)
    kind = models.CharField("유형", max_length=20, choices=ComplexKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="complexes", verbose_name="시·도"
    )
    smart_green_year = models.PositiveSmallIntegerField(
        "스마트그린산단 선정연도", null=True, blank=True
    )
    description = BoundedTextField("설명", max_length=20000, blank=True)

    class Meta:
        verbose_name = "산업단지"
        verbose_name_plural = "산업단지"
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    PRODUCTION = "production", "생산액"
    EXPORTS = "exports", "수출액"
    FIRMS = "firms", "입주업체"
    JOBS = "jobs", "고용"


@pghistory.track()
class ComplexFigure(models.Model):
    """One figure the seed gives for a complex, e.g. 생산액 63.8조원 (전국 대비 12%)."""

    complex = models.ForeignKey(IndustrialComplex, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField("항목", max_length=20, choices=Metric.choices)
    value = models.DecimalField("값", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("단위", max_length=10, blank=True)
    share_pct = models.DecimalField(
        "비중(%)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    share_basis = models.CharField("비중 기준", max_length=50, blank=True)
    source_text = models.CharField("원문", max_length=200)

    class Meta:
        verbose_name = "산업단지 지표"
        verbose_name_plural = "산업단지 지표"
        constraints = [
            models.UniqueConstraint(
                fields=["complex", "metric"],
                name="complex_figure_unique",
                violation_error_message="이 산업단지에는 같은 지표의 값이 이미 있습니다.",
            ),
        ]


class PlanStatus(models.TextChoices):
    """The stages of seed 003, in order: 공모 → 컨설팅·보완 → 평가 → 예비선정 → 세부사업 적정성
    검토 → 12월 최종 확정 → 3년 지원 (the 2020 round's plans, "경쟁력강화사업지구로 지정",
    are in the last). A plan the evaluation did not select stops at 미선정."""

    APPLIED = "applied", "공모 접수"
    CONSULTING = "consulting", "컨설팅·보완"
    EVALUATION = "evaluation", "평가"
    PRELIMINARY = "preliminary", "예비선정"
    NOT_SELECTED = "not_selected", "미선정"
    REVIEW = "review", "세부사업 적정성 검토"
    CONFIRMED = "confirmed", "최종 확정"
    DESIGNATED = "designated", "3년 지원(경쟁력강화사업지구 지정)"


@pghistory.track()
class TransformationPlan(models.Model):
    """산단대개조 혁신계획: one region's plan around a hub complex."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="plans", verbose_name="시·도"
    )
    round_year = models.PositiveSmallIntegerField("선정연도")
    status = models.CharField("상태", max_length=20, choices=PlanStatus.choices)
    main_industries = models.CharField("주력업종", max_length=200, blank=True)
    vision = models.CharField("비전", max_length=300, blank=True)
    summary = BoundedTextField("요약(본문)", max_length=20000, blank=True)
    regional_context = BoundedTextField("지역여건", max_length=20000, blank=True)
    requested_subproject_count = models.PositiveSmallIntegerField(
        "신청 사업 수", null=True, blank=True
    )
    governance = models.CharField("추진체계", max_length=300, blank=True)
    source_document = models.CharField("출처", max_length=200)

    # Plans are public reference data; the scope rule limits the staff pages that manage them
    # to the plans of the 시·도 a group covers.
    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = "산단대개조 혁신계획"
        verbose_name_plural = "산단대개조 혁신계획"
        ordering = ["round_year", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "round_year"],
                name="plan_region_round",
                violation_error_message="이 지역의 같은 선정연도 대개조 계획이 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.short_name} 산단대개조 ({self.round_year})"

    @property
    def region_name(self) -> str:
        """The region as the plan's round named it: as of 1 January of the round year (the
        rounds' calls open in January), so 2021's 전북 plan is 전라북도's."""
        return self.region.name_on(datetime.date(self.round_year, 1, 1))

    @property
    def rule_origin_prefix(self) -> str:
        """The key prefix of notes on this plan's sources (RuleOrigin.key)."""
        return f"plan.{self.round_year}.{self.region.code}"


class SiteRole(models.TextChoices):
    HUB = "hub", "거점산단"
    LINKED_COMPLEX = "linked_complex", "연계산단"
    LINKED_AREA = "linked_area", "연계지역"


@pghistory.track()
class PlanSite(models.Model):
    """A complex's place in a plan: the hub, or a link with its linkage function."""

    plan = models.ForeignKey(TransformationPlan, on_delete=models.CASCADE, related_name="sites")
    complex = models.ForeignKey(
        IndustrialComplex, on_delete=models.PROTECT, related_name="plan_sites"
    )
    role = models.CharField("역할", max_length=20, choices=SiteRole.choices)
    industries = models.CharField("특화 업종", max_length=200, blank=True)
    linkage_function = models.CharField("연계기능", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "대상지역"
        verbose_name_plural = "대상지역"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "complex"],
                name="plan_site_unique",
                violation_error_message="이 계획에는 같은 산업단지가 이미 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(role="hub"),
                name="plan_one_hub",
                violation_error_message="계획 하나에 거점 산업단지는 하나뿐입니다.",
            ),
        ]


@pghistory.track()
class PlanTarget(models.Model):
    """A stated target of a plan, from the body or the annex (both kept where they differ)."""

    plan = models.ForeignKey(TransformationPlan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("지표", max_length=100)
    value = models.DecimalField("목표값", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("단위", max_length=20, blank=True)
    source = models.CharField("출처", max_length=10, choices=Source.choices)
    source_text = models.CharField("원문", max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "성과목표"
        verbose_name_plural = "성과목표"
        ordering = ["plan", "order", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "source"],
                name="plan_target_unique",
                violation_error_message="이 계획에는 같은 지표·출처의 목표가 이미 있습니다.",
            ),
        ]


@pghistory.track()
class KeyTask(models.Model):
    """중점과제: a group of requested sub-projects in a plan."""

    plan = models.ForeignKey(TransformationPlan, on_delete=models.CASCADE, related_name="key_tasks")
    name = models.CharField("중점과제", max_length=200)
    details = BoundedTextField("혁신계획 구성", max_length=20000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "중점과제"
        verbose_name_plural = "중점과제"
        ordering = ["plan", "order"]


@pgtrigger.register(
    pgtrigger.Protect(
        name="plan_transition_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class PlanTransition(models.Model):
    """One move of a plan from a stage to the next: who, when, from, to and why."""

    plan = models.ForeignKey(
        TransformationPlan,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name="계획",
    )
    # Empty for the stage a plan was first recorded at.
    from_status = models.CharField(
        "이전 단계", max_length=20, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField("새 단계", max_length=20, choices=PlanStatus.choices)
    # None when the reference loader recorded the stage the seed document states.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="처리자",
    )
    at = models.DateTimeField("처리 일시", auto_now_add=True)
    note = models.CharField("메모", max_length=300, blank=True)

    class Meta:
        verbose_name = "혁신계획 단계 변경"
        verbose_name_plural = "혁신계획 단계 변경"
        ordering = ["at", "pk"]


# A typo guard for one sub-project's budget: the largest 2021 plan asks for 5.1조원 in all.
SUBPROJECT_BUDGET_MAX_KRW = 10**13


class SubProjectStatus(models.TextChoices):
    REQUESTED = "requested", "시·도 요구"
    CONFIRMED = "confirmed", "확정"
    EXCLUDED = "excluded", "제외"
    IN_PROGRESS = "in_progress", "추진 중"
    COMPLETED = "completed", "완료"


@pghistory.track()
class SubProject(models.Model):
    """A main sub-project the region requested under a key task, with what the 세부사업 적정성
    검토 settles: budget, responsible ministry, years and status."""

    key_task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="subprojects")
    name = models.CharField("사업명", max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    budget_krw = models.PositiveBigIntegerField(
        "사업비(원)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(SUBPROJECT_BUDGET_MAX_KRW)],
    )
    ministry = models.CharField("소관 부처", max_length=100, blank=True)
    starts_year = models.PositiveSmallIntegerField(
        "시작 연도", null=True, blank=True, validators=[MinValueValidator(2019)]
    )
    ends_year = models.PositiveSmallIntegerField(
        "종료 연도", null=True, blank=True, validators=[MaxValueValidator(2040)]
    )
    status = models.CharField(
        "상태", max_length=20, choices=SubProjectStatus.choices, default=SubProjectStatus.REQUESTED
    )
    # The complexes whose trainees, placements and hires the sub-project answers for.
    complexes = models.ManyToManyField(
        IndustrialComplex, blank=True, related_name="subprojects", verbose_name="대상 산업단지"
    )

    class Meta:
        verbose_name = "주요 사업"
        verbose_name_plural = "주요 사업"
        ordering = ["key_task", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_year__isnull=True)
                | models.Q(starts_year__isnull=True)
                | models.Q(ends_year__gte=models.F("starts_year")),
                name="subproject_years_ordered",
                violation_error_message="종료 연도는 시작 연도 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_krw__isnull=True)
                | models.Q(budget_krw__lte=SUBPROJECT_BUDGET_MAX_KRW),
                name="subproject_budget_range",
                violation_error_message="사업비가 너무 큽니다. 원 단위로 입력했는지 확인하세요.",
            ),
        ]

    @property
    def is_smart_manufacturing_training(self) -> bool:
        # The sub-project that ties 대개조 to the MSS programme, however a region spelled it.
        compact = self.name.replace(" ", "")
        return "고급인력" in compact or "제조고급" in compact


@pgtrigger.register(
    pgtrigger.Protect(
        name="plan_progress_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class PlanProgress(models.Model):
    """실적: how far a plan has come on one of its target indicators, as of a day, from a
    source. A correction is a later entry; the latest as-of day speaks for the indicator."""

    plan = models.ForeignKey(
        TransformationPlan, on_delete=models.PROTECT, related_name="progress", verbose_name="계획"
    )
    # The indicator as the targets name it: one actual compares with the body's and the
    # annex's target alike.
    indicator = models.CharField("지표", max_length=100)
    value = models.DecimalField("실적값", max_digits=14, decimal_places=2)
    unit = models.CharField("단위", max_length=20)
    as_of = models.DateField("기준일", validators=[validate_era])
    source = models.CharField("출처", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="입력자"
    )
    entered_at = models.DateTimeField("입력 일시", auto_now_add=True)

    class Meta:
        verbose_name = "성과 실적"
        verbose_name_plural = "성과 실적"
        ordering = ["plan", "indicator", "-as_of", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=""),
                name="plan_progress_has_source",
                violation_error_message="실적에는 출처가 있어야 합니다.",
            ),
        ]


class InternshipPayee(models.TextChoices):
    """Who receives the monthly internship money: the release reads both ways (RuleOrigin
    "<programme>.internship.recipient")."""

    INTERN = "intern", "인턴에게 인턴수당으로 지급"
    COMPANY = "company", "기업에 인건비 일부로 지원"


# A typo guard for the operator's mentor ceiling, well above any real mentoring load.
MENTOR_INTERNS_CEILING = 20


@pghistory.track()
class Programme(models.Model):
    """사업: a funded programme with a period, budget by source, tracks and targets."""

    code = models.SlugField("코드", unique=True)
    name = models.CharField("사업명", max_length=200)
    ministry = models.CharField("주관부처", max_length=200)
    managing_agency = models.CharField("전담기관", max_length=200, blank=True)
    starts_on = models.DateField("시작일", validators=[validate_era])
    ends_on = models.DateField("종료일", validators=[validate_era])
    purpose = BoundedTextField("사업목적", max_length=20000, blank=True)
    location = models.CharField("사업위치", max_length=200, blank=True)
    target_companies = models.PositiveIntegerField("목표 참여기업 수", null=True, blank=True)
    target_trainees = models.PositiveIntegerField("목표 교육생 수", null=True, blank=True)
    # "600여 명" is a target, not a hard 정원: how far the groups' allocations may go past it
    # before the operator must record an override.
    target_tolerance_pct = models.PositiveSmallIntegerField(
        "목표 허용 범위(%)", default=0, validators=[MaxValueValidator(100)]
    )
    training_months_max = models.PositiveSmallIntegerField(
        "교육기간 상한(월)", null=True, blank=True
    )
    training_allowance_monthly_krw = models.PositiveIntegerField(
        "훈련수당(월, 원)", null=True, blank=True
    )
    internship_months_max = models.PositiveSmallIntegerField(
        "인턴십 상한(월)", null=True, blank=True
    )
    internship_allowance_monthly_krw = models.PositiveIntegerField(
        "인턴수당(월, 원)", null=True, blank=True
    )
    internship_allowance_payee = models.CharField(
        "인턴십 월 지원금을 받는 쪽",
        max_length=20,
        choices=InternshipPayee.choices,
        default=InternshipPayee.INTERN,
    )
    # Not in the sources: whether (and as which income) the money is taxed at the source is
    # the programme's decision (RuleOrigin "<programme>.payments.withholding", itda 기본값);
    # none set, nothing is withheld. The rates are the engine's (소득세법 제129조).
    income_class = models.CharField(
        "원천징수 소득 구분",
        max_length=20,
        choices=[(key, label) for key, (label, _rate) in INCOME_CLASSES.items()],
        null=True,
        blank=True,
    )
    # Not in the release: the operator's ceiling on a mentor's live interns (RuleOrigin
    # "<programme>.internship.mentor_max", itda 기본값).
    mentor_interns_max = models.PositiveSmallIntegerField(
        "멘토 1인당 최대 인턴 수",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MENTOR_INTERNS_CEILING)],
    )
    source_document = models.CharField("출처", max_length=200)
    starts_precision = models.CharField(
        "시작일 정밀도", max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_precision = models.CharField(
        "종료일 정밀도", max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    class Meta:
        verbose_name = "사업"
        verbose_name_plural = "사업"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_period_valid",
                violation_error_message="사업 종료일은 시작일 이후여야 합니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(mentor_interns_max__gte=1)
                & models.Q(mentor_interns_max__lte=MENTOR_INTERNS_CEILING),
                name="programme_mentor_interns_range",
                violation_error_message=(
                    f"멘토 1인당 최대 인턴 수는 1명에서 {MENTOR_INTERNS_CEILING}명 사이여야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(target_tolerance_pct__lte=100),
                name="programme_tolerance_range",
                violation_error_message="목표 허용 범위는 0%%에서 100%% 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_span(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The programme's days as moments: from the first day's KST midnight up to (not
        including) the midnight after the last day."""
        since = datetime.datetime.combine(self.starts_on, datetime.time(), _KST)
        until = datetime.datetime.combine(self.ends_on, datetime.time(), _KST)
        return since, until + datetime.timedelta(days=1)

    def period_errors(self, row: models.Model, *fields: str) -> dict[str, str]:
        """A Korean error for each named moment of ``row`` (a call's window, a round's
        deadlines) that falls outside the programme's days, counted in KST; for ``clean()``."""
        since, until = self.period_span
        return {
            name: f"{josa(row._meta.get_field(name).verbose_name, '은/는')} 사업기간"
            f"({self.starts_on:%Y-%m-%d}~{self.ends_on:%Y-%m-%d}) 안에 있어야 합니다."
            for name in fields
            if getattr(row, name) is not None and not since <= getattr(row, name) < until
        }

    @property
    def rule_origin_prefix(self) -> str:
        """The key prefix of this programme's rule origins (RuleOrigin.key)."""
        return self.code


class FundingSource(models.TextChoices):
    NATIONAL = "national", "국비"
    LOCAL = "local", "지방비"
    PRIVATE = "private", "민간"


@pghistory.track()
class ProgrammeBudget(models.Model):
    """A programme's budget from one funding source, in won."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    source = models.CharField("재원", max_length=20, choices=FundingSource.choices)
    amount_krw = models.BigIntegerField("금액(원)")

    class Meta:
        verbose_name = "사업비"
        verbose_name_plural = "사업비"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source"],
                name="budget_source_unique",
                violation_error_message="이 사업에는 같은 재원의 예산이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_krw__gte=0),
                name="budget_non_negative",
                violation_error_message="예산 금액은 0원 이상이어야 합니다.",
            ),
        ]


@pghistory.track()
class ProgrammeExecutor(models.Model):
    """An organisation that runs (part of) a programme: 수행기관, 전담기관."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="executors")
    name = models.CharField("기관명", max_length=100)
    role = models.CharField("역할", max_length=50)

    class Meta:
        verbose_name = "수행기관"
        verbose_name_plural = "수행기관"


@pghistory.track()
class ProgrammeWindow(models.Model):
    """A dated step of a programme's schedule, such as an application window."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="windows")
    name = models.CharField("일정", max_length=100)
    opens_on = models.DateField("시작일", null=True, blank=True, validators=[validate_era])
    closes_on = models.DateField("마감일", null=True, blank=True, validators=[validate_era])
    note = models.CharField("비고", max_length=200, blank=True)
    # "8월 순차적으로" is a month, not 1 August: both dates are shown at this precision.
    precision = models.CharField(
        "날짜 정밀도", max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    origin = models.ForeignKey(
        RuleOrigin,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="출처",
    )

    class Meta:
        verbose_name = "사업 일정"
        verbose_name_plural = "사업 일정"
        ordering = ["programme", "opens_on", "closes_on"]


class PlacementKind(models.TextChoices):
    OJT = "ojt", "OJT 기반 인턴십"
    PBL = "pbl", "문제해결형(PBL) 직무훈련"
    NONE = "none", "없음"


@pghistory.track()
class Track(models.Model):
    """트랙: a path through a programme, from training to a kind of placement."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    code = models.CharField("코드", max_length=20)
    name = models.CharField("트랙명", max_length=100)
    description = BoundedTextField("내용", max_length=20000, blank=True)
    # The release's "400여 명" / "80여 명": a national target shared by the groups, with a
    # tolerance; not a hard 정원.
    quota = models.PositiveIntegerField("목표 인원", null=True, blank=True)
    tolerance_pct = models.PositiveSmallIntegerField(
        "목표 허용 범위(%)", default=0, validators=[MaxValueValidator(100)]
    )
    placement_kind = models.CharField("연계 유형", max_length=10, choices=PlacementKind.choices)

    class Meta:
        verbose_name = "트랙"
        verbose_name_plural = "트랙"
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="track_code_unique",
                violation_error_message="이 사업에 같은 코드의 트랙이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance_pct__lte=100),
                name="track_tolerance_range",
                violation_error_message="목표 허용 범위는 0%%에서 100%% 사이여야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ceiling(self) -> int | None:
        """The most the groups' allocations may add up to without a recorded override."""
        return target_ceiling(self.quota, self.tolerance_pct)


def target_ceiling(target: int | None, tolerance_pct: int) -> int | None:
    """A "여" target plus its tolerance, rounded down; None when there is no target."""
    return None if target is None else target + target * tolerance_pct // 100


@pghistory.track()
class OperatingGroup(models.Model):
    """사업단: a regional operator; its staff see only its regions' people and companies."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="operating_groups"
    )
    name = models.CharField("사업단명", max_length=100)
    zone = models.CharField("권역", max_length=20, choices=Zone.choices)
    regions = models.ManyToManyField(
        Region, related_name="operating_groups", verbose_name="담당 시·도"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="operating_groups", blank=True, verbose_name="담당자"
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="pk")  # a group's staff run it

    class Meta:
        verbose_name = "사업단"
        verbose_name_plural = "사업단"
        ordering = ["programme", "zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "zone"],
                name="group_zone_unique",
                violation_error_message="이 사업에는 같은 권역의 사업단이 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class TrackAllocation(models.Model):
    """사업단별 배정: an operating group's share of a track's national target, set by the
    operator; the group's selections of that track never go past it."""

    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="allocations", verbose_name="트랙"
    )
    operating_group = models.ForeignKey(
        OperatingGroup, on_delete=models.PROTECT, related_name="allocations", verbose_name="사업단"
    )
    seats = models.PositiveIntegerField("배정 인원")

    class Meta:
        verbose_name = "사업단별 배정"
        verbose_name_plural = "사업단별 배정"
        ordering = ["track", "operating_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "operating_group"],
                name="allocation_once_per_group_track",
                violation_error_message="이 사업단의 이 트랙 배정이 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operating_group} · {self.track} {self.seats}명"


@pgtrigger.register(
    pgtrigger.Protect(
        name="allocation_change_append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
)
class TrackAllocationChange(models.Model):
    """One change of an allocation: who, when, from how many to how many, and the national
    totals it made. Going past a target's tolerance is an override and carries its reason."""

    allocation = models.ForeignKey(
        TrackAllocation, on_delete=models.PROTECT, related_name="changes", verbose_name="배정"
    )
    old_seats = models.PositiveIntegerField("이전 배정 인원", null=True, blank=True)
    new_seats = models.PositiveIntegerField("새 배정 인원")
    track_total = models.PositiveIntegerField("트랙 전국 배정 합계")
    programme_total = models.PositiveIntegerField("사업 전국 배정 합계")
    override = models.BooleanField("목표 초과 승인", default=False)
    reason = models.CharField("사유", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    at = models.DateTimeField("처리 일시", auto_now_add=True)

    class Meta:
        verbose_name = "사업단별 배정 변경"
        verbose_name_plural = "사업단별 배정 변경"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(override=False) | ~models.Q(reason=""),
                name="allocation_override_has_reason",
                violation_error_message="목표를 넘는 배정에는 사유가 필요합니다.",
            ),
        ]


class ProgrammeSetting(models.TextChoices):
    """A programme setting the operator may change after the programme is loaded."""

    PERIOD = "period", "사업기간"
    PAYEE = "payee", "인턴십 월 지원금을 받는 쪽"
    INCOME_CLASS = "income_class", "원천징수 소득 구분"


@pgtrigger.register(
    pgtrigger.Protect(
        name="programme_setting_change_append_only",
        operation=pgtrigger.Update | pgtrigger.Delete,
    )
)
class ProgrammeSettingChange(models.Model):
    """One change of a programme setting by the operator: which, from what to what, why, who
    and when. Values are kept as shown on the page, so the trail reads without the code."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="setting_changes", verbose_name="사업"
    )
    setting = models.CharField("설정", max_length=20, choices=ProgrammeSetting.choices)
    old_value = models.CharField("이전 값", max_length=100)
    new_value = models.CharField("새 값", max_length=100)
    reason = models.CharField("사유", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    at = models.DateTimeField("처리 일시", auto_now_add=True)

    class Meta:
        verbose_name = "사업 설정 변경"
        verbose_name_plural = "사업 설정 변경"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="programme_setting_change_has_reason",
                violation_error_message="사업 설정을 바꾸려면 사유가 필요합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_setting_display()}: {self.old_value} → {self.new_value}"


@pghistory.track()
class Venue(models.Model):
    """교육장: a training centre with rooms, such as the Incheon 스마트화관."""

    name = models.CharField("명칭", max_length=100)
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="venues"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="venues")
    complex = models.ForeignKey(
        IndustrialComplex, on_delete=models.SET_NULL, null=True, blank=True, related_name="venues"
    )
    address = models.CharField("주소", max_length=200)
    floor_area_m2 = models.PositiveIntegerField("연면적(㎡)", null=True, blank=True)
    opened_on = models.DateField("개소일", null=True, blank=True, validators=[validate_era])
    description = BoundedTextField("주요기능", max_length=20000, blank=True)
    # The organisation that runs the venue: it alone books its rooms and decides its Business
    # Zone requests (the 스마트화관 is run by its own programme's operator, not by the MSS group
    # of its 권역). Empty: the groups whose regions cover the venue's region run it.
    operator = models.ForeignKey(
        "OperatingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_venues",
        verbose_name="운영 기관",
    )
    # Made up by generate_demo: its sessions are real to the demo, but the public reference
    # pages (programme, complex) list only venues that exist.
    is_demo = models.BooleanField("데모 교육장", default=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="operator", region="region")

    class Meta:
        verbose_name = "교육장"
        verbose_name_plural = "교육장"

    def __str__(self) -> str:
        return self.name


class RoomKind(models.TextChoices):
    LECTURE = "lecture", "강의·교육장"
    EXHIBITION = "exhibition", "전시공간"
    OFFICE = "office", "사무실"
    MEETING = "meeting", "회의실"


@pghistory.track()
class Room(models.Model):
    """A bookable room of a venue."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField("명칭", max_length=100)
    kind = models.CharField("용도", max_length=20, choices=RoomKind.choices)
    capacity = models.PositiveSmallIntegerField(
        "수용인원", null=True, blank=True, validators=[MinValueValidator(1)]
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(group="venue__operator", region="venue__region")

    class Meta:
        verbose_name = "공간"
        verbose_name_plural = "공간"
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_name_unique",
                violation_error_message="이 교육장에 같은 이름의 공간이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="room_capacity_positive",
                violation_error_message="수용인원은 1명 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.name}"


# --- Registries of companies and people (personal and company data: always scoped) ---------


class CompanyKind(models.TextChoices):
    SMART_FACTORY = "smart_factory", "스마트공장 도입 제조기업"
    AI_SUPPLIER = "ai_supplier", "제조AI 솔루션 공급기업"


class CompanySize(models.TextChoices):
    SMALL = "small", "소기업"
    MEDIUM = "medium", "중기업"
    MID = "mid", "중견기업"
    LARGE = "large", "대기업"


class SmartFactoryLevel(models.TextChoices):
    BASIC = "basic", "기초"
    INTERMEDIATE1 = "intermediate1", "중간1"
    INTERMEDIATE2 = "intermediate2", "중간2"
    ADVANCED = "advanced", "고도"


COMPANY_EMPLOYEES_MAX = 100_000


@pghistory.track(exclude=["bank_account"])
class Company(models.Model):
    """A company known to itda (an applicant until selected); managed by its own users."""

    name = models.CharField("기업명", max_length=100)
    business_number = models.CharField("사업자등록번호", max_length=10, unique=True)
    representative = models.CharField("대표자", max_length=50)
    kind = models.CharField("유형", max_length=20, choices=CompanyKind.choices)
    size = models.CharField("규모", max_length=10, choices=CompanySize.choices)
    industry = models.CharField("업종", max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="companies", verbose_name="소재지"
    )
    complex = models.ForeignKey(
        IndustrialComplex,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
        verbose_name="입주 산업단지",
    )
    address = models.CharField("주소", max_length=200)
    employees = models.PositiveIntegerField("상시근로자 수")
    phone = models.CharField("대표전화", max_length=20)
    # Two separate scales (product-anchors §3.4): the level of the installed system, and the
    # KS X 9001 capability level 1–5.
    smart_factory_level = models.CharField(
        "스마트공장 구축 수준", max_length=20, blank=True, choices=SmartFactoryLevel.choices
    )
    ksx9001_level = models.PositiveSmallIntegerField("KS X 9001 수준(1~5)", null=True, blank=True)
    ai_solution = models.CharField("공급 제조AI 솔루션", max_length=200, blank=True)
    # Where the programme pays the company's wage support (인건비 지원).
    bank_name = models.CharField("은행", max_length=20, blank=True)
    bank_account = EncryptedCharField("계좌번호", blank=True)
    bank_holder = models.CharField("예금주", max_length=50, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="companies", blank=True, verbose_name="기업 담당자"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="region", company="pk")

    class Meta:
        verbose_name = "기업"
        verbose_name_plural = "기업"
        ordering = ["name", "pk"]
        # The registry's order: a page is read from the index, not sorted out of the whole table.
        indexes = [models.Index(fields=["name", "id"], name="company_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business_number__regex=r"^\d{10}$"),
                name="company_brn_digits",
                violation_error_message="사업자등록번호는 숫자 10자리여야 합니다.",
            ),
            models.CheckConstraint(
                condition=models.Q(ksx9001_level__gte=1, ksx9001_level__lte=5)
                | models.Q(ksx9001_level__isnull=True),
                name="company_ksx9001_range",
                violation_error_message="KS X 9001 수준은 1에서 5 사이여야 합니다.",
            ),
            # Small, medium and mid-sized companies only (CompanySize): well under the largest
            # Korean employers, so a slip of extra zeros is refused.
            models.CheckConstraint(
                condition=models.Q(employees__lte=COMPANY_EMPLOYEES_MAX),
                name="company_employees_range",
                violation_error_message=(
                    f"상시근로자 수는 0명에서 {COMPANY_EMPLOYEES_MAX:,}명 사이여야 합니다."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", "고등학교 졸업"
    COLLEGE = "college", "전문대학 졸업"
    UNIVERSITY = "university", "대학교 졸업"
    GRADUATE = "graduate", "대학원 졸업"


class EmploymentStatus(models.TextChoices):
    """Whether a person is looking for work or employed: the programme's training and its
    allowance are for job seekers; employees come to the 스마트화관's stage courses."""

    JOB_SEEKER = "job_seeker", "구직자"
    EMPLOYEE = "employee", "재직자"


@pghistory.track(exclude=["bank_account"])
class Trainee(models.Model):
    """A person known to itda: a job seeker (an applicant until selected), or an employee a
    company nominated for a 재직자 course. Never holds an RRN."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee",
    )
    name = models.CharField("성명", max_length=50)
    birth_date = models.DateField("생년월일", validators=[validate_era])
    phone = models.CharField("휴대전화", max_length=13)
    email = models.EmailField("이메일")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="trainees", verbose_name="거주지"
    )
    address = models.CharField("주소", max_length=200)
    education = models.CharField("최종학력", max_length=20, choices=Education.choices)
    major = models.CharField("전공", max_length=100, blank=True)
    preferred_track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="희망 트랙",
    )
    # Skills the trainee declares (certificates, tools); linkage compares them with positions'.
    skills = ArrayField(
        models.CharField(max_length=50), verbose_name="보유 역량", default=list, blank=True
    )
    bank_name = models.CharField("은행", max_length=20, blank=True)
    bank_account = EncryptedCharField("계좌번호", blank=True)
    bank_holder = models.CharField("예금주", max_length=50, blank=True)
    # An employee is known through the company that nominated them: only what the course and
    # its certificate need (no e-mail, address, education or bank account; their region is
    # the workplace's). See training.nominations.
    employment_status = models.CharField(
        "고용 상태",
        max_length=20,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.JOB_SEEKER,
    )
    employer = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees_in_training",
        verbose_name="재직 기업",
    )
    position = models.CharField("직위", max_length=50, blank=True)
    department = models.CharField("부서", max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Staff of the groups the person applied to or trains with see the record too, wherever
    # the person lives; the region itself changes only by a logged staff action.
    scope = ScopePaths(
        region="region",
        person="user",
        served_by=(
            "applications__call__operating_group",
            "enrollments__cohort__course__operating_group",
        ),
    )

    class Meta:
        verbose_name = "교육생"
        verbose_name_plural = "교육생"
        ordering = ["name", "pk"]
        # Staff find a person by any tail of the number they were told (lib.search); the
        # registry's order is read from an index, not sorted out of the whole table.
        indexes = [
            phone_suffix_index("phone", name="trainee_phone_suffix"),
            models.Index(fields=["name", "id"], name="trainee_name_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                name="trainee_phone_unique",
                violation_error_message="같은 휴대전화 번호의 교육생이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(employment_status="employee") & models.Q(employer__isnull=False)
                )
                | (models.Q(employment_status="job_seeker") & models.Q(employer__isnull=True)),
                name="trainee_employer_iff_employee",
                violation_error_message="재직자에게만 재직 기업이 있습니다.",
            ),
            # Employees are paid nothing by the programme: no account number is kept for them.
            models.CheckConstraint(
                condition=models.Q(employment_status="job_seeker") | models.Q(bank_account=""),
                name="trainee_employee_no_bank_account",
                violation_error_message="재직자의 계좌번호는 받지 않습니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _region_change_rules(subject: str, place: str):
    """A trail's constraints and triggers: a move changes the region (the message names the
    subject's place: 거주지, 소재지), and the trail is append-only."""
    return (
        [
            models.CheckConstraint(
                condition=~models.Q(old_region=models.F("new_region")),
                name=f"{subject}_region_change_differs",
                violation_error_message=f"새 {place}가 지금과 같습니다.",
            ),
        ],
        [
            pgtrigger.Protect(
                name=f"{subject}_region_change_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ],
    )


class RegionChange(models.Model):
    """A staff member moved a trainee or a company to another region (and so to the groups
    serving it): who, when, from where to where, and why. The subject cannot change it.

    Each subject has its own trail (a foreign key named after it, ``related_name=
    "region_changes"``), so each is scoped like its subject; ``services.region_change`` writes
    both."""

    old_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="이전 시·도"
    )
    new_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="새 시·도"
    )
    reason = models.CharField("변경 사유", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    at = models.DateTimeField("처리 일시", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class TraineeRegionChange(RegionChange):
    """A person moved to another region of residence by staff."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, related_name="region_changes", verbose_name="교육생"
    )

    # Whoever may see the person may see how their region changed.
    scope = ScopePaths(
        region="trainee__region",
        person="trainee__user",
        served_by=(
            "trainee__applications__call__operating_group",
            "trainee__enrollments__cohort__course__operating_group",
        ),
    )

    class Meta:
        verbose_name = "교육생 거주지 변경"
        verbose_name_plural = "교육생 거주지 변경"
        ordering = ["trainee", "at", "pk"]
        constraints, triggers = _region_change_rules("trainee", "거주지")


class CompanyRegionChange(RegionChange):
    """A company moved to another region (where it is located) by staff."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="region_changes", verbose_name="기업"
    )

    # Whoever may see the company may see how its region changed.
    scope = ScopePaths(region="company__region", company="company")

    class Meta:
        verbose_name = "기업 소재지 변경"
        verbose_name_plural = "기업 소재지 변경"
        ordering = ["company", "at", "pk"]
        constraints, triggers = _region_change_rules("company", "소재지")


# PIPA 제5조③: who was given or lost access to a group's region, or to a company, is kept.
for _through, _name in (
    (OperatingGroup.staff.through, "OperatingGroupStaffEvent"),
    (Company.managers.through, "CompanyManagerEvent"),
):
    pghistory.track(
        pghistory.InsertEvent("granted"),
        pghistory.DeleteEvent("revoked"),
        obj_field=None,
        model_name=_name,
        app_label="programs",
    )(_through)
