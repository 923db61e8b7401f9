"""The pipeline after recruitment over the API (issue 14 §6): courses and cohorts with their
attendance and completion aggregates, each trainee's 수강 (attendance so far and completion),
intern positions, placements, hiring outcomes and the KPIs.

Scoped exactly as the pages, through ``visible_to``: another group's, company's or person's
row answers 404 like a missing one. Rows about people go through ``personal_page`` /
``personal_detail`` (a 접속기록 row for what was returned) with names masked; courses,
cohorts and positions are the groups' and companies' own records, not personal data. The KPIs
are the 성과 지표 page's board (``outcomes.dashboards.kpi_board``): the viewer's counts under 5
read "<5"."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.api.auth import AUTH
from itda.api.dates import EraDate
from itda.api.errors import ErrorOut
from itda.api.routers.internships import Ref
from itda.api.routers.programs import (
    MAX_ID,
    Pages,
    TrackRef,
    _id,
    _page_param,
    _page_size_param,
    _registry_page,
)
from itda.internships.models import HiringOutcome, Placement, PlacementState, Position
from itda.lib import masking
from itda.outcomes.dashboards import kpi_board
from itda.outcomes.kpis import FUNNEL
from itda.programs.models import Programme
from itda.training.models import Cohort, Course, Enrollment, EnrollmentStatus
from itda.training.selectors import attendance_rate, attendance_tally

router = Router()
TRAINING = ["교육과정·기수·수강"]
LINKAGE = ["인턴 자리·배정"]
OUTCOMES = ["채용 결과·성과 지표"]

_ENROLMENT_READERS = (*PROGRAMME_STAFF, Role.TRAINEE)
_POSITION_READERS = (*PROGRAMME_STAFF, Role.COMPANY)
_PERSON_READERS = (*PROGRAMME_STAFF, Role.COMPANY, Role.TRAINEE)
_KPI_READERS = (*PROGRAMME_STAFF, Role.VIEWER)

_programme_param = Query(None, ge=1, le=MAX_ID, description="사업 ID")
_cohort_param = Query(None, ge=1, le=MAX_ID, description="기수 ID")
_status_param = Query(None, description="수강 상태")
_state_param = Query(None, description="상태")
_day_param = Query(None, description="기준일 (기본: 오늘)")


# --- Courses and cohorts -----------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    code: str
    title: str
    operating_group: Ref
    audience: str
    level: str
    track: TrackRef | None
    has_assessment: bool

    @staticmethod
    def resolve_operating_group(obj) -> dict:
        return {"id": obj.operating_group_id, "name": obj.operating_group.name}


class CohortOut(Schema):
    id: int
    course: Ref
    number: int
    starts_on: date
    ends_on: date
    capacity: int
    completed_at: datetime | None = Field(description="수료 판정 일시 (판정 전이면 null)")
    enrolled: int = Field(description="수강 등록 인원 (대기 제외)")
    completed: int = Field(description="수료 인원")
    withdrawn: int = Field(description="중도포기 인원")
    not_completed: int = Field(description="미수료 인원")

    @staticmethod
    def resolve_course(obj) -> dict:
        return {"id": obj.course_id, "name": obj.course.title}


class CohortAttendanceOut(CohortOut):
    sessions_held: int = Field(description="지금까지 끝난 차시 수")
    attendance_rate: str = Field(description="인정 출석 ÷ 예정 차시 (끝난 차시, 전원 합계)")


def _courses(request):
    return Course.objects.visible_to(request.user).select_related("operating_group", "track")


def _cohorts(request):
    counted = {
        "enrolled": ~Q(enrollments__status=EnrollmentStatus.WAITLISTED),
        "completed": Q(enrollments__status=EnrollmentStatus.COMPLETED),
        "withdrawn": Q(enrollments__status=EnrollmentStatus.WITHDRAWN),
        "not_completed": Q(enrollments__status=EnrollmentStatus.NOT_COMPLETED),
    }
    return (
        Cohort.objects.visible_to(request.user)
        .select_related("course")
        .annotate(**{k: Count("enrollments", filter=q) for k, q in counted.items()})
        .order_by("-starts_on", "pk")
    )


@router.get(
    "/courses",
    response=list[CourseOut],
    auth=AUTH,
    tags=TRAINING,
    summary="교육과정 목록 (내 범위)",
)
@decorate_view(never_cache)
@paginate(Pages)
def course_list(request, programme: int | None = _programme_param):
    require_role(request, *PROGRAMME_STAFF)
    rows = _courses(request).order_by("operating_group", "code")
    return rows.filter(operating_group__programme=programme) if programme else rows


@router.get(
    "/courses/{course_id}", response=CourseOut, auth=AUTH, tags=TRAINING, summary="교육과정 상세"
)
@decorate_view(never_cache)
def course_detail(request, course_id: int = _id("교육과정 ID")):
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(_courses(request), pk=course_id)


@router.get(
    "/cohorts",
    response=list[CohortOut],
    auth=AUTH,
    tags=TRAINING,
    summary="기수 목록과 수료 현황 (내 범위)",
)
@decorate_view(never_cache)
@paginate(Pages)
def cohort_list(request, course: int | None = Query(None, ge=1, le=MAX_ID, description="과정 ID")):
    require_role(request, *PROGRAMME_STAFF)
    rows = _cohorts(request)
    return rows.filter(course=course) if course else rows


@router.get(
    "/cohorts/{cohort_id}",
    response=CohortAttendanceOut,
    auth=AUTH,
    tags=TRAINING,
    summary="기수 상세: 수료 현황과 출결 집계",
)
@decorate_view(never_cache)
def cohort_detail(request, cohort_id: int = _id("기수 ID")):
    require_role(request, *PROGRAMME_STAFF)
    cohort = get_object_or_404(_cohorts(request), pk=cohort_id)
    tallies = attendance_tally(
        Enrollment.objects.filter(cohort=cohort).exclude(status=EnrollmentStatus.WAITLISTED),
        as_of=timezone.now(),
    ).values_list("scheduled", "credited")
    scheduled = sum(s for s, _ in tallies)
    cohort.sessions_held = cohort.sessions.filter(ends_at__lte=timezone.now()).count()
    cohort.attendance_rate = str(attendance_rate(sum(c for _, c in tallies), scheduled))
    return cohort


# --- Enrolments: attendance so far and completion, per trainee ---------------------------------


class EnrollmentOut(Schema):
    id: int
    cohort: Ref
    trainee: Ref = Field(description="교육생 (성명 마스킹)")
    status: str
    status_label: str
    assessment_passed: bool | None
    ended_at: datetime | None
    scheduled: int = Field(description="지금까지 끝난 차시")
    attended: int = Field(description="출석한 차시 (공결 포함)")
    credited: int = Field(description="인정 출석 (지각·조퇴 환산 후)")
    attendance_rate: str = Field(description="인정 출석 ÷ 끝난 차시 (소수 넷째 자리)")

    @staticmethod
    def resolve_cohort(obj) -> dict:
        return {"id": obj.cohort_id, "name": f"{obj.cohort.course.title} {obj.cohort.number}기"}

    @staticmethod
    def resolve_trainee(obj) -> dict:
        return {"id": obj.trainee_id, "name": masking.mask_name(obj.trainee.name)}

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_attendance_rate(obj) -> str:
        return str(attendance_rate(obj.credited, obj.scheduled))


class EnrollmentPage(Schema):
    items: list[EnrollmentOut]
    count: int
    page: int
    pages: int


def _enrollments():
    rows = Enrollment.objects.select_related("cohort__course", "cohort__rule", "trainee")
    return attendance_tally(rows.order_by("cohort", "pk"), as_of=timezone.now())


@router.get(
    "/enrollments",
    response=EnrollmentPage,
    auth=AUTH,
    tags=TRAINING,
    summary="수강 목록: 출결 집계와 수료 여부 (내 범위, 마스킹)",
)
@decorate_view(never_cache)
def enrollment_list(
    request,
    cohort: int | None = _cohort_param,
    status: EnrollmentStatus | None = _status_param,
    page: int = _page_param,
    page_size: int = _page_size_param,
):
    require_role(request, *_ENROLMENT_READERS)
    rows = _enrollments()
    if cohort:
        rows = rows.filter(cohort=cohort)
    if status:
        rows = rows.filter(status=status)
    return _registry_page(request, rows, page_size)


@router.get(
    "/enrollments/{enrollment_id}",
    response=EnrollmentOut,
    auth=AUTH,
    tags=TRAINING,
    summary="수강 상세: 출결 집계와 수료 여부 (마스킹)",
)
@decorate_view(never_cache)
def enrollment_detail(request, enrollment_id: int = _id("수강 ID")):
    require_role(request, *_ENROLMENT_READERS)
    return personal_detail(request, _enrollments(), enrollment_id)


# --- Positions and placements ------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    company: Ref
    track: TrackRef
    title: str
    duties: str
    seats: int
    region: Ref
    status: str
    status_label: str
    required_skills: list[str]
    preferred_skills: list[str]

    @staticmethod
    def resolve_company(obj) -> dict:
        return {"id": obj.company_id, "name": obj.company.name}

    @staticmethod
    def resolve_region(obj) -> dict:
        return {"id": obj.region_id, "name": obj.region.name}

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


def _positions(request):
    return (
        Position.objects.visible_to(request.user)
        .select_related("company", "track", "region")
        .order_by("-created_at", "pk")
    )


@router.get(
    "/positions",
    response=list[PositionOut],
    auth=AUTH,
    tags=LINKAGE,
    summary="인턴 자리 목록 (내 범위)",
)
@decorate_view(never_cache)
@paginate(Pages)
def position_list(request, track: int | None = Query(None, ge=1, le=MAX_ID, description="트랙 ID")):
    require_role(request, *_POSITION_READERS)
    rows = _positions(request)
    return rows.filter(track=track) if track else rows


@router.get(
    "/positions/{position_id}",
    response=PositionOut,
    auth=AUTH,
    tags=LINKAGE,
    summary="인턴 자리 상세",
)
@decorate_view(never_cache)
def position_detail(request, position_id: int = _id("인턴 자리 ID")):
    require_role(request, *_POSITION_READERS)
    return get_object_or_404(_positions(request), pk=position_id)


class PlacementOut(Schema):
    id: int
    trainee: Ref = Field(description="교육생 (성명 마스킹)")
    position: Ref
    company: Ref
    state: str
    state_label: str
    operating_group: Ref | None = Field(description="연계 사업단 (전국 라운드면 null)")
    created_at: datetime

    @staticmethod
    def resolve_trainee(obj) -> dict:
        return {"id": obj.trainee_id, "name": masking.mask_name(obj.trainee.name)}

    @staticmethod
    def resolve_position(obj) -> dict:
        return {"id": obj.position_id, "name": obj.position.title}

    @staticmethod
    def resolve_company(obj) -> dict:
        return {"id": obj.position.company_id, "name": obj.position.company.name}

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_operating_group(obj) -> dict | None:
        group = obj.operating_group
        return {"id": group.pk, "name": group.name} if group else None


class PlacementPage(Schema):
    items: list[PlacementOut]
    count: int
    page: int
    pages: int


def _placements():
    return Placement.objects.select_related(
        "trainee", "position__company", "operating_group"
    ).order_by("-created_at", "pk")


@router.get(
    "/placements",
    response=PlacementPage,
    auth=AUTH,
    tags=LINKAGE,
    summary="인턴십 배정 목록 (내 범위, 마스킹)",
)
@decorate_view(never_cache)
def placement_list(
    request,
    state: PlacementState | None = _state_param,
    page: int = _page_param,
    page_size: int = _page_size_param,
):
    require_role(request, *_PERSON_READERS)
    rows = _placements()
    return _registry_page(request, rows.filter(state=state) if state else rows, page_size)


@router.get(
    "/placements/{placement_id}",
    response=PlacementOut,
    auth=AUTH,
    tags=LINKAGE,
    summary="인턴십 배정 상세 (마스킹)",
)
@decorate_view(never_cache)
def placement_detail(request, placement_id: int = _id("배정 ID")):
    require_role(request, *_PERSON_READERS)
    return personal_detail(request, _placements(), placement_id)


# --- Hiring outcomes and KPIs ------------------------------------------------------------------


class OutcomeOut(Schema):
    id: int
    internship_id: int
    intern: Ref = Field(description="인턴 (성명 마스킹)")
    checkpoint: str
    checkpoint_label: str
    kind: str
    kind_label: str
    employment_type: str
    hired_on: date | None
    wage_band: str
    status: str
    status_label: str
    version: int

    @staticmethod
    def resolve_intern(obj) -> dict:
        trainee = obj.internship.placement.trainee
        return {"id": trainee.pk, "name": masking.mask_name(trainee.name)}

    @staticmethod
    def resolve_checkpoint_label(obj) -> str:
        return obj.get_checkpoint_display()

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class OutcomePage(Schema):
    items: list[OutcomeOut]
    count: int
    page: int
    pages: int


def _outcomes():
    return HiringOutcome.objects.select_related("internship__placement__trainee").order_by(
        "internship_id", "checkpoint", "pk"
    )


@router.get(
    "/outcomes",
    response=OutcomePage,
    auth=AUTH,
    tags=OUTCOMES,
    summary="채용 결과 목록 (내 범위, 마스킹; 근로계약서 사본은 제외)",
)
@decorate_view(never_cache)
def outcome_list(request, page: int = _page_param, page_size: int = _page_size_param):
    require_role(request, *_PERSON_READERS)
    return _registry_page(request, _outcomes(), page_size)


@router.get(
    "/outcomes/{outcome_id}",
    response=OutcomeOut,
    auth=AUTH,
    tags=OUTCOMES,
    summary="채용 결과 상세 (마스킹)",
)
@decorate_view(never_cache)
def outcome_detail(request, outcome_id: int = _id("채용 결과 ID")):
    require_role(request, *_PERSON_READERS)
    return personal_detail(request, _outcomes(), outcome_id)


class KpiOut(Schema):
    key: str
    name: str
    formula: str
    source: str
    rate_pct: float | None = Field(description="비율(%) — 분모 0이거나 비공개면 null")
    shown: str = Field(description="화면 표시 (예: 80.0%, 비공개)")
    explained: str = Field(description="산식과 값 (비공개 수는 <5)")


class UnitOut(Schema):
    section: str = Field(
        description="totals(전국·사업단) · zones(권역) · regions(시·도) · tracks(트랙), "
        "성과 지표 화면의 표와 같음"
    )
    label: str
    target: int | None = Field(description="선발 목표 (문서가 정한 곳만)")
    counts: dict[str, int | str] = Field(description="단계별 인원 (열람자에게 1~4는 '<5')")
    companies: int | str
    kpis: list[KpiOut]


class BoardOut(Schema):
    programme: Ref
    day: date
    live: bool = Field(description="그 날 스냅숏이 없어 지금 집계한 값이면 true")
    suppressed: bool
    units: list[UnitOut]


def _unit(section: str, unit) -> dict:
    return {
        "section": section,
        "label": unit.label,
        "target": unit.target,
        "counts": dict(zip(FUNNEL, unit.counts, strict=True)),
        "companies": unit.companies,
        "kpis": [
            {
                "key": v.kpi.key,
                "name": v.kpi.name,
                "formula": v.kpi.formula,
                "source": v.kpi.source,
                "rate_pct": v.rate,
                "shown": v.shown,
                "explained": v.explained,
            }
            for v in unit.kpis
        ],
    }


@router.get(
    "/kpis",
    response={200: BoardOut, 404: ErrorOut},
    auth=AUTH,
    tags=OUTCOMES,
    summary="성과 지표: 단계별 인원과 지표 (성과 지표 화면과 같은 범위)",
)
@decorate_view(never_cache)
def kpi_list(
    request,
    programme: int | None = Query(None, ge=1, le=MAX_ID, description="사업 ID (기본: 첫 사업)"),
    day: EraDate | None = _day_param,
):
    require_role(request, *_KPI_READERS)
    # As on the 성과 지표 page: without a choice, the first programme.
    programmes = Programme.objects.order_by("pk")
    the_programme = get_object_or_404(programmes, pk=programme) if programme else programmes.first()
    if the_programme is None:
        raise Http404
    board = kpi_board(user=request.user, programme=the_programme, day=day or timezone.localdate())
    return {
        "programme": {"id": the_programme.pk, "name": the_programme.name},
        "day": board.day,
        "live": board.live,
        "suppressed": board.suppress,
        # The people's sections (the company ones count other stages and carry no rates).
        "units": [
            _unit(section.key, unit)
            for section in board.sections
            if section.with_kpis
            for unit in section.units
        ],
    }
