"""The MSS 2026 calls and the 2021 대개조 call with their evaluation schemes.

What the press releases state and what is ours is recorded, value by value, in
programs/reference_data/rule_origins.json (keys ``<programme>.<kind>_call.*``) and shown beside
each value. In short: the release gives the company call's dates (20 May – 12 June), its three
criteria and 480 seats, and the groups' close (5 June) and 7 seats; the hours (09:00, 18:00),
the group call's opening, every weight, cut-off, waitlist, panel size, the 상시근로자 rule and
the one-group-per-권역 quota are itda defaults awaiting the 운영지침.
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
from itda.recruitment.snapshots import profile_snapshot

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
        # 원문 해석: 지원대상 "(기업) 중소기업 및 제조AI 솔루션 공급기업" read as two groups —
        # SMEs (소기업·중기업), and AI solution suppliers of any size.
        "eligibility": {
            "company_kinds": ["smart_factory", "ai_supplier"],
            "min_employees": 5,
            "company_sizes": ["small", "medium"],
            "size_exempt_kinds": ["ai_supplier"],
        },
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
# The 2021 round: the call opened 6 January, nine private evaluators, the four indicators, five
# regions (seed 003); the close (26 February) and the equal 25-point weights are ours.
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


def _scheme_fields(s: dict) -> dict:
    """A seed spec's scheme fields, by the model's names."""
    return {
        "name": s["name"],
        "method": Method.TRIMMED_MEAN,
        "evaluators_per_application": s["k"],
        "total_seats": s["seats"],
        "waitlist_size": s["waitlist"],
        "cutoff": s["cutoff"],
    }


def _scheme_seed(call: Call, s: dict) -> Scheme:
    scheme, _ = Scheme.objects.update_or_create(
        call=call, defaults={**_scheme_fields(s), "quotas": s["quotas"]}
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
        plan_application_upsert(
            call,
            plan,
            created_by=owner,
            submitted_at=call.closes_at - datetime.timedelta(days=1),
            answers={"source": "seed 003"},
        )


def plan_application_upsert(
    call: Call, plan: TransformationPlan, *, created_by: User, submitted_at, answers: dict
) -> Application:
    """A region's plan as its submitted application to a 대개조 call: one per region."""
    application, _ = Application.objects.update_or_create(
        call=call,
        applicant_key=f"region:{plan.region.code}",
        defaults={
            "plan": plan,
            "region": plan.region,
            "status": ApplicationStatus.SUBMITTED,
            "organisation_name": plan.region.name,
            "submitted_at": submitted_at,
            "receipt_number": (
                f"{call.pk:03d}-{submitted_at.astimezone(KST):%Y%m%d}-R{plan.region.code}"
            ),
            "created_by": created_by,
            "answers": answers,
            "profile_snapshot": profile_snapshot(
                organisation_name=plan.region.name, region=plan.region
            ),
        },
    )
    return application


# The release is where the call starts, not the source of every value in it.
_PER_ITEM = (
    "를 바탕으로 itda가 만든 공고입니다. 원문에 있는 값과 itda 기본값은 항목마다 표시합니다."
)


@transaction.atomic
def calls_seed() -> int:
    """Create (or update) the MSS 2026 calls and the 2021 대개조 call with their schemes (and
    that call's five plans as applications, once an operator exists); returns how many calls."""
    plan_call = _call_seed(
        Programme.objects.get(code=PLAN_PROGRAMME_CODE),
        {**PLAN_CALL, "source": f"국토교통부·산업통상자원부 보도자료 (2021. 3. 24.) {_PER_ITEM}"},
    )
    _plan_applications_seed(plan_call)
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    for spec in CALLS:
        _call_seed(programme, {**spec, "source": f"중소벤처기업부 보도자료 (2026. 5.) {_PER_ITEM}"})
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


def _trainee_scheme(call: Call) -> dict:
    # The group's share of the track's national target, once the operator has set it (the
    # track's national figure is every group's together, never one group's).
    allocation = TrackAllocation.objects.filter(
        track=call.track_id, operating_group=call.operating_group_id
    ).first()
    return {**TRAINEE_SCHEME, "seats": allocation and allocation.seats}


def trainee_scheme_create(call: Call) -> Scheme:
    """The default selection scheme of an operating group's trainee call (the operator may
    change it in the scheme editor until anyone has applied)."""
    return _scheme_seed(call, _trainee_scheme(call))


def trainee_scheme_initial(call: Call) -> tuple[dict, list[dict]]:
    """The default trainee scheme as the scheme editor's starting values: the scheme's fields
    and one row per criterion."""
    s = _trainee_scheme(call)
    criteria = [
        {"code": code, "name": name, "weight": points, "max_points": points, "order": order}
        for order, (code, name, points) in enumerate(s["criteria"])
    ]
    return _scheme_fields(s), criteria
