"""The MSS 2026 calls with their evaluation schemes, as the seed document states them.

Dates: the press release says companies apply from 20 May to 12 June and operating groups until
5 June; the opening and closing minutes (09:00 and 18:00 KST) are ours, as is the operating-group
scheme (the seed names none). Quotas: at most one operating group per 권역 (seven groups).
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.evaluation.models import Criterion, Method, Scheme
from itda.programs.models import Programme, TrackAllocation, TransformationPlan, Zone
from itda.recruitment.models import (
    Application,
    ApplicationStatus,
    Call,
    CallKind,
    DocumentRequirement,
    FileKind,
)

KST = ZoneInfo("Asia/Seoul")
PROGRAMME_CODE = "mss-smart-mfg-2026"
CONSENT_VERSION = "2026-05-v1"
CONSENT_TEXT = (
    "「개인정보 보호법」 제15조에 따라 신청 접수·심사·선정 결과 통보를 위해 신청서에 적은 "
    "정보를 수집·이용합니다. 보유기간: 사업 종료 후 3년. 동의를 거부할 수 있으나 거부하면 "
    "신청할 수 없습니다. 주민등록번호는 수집하지 않습니다."
)


def _kst(y, m, d, hh, mm) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=KST)


CALLS = [
    {
        "kind": CallKind.COMPANY,
        "title": "2026 스마트제조 전문인력 육성사업 참여기업(스마트제조 우수기업) 모집",
        "opens_at": _kst(2026, 5, 20, 9, 0),
        "closes_at": _kst(2026, 6, 12, 18, 0),
        "eligibility": {"company_kinds": ["smart_factory", "ai_supplier"], "min_employees": 5},
        "documents": [
            ("사업계획서", True, [FileKind.PDF, FileKind.HWP]),
            ("사업자등록증 사본", True, [FileKind.PDF, FileKind.IMAGE]),
        ],
        "scheme": {
            "name": "참여기업 선정 평가표",
            "k": 3,
            "seats": 480,
            "waitlist": 50,
            "cutoff": 60,
            "criteria": [
                ("capability", "스마트제조 역량", 40),
                ("attractiveness", "취업매력도", 30),
                ("hiring", "고용 연계 가능성", 30),
            ],
            "quotas": [],
        },
    },
    {
        "kind": CallKind.OPERATING_GROUP,
        "title": "2026 스마트제조 전문인력 육성사업 사업단 모집",
        "opens_at": _kst(2026, 5, 20, 9, 0),
        "closes_at": _kst(2026, 6, 5, 18, 0),
        "eligibility": {},
        "documents": [("사업단 운영계획서", True, [FileKind.PDF, FileKind.HWP])],
        "scheme": {
            "name": "사업단 선정 평가표",
            "k": 5,
            "seats": 7,
            "waitlist": 7,
            "cutoff": 70,
            "criteria": [
                ("organisation", "운영 역량(조직·전담인력)", 30),
                ("training_plan", "교육과정 운영계획", 25),
                ("linkage", "기업 연계·채용 실적과 계획", 25),
                ("regional_network", "권역 산업 이해와 협력망", 20),
            ],
            "quotas": [{"dimension": "region", "value": z.value, "seats": 1} for z in Zone],
        },
    },
]


PLAN_PROGRAMME_CODE = "complex-transformation-2021"
# The 2021 round: the call opened 6 January (its close is not in the press release; 26 February
# is ours), a committee of nine private evaluators, the four indicators, five regions selected.
PLAN_CALL = {
    "kind": CallKind.PLAN,
    "title": "2021 산업단지 대개조 지역 선정 공모",
    "opens_at": _kst(2021, 1, 6, 9, 0),
    "closes_at": _kst(2021, 2, 26, 18, 0),
    "eligibility": {},
    "documents": [("산단혁신계획서", True, [FileKind.PDF, FileKind.HWP])],
    "scheme": {
        "name": "산단대개조 혁신계획 평가표",
        "k": 9,
        "seats": 5,
        "waitlist": None,
        "cutoff": None,
        "criteria": [
            ("regional_diagnosis", "지역진단 전략성", 25),
            ("hub_and_links", "거점·연계지역 적절성", 25),
            ("plan_soundness", "혁신계획 타당성", 25),
            ("target_feasibility", "성과목표 실현가능성", 25),
        ],
        "quotas": [],
    },
}


def _scheme_seed(call: Call, s: dict) -> Scheme:
    scheme, _ = Scheme.objects.update_or_create(
        call=call,
        defaults={
            "name": s["name"],
            "method": Method.TRIMMED_MEAN,
            "evaluators_per_application": s["k"],
            "total_seats": s["seats"],
            "waitlist_size": s["waitlist"],
            "cutoff": s["cutoff"],
            "quotas": s["quotas"],
        },
    )
    for order, (code, name, points) in enumerate(s["criteria"]):
        Criterion.objects.update_or_create(
            scheme=scheme,
            code=code,
            defaults={"name": name, "weight": points, "max_points": points, "order": order},
        )
    return scheme


def _call_seed(programme: Programme, spec: dict) -> Call:
    call, _ = Call.objects.update_or_create(
        programme=programme,
        kind=spec["kind"],
        title=spec["title"],
        defaults={
            "opens_at": spec["opens_at"],
            "closes_at": spec["closes_at"],
            "eligibility": spec["eligibility"],
            "consent_text": CONSENT_TEXT,
            "consent_version": CONSENT_VERSION,
            "source_note": spec.get("source", ""),
        },
    )
    for name, required, kinds in spec["documents"]:
        DocumentRequirement.objects.update_or_create(
            call=call, name=name, defaults={"required": required, "allowed_kinds": kinds}
        )
    _scheme_seed(call, spec["scheme"])
    return call


def _plan_applications_seed(call: Call) -> None:
    """The five 2021-round plans as the applications of the 2021 call (the other three of the
    eight regions that applied are not named in the seed)."""
    owner = User.objects.filter(role=Role.OPERATOR).order_by("pk").first()
    if owner is None:
        return
    for plan in TransformationPlan.objects.filter(round_year=2021).select_related("region"):
        Application.objects.update_or_create(
            call=call,
            applicant_key=f"region:{plan.region.code}",
            defaults={
                "plan": plan,
                "region": plan.region,
                "status": ApplicationStatus.SUBMITTED,
                "organisation_name": plan.region.name,
                "submitted_at": call.closes_at - datetime.timedelta(days=1),
                "receipt_number": f"{call.pk:03d}-20210225-R{plan.region.code}",
                "created_by": owner,
                "answers": {"source": "seed 003"},
            },
        )


@transaction.atomic
def calls_seed() -> int:
    """Create (or update) the MSS 2026 calls and the 2021 대개조 call with their schemes (and
    that call's five plans as applications, once an operator exists); returns how many calls."""
    plan_call = _call_seed(
        Programme.objects.get(code=PLAN_PROGRAMME_CODE),
        {**PLAN_CALL, "source": "국토교통부·산업통상자원부 보도자료 (2021. 3. 24.)"},
    )
    _plan_applications_seed(plan_call)
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    for spec in CALLS:
        _call_seed(programme, {**spec, "source": "중소벤처기업부 보도자료 (2026년 5월)"})
    return len(CALLS) + 1


TRAINEE_SCHEME = {
    "name": "교육생 선발 평가표",
    "k": 3,
    "seats": None,
    "waitlist": None,
    "cutoff": 60,
    "criteria": [
        ("job_fit", "직무 적합성", 40),
        ("motivation", "학습 의지", 30),
        ("basics", "기초 역량", 30),
    ],
    "quotas": [],
}


def trainee_scheme_create(call: Call) -> Scheme:
    """The default selection scheme of an operating group's trainee call (the operator may
    change it in the admin before the round)."""
    # The group's share of the track's national target, once the operator has set it (the
    # track's national figure is every group's together, never one group's).
    allocation = TrackAllocation.objects.filter(
        track=call.track_id, operating_group=call.operating_group_id
    ).first()
    return _scheme_seed(call, {**TRAINEE_SCHEME, "seats": allocation and allocation.seats})
