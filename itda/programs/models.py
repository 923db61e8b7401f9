"""Reference data (regions, complexes, 대개조 plans, programmes, venues) and the scoped
registries of companies and trainees."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField, EncryptedCharField


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


@pghistory.track()
class Region(models.Model):
    """A province-level region (광역 시·도); 17 of them."""

    code = models.CharField("행정구역코드", max_length=2, unique=True)
    name = models.CharField("명칭", max_length=20, unique=True)
    short_name = models.CharField("약칭", max_length=4, unique=True)
    zone = models.CharField("권역", max_length=20, choices=Zone.choices)

    class Meta:
        verbose_name = "시·도"
        verbose_name_plural = "시·도"
        ordering = ["code"]

    def __str__(self) -> str:
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
    DESIGNATED = "designated", "지정(경쟁력강화사업지구)"
    PRELIMINARY = "preliminary", "예비선정"


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


@pghistory.track()
class SubProject(models.Model):
    """A main sub-project the region requested under a key task."""

    key_task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="subprojects")
    name = models.CharField("사업명", max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "주요 사업"
        verbose_name_plural = "주요 사업"
        ordering = ["key_task", "order"]

    @property
    def is_smart_manufacturing_training(self) -> bool:
        # The sub-project that ties 대개조 to the MSS programme, however a region spelled it.
        compact = self.name.replace(" ", "")
        return "고급인력" in compact or "제조고급" in compact


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
    source_document = models.CharField("출처", max_length=200)

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
        ]

    def __str__(self) -> str:
        return self.name


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
    quota = models.PositiveIntegerField("정원", null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.name


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
    # Made up by generate_demo: its sessions are real to the demo, but the public reference
    # pages (programme, complex) list only venues that exist.
    is_demo = models.BooleanField("데모 교육장", default=False)

    objects = ScopedQuerySet.as_manager()
    # The group whose regions cover a venue's region runs its rooms.
    scope = ScopePaths(region="region")

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
    scope = ScopePaths(region="venue__region")

    class Meta:
        verbose_name = "실"
        verbose_name_plural = "실"
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_name_unique",
                violation_error_message="이 교육장에 같은 이름의 실이 이미 있습니다.",
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


class SmartFactoryLevel(models.TextChoices):
    BASIC = "basic", "기초"
    INTERMEDIATE1 = "intermediate1", "중간1"
    INTERMEDIATE2 = "intermediate2", "중간2"
    ADVANCED = "advanced", "고도"


@pghistory.track()
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
        ]

    def __str__(self) -> str:
        return self.name


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", "고등학교 졸업"
    COLLEGE = "college", "전문대학 졸업"
    UNIVERSITY = "university", "대학교 졸업"
    GRADUATE = "graduate", "대학원 졸업"


@pghistory.track(exclude=["bank_account"])
class Trainee(models.Model):
    """A job seeker known to itda (an applicant until selected). Never holds an RRN."""

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
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                name="trainee_phone_unique",
                violation_error_message="같은 휴대전화 번호의 교육생이 이미 있습니다.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@pgtrigger.register(
    pgtrigger.Protect(
        name="trainee_region_change_append_only",
        operation=pgtrigger.Update | pgtrigger.Delete,
    )
)
class TraineeRegionChange(models.Model):
    """A staff member moved a person to another region (and so to the groups serving it): who,
    when, from where to where, and why. The person cannot change it themselves."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, related_name="region_changes", verbose_name="교육생"
    )
    old_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="이전 거주지"
    )
    new_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="새 거주지"
    )
    reason = models.CharField("변경 사유", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    at = models.DateTimeField("처리 일시", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
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
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(old_region=models.F("new_region")),
                name="trainee_region_change_differs",
                violation_error_message="새 거주지가 지금과 같습니다.",
            ),
        ]


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
