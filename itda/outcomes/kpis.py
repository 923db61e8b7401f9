"""The programme's funnel and its KPIs, defined once (issue 14 §1).

The funnel counts DISTINCT people at each stage, for a programme:

    모집 → 선발 → 수강 → 수료 → 연계 → 인턴 수료 → 채용 3개월 → 채용 6개월

plus two side counts the KPIs need (중도탈락, 3·6개월 모두 채용) and the selected companies
(참여기업, counted as distinct companies). All of it comes from ONE query: every stage's rows
as (stage, who, group, track, 시·도, company kind, complex), unioned, then counted with
GROUPING SETS for the national total, each operating group, each track, each 시·도, group ×
track / group × 시·도, and each company kind and industrial complex, alone or within a group.
The company is the host of the placement (from 연계 on; earlier stages have none) or the
selected company itself. 권역 are not counted here: they add up their 시·도 (outcomes.dashboards).

Which group a row belongs to is the group that ran that stage for the person (the call's, the
cohort's course's, the linkage round's); a national call or round (no group) belongs to the
group covering the applicant's (or position's) 시·도. The 시·도 is where the person lives
(the company's for companies). Interns inside the subsidised period are not hired: hires are
``internships.hiring.counted_hires`` at the 3- and 6-month checkpoints.

KPIs are ratios of two stage counts. They are not stored: snapshots keep the counts, and the
rates are computed from them by the definitions below, so a stored day reads back the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from itda.internships.hiring import counted_hires
from itda.internships.models import (
    Checkpoint,
    HiringOutcome,
    Internship,
    InternshipState,
    Placement,
    PlacementState,
)
from itda.lib.db import without_jit
from itda.lib.suppression import WITHHELD, is_suppressed, shown_count
from itda.programs.models import Programme
from itda.programs.selectors import covering_group
from itda.recruitment.models import Application, ApplicationStatus, CallKind, Result
from itda.training.models import Audience, Enrollment, EnrollmentStatus


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    counts: str  # what one counted unit is, in Korean


STAGES = (
    Stage("applied", "모집", "교육생 공모에 신청서를 제출한 교육생"),
    Stage("selected", "선발", "교육생 공모에서 선정된 교육생"),
    Stage("enrolled", "수강", "구직자 과정 기수에 수강 등록된 교육생(대기 제외)"),
    Stage("completed", "수료", "수료 판정을 받은 교육생"),
    Stage("withdrawn", "중도탈락", "수강 중 중도포기한 교육생"),
    Stage("placed", "연계", "인턴 자리에 배정된 교육생(취소 제외)"),
    Stage("interned", "인턴 수료", "인턴십을 완료한 교육생"),
    Stage("hired_3m", "채용 3개월", "인턴십 종료 3개월 시점에 확인된 채용(지원기간 중 제외)"),
    Stage("hired_6m", "채용 6개월", "인턴십 종료 6개월 시점에 확인된 채용(지원기간 중 제외)"),
    Stage("retained", "3·6개월 모두 채용", "3개월과 6개월 시점 모두 채용으로 확인된 교육생"),
    Stage("companies", "참여기업 선정", "기업 공모에서 선정된 기업(기업 수)"),
)
STAGE = {s.key: s for s in STAGES}
# The funnel as drawn, in order; the other stages serve the KPIs and the company target.
FUNNEL = (
    "applied",
    "selected",
    "enrolled",
    "completed",
    "placed",
    "interned",
    "hired_3m",
    "hired_6m",
)

ITDA_DEFINITION = "itda 정의"
HRD_NET = "HRD-Net 고용보험 취업률 정의를 따름"


@dataclass(frozen=True)
class Kpi:
    """One KPI: a ratio of two stage counts, with where its definition comes from."""

    key: str
    name: str
    numerator: str
    denominator: str
    source: str
    note: str = ""  # what is adapted from the source, or what the definition decides

    @property
    def formula(self) -> str:
        return f"{STAGE[self.numerator].label} ÷ {STAGE[self.denominator].label} × 100"


_HRD_ADAPTED = (
    "HRD-Net은 훈련 수료자 중 수료 후 {n}개월 안에 고용보험을 취득한 사람의 비율로 셉니다. "
    "itda는 분모를 같은 수료자로 두고, 분자를 인턴십 종료 {n}개월 시점에 사업단이 확인한 채용"
    "(고용보험 취득일·근로계약서 근거, 인턴 지원기간 중 채용은 제외)으로 바꾸었으며, HRD-Net의 "
    "취업률 산정 제외자(진학·입대 등)는 빼지 않습니다."
)

KPIS = (
    Kpi(
        "completion_rate",
        "수료율",
        "completed",
        "enrolled",
        ITDA_DEFINITION,
        "수강 등록한 교육생 중 수료 판정을 받은 비율.",
    ),
    Kpi(
        "dropout_rate",
        "중도탈락률",
        "withdrawn",
        "enrolled",
        ITDA_DEFINITION,
        "수강 등록한 교육생 중 중도포기한 비율(미수료는 포함하지 않음).",
    ),
    Kpi(
        "linkage_rate",
        "연계율",
        "placed",
        "completed",
        ITDA_DEFINITION,
        "수료한 교육생 중 인턴 자리에 배정된 비율(취소된 배정 제외).",
    ),
    Kpi(
        "employment_3m", "3개월 취업률", "hired_3m", "completed", HRD_NET, _HRD_ADAPTED.format(n=3)
    ),
    Kpi(
        "employment_6m", "6개월 취업률", "hired_6m", "completed", HRD_NET, _HRD_ADAPTED.format(n=6)
    ),
    Kpi(
        "retention_rate",
        "유지취업률",
        "retained",
        "hired_3m",
        ITDA_DEFINITION,
        "3개월 시점에 채용으로 확인된 교육생 중 6개월 시점에도 채용으로 확인된 비율.",
    ),
)
KPI = {k.key: k for k in KPIS}

# --- the one query ------------------------------------------------------------------------------

# A cell of the breakdown: (operating group pk, track pk, 시·도 pk), None where not split by it.
Cell = tuple[int | None, int | None, int | None]
NATIONAL: Cell = (None, None, None)
# A cell of the company breakdown: (operating group pk, company kind, industrial complex pk).
# Only the stages from 연계 on have a company (the host's), and the selected companies theirs.
CompanyCell = tuple[int | None, str | None, int | None]
COMPANY_STAGES = ("placed", "interned", "hired_3m", "hired_6m", "retained", "companies")
_COLUMNS = ("k_stage", "k_who", "k_group", "k_track", "k_region", "k_kind", "k_complex")
# The splits counted, each with the stage; () is the national total.
_SPLITS = (
    (),
    ("k_group",),
    ("k_track",),
    ("k_region",),
    ("k_group", "k_track"),
    ("k_group", "k_region"),
    ("k_kind",),
    ("k_complex",),
    ("k_group", "k_kind"),
    ("k_group", "k_complex"),
)
_NO_KIND = Cast(Value(None), CharField())
_NO_COMPLEX = Cast(Value(None), IntegerField())


def _facts(
    qs: QuerySet,
    stage: str,
    *,
    who: str,
    group,
    track: str,
    region: str,
    company: str | None = None,
) -> QuerySet:
    return (
        qs.order_by()
        .annotate(
            k_stage=Value(stage, output_field=CharField()),
            k_who=F(who),
            k_group=group,
            k_track=F(track),
            k_region=F(region),
            k_kind=F(f"{company}__kind") if company else _NO_KIND,
            k_complex=F(f"{company}__complex") if company else _NO_COMPLEX,
        )
        .values_list(*_COLUMNS)
    )


def _stage_facts(programme: Programme) -> list[QuerySet]:
    """Every stage's rows of ``programme`` as (stage, who, group, track, 시·도)."""
    calls = Application.objects.filter(
        call__programme=programme, status=ApplicationStatus.SUBMITTED
    )
    applied = calls.filter(call__kind=CallKind.TRAINEE, trainee__isnull=False)
    call_group = Coalesce("call__operating_group", covering_group(programme, "region"))
    person = {"who": "trainee_id", "group": call_group, "track": "call__track"}
    enrolments = Enrollment.objects.filter(
        cohort__course__operating_group__programme=programme,
        cohort__course__audience=Audience.JOB_SEEKER,
    ).exclude(status=EnrollmentStatus.WAITLISTED)
    course = {
        "who": "trainee_id",
        "group": F("cohort__course__operating_group"),
        "track": "cohort__course__track",
        "region": "trainee__region",
    }
    placements = Placement.objects.filter(position__track__programme=programme).exclude(
        state=PlacementState.CANCELLED
    )
    hires = {
        checkpoint: counted_hires(
            HiringOutcome.objects.filter(internship__programme=programme, checkpoint=checkpoint)
        )
        for checkpoint in (Checkpoint.MONTH_3, Checkpoint.MONTH_6)
    }
    hired_3m_people = hires[Checkpoint.MONTH_3].values("internship__placement__trainee")

    def via_placement(prefix: str) -> dict:
        return {
            "who": f"{prefix}trainee_id",
            "group": Coalesce(
                f"{prefix}operating_group",
                covering_group(programme, f"{prefix}position__region"),
            ),
            "track": f"{prefix}position__track",
            "region": f"{prefix}trainee__region",
            "company": f"{prefix}position__company",
        }

    return [
        _facts(applied, "applied", region="trainee__region", **person),
        _facts(
            applied.filter(result=Result.SELECTED), "selected", region="trainee__region", **person
        ),
        _facts(enrolments, "enrolled", **course),
        _facts(enrolments.filter(status=EnrollmentStatus.COMPLETED), "completed", **course),
        _facts(enrolments.filter(status=EnrollmentStatus.WITHDRAWN), "withdrawn", **course),
        _facts(placements, "placed", **via_placement("")),
        _facts(
            Internship.objects.filter(programme=programme, state=InternshipState.COMPLETED),
            "interned",
            **via_placement("placement__"),
        ),
        _facts(hires[Checkpoint.MONTH_3], "hired_3m", **via_placement("internship__placement__")),
        _facts(hires[Checkpoint.MONTH_6], "hired_6m", **via_placement("internship__placement__")),
        _facts(
            hires[Checkpoint.MONTH_6].filter(internship__placement__trainee__in=hired_3m_people),
            "retained",
            **via_placement("internship__placement__"),
        ),
        _facts(
            calls.filter(
                call__kind=CallKind.COMPANY, result=Result.SELECTED, company__isnull=False
            ),
            "companies",
            who="company_id",
            group=call_group,
            track="call__track",
            region="company__region",
            company="company",
        ),
    ]


@dataclass(frozen=True)
class Breakdown:
    """The funnel's counts of a programme: ``cells`` by group, track and 시·도 (national
    included), ``company_cells`` by the host company's kind and industrial complex."""

    cells: dict[Cell, dict[str, int]]
    company_cells: dict[CompanyCell, dict[str, int]]


def breakdown_counts(programme: Programme) -> Breakdown:
    """Distinct people (companies for "companies") at each stage of ``programme``, for the
    national total and every split, in one query. A cell holds only the stages it has rows
    of (read others as 0). Rows without a group (a 시·도 no group covers) count nationally and
    in their track and 시·도, not in any group; placements at a company outside any complex
    count in the company's kind, not in any complex."""
    first, *rest = _stage_facts(programme)
    facts_sql, params = first.union(*rest, all=True).query.sql_with_params()
    sets = ", ".join("(" + ", ".join(("k_stage", *split)) + ")" for split in _SPLITS)
    # Only constants and Django's own compiled SQL are joined here; every value is a parameter.
    sql = (
        "SELECT k_stage, k_group, k_track, k_region, k_kind, k_complex, "  # noqa: S608
        "GROUPING(k_group, k_track, k_region, k_kind, k_complex), COUNT(DISTINCT k_who) "
        f"FROM ({facts_sql}) AS facts GROUP BY GROUPING SETS ({sets})"
    )
    cells: dict[Cell, dict[str, int]] = defaultdict(dict)
    company_cells: dict[CompanyCell, dict[str, int]] = defaultdict(dict)
    with without_jit(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        for stage, group, track, region, kind, complex_, rolled, count in cursor.fetchall():
            # GROUPING() sets a bit for each column rolled up: 16 group, 8 track, 4 시·도,
            # 2 company kind, 1 complex.
            split = [
                (None, True) if rolled & bit else (value, False)
                for bit, value in ((16, group), (8, track), (4, region), (2, kind), (1, complex_))
            ]
            if any(value is None and not rolled_up for value, rolled_up in split):
                continue  # rows no group (or track, company) claims: in the wider totals only
            group, track, region, kind, complex_ = (value for value, _ in split)
            if kind is None and complex_ is None:
                cells[(group, track, region)][stage] = count
            else:
                company_cells[(group, kind, complex_)][stage] = count
    return Breakdown(dict(cells), dict(company_cells))


def funnel_counts(programme: Programme) -> dict[Cell, dict[str, int]]:
    """The funnel's counts by group, track and 시·도 (``breakdown_counts``)."""
    return breakdown_counts(programme).cells


# --- reading a cell -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiValue:
    kpi: Kpi
    numerator: int
    denominator: int
    suppressed: bool
    # How the viewer sees the two counts when the rate is withheld ("<5", "비공개" or the count).
    numerator_shown: int | str | None = None
    denominator_shown: int | str | None = None

    @property
    def rate(self) -> float | None:
        """The percentage to one decimal; None with no denominator or when withheld."""
        if self.suppressed or not self.denominator:
            return None
        return round(self.numerator * 100 / self.denominator, 1)

    @property
    def shown(self) -> str:
        if self.suppressed:
            return WITHHELD
        return "—" if self.rate is None else f"{self.rate:.1f}%"

    @property
    def explained(self) -> str:
        """The formula with its numbers, as shown beside the rate."""
        num, den = self.numerator, self.denominator
        if self.suppressed:
            num = shown_count(num) if self.numerator_shown is None else self.numerator_shown
            den = shown_count(den) if self.denominator_shown is None else self.denominator_shown
        return (
            f"{STAGE[self.kpi.numerator].label} {num} ÷ {STAGE[self.kpi.denominator].label} "
            f"{den} × 100"
        )


def kpi_values(
    counts: dict[str, int], *, suppress: bool, hidden: Collection[str] = ()
) -> list[KpiValue]:
    """Every KPI of one cell's counts; with ``suppress`` (the viewer's pages), a KPI whose
    numerator or denominator is 1–4, or is one of the ``hidden`` stages of the cell (secondary
    suppression, ``itda.lib.suppression.suppressed_cells``), is withheld."""
    values = []
    for kpi in KPIS:
        num, den = counts.get(kpi.numerator, 0), counts.get(kpi.denominator, 0)

        def shown(stage: str, count: int) -> int | str | None:
            return WITHHELD if stage in hidden and not is_suppressed(count) else shown_count(count)

        withheld = suppress and (
            is_suppressed(num)
            or is_suppressed(den)
            or kpi.numerator in hidden
            or kpi.denominator in hidden
        )
        values.append(
            KpiValue(
                kpi, num, den, withheld, shown(kpi.numerator, num), shown(kpi.denominator, den)
            )
        )
    return values
