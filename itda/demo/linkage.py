"""Demo linkage around "today": internship positions from selected companies, trainees' skills
from the training they took, an early national round for the trainees of the finished training
wave, published through ``round_publish`` (its placements are where the internship stage,
``itda.demo.employment``, starts), and a second national round open now with trainees' ranked
choices, companies' rankings of their applicants and a few interviews.

The rounds are opened through ``round_create`` (one row each) and the early one is published
through ``round_publish`` on its own day (it takes ``now``). Everything else is written with
bulk_create, because the services lock the round and check one trainee or position per call (a
few queries each, tens of thousands of calls at --scale 100); the rows obey the same rules the
services enforce, read from the same selectors:
- positions belong to companies whose application to the programme's company call is selected
  (``company_is_selected``), a Track 2 (PBL) position has a problem statement, and every
  position not in draft has its workflow trail (submitted, then published or returned by the
  region's group staff); companies other than the demo company have no manager account, so the
  operator files their positions on their behalf;
- choices are made only by ``round_trainees`` (eligible), only of ``round_positions``
  (published, free seats) of the trainee's own track (``trainee_tracks``: Track 1 → OJT,
  Track 2 → PBL), distinct, at most ``max_choices`` per trainee, ranks 1..n;
- a position ranks and interviews only trainees who chose it, ranks 1..n.
The demo trainee has two or three choices, the first the demo company's published position,
which the company has not ranked yet (the company login's task) but has invited them to interview.
In the early round the demo company has two more positions (OJT, PBL), which the two intern
logins' trainees choose first and the company ranks them first: the engine's stable result places
them there.

Deterministic from the seed (and today's date). Positions follow the number of eligible
trainees, which the training's cohorts bound, so the rows do not grow with --scale beyond that.
"""

from __future__ import annotations

import datetime
import math
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.demo import generator
from itda.demo.analyze import analyze
from itda.internships.models import Placement, Position, PositionStatus, PositionTransition
from itda.matching.models import (
    Algorithm,
    CompanyRanking,
    Interview,
    InterviewStatus,
    TraineeChoice,
)
from itda.matching.selectors import round_positions, round_trainees, skills_fit, trainee_tracks
from itda.matching.services import round_create, round_publish
from itda.programs.models import Company, CompanyKind, OperatingGroup, Programme, Region, Trainee
from itda.recruitment.models import Application, CallKind, Result
from itda.training.models import Enrollment, EnrollmentStatus

KST = ZoneInfo("Asia/Seoul")
CHUNK = 2_000  # rows per transaction (see itda.demo.services)
EARLY_ROUND_TITLE = "2026 하반기 인턴십 연계 1차"
ROUND_TITLE = "2026 하반기 인턴십 연계 2차"
TRAINEE_DEADLINE_DAYS = 10
COMPANY_DEADLINE_DAYS = 17
MAX_CHOICES = 10

# Positions per eligible trainee: seats (two on average) for about 60% of them, so the round has
# both unplaced trainees and empty seats; training, not --scale, bounds who is eligible.
POSITIONS_PER_ELIGIBLE = 0.37
TWO_POSITION_SHARE = 0.2
# Status of a non-demo position: most are published, a few wait for (or came back from) review.
STATUSES = {"published": 0.88, "submitted": 0.06, "draft": 0.03, "returned": 0.03}
SEATS = ((1, 0.45), (2, 0.35), (3, 0.2))
CHOOSER_SHARE = 0.8  # eligible trainees who have filed choices so far
# Trainees of the finished wave who took part in the early round: about 80 agreements at
# --scale 1 (the rest wait for the second round).
EARLY_CHOOSER_SHARE = 0.62
# Seats of the demo company's early-round positions: the OJT intern and one more (whose agreement
# waits for the company), and the PBL intern; one mentor takes the three.
EARLY_DEMO_SEATS = {"track1": 2, "track2": 1}
CHOICE_COUNTS = ((1, 4), (2, 8), (3, 14), (4, 14), (5, 12), (6, 8), (7, 6), (8, 4), (10, 4))
RANKED_SHARE = 0.85  # positions whose company has filed its ranking so far
INTERVIEW_SHARE = 0.25  # ranked positions that meet their top applicants too
DEMO_POPULARITY = 2.5  # others' is lognormal around 1

# Skills a course teaches (the modules of itda.demo.training's courses), and others a trainee
# may bring, per track code; positions ask for skills of the same vocabulary.
COURSE_SKILLS = {
    "T1-BASIC": ("산업안전", "PLC", "센서·계측", "MES"),
    "T1-PRACTICAL": ("설비보전", "품질관리(SPC)", "MES", "생산 데이터 분석"),
    "T2-AI": ("Python", "머신러닝", "컴퓨터 비전", "예지보전 모델링"),
}
EXTRA_SKILLS = {
    "track1": ("CAD", "용접", "로봇 운용", "공정관리", "엑셀", "지게차 운전"),
    "track2": ("SQL", "딥러닝(PyTorch)", "시계열 분석", "OPC UA", "클라우드(AWS)", "Git"),
}
TRACK_SKILLS = {
    "track1": (*COURSE_SKILLS["T1-BASIC"], *COURSE_SKILLS["T1-PRACTICAL"][:2], "생산 데이터 분석"),
    "track2": COURSE_SKILLS["T2-AI"],
}

OJT = (
    (
        "스마트공장 설비 운영",
        "자동화 라인 설비 운전, 일일 점검표 작성, 이상 발생 시 보고와 조치 보조",
    ),
    ("MES 운영 보조", "MES 작업지시·실적 입력 관리, 생산 현황판 모니터링, 데이터 누락 점검"),
    ("품질 데이터 관리", "공정 검사 데이터 수집과 SPC 관리도 작성, 불량 원인 분석 회의 참여"),
    (
        "설비 예지보전 보조",
        "센서 데이터 기반 설비 상태 점검, 보전 이력 정리, 예방정비 계획 수립 보조",
    ),
    ("생산관리 인턴", "생산계획 대비 실적 집계, 공정별 리드타임 분석, 개선 과제 정리"),
    (
        "공정 자동화 엔지니어 보조",
        "PLC 프로그램 백업·수정 보조, 센서 교체와 배선 점검, 작업 표준서 개정",
    ),
)
PBL = (
    (
        "AI 비전 불량 검출",
        "검사 이미지 라벨링, 검출 모델 학습과 현장 적용 시험",
        "{industry} 제품 외관 불량을 카메라 영상으로 판별해 육안 검사 시간을 절반으로 줄인다.",
    ),
    (
        "설비 고장 예측 모델",
        "설비 진동·온도 데이터 정리, 이상 탐지 모델 개발, 경보 기준 제안",
        "주요 설비의 진동·온도 데이터로 고장을 하루 전에 예측해 비계획 정지를 줄인다.",
    ),
    (
        "공정 품질 예측",
        "공정 조건과 품질 검사 결과 연계 데이터셋 구축, 예측 모델과 대시보드 개발",
        "{industry} 공정 조건으로 최종 품질을 미리 예측해 불량률을 낮출 조건을 찾는다.",
    ),
    (
        "생산 데이터 대시보드",
        "MES·설비 데이터 수집 파이프라인 구축, 생산 지표 대시보드 개발",
        "흩어진 MES·설비 데이터를 모아 라인별 가동률과 불량률을 실시간으로 보여 준다.",
    ),
    (
        "수요 예측과 생산계획",
        "판매·생산 이력 분석, 수요 예측 모델 개발, 생산계획 시나리오 비교",
        "월별 수요를 예측해 재고와 납기 지연을 함께 줄이는 생산계획을 제안한다.",
    ),
)
MENTOR_TITLES = ("생산팀장", "품질팀 과장", "설비보전 파트장", "기술연구소 책임연구원", "공장장")
PLACES = ("본사 회의실", "공장 사무동 2층 회의실", "화상 면접(링크 별도 안내)")


@dataclass
class LinkageFigures:
    early_choices: int = 0
    early_placements: int = 0
    positions: int = 0
    published: int = 0
    seats: int = 0
    eligible: int = 0
    skilled: int = 0
    choosers: int = 0
    choices: int = 0
    rankings: int = 0
    interviews: int = 0


class _Weighted:
    """Draw an index with the given weights in O(log n)."""

    def __init__(self, weights: list[float]):
        self.cumulative = list(accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return bisect(self.cumulative, rng.random() * self.cumulative[-1])


def _pick(rng: random.Random, pairs) -> object:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _chunked(model, objs: list) -> list:
    for start in range(0, len(objs), CHUNK):
        with transaction.atomic():
            model.objects.bulk_create(objs[start : start + CHUNK])
    return objs


def _kst(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), KST)


@dataclass(frozen=True)
class EarlyRound:
    """The early round's days, counted from the last day (a Friday) of the finished training
    wave: choices until Monday, rankings until Wednesday, the result on Thursday, and the
    internships' start wave the whole week after. At today 2026-12-07: published 11-26,
    starts 11-30..12-04."""

    trainee_deadline: datetime.datetime
    company_deadline: datetime.datetime
    published_at: datetime.datetime
    first_start: datetime.date
    last_start: datetime.date

    @classmethod
    def after(cls, training_ends_on: datetime.date) -> EarlyRound:
        def day(n: int) -> datetime.date:
            return training_ends_on + datetime.timedelta(days=n)

        return cls(_kst(day(3), 18), _kst(day(5), 18), _kst(day(6), 10), day(10), day(14))


def _position_skills(rng: random.Random, track_code: str) -> tuple[list[str], list[str]]:
    core = list(TRACK_SKILLS[track_code])
    required = rng.sample(core, rng.randint(1, 3))
    rest = [s for s in core + list(EXTRA_SKILLS[track_code]) if s not in required]
    return required, rng.sample(rest, rng.randint(1, 2))


def _positions(
    rng, fake, n, *, companies, demo_company, tracks, me_track_code, operator, company_user
):
    """Position rows (unsaved) and their status, the demo company's first: the demo trainee's
    first choice, a draft, and the early round's OJT and PBL positions (EARLY_DEMO_SEATS)."""
    others = [c for c in companies if c.pk != demo_company.pk]
    posting = rng.sample(others, min(len(others), round(n / (1 + TWO_POSITION_SHARE))))
    rows: list[tuple[Company, str, str]] = [
        (demo_company, me_track_code, "published"),
        (demo_company, "track1" if me_track_code == "track2" else "track2", "draft"),
        *((demo_company, code, "published") for code in EARLY_DEMO_SEATS),
    ]
    for company in posting:
        for _ in range(2 if rng.random() < TWO_POSITION_SHARE else 1):
            pbl = rng.random() < (0.7 if company.kind == CompanyKind.AI_SUPPLIER else 0.12)
            rows.append((company, "track2" if pbl else "track1", _pick(rng, STATUSES.items())))
    positions = []
    for company, track_code, status in rows:
        required, preferred = _position_skills(rng, track_code)
        if track_code == "track2":
            title, duties, problem = rng.choice(PBL)
            problem = problem.format(industry=company.industry)
        else:
            (title, duties), problem = rng.choice(OJT), ""
        positions.append(
            Position(
                company=company,
                track=tracks[track_code],
                title=title,
                duties=duties,
                problem_statement=problem,
                seats=_pick(rng, SEATS),
                region_id=company.region_id,
                site_address=company.address,
                mentor_name=fake.last_name() + fake.first_name(),
                mentor_title=rng.choice(MENTOR_TITLES),
                required_skills=required,
                preferred_skills=preferred,
                status=status,
                review_note="필수 역량과 멘토 직위를 구체적으로 적어 주세요."
                if status == "returned"
                else "",
                created_by=company_user if company.pk == demo_company.pk else operator,
            )
        )
    for position, code in zip(positions[2:], EARLY_DEMO_SEATS, strict=False):
        position.seats = EARLY_DEMO_SEATS[code]
    return positions


def _transitions(positions, reviewer_of_region) -> list[PositionTransition]:
    """The workflow trail of every position past draft: submitted, then reviewed."""
    rows = []
    for p in positions:
        if p.status == PositionStatus.DRAFT:
            continue
        rows.append(
            PositionTransition(position=p, actor=p.created_by, old="draft", new="submitted")
        )
        if p.status in (PositionStatus.PUBLISHED, PositionStatus.RETURNED):
            rows.append(
                PositionTransition(
                    position=p,
                    actor=reviewer_of_region[p.region_id],
                    old="submitted",
                    new=p.status,
                    note=p.review_note,
                )
            )
    return rows


def _trainee_skills(rng, courses: list[str], track_code: str) -> list[str]:
    skills: list[str] = []
    for code in courses:
        taught = COURSE_SKILLS.get(code, ())
        skills += [s for s in rng.sample(taught, rng.randint(2, len(taught))) if s not in skills]
    extras = EXTRA_SKILLS.get(track_code, ())
    skills += [s for s in rng.sample(extras, rng.randint(0, 2)) if s not in skills]
    return skills


def linkage_generate(
    *,
    programme: Programme,
    companies: list[Company],
    trainees: list[Trainee],
    seed: int,
    today: datetime.date,
    early: EarlyRound,
) -> LinkageFigures:
    """Positions, trainees' skills, the early round published on its day, and the open second
    round with choices, rankings and interviews (see the module docstring); the demo accounts
    and training must exist."""
    rng, fake = generator._seeded(seed, "linkage")
    figures = LinkageFigures()
    users = {
        u.username: u for u in User.objects.filter(username__in=["operator", "company", "trainee"])
    }
    operator, company_user = users["operator"], users["company"]
    demo_company = Company.objects.get(managers=company_user)
    me = Trainee.objects.get(user=users["trainee"])
    tracks = {t.code: t for t in programme.tracks.all()}
    code_of_track = {t.pk: code for code, t in tracks.items()}
    zone_of = dict(Region.objects.values_list("pk", "zone"))
    staff = {u.username: u for u in User.objects.filter(username__startswith="staff-")}
    reviewer_of_region = {
        r.pk: staff.get(f"staff-{g.zone}", operator)
        for g in OperatingGroup.objects.filter(programme=programme).prefetch_related("regions")
        for r in g.regions.all()
    }
    reviewer_of_region.update({pk: operator for pk in zone_of if pk not in reviewer_of_region})

    first_round = round_create(
        actor=operator,
        programme=programme,
        title=EARLY_ROUND_TITLE,
        trainee_deadline=early.trainee_deadline,
        company_deadline=early.company_deadline,
        max_choices=MAX_CHOICES,
    )
    # Everyone trained by today, before either round places anyone: skills and positions follow
    # them.
    eligible_ids = set(round_trainees(first_round, today=today).values_list("pk", flat=True))
    # Posting companies are those the published ranking of the company call selected (the
    # rule of position_save).
    selected = set(
        Application.objects.filter(
            call__programme=programme, call__kind=CallKind.COMPANY, result=Result.SELECTED
        ).values_list("company_id", flat=True)
    )
    positions = _positions(
        rng,
        fake,
        max(2, round(POSITIONS_PER_ELIGIBLE * len(eligible_ids))),
        companies=[c for c in companies if c.pk in selected],
        demo_company=demo_company,
        tracks=tracks,
        me_track_code=code_of_track.get(me.preferred_track_id, "track1"),
        operator=operator,
        company_user=company_user,
    )
    _chunked(Position, positions)
    _chunked(PositionTransition, _transitions(positions, reviewer_of_region))
    figures.positions = len(positions)

    # Skills: from the courses each trainee completed or is finishing.
    courses: dict[int, list[str]] = {}
    for trainee_id, code in (
        Enrollment.objects.filter(
            trainee_id__in=eligible_ids,
            status__in=[EnrollmentStatus.COMPLETED, EnrollmentStatus.ENROLLED],
        )
        .order_by("trainee_id", "cohort__starts_on", "pk")
        .values_list("trainee_id", "cohort__course__code")
    ):
        courses.setdefault(trainee_id, []).append(code)
    eligible = sorted((t for t in trainees if t.pk in eligible_ids), key=lambda t: t.pk)
    for t in eligible:
        t.skills = _trainee_skills(
            rng, courses.get(t.pk, []), code_of_track.get(t.preferred_track_id, "")
        )
    for start in range(0, len(eligible), CHUNK):
        with transaction.atomic():
            Trainee.objects.bulk_update(eligible[start : start + CHUNK], ["skills"])
    figures.skilled = sum(1 for t in eligible if t.skills)

    figures.early_choices, figures.early_placements = _early_round_run(
        rng,
        first_round,
        eligible,
        positions,
        early=early,
        operator=operator,
        zone_of=zone_of,
    )

    round_ = round_create(
        actor=operator,
        programme=programme,
        title=ROUND_TITLE,
        # A round's deadlines stay inside the programme (MatchRound.clean).
        trainee_deadline=_kst(
            min(today + datetime.timedelta(days=TRAINEE_DEADLINE_DAYS), programme.ends_on), 18
        ),
        company_deadline=_kst(
            min(today + datetime.timedelta(days=COMPANY_DEADLINE_DAYS), programme.ends_on), 18
        ),
        max_choices=MAX_CHOICES,
        follows=first_round,
    )
    open_seats = dict(round_positions(round_).values_list("pk", "free_seats"))
    published = [p for p in positions if p.pk in open_seats]
    figures.published = len(published)
    figures.seats = sum(open_seats.values())
    open_ids = set(round_trainees(round_, today=today).values_list("pk", flat=True))
    eligible = [t for t in eligible if t.pk in open_ids]
    figures.eligible = len(eligible)

    track_of = {
        pk: track.pk for pk, track in trainee_tracks(round_, today=today, trainees=open_ids).items()
    }
    mine = [p for p in published if p.company_id == demo_company.pk]
    choices = _choices(
        rng,
        round_,
        eligible,
        published,
        firsts={me.pk: mine[0]} if mine else {},
        zone_of=zone_of,
        track_of=track_of,
        share=CHOOSER_SHARE,
    )
    _chunked(TraineeChoice, choices)
    figures.choosers = len({c.trainee_id for c in choices})
    figures.choices = len(choices)

    rankings, interviews = _rankings(
        rng,
        round_,
        choices,
        published,
        demo_company=demo_company,
        company_user=company_user,
        me=me,
        today=today,
    )
    _chunked(CompanyRanking, rankings)
    _chunked(Interview, interviews)
    figures.rankings = len(rankings)
    figures.interviews = len(interviews)
    return figures


def _early_round_run(rng, round_, trained, positions, *, early, operator, zone_of):
    """The early round: a share of the finished wave's trainees choose (the intern logins'
    trainees first the demo company's early positions), every position ranks its applicants
    (those trainees first), and the operator publishes the trainee-proposing result on its day,
    which places them. The demo trainee's first choice in the open round is left out, so it
    keeps its seat. Returns (choices, placements)."""
    day = timezone.localdate(early.published_at)
    eligible_ids = set(round_trainees(round_, today=day).values_list("pk", flat=True))
    eligible = [t for t in trained if t.pk in eligible_ids]
    track_of = {
        pk: track.pk
        for pk, track in trainee_tracks(round_, today=day, trainees=eligible_ids).items()
    }
    open_ids = set(round_positions(round_).values_list("pk", flat=True))
    pool = [p for p in positions[1:] if p.pk in open_ids]
    firsts = _early_interns(eligible, positions[2:4], track_of=track_of, zone_of=zone_of)
    choices = _choices(
        rng,
        round_,
        eligible,
        pool,
        firsts=firsts,
        zone_of=zone_of,
        track_of=track_of,
        share=EARLY_CHOOSER_SHARE,
    )
    applicants: dict[int, list[Trainee]] = {}
    for c in choices:
        applicants.setdefault(c.position_id, []).append(c.trainee)
    rankings = []
    for p in pool:
        apps = applicants.get(p.pk, [])
        mine = [t for t in apps if t.pk in firsts and firsts[t.pk].pk == p.pk]
        order = mine + [t for t in _ranked(rng, p, apps) if t not in mine]
        rankings += [
            CompanyRanking(round=round_, position=p, trainee=t, rank=rank)
            for rank, t in enumerate(order, start=1)
        ]
    _chunked(TraineeChoice, choices)
    _chunked(CompanyRanking, rankings)
    analyze(TraineeChoice, CompanyRanking)
    round_publish(
        round_=round_,
        algorithm=Algorithm.TRAINEE_PROPOSING,
        actor=operator,
        now=early.published_at,
    )
    round_.refresh_from_db(fields=["status", "published_run"])
    return len(choices), Placement.objects.filter(position__in=pool).count()


def _early_interns(eligible, demo_positions, *, track_of, zone_of) -> dict[int, Position]:
    """The trainees the intern logins will be: for each of the demo company's early positions,
    the first eligible trainee of its track, from the capital region when there is one (where the
    demo company and staff-capital are)."""
    firsts: dict[int, Position] = {}
    for position in demo_positions:
        fits = [
            t for t in eligible if track_of.get(t.pk) == position.track_id and t.pk not in firsts
        ]
        near = [t for t in fits if zone_of[t.region_id] == zone_of[position.region_id]]
        if chosen := (near or fits)[:1]:
            firsts[chosen[0].pk] = position
    return firsts


class _Pool:
    """Positions to draw from, weighted by popularity."""

    def __init__(self, positions: list[Position], popularity: dict[int, float]):
        self.positions = positions
        self.weighted = _Weighted([popularity[p.pk] for p in positions])

    def draw(self, rng: random.Random) -> Position:
        return self.positions[self.weighted.draw(rng)]


def _draw_key(rng, trainee: Trainee, position: Position, popularity: dict) -> float:
    """A weighted random order: popularity, skills fit and the same region weigh in."""
    fit = skills_fit(trainee.skills, position)
    weight = popularity[position.pk] * (1 + len(fit.matched_required))
    weight *= 3 if position.region_id == trainee.region_id else 1
    return math.log(1 - rng.random()) / weight


def _choices(rng, round_, eligible, published, *, firsts, zone_of, track_of, share):
    """Ranked choices of the trainees who have filed them (``share`` of them, and always those
    of ``firsts``, whose first choice it gives): candidates drawn mostly from their track near
    home (popular positions more often), ordered by a weighted random draw where popularity,
    skills fit and the same region weigh in (Efraimidis–Spirakis keys)."""
    popularity = {p.pk: rng.lognormvariate(0, 0.8) for p in published}
    for p in firsts.values():  # the demo company's positions are popular ones, not magnets
        popularity[p.pk] = DEMO_POPULARITY
    grouped: dict[object, list[Position]] = {}
    for p in published:
        grouped.setdefault((p.track_id, zone_of[p.region_id]), []).append(p)
        grouped.setdefault(p.track_id, []).append(p)
    pools = {key: _Pool(ps, popularity) for key, ps in grouped.items()}
    rows: list[TraineeChoice] = []
    for t in eligible:
        first = firsts.get(t.pk)
        if not published or (first is None and rng.random() >= share):
            continue
        local = pools.get((track_of.get(t.pk), zone_of[t.region_id]))
        national = pools.get(track_of.get(t.pk))
        if national is None:
            continue  # no published position of the trainee's track: nothing they may choose
        want = rng.randint(2, 3) if first else _pick(rng, CHOICE_COUNTS)
        want = min(want, round_.max_choices, len(grouped[track_of[t.pk]]))
        candidates: dict[int, Position] = {}
        for _ in range(3 * want):
            # Mostly near home, otherwise anywhere in the country; always of their own track
            # (tracks carry through: Track 1 → OJT positions, Track 2 → PBL).
            pool = (local if rng.random() < 0.7 else None) or national
            p = pool.draw(rng)
            candidates.setdefault(p.pk, p)

        ordered = sorted(
            candidates.values(), key=lambda p: _draw_key(rng, t, p, popularity), reverse=True
        )
        if first:
            ordered = [first] + [p for p in ordered if p.pk != first.pk]
        rows += [
            TraineeChoice(round=round_, trainee=t, position=p, rank=rank)
            for rank, p in enumerate(ordered[:want], start=1)
        ]
    return rows


def _ranked(rng, position: Position, applicants: list[Trainee]) -> list[Trainee]:
    """The applicants a company would accept, best first: skills fit, then chance."""
    scored = []
    for t in applicants:
        fit = skills_fit(t.skills, position)
        if len(fit.missing_required) > 1 and rng.random() < 0.5:
            continue  # not someone the company would accept
        score = 2 * len(fit.matched_required) + len(fit.matched_preferred) + 3 * rng.random()
        scored.append((score, t))
    scored.sort(key=lambda s: -s[0])
    return [t for _, t in scored]


def _rankings(rng, round_, choices, published, *, demo_company, company_user, me, today):
    """Companies' rankings of the applicants they would accept (skills fit first), and
    interviews on weekdays before the company deadline with some applicants (the round opened
    today, so every interview is still to come). The demo company has not ranked yet; it meets
    the demo trainee in a few days."""
    applicants: dict[int, list[Trainee]] = {}
    for c in choices:
        applicants.setdefault(c.position_id, []).append(c.trainee)
    rankings: list[CompanyRanking] = []
    interviews: list[Interview] = []

    def interview(p, t, actor, days=None):
        day = today + datetime.timedelta(days=days or rng.randint(1, COMPANY_DEADLINE_DAYS - 3))
        if day.weekday() >= 5:  # a weekend → the Monday after
            day += datetime.timedelta(days=7 - day.weekday())
        hour = rng.choice((10, 11, 14, 15, 16))
        interviews.append(
            Interview(
                round=round_,
                position=p,
                trainee=t,
                scheduled_at=_kst(day, hour),
                place=rng.choice(PLACES),
                status=InterviewStatus.SCHEDULED,
                created_by=actor,
            )
        )

    for p in published:
        apps = applicants.get(p.pk)
        if not apps:
            continue
        if p.company_id == demo_company.pk:
            if any(t.pk == me.pk for t in apps):
                interview(p, me, company_user, days=4)
            continue
        if rng.random() >= RANKED_SHARE:
            for t in apps[: rng.randint(0, 2)]:
                interview(p, t, p.created_by)
            continue
        ranked = _ranked(rng, p, apps)
        rankings += [
            CompanyRanking(round=round_, position=p, trainee=t, rank=rank)
            for rank, t in enumerate(ranked, start=1)
        ]
        if ranked and rng.random() < INTERVIEW_SHARE:
            for t in ranked[:2]:
                interview(p, t, p.created_by)
    return rankings, interviews
