"""Reference data (public), the scoped registries of companies and trainees, region aggregates.

Reference lists are public and paginated with a fixed number of queries however many rows a
page holds. Registry reads go through ``itda.accounts.access``: the scope rule, 404 for what is
not yours (the same body as for what does not exist) and a 접속기록 row for what was returned.
Personal fields are masked; full values need a stated reason (``POST /trainees/{id}/reveal``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate
from pydantic import StringConstraints

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import Role
from itda.api.auth import AUTH
from itda.lib import masking
from itda.programs import selectors
from itda.programs.models import (
    Company,
    IndustrialComplex,
    KeyTask,
    OperatingGroup,
    PlanSite,
    Programme,
    Region,
    SiteRole,
    Trainee,
    TransformationPlan,
    Venue,
)

router = Router()

MAX_ID = 2**63 - 1  # PostgreSQL bigint: a larger id is bad input, not a server error
MAX_PAGE = 100_000
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

REFERENCE = ["참조 데이터"]
REGISTRY = ["기업·교육생"]
STATS = ["통계"]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="쪽 번호 (1부터)")
    page_size: int | None = Field(
        None, ge=1, le=MAX_PAGE_SIZE, description=f"쪽당 건수 (기본 {PAGE_SIZE})"
    )


class Pages(PageNumberPagination):
    """ninja's page-number pagination with bounded inputs (a huge page is bad input)."""

    Input = PageQuery

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


# --- Reference data -------------------------------------------------------------------------


class RegionOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    zone: str
    zone_label: str

    @staticmethod
    def resolve_zone_label(obj) -> str:
        return obj.get_zone_display()


class ComplexRef(Schema):
    id: int
    name: str


class FigureOut(Schema):
    metric: str
    metric_label: str
    value: Decimal | None
    unit: str
    share_pct: Decimal | None
    share_basis: str
    source_text: str

    @staticmethod
    def resolve_metric_label(obj) -> str:
        return obj.get_metric_display()


class ComplexOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: RegionOut
    smart_green_year: int | None
    description: str
    figures: list[FigureOut]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


def _complexes():
    return IndustrialComplex.objects.select_related("region").prefetch_related("figures")


@router.get("/regions", response=list[RegionOut], tags=REFERENCE, summary="시·도 목록")
@paginate(Pages)
def region_list(request):
    return Region.objects.all()


@router.get("/complexes", response=list[ComplexOut], tags=REFERENCE, summary="산업단지 목록")
@paginate(Pages)
def complex_list(
    request,
    region: str | None = Query(None, max_length=2, description="시·도 행정구역코드 (예: 28)"),
):
    complexes = _complexes()
    if region:
        complexes = complexes.filter(region__code=region)
    return complexes


@router.get("/complexes/{complex_id}", response=ComplexOut, tags=REFERENCE, summary="산업단지 상세")
def complex_detail(request, complex_id: int = _id("산업단지 ID")):
    return get_object_or_404(_complexes(), pk=complex_id)


class SiteOut(Schema):
    complex: ComplexRef
    role: str
    role_label: str
    industries: str
    linkage_function: str

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class TargetOut(Schema):
    indicator: str
    value: Decimal | None
    unit: str
    source: str
    source_label: str
    source_text: str

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()


class SubProjectOut(Schema):
    name: str
    is_smart_manufacturing_training: bool


class KeyTaskOut(Schema):
    name: str
    details: str
    subprojects: list[SubProjectOut]


class PlanOut(Schema):
    id: int
    region: RegionOut
    region_name: str = Field(description="시·도의 그 선정연도 명칭 (예: 2021년 전라북도)")
    round_year: int
    status: str
    status_label: str
    hub: ComplexRef | None
    main_industries: str
    vision: str
    requested_subproject_count: int | None
    source_document: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_hub(obj):
        return obj.hub_sites[0].complex if obj.hub_sites else None


class PlanDetailOut(PlanOut):
    summary: str
    regional_context: str
    governance: str
    sites: list[SiteOut]
    targets: list[TargetOut]
    key_tasks: list[KeyTaskOut]


def _plans():
    hubs = PlanSite.objects.filter(role=SiteRole.HUB).select_related("complex")
    return TransformationPlan.objects.select_related("region").prefetch_related(
        Prefetch("sites", queryset=hubs, to_attr="hub_sites")
    )


@router.get("/plans", response=list[PlanOut], tags=REFERENCE, summary="산단대개조 혁신계획 목록")
@paginate(Pages)
def plan_list(
    request,
    region: str | None = Query(None, max_length=2, description="시·도 행정구역코드"),
    round_year: int | None = Query(None, ge=2000, le=2100, description="선정연도"),
):
    plans = _plans()
    if region:
        plans = plans.filter(region__code=region)
    if round_year:
        plans = plans.filter(round_year=round_year)
    return plans


@router.get(
    "/plans/{plan_id}",
    response=PlanDetailOut,
    tags=REFERENCE,
    summary="혁신계획 상세 (대상지역·성과목표·중점과제·주요 사업)",
)
def plan_detail(request, plan_id: int = _id("혁신계획 ID")):
    plans = _plans().prefetch_related(
        Prefetch("sites", queryset=PlanSite.objects.select_related("complex")),
        "targets",
        Prefetch("key_tasks", queryset=KeyTask.objects.prefetch_related("subprojects")),
    )
    return get_object_or_404(plans, pk=plan_id)


class TrackOut(Schema):
    id: int
    code: str
    name: str
    description: str
    # A national "여" target, not a hard 정원: passing it beyond the tolerance needs a
    # recorded override of the groups' allocations.
    quota: int | None = Field(description="전국 목표 인원 (정원이 아닌 목표)")
    tolerance_pct: int = Field(description="목표 허용 범위(%)")
    placement_kind: str
    placement_kind_label: str

    @staticmethod
    def resolve_placement_kind_label(obj) -> str:
        return obj.get_placement_kind_display()


class BudgetOut(Schema):
    source: str
    source_label: str
    amount_krw: int

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()


class WindowOut(Schema):
    name: str
    opens_on: date | None
    closes_on: date | None
    note: str


class ExecutorOut(Schema):
    name: str
    role: str


class OperatingGroupOut(Schema):
    id: int
    name: str
    zone: str
    zone_label: str
    regions: list[RegionOut]

    @staticmethod
    def resolve_zone_label(obj) -> str:
        return obj.get_zone_display()


class RoomOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    capacity: int | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class VenueOut(Schema):
    id: int
    name: str
    programme_id: int | None
    region: RegionOut
    complex: ComplexRef | None
    address: str
    floor_area_m2: int | None
    opened_on: date | None
    description: str
    rooms: list[RoomOut]


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    ministry: str
    managing_agency: str
    starts_on: date
    ends_on: date
    purpose: str
    location: str
    target_companies: int | None
    target_trainees: int | None
    training_months_max: int | None
    training_allowance_monthly_krw: int | None
    internship_months_max: int | None
    internship_allowance_monthly_krw: int | None
    source_document: str
    tracks: list[TrackOut]
    budgets: list[BudgetOut]
    windows: list[WindowOut]
    executors: list[ExecutorOut]
    operating_groups: list[OperatingGroupOut]
    venues: list[VenueOut]


def _venues():
    # Reference data: the demo's made-up training centres are not part of it.
    return (
        Venue.objects.filter(is_demo=False)
        .select_related("region", "complex")
        .prefetch_related("rooms")
    )


def _programmes():
    return Programme.objects.prefetch_related(
        "tracks",
        "budgets",
        "windows",
        "executors",
        # Staff are personal data and not part of the public record of a group.
        Prefetch("operating_groups", queryset=OperatingGroup.objects.prefetch_related("regions")),
        Prefetch("venues", queryset=_venues().order_by("pk")),
    )


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    tags=REFERENCE,
    summary="사업 목록 (트랙·사업비·일정·수행기관·사업단·교육장)",
)
@paginate(Pages)
def programme_list(request):
    return _programmes()


@router.get(
    "/programmes/{programme_id}", response=ProgrammeOut, tags=REFERENCE, summary="사업 상세"
)
def programme_detail(request, programme_id: int = _id("사업 ID")):
    return get_object_or_404(_programmes(), pk=programme_id)


@router.get("/venues", response=list[VenueOut], tags=REFERENCE, summary="교육장과 공간 목록")
@paginate(Pages)
def venue_list(request):
    return _venues().order_by("name", "pk")


# --- Registries (scoped, masked, logged) -----------------------------------------------------
# Personal data is never cached (decorate_view(never_cache)), as in the UI's registry views.

_COMPANY_ROLES = (Role.OPERATOR, Role.GROUP_STAFF, Role.COMPANY)
_TRAINEE_LIST_ROLES = (Role.OPERATOR, Role.GROUP_STAFF)
_TRAINEE_DETAIL_ROLES = (Role.OPERATOR, Role.GROUP_STAFF, Role.TRAINEE)


class RegionRef(Schema):
    code: str
    name: str


class CompanyOut(Schema):
    id: int
    name: str
    business_number: str
    representative: str = Field(description="대표자 성명 (마스킹)")
    kind: str
    kind_label: str
    size: str
    size_label: str
    industry: str
    region: RegionRef
    complex: ComplexRef | None
    address: str
    employees: int
    phone: str

    @staticmethod
    def resolve_representative(obj) -> str:
        return masking.mask_name(obj.representative)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_size_label(obj) -> str:
        return obj.get_size_display()


class TrackRef(Schema):
    id: int
    code: str
    name: str


class TraineeOut(Schema):
    """A trainee with every personal field masked (홍*동, 010-****-5678)."""

    id: int
    name: str
    birth_date: str
    phone: str
    email: str
    address: str
    bank_name: str
    bank_account: str
    region: RegionRef
    education: str
    education_label: str
    major: str
    preferred_track: TrackRef | None
    created_at: datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return masking.mask_name(obj.name)

    @staticmethod
    def resolve_birth_date(obj) -> str:
        return masking.mask_birth_date(obj.birth_date)

    @staticmethod
    def resolve_phone(obj) -> str:
        return masking.mask_phone(obj.phone)

    @staticmethod
    def resolve_email(obj) -> str:
        return masking.mask_email(obj.email)

    @staticmethod
    def resolve_address(obj) -> str:
        return masking.mask_address(obj.address)

    @staticmethod
    def resolve_bank_account(obj) -> str:
        return masking.mask_account(obj.bank_account) if obj.bank_account else ""

    @staticmethod
    def resolve_education_label(obj) -> str:
        return obj.get_education_display()

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return timezone.localtime(obj.created_at)  # shown in Asia/Seoul, with its offset


class TraineeFullOut(TraineeOut):
    """A trainee with full values: only after a stated reason, logged as a reveal."""

    birth_date: date

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.name

    @staticmethod
    def resolve_birth_date(obj) -> date:
        return obj.birth_date

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.email

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.address

    @staticmethod
    def resolve_bank_account(obj) -> str:
        return obj.bank_account or ""


class CompanyPage(Schema):
    items: list[CompanyOut]
    count: int
    page: int
    pages: int


class TraineePage(Schema):
    items: list[TraineeOut]
    count: int
    page: int
    pages: int


def _registry_page(request, queryset, page_size: int) -> dict:
    """One logged page of a registry in the caller's scope (``personal_page`` reads ?page=)."""
    page = personal_page(request, queryset, per_page=page_size)
    return {
        "items": list(page.object_list),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


_page_param = Query(1, ge=1, le=MAX_PAGE, description="쪽 번호 (1부터)")
_page_size_param = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="쪽당 건수")


def _companies():
    return Company.objects.select_related("region", "complex")


def _trainees():
    return Trainee.objects.select_related("region", "preferred_track")


@router.get(
    "/companies", response=CompanyPage, auth=AUTH, tags=REGISTRY, summary="기업 목록 (내 범위)"
)
@decorate_view(never_cache)
def company_list(request, page: int = _page_param, page_size: int = _page_size_param):
    require_role(request, *_COMPANY_ROLES)
    return _registry_page(request, _companies(), page_size)


@router.get(
    "/companies/{company_id}", response=CompanyOut, auth=AUTH, tags=REGISTRY, summary="기업 상세"
)
@decorate_view(never_cache)
def company_detail(request, company_id: int = _id("기업 ID")):
    require_role(request, *_COMPANY_ROLES)
    return personal_detail(request, _companies(), company_id)


@router.get(
    "/trainees",
    response=TraineePage,
    auth=AUTH,
    tags=REGISTRY,
    summary="교육생 목록 (내 범위, 마스킹)",
)
@decorate_view(never_cache)
def trainee_list(request, page: int = _page_param, page_size: int = _page_size_param):
    require_role(request, *_TRAINEE_LIST_ROLES)
    return _registry_page(request, _trainees(), page_size)


@router.get(
    "/trainees/{trainee_id}",
    response=TraineeOut,
    auth=AUTH,
    tags=REGISTRY,
    summary="교육생 상세 (마스킹)",
)
@decorate_view(never_cache)
def trainee_detail(request, trainee_id: int = _id("교육생 ID")):
    require_role(request, *_TRAINEE_DETAIL_ROLES)
    return personal_detail(request, _trainees(), trainee_id)


class RevealIn(Schema):
    # Stripped before the length check: five spaces are no reason. Control characters (a NUL
    # cannot even be stored by PostgreSQL) are refused; tab and line breaks are text.
    reason: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=5,
            max_length=300,
            pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        ),
        Field(description="열람 사유 (5자 이상)"),
    ]


@router.post(
    "/trainees/{trainee_id}/reveal",
    response=TraineeFullOut,
    auth=AUTH,
    tags=REGISTRY,
    summary="교육생 마스킹 해제 (사유와 함께 접속기록에 남음)",
)
@decorate_view(never_cache)
def trainee_reveal(request, body: RevealIn, trainee_id: int = _id("교육생 ID")):
    require_role(request, *_TRAINEE_LIST_ROLES)
    return personal_detail(request, _trainees(), trainee_id, action="reveal", reason=body.reason)


# --- Aggregates -------------------------------------------------------------------------------


class RegionCountOut(Schema):
    code: str
    name: str
    short_name: str
    zone: str
    companies: int
    trainees: int

    @staticmethod
    def resolve_companies(obj) -> int:
        return obj.n_companies

    @staticmethod
    def resolve_trainees(obj) -> int:
        return obj.n_trainees


class RegionStatsOut(Schema):
    regions: list[RegionCountOut]
    total_companies: int
    total_trainees: int


@router.get(
    "/stats/regions",
    response=RegionStatsOut,
    auth=AUTH,
    tags=STATS,
    summary="시·도별 기업·교육생 수 (개인정보 없음)",
)
@decorate_view(never_cache)
def region_stats(request):
    require_role(request, Role.OPERATOR, Role.VIEWER)
    regions = list(selectors.region_registration_counts())
    return {
        "regions": regions,
        "total_companies": sum(r.n_companies for r in regions),
        "total_trainees": sum(r.n_trainees for r in regions),
    }
