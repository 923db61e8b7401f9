"""The demo's internships (채용 stage): the early round's placements become agreements, and the
first weeks of work happen, all through the services of ``itda.internships``.

- The operator opens the start wave the early round's result announced (``EarlyRound``: the
  week after it was published); staff of the group covering each workplace propose every
  agreement, most starting on the wave's Monday; each host company's manager names a mentor
  (one per position: a position's seats never pass the mentor ceiling), and then the parties
  accept. Most agreements are active; ``AWAITING_SHARE`` wait for one party (the group, the
  intern or the company, in turn; the demo company's second OJT intern waits for the company
  login), and two were declined with their reason (DECLINE_REASONS), one by the company, one by
  the intern.
- OJT: the reports of the month the wave starts in (November at today 2026-12-07): most
  approved, some handed in and waiting for the group, the rest not written (overdue on the
  group's home). Mentor reports only once that month is over (the rule of ``ojt``): run on a
  day inside it, the demo has the logs alone. The `intern` login's log came back with a
  reason, and its mentor report is the `mentor` login's to write.
- PBL: every active PBL internship has its problem statement (the position's) and three
  milestones; the `intern-pbl` login has handed in the first deliverable, for the mentor to
  review, and another PBL intern's first deliverable is accepted.
- One OJT intern quit a few days in: an early end with its reason, and the group recorded at once
  that they had been hired elsewhere (the end checkpoint's outcome).

Host companies other than the demo company have no login: each gets a manager account with no
usable password (nobody logs in as it, like the operating-group applicants of ``chain``), and
interns get trainee accounts the same way, so each party accepts as itself. Their names start with
``GENERATED_PREFIX``; ``demo_reset`` deletes them. Deterministic from the seed and today.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.accounts.services import user_create
from itda.demo.linkage import EarlyRound
from itda.internships import hiring, ojt, pbl
from itda.internships.agreements import (
    internship_accept,
    internship_decline,
    internship_propose,
    internship_terms_change,
    mentor_create,
    start_wave_create,
)
from itda.internships.ending import internship_end_early
from itda.internships.models import (
    Checkpoint,
    EndingKind,
    Internship,
    InternshipState,
    Mentor,
    OutcomeKind,
    Placement,
    PlacementState,
    ReviewDecision,
)
from itda.matching.models import CompanyRanking
from itda.programs.models import Company, OperatingGroup, PlacementKind, Programme

GENERATED_PREFIX = "demo-"  # accounts this stage makes for hosts, interns and mentors
WAVE_LABEL = "하반기 1차"
ON_MONDAY_SHARE = 0.7  # agreements starting on the wave's first day; the rest later that week
AWAITING_SHARE = 0.1  # agreements still waiting for one party's acceptance
APPROVED_SHARE = 0.5  # of the month's OJT reports: approved (log and mentor report)
SUBMITTED_SHARE = 0.3  # handed in, waiting for the group; the rest are not written yet
DAY = datetime.timedelta(days=1)
# Hashing a password nobody will use (mentor_create's one-time password, handed to nobody here)
# with Argon2's deliberately slow settings costs most of a second per mentor on a busy machine;
# the accounts get an unusable password right after.
_THROWAWAY_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOG_TASKS = (
    "설비 일일 점검표 작성과 이상 보고, 작업 표준서 읽기",
    "MES 작업지시 입력과 생산 실적 집계 보조",
    "공정 검사 데이터 정리와 SPC 관리도 작성",
    "안전 교육 이수, 라인 견학, 선임 작업자와 설비 운전 실습",
)
LOG_LEARNT = (
    "현장 안전 수칙과 설비 기동·정지 순서를 익혔습니다.",
    "작업지시에서 실적까지 MES 데이터가 흐르는 과정을 이해했습니다.",
    "관리도로 공정 이상을 읽는 방법을 배웠습니다.",
)
MENTOR_COMMENTS = (
    "성실하게 출근하고 질문을 많이 합니다. 설비 기본 운전을 익히는 중입니다.",
    "첫 주 적응이 빠릅니다. 안전 수칙을 잘 지킵니다.",
    "현장 용어에 익숙해지고 있습니다. 다음 달에는 단독 점검을 맡길 계획입니다.",
)
RETURN_REASON = "수행한 업무를 날짜별로 구체적으로 적고, 배운 점에 실습한 설비를 적어 주세요."
DECLINE_REASONS = {
    "company": "면접 후 직무 적합도를 다시 검토하여 이번 협약은 맺지 않기로 했습니다.",
    "intern": "다른 기업에 정규직으로 채용되어 인턴십에 참여하지 않습니다.",
}
QUIT_REASON = "타 기업 정규직 채용이 확정되어 인턴이 중도 포기 의사를 밝힘 (면담 기록 있음)."
MILESTONES = (
    "현황 분석과 데이터 수집 계획",
    "모델·도구 개발과 중간 점검",
    "현장 적용 시험과 결과 보고",
)
DELIVERABLE = b"%PDF-1.4\n% itda demo: a PBL deliverable\n%%EOF\n"


@dataclass
class EmploymentFigures:
    internships: int = 0
    states: Counter = field(default_factory=Counter)
    reports: int = 0
    milestones: int = 0


def _account(username: str, role: Role, name: str) -> User:
    """A generated account nobody logs in as (no usable password), kept across re-runs."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return user_create(username=username, password=None, role=role, display_name=name)
    user.role, user.display_name = role, name
    user.save(update_fields=["role", "display_name"])
    return user


@dataclass
class _Cast:
    """Who acts for each internship."""

    staff: dict[int, User]  # region id → staff of the group covering it
    managers: dict[int, User]  # company id → a manager
    mentors: dict[int, Mentor]  # position id → its mentor


def _cast(
    programme: Programme, placements: list[Placement], demo_company: Company, demo_logins: dict
) -> _Cast:
    group_staff = {u.username: u for u in User.objects.filter(username__startswith="staff-")}
    staff = {
        r.pk: group_staff.get(f"staff-{g.zone}", demo_logins["operator"])
        for g in OperatingGroup.objects.filter(programme=programme).prefetch_related("regions")
        for r in g.regions.all()
    }
    managers = {demo_company.pk: demo_logins["company"]}
    mentors: dict[int, Mentor] = {}
    for placement in placements:
        position, company = placement.position, placement.position.company
        if company.pk not in managers:
            user = _account(
                f"{GENERATED_PREFIX}manager-{company.business_number}",
                Role.COMPANY,
                f"{company.representative} ({company.name})",
            )
            company.managers.add(user)
            managers[company.pk] = user
        if position.pk in mentors:
            continue
        if company.pk == demo_company.pk:
            mentors[position.pk] = _demo_mentor(demo_company, position, demo_logins)
            continue
        username = f"{GENERATED_PREFIX}mentor-{position.pk}"
        with override_settings(PASSWORD_HASHERS=_THROWAWAY_HASHERS):
            mentor, _password = mentor_create(
                company=company,
                username=username,
                name=position.mentor_name,
                title=position.mentor_title,
                actor=managers[company.pk],
            )
        mentor.user.set_unusable_password()
        mentor.user.save(update_fields=["password"])
        mentors[position.pk] = mentor
    return _Cast(staff, managers, mentors)


def _demo_mentor(company: Company, position, demo_logins: dict) -> Mentor:
    """The `mentor` login as the demo company's mentor of all its interns. ``mentor_create``
    makes a new account with a one-time password; the demo login keeps its known password and
    outlives resets (itda.demo.services), so its mentor record is the one row the service writes
    besides the account, with the same checks."""
    mentor = Mentor.objects.filter(user=demo_logins["mentor"]).first()
    if mentor is None:
        mentor = Mentor(
            user=demo_logins["mentor"],
            company=company,
            name=position.mentor_name,
            title=position.mentor_title,
            created_by=demo_logins["company"],
        )
        mentor.full_clean()
        mentor.save()
        user = demo_logins["mentor"]
        user.display_name = f"{mentor.name} ({company.name})"
        user.save(update_fields=["display_name"])
    return mentor


def _intern_user(placement: Placement, index: int, demo_user: User | None) -> User:
    trainee = placement.trainee
    if demo_user is not None:
        user = demo_user
        user.display_name = trainee.name
        user.save(update_fields=["display_name"])
    else:
        user = _account(f"{GENERATED_PREFIX}intern-{index}", Role.TRAINEE, trainee.name)
    trainee.user = user
    trainee.save(update_fields=["user"])
    return user


def _start(rng: random.Random, early: EarlyRound, pinned: bool) -> datetime.date:
    if pinned or rng.random() < ON_MONDAY_SHARE:
        return early.first_start
    return early.first_start + rng.randint(1, (early.last_start - early.first_start).days) * DAY


# One transaction: the stage is all or nothing, and it commits once instead of after each of its
# several hundred service calls (each a commit of its own otherwise, waiting on the WAL flush).
@transaction.atomic
def employment_generate(
    *, programme: Programme, seed: int, today: datetime.date, early: EarlyRound
) -> EmploymentFigures:
    """Agreements, acceptances, reports, PBL work and an early end for the early round's
    placements (see the module docstring)."""
    rng = random.Random(f"itda-demo:{seed}:employment")
    figures = EmploymentFigures()
    logins = {
        u.username: u
        for u in User.objects.filter(
            username__in=["operator", "company", "intern", "intern-pbl", "mentor"]
        )
    }
    demo_company = Company.objects.get(managers=logins["company"])
    placements = list(
        Placement.objects.filter(state=PlacementState.ASSIGNED, internship__isnull=True)
        .select_related("trainee", "position__company", "position__track")
        .order_by("pk")
    )
    if not placements:
        return figures
    start_wave_create(
        programme=programme,
        label=WAVE_LABEL,
        first_start=early.first_start,
        last_start=early.last_start,
        actor=logins["operator"],
    )
    cast = _cast(programme, placements, demo_company, logins)
    pinned = _pinned(placements, demo_company, logins)

    # Agreements: proposed by staff, the mentor named by the company (a new terms version).
    internships: list[tuple[Internship, User]] = []
    for index, placement in enumerate(placements, start=1):
        intern = _intern_user(placement, index, pinned.get(placement.pk))
        starts_on = _start(rng, early, placement.pk in pinned)
        internship = internship_propose(
            placement=placement,
            starts_on=starts_on,
            ends_on=min(starts_on + relativedelta(months=3) - DAY, programme.ends_on),
            days_per_week=5,
            hours_per_week=40,
            actor=cast.staff[placement.position.region_id],
        )
        internship = internship_terms_change(
            internship=internship,
            actor=cast.managers[placement.position.company_id],
            mentor=cast.mentors[placement.position_id],
        )
        internships.append((internship, intern))

    plan = _acceptance_plan(rng, internships, pinned, demo_company)
    for (internship, intern), missing in zip(internships, plan, strict=True):
        company = cast.managers[internship.placement.position.company_id]
        group = cast.staff[internship.placement.position.region_id]
        if missing.startswith("decline:"):
            who = missing.removeprefix("decline:")
            actor = company if who == "company" else intern
            internship_decline(internship=internship, reason=DECLINE_REASONS[who], actor=actor)
            continue
        for party, actor in (("company", company), ("intern", intern), ("group", group)):
            if party != missing:
                internship = internship_accept(
                    internship=internship, version=internship.terms_version, actor=actor
                )

    intern_of = {i.pk: intern for i, intern in internships}
    active = [
        (i, intern_of[i.pk])
        for i in Internship.objects.filter(pk__in=intern_of, state=InternshipState.ACTIVE)
        .select_related("placement__position__track", "placement__trainee", "programme", "wave")
        .order_by("pk")
    ]
    figures.reports = _ojt_month(rng, active, cast, logins, today)
    figures.milestones = _pbl_work(active, cast, logins)
    _early_end(rng, active, cast, logins, early, today)

    figures.internships = len(internships)
    figures.states = Counter(
        Internship.objects.filter(pk__in=[i.pk for i, _ in internships]).values_list(
            "state", flat=True
        )
    )
    return figures


def _pinned(placements, demo_company, logins) -> dict[int, User]:
    """Placement id → intern login, for the demo company's OJT and PBL interns its early-round
    ranking put first (itda.demo.linkage); a second OJT intern there stays without a login."""
    pinned: dict[int, User] = {}
    for placement in placements:
        position = placement.position
        if position.company_id != demo_company.pk:
            continue
        first = CompanyRanking.objects.filter(
            position=position, trainee=placement.trainee, rank=1
        ).exists()
        pbl_ = position.track.placement_kind == PlacementKind.PBL
        login = logins.get("intern-pbl" if pbl_ else "intern")
        if first and login is not None and login not in pinned.values():
            pinned[placement.pk] = login
    return pinned


def _acceptance_plan(rng, internships, pinned, demo_company) -> list[str]:
    """Per internship: "" (all three accept), the party whose acceptance is still missing
    ("company", "intern", "group"), or "decline:<party>" (DECLINE_REASONS, at most once each)."""
    plan = [""] * len(internships)
    free = []
    for i, (internship, _intern) in enumerate(internships):
        if internship.placement_id in pinned:
            continue
        if internship.placement.position.company_id == demo_company.pk:
            plan[i] = "company"  # the company login's agreement to read and accept
        else:
            free.append(i)
    rng.shuffle(free)
    declines = list(DECLINE_REASONS)[: 2 if len(internships) >= 10 else 1]
    for i, who in zip(free, declines, strict=False):
        plan[i] = f"decline:{who}"
    parties = ("group", "intern", "company")
    awaiting = free[len(declines) : len(declines) + round(AWAITING_SHARE * len(internships))]
    for n, i in enumerate(awaiting):
        plan[i] = parties[n % len(parties)]
    return plan


def _ojt_month(rng, active, cast: _Cast, logins, today) -> int:
    """The reports of the month the wave starts in, for the OJT internships working in it."""
    done = 0
    rows = [(i, u) for i, u in active if ojt.is_ojt(i)]
    if not rows:
        return 0
    month = rows[0][0].wave.first_start.replace(day=1)
    rows = [(i, u) for i, u in rows if month in ojt.months(i)]
    criteria = ojt.criteria_for(rows[0][0].programme) if rows else []
    others = [(i, u) for i, u in rows if u != logins.get("intern")]
    rng.shuffle(others)
    n_approved = round(APPROVED_SHARE * len(others))
    n_submitted = round(SUBMITTED_SHARE * len(others))
    for internship, intern in rows:
        if intern == logins.get("intern"):
            log = _log(rng, internship, month, intern)
            staff = cast.staff[internship.placement.position.region_id]
            ojt.ojt_report_review(report=log, approve=False, reason=RETURN_REASON, actor=staff)
            done += 1  # its mentor report is the mentor login's to write
    for rank, (internship, intern) in enumerate(others):
        staff = cast.staff[internship.placement.position.region_id]
        mentor = cast.mentors[internship.placement.position_id].user
        if rank >= n_approved + n_submitted:
            continue  # not written yet: overdue once its due date passes
        reports = [_log(rng, internship, month, intern)]
        if today > ojt.month_span(internship, month)[1]:  # the mentor attests days that are over
            reports.append(_mentor_report(rng, internship, month, mentor, criteria))
        if rank < n_approved:
            for report in reports:
                ojt.ojt_report_review(report=report, approve=True, reason="", actor=staff)
        done += len(reports)
    return done


def _log(rng, internship, month, intern):
    return ojt.ojt_log_save(
        internship=internship,
        month=month,
        tasks=rng.choice(LOG_TASKS),
        hours_per_week=internship.hours_per_week,
        learnt=rng.choice(LOG_LEARNT),
        submit=True,
        actor=intern,
    )


def _mentor_report(rng, internship, month, mentor, criteria):
    return ojt.ojt_mentor_report_save(
        internship=internship,
        month=month,
        attendance_days=len(ojt.scheduled(internship, month)),
        scores={c.pk: rng.randint(3, 5) for c in criteria},
        comment=rng.choice(MENTOR_COMMENTS),
        submit=True,
        actor=mentor,
    )


def _pbl_work(active, cast: _Cast, logins) -> int:
    """Problem and milestones for every active PBL internship; the intern-pbl login's first
    deliverable waits for its mentor, another intern's is accepted."""
    made = 0
    reviewed = False
    for internship, intern in active:
        if not pbl.is_pbl(internship):
            continue
        position = internship.placement.position
        mentor = cast.mentors[position.pk].user
        pbl.problem_set(
            internship=internship,
            title=position.title,
            description=position.problem_statement,
            expected_outcome="현장에 적용할 수 있는 모델(또는 도구)과 결과 보고서, 발표 자료",
            actor=mentor,
        )
        span = (internship.ends_on - internship.starts_on).days
        milestones = [
            pbl.milestone_create(
                internship=internship,
                title=title,
                due_on=internship.starts_on + span * quarter // 4 * DAY,
                actor=mentor,
            )
            for title, quarter in zip(MILESTONES, (1, 2, 4), strict=True)
        ]
        made += len(milestones)
        if intern == logins.get("intern-pbl") or not reviewed:
            deliverable = pbl.deliverable_upload(
                milestone=milestones[0],
                upload=SimpleUploadedFile(
                    "1차_현황분석_보고서.pdf", DELIVERABLE, content_type="application/pdf"
                ),
                note="현황 분석 결과와 데이터 수집 계획입니다.",
                actor=intern,
            )
            if intern != logins.get("intern-pbl"):
                pbl.milestone_review(
                    milestone=milestones[0],
                    version=deliverable.version,
                    decision=ReviewDecision.ACCEPTED,
                    comment="데이터 범위가 명확합니다. 다음 단계로 진행하세요.",
                    actor=mentor,
                )
                reviewed = True
    return made


def _early_end(rng, active, cast: _Cast, logins, early: EarlyRound, today) -> None:
    """One OJT intern of another company (one that started after the wave's Monday, so no month
    of reports is left open) quit a few days in; staff record the end and the outcome."""
    demo = {logins.get("intern"), logins.get("intern-pbl")}
    candidates = [
        i for i, u in active if ojt.is_ojt(i) and u not in demo and i.starts_on > early.first_start
    ] or [i for i, u in active if ojt.is_ojt(i) and u not in demo]
    if not candidates:
        return
    internship = Internship.objects.get(pk=rng.choice(candidates).pk)
    staff = cast.staff[internship.placement.position.region_id]
    last_day = min(internship.starts_on + 2 * DAY, today - DAY)
    internship_end_early(
        internship=internship,
        kind=EndingKind.INTERN_QUIT,
        last_day=last_day,
        reason=QUIT_REASON,
        actor=staff,
        today=today,
    )
    hiring.outcome_report(
        internship=internship,
        checkpoint=Checkpoint.END,
        kind=OutcomeKind.HIRED_ELSEWHERE,
        employer="(주)한빛정밀",
        hired_on=last_day + 3 * DAY,
        note="인턴 본인 전화 확인",
        actor=staff,
    )
