"""The programme's chain as its users run it, on the programme's calendar, through the services:
the operating-group call and its selection (7 groups), each group's trainee calls (one per track
and wave) with applications, screening, a panel, score sheets, a ranking confirmed and published,
and a supplementary company call whose evaluation is under way today.

The calendar (``waves``) is the programme's: every call, cohort and deadline falls inside
``Programme.starts_on``..``ends_on``. A wave is one round of training: its trainee calls open
four weeks before its cohorts start and close two weeks before; the cohorts run four weeks.
The running wave holds today; the wave before it has finished; the wave after it exists only when
its cohorts fit before the programme ends. Every step happens on its own day (services take
``now``), and a step whose day is still to come is not taken.

Evaluators' sheets go in through ``sheets_submit`` (sheet_save's rules, a few queries per call);
the demo evaluator login chairs every panel, closes the finished ones and has the supplementary
call's sheets still to fill in.
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.accounts.services import user_create
from itda.demo.analyze import analyze
from itda.evaluation import services as evaluation
from itda.evaluation.engine.ranking import result_from_json
from itda.evaluation.models import (
    Assignment,
    Criterion,
    Evaluator,
    Ranking,
    RankingStatus,
    Scheme,
    Score,
    ScoreSheet,
)
from itda.evaluation.seed import CALLS, trainee_scheme_create
from itda.lib.brn import brn_sequence
from itda.programs import services as programs
from itda.programs.models import (
    Company,
    EmploymentStatus,
    OperatingGroup,
    Programme,
    Region,
    Trainee,
    Zone,
)
from itda.recruitment import services as recruitment
from itda.recruitment.forms import TraineeCallForm
from itda.recruitment.models import Application, Call, CallKind, Result

KST = ZoneInfo("Asia/Seoul")
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
COHORT_DAYS = 25  # Monday of week one to Friday of week four (≤ one month)
CALL_OPENS_BEFORE = 28  # days before a wave's first day
CALL_CLOSES_BEFORE = 14
SCORED_BEFORE = 10  # the panel's sheets are in
ENROLLED_BEFORE = 5  # staff enrol the selected
EXTRA_SELECTED = 2  # selected beyond the seats, for drop-outs: they wait on the waitlist
GROUP_PANEL = 5  # the operating-group scheme scores each application by five
TRAINEE_PANEL = 4  # the demo evaluator and three others (three score each application)
SUPPLEMENTARY_SHARE = 0.06  # companies that missed the first call and apply to the second
PLAN_PDF = b"%PDF-1.4\n% itda demo: an operating group's plan\n%%EOF\n"


class ChainError(Exception):
    """Today is outside what the programme's calendar can show; the message says why."""


@dataclass(frozen=True)
class Wave:
    """One round of training: its trainee calls, then its cohorts."""

    number: int
    starts_on: datetime.date

    @property
    def ends_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=COHORT_DAYS)

    def _at(self, days_before: int, hour: int) -> datetime.datetime:
        day = self.starts_on - datetime.timedelta(days=days_before)
        return datetime.datetime.combine(day, datetime.time(hour), KST)

    @property
    def call_opens(self) -> datetime.datetime:
        return self._at(CALL_OPENS_BEFORE, 9)

    @property
    def call_closes(self) -> datetime.datetime:
        return self._at(CALL_CLOSES_BEFORE, 18)

    @property
    def scored_at(self) -> datetime.datetime:
        return self._at(SCORED_BEFORE, 17)

    @property
    def enrolled_on(self) -> datetime.date:
        return self.starts_on - datetime.timedelta(days=ENROLLED_BEFORE)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def waves(programme: Programme, today: datetime.date) -> list[Wave]:
    """The finished, running and (when it fits) next wave around ``today``, all inside the
    programme's period; ChainError when today leaves no room for them."""
    if not programme.starts_on <= today <= programme.ends_on:
        raise ChainError(
            f"오늘({today:%Y-%m-%d})이 사업기간({programme.starts_on:%Y-%m-%d}~"
            f"{programme.ends_on:%Y-%m-%d}) 밖입니다. 사업기간을 조정한 뒤 다시 실행하세요."
        )
    # Started two weeks ago, or later when the programme ends sooner: it holds today.
    last_start = _monday(programme.ends_on - datetime.timedelta(days=COHORT_DAYS))
    running = Wave(2, min(_monday(today) - 2 * WEEK, last_start))
    finished = Wave(1, running.starts_on - 4 * WEEK)
    after = Wave(3, running.starts_on + 4 * WEEK)
    earliest = _groups_selected_on()
    if finished.call_opens.date() < earliest:
        raise ChainError(
            f"오늘({today:%Y-%m-%d})은 사업단 선정({earliest:%Y-%m-%d}) 뒤 교육 두 차례를 "
            "보여 주기에 이릅니다."
        )
    return [finished, running] + ([after] if after.ends_on <= programme.ends_on else [])


def _groups_selected_on() -> datetime.date:
    """A few days after the operating-group call closes (the seeded call's date)."""
    (spec,) = [c for c in CALLS if c["kind"] == CallKind.OPERATING_GROUP]
    return spec["closes_at"].astimezone(KST).date() + 10 * DAY


def programme_call(programme: Programme, kind: str) -> Call:
    return Call.objects.filter(programme=programme, kind=kind, operating_group=None).earliest("pk")


def _moment(rng: random.Random, start: datetime.datetime, end: datetime.datetime):
    return start + datetime.timedelta(seconds=int(rng.random() * (end - start).total_seconds()))


def _points(rng: random.Random, criteria: list[Criterion], quality: float) -> dict:
    """A sheet's points around ``quality`` (0..1), in half points, never at an extreme (an
    extreme needs a comment the demo has no words for)."""
    points = {}
    for c in criteria:
        share = min(0.97, max(0.05, quality + rng.uniform(-0.08, 0.08)))
        points[c.code] = Decimal(round(c.max_points * share * 2) / 2)
    return points


def evaluate(
    *,
    call: Call,
    members: list[Evaluator],
    chair: Evaluator,
    quality: dict[int, float],
    rng: random.Random,
    scored_at: datetime.datetime,
    actor: User,
    seed: int,
    finish: bool = True,
) -> None:
    """Screening, the panel, the assignment and the sheets; when ``finish``, the chair closes
    the panel and the ranking is computed, confirmed and published. Without it, the chair's own
    sheets stay to be filled in."""
    recruitment.screening_run(call=call, actor=actor)
    evaluation.panel_set(call=call, members=members, chair=chair)
    evaluation.assignment_run(call=call, seed=seed)
    criteria = list(call.scheme.criteria.order_by("order", "pk"))
    sheets = {}
    for pk, application_id, evaluator_id in (
        Assignment.objects.filter(application__call=call)
        .order_by("pk")
        .values_list("pk", "application_id", "evaluator_id")
    ):
        if finish or evaluator_id != chair.pk:
            sheets[pk] = (_points(rng, criteria, quality[application_id]), {})
    evaluation.sheets_submit(call=call, sheets=sheets, now=scored_at)
    if not finish:
        return
    # Closing the panel and ranking join these tables; the first calls of a generation fill
    # them from nothing, so the planner needs their statistics now (itda.demo.analyze).
    analyze(Application, Assignment, ScoreSheet, Score)
    evaluation.panel_close(panel=call.panel, actor=chair.user)
    ranking = evaluation.ranking_compute(call=call, actor=actor)
    evaluation.ranking_confirm(ranking=ranking, actor=actor)
    evaluation.ranking_publish(ranking=ranking, actor=actor)


# --- Operating groups ----------------------------------------------------------------------


def _organisation(username: str, name: str) -> User:
    """The account an organisation applies with (kept across resets, as demo accounts are)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        # Nobody logs in as these organisations: a random password nobody knows.
        user = user_create(username=username, password=secrets.token_urlsafe(24), role=Role.COMPANY)
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def operating_groups_select(
    *, programme: Programme, operator: User, evaluators: list[Evaluator], chair: Evaluator, seed
) -> int:
    """The operating-group call: one organisation per 권역 applies (the placeholder group's
    name, a plan document), with a rival in two 권역; the panel scores, the ranking selects one
    per 권역 and its publication makes them the programme's groups. Returns how many."""
    call = programme_call(programme, CallKind.OPERATING_GROUP)
    rng = random.Random(f"itda-demo:{seed}:groups")
    groups = {g.zone: g for g in OperatingGroup.objects.filter(programme=programme)}
    region_of = {z: Region.objects.filter(zone=z).order_by("code").first() for z in Zone}
    entrants = [(z, groups[z].name, 0.85) for z in Zone] + [
        (Zone.CAPITAL, "수도권 제조혁신 인력양성 컨소시엄", 0.7),
        (Zone.DONGNAM, "동남권 스마트공장 협력 컨소시엄", 0.65),
    ]
    numbers = brn_sequence(len(entrants), offices=["950"])
    requirement = call.requirements.get(required=True)
    quality = {}
    for i, ((zone, name, q), number) in enumerate(zip(entrants, numbers, strict=True)):
        user = _organisation(f"org-{zone}" if i < len(Zone) else f"org-{zone}-2", name)
        at = _moment(rng, call.opens_at, call.closes_at)
        application = recruitment.application_save(
            call=call,
            actor=user,
            answers={
                "zone": zone,
                "plan_summary": f"{Zone(zone).label} 교육생 모집·교육·기업 연계·인턴십 관리",
                "dedicated_staff": rng.randint(4, 12),
                "partner_companies": rng.randint(40, 300),
            },
            consent=True,
            organisation_name=name,
            organisation_number=number,
            region=region_of[zone],
            now=at,
        )
        upload = SimpleUploadedFile("운영계획서.pdf", PLAN_PDF, content_type="application/pdf")
        recruitment.document_attach(
            application=application, requirement=requirement, upload=upload, actor=user, now=at
        )
        recruitment.application_submit(application=application, actor=user, now=at)
        quality[application.pk] = q
    evaluate(
        call=call,
        members=_panel(evaluators, chair, GROUP_PANEL, 0),
        chair=chair,
        quality=quality,
        rng=rng,
        scored_at=call.closes_at + 5 * DAY,
        actor=operator,
        seed=seed,
    )
    return call.applications.filter(result=Result.SELECTED).count()


def _panel(evaluators: list[Evaluator], chair: Evaluator, size: int, turn: int) -> list:
    """The chair and ``size - 1`` others, a different slice of the pool each ``turn``."""
    others = [e for e in evaluators if e.pk != chair.pk]
    start = (turn * (size - 1)) % len(others)
    return [chair] + [others[(start + i) % len(others)] for i in range(size - 1)]


# --- Trainee calls -------------------------------------------------------------------------


def _trainee_call(group, track, wave: Wave, staff: User, seats: int) -> Call:
    """The group's call for one track and wave, opened as staff open it on the web; the
    scheme's seats are the wave's places (and a few for drop-outs)."""
    form = TraineeCallForm(
        data={
            "title": f"{group.name} {track.name} {wave.number}차 교육생 모집",
            "track": track.pk,
            "description": (
                f"교육기간 {wave.starts_on:%Y-%m-%d}~{wave.ends_on:%Y-%m-%d}. "
                "선정자는 교육 수료 후 기업 연계에 참여합니다."
            ),
            "opens_at": f"{wave.call_opens:%Y-%m-%dT%H:%M}",
            "closes_at": f"{wave.call_closes:%Y-%m-%dT%H:%M}",
        },
        programme=group.programme,
    )
    if not form.is_valid():
        raise ChainError(form.errors.as_text())
    call = recruitment.trainee_call_open(group=group, actor=staff, form=form)
    scheme = trainee_scheme_create(call)
    # The operator sets the seats before the round (the default is the track's national quota).
    scheme.total_seats, scheme.waitlist_size = seats + EXTRA_SELECTED, 5
    scheme.full_clean()
    scheme.save(update_fields=["total_seats", "waitlist_size"])
    return call


def allocations_set(
    *, programme: Programme, operator: User, waves: int, capacity: dict[int, int]
) -> dict[tuple[int, int], int]:
    """The operator shares each track's national target among the groups, as evenly as it
    divides (the shares sum to the target); returns the places per (group, track) in one of
    ``waves`` waves — the wave's course capacity, or less where the share is smaller, keeping
    room for the drop-out extras so that no ranking passes its group's share."""
    groups = list(programme.operating_groups.order_by("zone"))
    places = {}
    for track in programme.tracks.exclude(quota__isnull=True).order_by("code"):
        base, rest = divmod(track.quota, len(groups))
        for i, group in enumerate(groups):
            share = base + (i < rest)
            programs.track_allocation_set(
                track=track, operating_group=group, seats=share, actor=operator
            )
            places[group.pk, track.pk] = max(
                1, min(capacity[track.pk], share // waves - EXTRA_SELECTED)
            )
    return places


@dataclass
class Selection:
    """A wave's selected applications per (group, track), best first."""

    wave: Wave
    selected: dict[tuple[int, int], list[Application]]


def trainee_calls_run(
    *,
    programme: Programme,
    calendar: list[Wave],
    trainees: list[Trainee],
    me: Trainee | None,
    seats: dict[int, int],
    evaluators: list[Evaluator],
    chair: Evaluator,
    now: datetime.datetime,
    seed: int,
) -> list[Selection]:
    """Each group's trainee call per track and wave; every trainee applies once, to a wave's
    call of their group and preferred track (the demo trainee to the running wave's, as a
    strong applicant), staff entering the application as they do for those who apply by phone
    or in person. Calls that have closed are evaluated and published. ``seats``: places per
    (group, track) in one wave."""
    rng = random.Random(f"itda-demo:{seed}:trainee-calls")
    groups = list(programme.operating_groups.prefetch_related("regions").order_by("zone"))
    staff = {u.username: u for u in User.objects.filter(username__startswith="staff-")}
    group_of_region = {r.pk: g for g in groups for r in g.regions.all()}
    tracks = {t.pk: t for t in programme.tracks.all()}
    running = next(w for w in calendar if w.number == 2)
    applicants: dict[tuple, list[Trainee]] = {}
    for t in trainees:
        group = group_of_region.get(t.region_id)
        if group is None or t.preferred_track_id not in tracks:
            continue
        wave = running if t == me else rng.choice(calendar[:2] if rng.random() < 0.85 else calendar)
        applicants.setdefault((group.pk, t.preferred_track_id, wave.number), []).append(t)
    selections = []
    turn = 0
    for wave in calendar:
        selection = Selection(wave, {})
        selections.append(selection)
        if now < wave.call_opens:
            continue
        for group in groups:
            actor = staff[f"staff-{group.zone}"]
            for track in tracks.values():
                call = _trainee_call(group, track, wave, actor, seats[group.pk, track.pk])
                quality = {}
                for t in applicants.get((group.pk, track.pk, wave.number), []):
                    at = _moment(rng, call.opens_at, min(call.closes_at, now))
                    application = recruitment.application_save(
                        call=call,
                        actor=actor,
                        answers={"source": "demo"},
                        employment_status=EmploymentStatus.JOB_SEEKER,
                        consent=True,
                        trainee=t,
                        now=at,
                    )
                    recruitment.application_submit(application=application, actor=actor, now=at)
                    quality[application.pk] = 0.97 if t == me else 0.4 + 0.55 * rng.random()
                if now < call.closes_at or not quality:
                    continue
                turn += 1
                evaluate(
                    call=call,
                    members=_panel(evaluators, chair, TRAINEE_PANEL, turn),
                    chair=chair,
                    quality=quality,
                    rng=rng,
                    scored_at=wave.scored_at,
                    actor=actor,
                    seed=seed + turn,
                )
                selection.selected[(group.pk, track.pk)] = _ranked_selected(call)
    return selections


def _ranked_selected(call: Call) -> list[Application]:
    """The call's selected applications in the order of its published ranking."""
    ranking = Ranking.objects.get(call=call, status=RankingStatus.PUBLISHED)
    order = {
        int(r.application_id): i for i, r in enumerate(result_from_json(ranking.result_json).rows)
    }
    selected = call.applications.filter(result=Result.SELECTED).select_related("trainee", "call")
    return sorted(selected, key=lambda a: order[a.pk])


# --- The supplementary company call ---------------------------------------------------------


def supplementary_call_run(
    *,
    programme: Programme,
    companies: list[Company],
    operator: User,
    evaluators: list[Evaluator],
    chair: Evaluator,
    today: datetime.date,
    seed: int,
) -> Call:
    """참여기업 추가 모집 for the later internship waves: it closed two days ago, the
    companies' applications are screened and assigned, and the panel is scoring — the demo
    evaluator's own sheets are still to do."""
    first = programme_call(programme, CallKind.COMPANY)
    rng = random.Random(f"itda-demo:{seed}:supplementary")
    opens = datetime.datetime.combine(today - 16 * DAY, datetime.time(9), KST)
    call = Call(
        programme=programme,
        kind=CallKind.COMPANY,
        title=f"{first.title} — 추가 모집 (하반기 인턴십 연계)",
        description="1차 모집 뒤 하반기 인턴십에 참여할 기업을 추가로 모집합니다.",
        opens_at=max(opens, first.closes_at + DAY),
        closes_at=datetime.datetime.combine(today - 2 * DAY, datetime.time(18), KST),
        eligibility=first.eligibility,
        consent_text=first.consent_text,
        consent_version=first.consent_version,
        source_note="데모: 운영기관의 추가 모집",
    )
    call.full_clean()
    call.save()
    scheme = first.scheme
    copy = Scheme.objects.create(
        call=call,
        name=scheme.name,
        method=scheme.method,
        evaluators_per_application=scheme.evaluators_per_application,
        total_seats=max(1, len(companies)),
        waitlist_size=scheme.waitlist_size,
        cutoff=scheme.cutoff,
    )
    Criterion.objects.bulk_create(
        Criterion(
            scheme=copy,
            code=c.code,
            name=c.name,
            weight=c.weight,
            max_points=c.max_points,
            order=c.order,
        )
        for c in scheme.criteria.all()
    )
    quality = {}
    for company in companies:
        at = _moment(rng, call.opens_at, call.closes_at)
        application = recruitment.application_save(
            call=call,
            actor=operator,
            answers={"interns_wanted": rng.randint(1, 3), "source": "demo"},
            consent=True,
            company=company,
            now=at,
        )
        recruitment.application_submit(application=application, actor=operator, now=at)
        quality[application.pk] = 0.45 + 0.5 * rng.random()
    if quality:
        evaluate(
            call=call,
            members=_panel(evaluators, chair, scheme.evaluators_per_application, 0),
            chair=chair,
            quality=quality,
            rng=rng,
            scored_at=call.closes_at + DAY,
            actor=operator,
            seed=seed,
            finish=False,
        )
    return call
