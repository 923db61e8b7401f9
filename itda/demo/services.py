"""Writes for the demo: the generated rows in bulk, and one login per role.

Re-running is safe: when companies, trainees or evaluators already exist, ``demo_generate``
changes nothing and says so, unless ``reset`` is given, which first deletes every company,
trainee and evaluator (a demo database holds nothing else). Demo accounts are kept across resets
(the 접속기록 protects them from deletion, and a person keeps the TOTP secret they scanned).

Rows are written in transactions of CHUNK rows, not one transaction for the whole set:
pghistory's row triggers open a subtransaction per row (the EXCEPTION block in
``_pgh_attach_context``), and together with the foreign-key checks that makes each row cost
more the more rows the transaction has already written. Measured for 100,000 companies: one
transaction 150 s, 2,000-row transactions 8 s. Everything is generated in memory before the
first write, and an advisory lock keeps two runs apart; a run killed halfway leaves part of the
set, which the next run reports and ``--reset`` clears.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from itda.accounts.models import User
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
from itda.accounts.services import totp_device_create, user_create
from itda.demo import chain, generator
from itda.demo.analyze import analyze
from itda.demo.employment import GENERATED_PREFIX, EmploymentFigures, employment_generate
from itda.demo.linkage import EarlyRound, LinkageFigures, linkage_generate
from itda.demo.training import TRACK_COURSES, TrainingFigures, training_generate
from itda.evaluation.models import (
    Evaluator,
)
from itda.evaluation.seed import calls_seed
from itda.lib.brn import brn_format
from itda.payments.services import allowance_compute
from itda.programs.models import (
    Company,
    IndustrialComplex,
    OperatingGroup,
    PlacementKind,
    Programme,
    Region,
    Trainee,
    Zone,
)
from itda.recruitment.imports import (
    TEMPLATE_SHEET,
    Column,
    ImportRefused,
    column_specs,
    import_commit,
    import_template_bytes,
)
from itda.recruitment.models import Call, CallKind, Result

PROGRAMME_CODE = "mss-smart-mfg-2026"  # itda/programs/reference_data/programmes.json
# A demo password, printed by `demo_logins`; it satisfies AUTH_PASSWORD_VALIDATORS.
DEMO_PASSWORD = "itda-demo-2026!"  # noqa: S105 - documented, demo databases only
CHUNK = 2_000  # rows per INSERT and per transaction (see the module docstring)
_LOCK_KEY = 0x17DA_DE30  # pg_advisory_lock key: one generate_demo at a time


class DemoError(Exception):
    """The demo cannot be generated here; the message says why, in Korean."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    display_name: str
    zone: str | None = None  # group staff: the zone of their operating group


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("operator", Role.OPERATOR, "전담기관 운영자"),
    *(
        DemoAccount(f"staff-{zone.value}", Role.GROUP_STAFF, f"{zone.label} 사업단 담당자", zone)
        for zone in Zone
    ),
    DemoAccount("company", Role.COMPANY, "기업 담당자"),
    DemoAccount("trainee", Role.TRAINEE, "교육생"),
    # Linked by the internship stage (itda.demo.employment): the demo company's OJT and PBL
    # interns of the early round, and their mentor.
    DemoAccount("intern", Role.TRAINEE, "인턴(OJT)"),
    DemoAccount("intern-pbl", Role.TRAINEE, "인턴(PBL)"),
    DemoAccount("mentor", Role.MENTOR, "멘토"),
    DemoAccount("evaluator", Role.EVALUATOR, "평가위원"),
    DemoAccount("viewer", Role.VIEWER, "중소벤처기업부 열람자"),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)


@dataclass(frozen=True)
class DemoResult:
    companies: int
    trainees: int
    evaluators: int
    users: int
    seconds: float
    created: bool
    training: TrainingFigures | None = None
    linkage: LinkageFigures | None = None
    employment: EmploymentFigures | None = None


def demo_world() -> generator.World:
    """The reference data the generator needs; DemoError when `load_reference` has not run."""
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    regions = list(Region.objects.order_by("code"))
    n_groups = programme.operating_groups.count() if programme else 0
    missing = []
    if not regions:
        missing.append("시·도")
    if programme is None:
        missing.append(f"사업({PROGRAMME_CODE})")
    elif n_groups < len(Zone):
        missing.append(f"사업단({n_groups}/{len(Zone)})")
    elif not programme.training_rules.exists():
        missing.append("출결·수료 규칙")
    if missing:
        raise DemoError(
            f"참조 데이터가 없습니다: {', '.join(missing)}. "
            "먼저 `python manage.py load_reference`를 실행하세요."
        )
    complexes: dict[int, list[generator.ComplexInfo]] = {}
    for c in IndustrialComplex.objects.order_by("name", "pk"):
        complexes.setdefault(c.region_id, []).append(generator.ComplexInfo(c.pk, c.name))
    tracks = list(programme.tracks.order_by("code"))
    track1 = next((tr for tr in tracks if tr.placement_kind == PlacementKind.OJT), None)
    track2 = next((tr for tr in tracks if tr.placement_kind == PlacementKind.PBL), None)
    return generator.World(
        regions=tuple(
            generator.RegionInfo(
                r.pk, r.code, r.name, r.short_name, r.zone, tuple(complexes.get(r.pk, ()))
            )
            for r in regions
        ),
        track1_id=track1.pk if track1 else None,
        track2_id=track2.pk if track2 else None,
    )


def _bulk(model, rows: list[dict]) -> list:
    """Insert rows CHUNK at a time, one transaction each; returns the saved objects."""
    saved: list = []
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            saved += model.objects.bulk_create(
                [model(**row) for row in rows[start : start + CHUNK]]
            )
    return saved


def _delete_all(model) -> None:
    """Delete every row of ``model``, CHUNK rows per transaction."""
    while True:
        with transaction.atomic():
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[:CHUNK])
            if not pks:
                return
            model.objects.filter(pk__in=pks).delete()


@contextmanager
def _exclusive():
    """Hold a session advisory lock so that two runs never interleave."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise DemoError("다른 generate_demo가 실행 중입니다. 끝난 뒤 다시 실행하세요.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])


def _first_in_zone(objs: list, world: generator.World, zone: str):
    in_zone = {r.id for r in world.regions if r.zone == zone}
    return next((o for o in objs if o.region_id in in_zone), objs[0])


def _account_upsert(account: DemoAccount, display_name: str) -> User:
    """Create the demo account, or bring an existing one back to its demo state."""
    user = User.objects.filter(username=account.username).first()
    if user is None:
        candidate = User(username=account.username, display_name=display_name)
        validate_password(DEMO_PASSWORD, candidate)
        user = user_create(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            display_name=display_name,
        )
    else:
        user.role = account.role
        user.display_name = display_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["role", "display_name", "is_active", "password"])
    # Keep a device the person may already have scanned; make one only when there is none.
    if (
        account.role in SECOND_FACTOR_ROLES
        and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        totp_device_create(user=user)
    return user


def _accounts_create(
    *, world: generator.World, companies: list, trainees: list, evaluators: list
) -> int:
    # An SME: the company call screens out 중견기업.
    company = _first_in_zone([c for c in companies if c.size != "mid"], world, Zone.CAPITAL)
    trainee = _first_in_zone(trainees, world, Zone.CAPITAL)
    evaluator = evaluators[0]
    groups = {g.zone: g for g in OperatingGroup.objects.filter(programme__code=PROGRAMME_CODE)}
    staff_through = OperatingGroup.staff.through
    staff_rows = []
    for account in DEMO_ACCOUNTS:
        name = account.display_name
        if account.role == Role.COMPANY:
            name = f"{company.representative} ({company.name})"
        elif account.username == "trainee":
            name = trainee.name
        elif account.role == Role.EVALUATOR:
            name = evaluator.name
        user = _account_upsert(account, name)
        if account.role == Role.GROUP_STAFF:
            group = groups[account.zone]
            if not group.staff.filter(pk=user.pk).exists():
                staff_rows.append(staff_through(operatinggroup_id=group.pk, user_id=user.pk))
        elif account.role == Role.COMPANY:
            company.managers.add(user)
        elif account.username == "trainee":
            trainee.user = user
            trainee.save(update_fields=["user"])
        elif account.role == Role.EVALUATOR:
            evaluator.user = user
            evaluator.save(update_fields=["user"])
    staff_through.objects.bulk_create(staff_rows)
    return len(DEMO_ACCOUNTS)


def _import_cell(column: Column, company: Company) -> object:
    """The cell staff would type for ``company`` under ``column``: labels, not stored codes."""
    value = getattr(company, column.key, None)
    if value in (None, ""):
        return None
    if column.kind == "brn":
        return brn_format(value)
    if column.kind == "choice":
        return dict(column.choices)[value]
    if column.kind in ("region", "complex"):
        return value.name
    return value


def _import_file(call: Call, companies: list[Company]) -> io.BytesIO:
    """The call's import template, downloaded and filled in with one row per company below its
    example row (which the import skips), as an operating group sends its list."""
    workbook = load_workbook(io.BytesIO(import_template_bytes(call=call)))
    sheet = workbook[TEMPLATE_SHEET]
    columns = column_specs(call)
    # Row 1 is the header and row 2 the example; ``append`` would start below the template's
    # pre-formatted rows, leaving a thousand blank rows the preview would report as skipped.
    for number, company in enumerate(companies, start=3):
        for index, column in enumerate(columns, start=1):
            sheet.cell(row=number, column=index, value=_import_cell(column, company))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _applications_create(companies: list[Company]) -> int:
    """The demo companies' applications to the seeded MSS company call (when it exists), as the
    operator enters them: one Excel list in the call's template, run through the import, so
    every row is validated, matched to its company by 사업자등록번호 and given its receipt,
    snapshot and trail like any imported list. Returns how many."""
    call = Call.objects.filter(programme__code=PROGRAMME_CODE, kind=CallKind.COMPANY).first()
    operator = User.objects.filter(username="operator").first()
    if call is None or operator is None:
        return 0
    # The list arrives an hour before the call closes (or now, while it is still open).
    at = min(call.closes_at - datetime.timedelta(hours=1), timezone.now())
    file = _import_file(
        call,
        list(
            Company.objects.filter(pk__in=[c.pk for c in companies])
            .select_related("region", "complex")
            .order_by("pk")
        ),
    )
    try:
        return import_commit(call=call, file=file, actor=operator, now=at)
    except ImportRefused as exc:
        details = "; ".join(f"{p.row}행 {p.column}: {p.message}" for p in exc.problems[:5])
        raise DemoError(
            f"데모 신청 목록을 가져오지 못했습니다: {exc.messages[0]} {details}"
        ) from exc


PANEL_SIZE = 9  # evaluators on the demo company call's panel


def _selection_run(*, seed: int, evaluators: list, chair) -> int:
    """The company call's selection, as the operator runs it once the call has closed:
    screening, a panel, the sheets, the chair closing the panel and a ranking computed,
    confirmed and published, all through the services. The demo company scores high, so its
    manager sees a selected company. Returns how many were selected; none while the call is
    still open (its applications then stay 심사 중)."""
    call = Call.objects.filter(programme__code=PROGRAMME_CODE, kind=CallKind.COMPANY).first()
    operator = User.objects.filter(username="operator").first()
    if call is None or operator is None or timezone.now() < call.closes_at:
        return 0
    demo_company = Company.objects.filter(managers__username="company").first()
    rng = random.Random(f"{seed}:selection")
    quality = {
        pk: 0.95 if company_id == getattr(demo_company, "pk", None) else 0.45 + 0.5 * rng.random()
        for pk, company_id in call.applications.order_by("pk").values_list("pk", "company_id")
    }
    chain.evaluate(
        call=call,
        members=[chair] + [e for e in evaluators if e.pk != chair.pk][: PANEL_SIZE - 1],
        chair=chair,
        quality=quality,
        rng=rng,
        scored_at=call.closes_at + datetime.timedelta(days=10),
        actor=operator,
        seed=seed,
    )
    return call.applications.filter(result=Result.SELECTED).count()


def demo_reset() -> None:
    """Delete every company, trainee and evaluator (demo databases only), and with them the
    applications, everything evaluated about them, the demo training (courses, cohorts,
    bookings, enrolments, attendance), linkage (positions, placements, match rounds) and
    internships (start waves, mentors, agreements and all that hangs on them), and the accounts
    the internship stage made for hosts, interns and mentors."""
    with transaction.atomic(), connection.cursor() as cursor:
        # TRUNCATE, not DELETE: the application trail is append-only by trigger, on purpose.
        # Courses and bookings take every cohort, session, enrolment and attendance with them;
        # rounds and positions every choice, ranking, interview, run, placement and trail row.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
        # The calls go too (calls_seed makes the seeded ones again): the demo opens its own.
        cursor.execute(
            "TRUNCATE recruitment_call, recruitment_application, evaluation_ranking, "
            "evaluation_panel, training_course, training_roombooking, matching_matchround, "
            "internships_position, internships_startwave, internships_mentor CASCADE"
        )
    for model in (Trainee, Company, Evaluator):
        _delete_all(model)
    User.objects.filter(username__startswith=GENERATED_PREFIX).delete()


def demo_generate(*, seed: int, scale: float, reset: bool = False) -> DemoResult:
    """Generate the demo data set for ``seed`` and ``scale`` and one login per role."""
    if settings.PRODUCTION:
        raise DemoError("운영 환경(ITDA_ENV=production)에서는 데모 데이터를 만들 수 없습니다.")
    if scale <= 0:
        raise DemoError("--scale은 0보다 커야 합니다.")
    started = time.perf_counter()
    world = demo_world()
    with _exclusive(), pghistory.context(command="generate_demo", seed=seed, scale=scale):
        existing = (Company.objects.count(), Trainee.objects.count(), Evaluator.objects.count())
        if any(existing) and not reset:
            return DemoResult(*existing, users=0, seconds=0.0, created=False)
        # Generate everything before the first write, so a bug costs nothing in the database.
        today = timezone.localdate()
        try:
            calendar = chain.waves(Programme.objects.get(code=PROGRAMME_CODE), today)
        except chain.ChainError as exc:
            raise DemoError(str(exc)) from exc
        company_rows = generator.companies(world, seed=seed, scale=scale)
        trainee_rows = generator.trainees(world, seed=seed, scale=scale)
        evaluator_rows = generator.evaluators(world, seed=seed, scale=scale)
        if reset:
            demo_reset()
        companies = _bulk(Company, company_rows)
        trainees = _bulk(Trainee, trainee_rows)
        evaluators = _bulk(Evaluator, evaluator_rows)
        with transaction.atomic():
            users = _accounts_create(
                world=world, companies=companies, trainees=trainees, evaluators=evaluators
            )
        calls_seed()  # after the accounts: the 2021 plans are filed by the operator
        # Statistics for each stage's fresh rows before the next stage's services query them
        # (itda.demo.analyze): a whole-database ANALYZE takes a fraction of a second here.
        analyze()
        programme = Programme.objects.get(code=PROGRAMME_CODE)
        operator = User.objects.get(username="operator")
        chair = evaluators[0]  # the demo evaluator login chairs every panel
        rng = random.Random(f"itda-demo:{seed}:late-companies")
        demo_company = Company.objects.filter(managers__username="company").first()
        late = [
            c for c in companies if c != demo_company and rng.random() < chain.SUPPLEMENTARY_SHARE
        ]
        _applications_create([c for c in companies if c not in late])
        analyze()
        _selection_run(seed=seed, evaluators=evaluators, chair=chair)
        chain.operating_groups_select(
            programme=programme, operator=operator, evaluators=evaluators, chair=chair, seed=seed
        )
        me = Trainee.objects.filter(user__username="trainee").first()
        seats = chain.allocations_set(
            programme=programme,
            operator=operator,
            waves=sum(1 for w in calendar if timezone.now() >= w.call_opens),
            capacity={
                t.pk: sum(c.capacity for c in TRACK_COURSES if c.track == t.code)
                for t in programme.tracks.all()
            },
        )
        analyze()
        selections = chain.trainee_calls_run(
            programme=programme,
            calendar=calendar,
            trainees=trainees,
            me=me,
            seats=seats,
            evaluators=evaluators,
            chair=chair,
            now=timezone.now(),
            seed=seed,
        )
        analyze()
        chain.supplementary_call_run(
            programme=programme,
            companies=late,
            operator=operator,
            evaluators=evaluators,
            chair=chair,
            today=today,
            seed=seed,
        )
        analyze()
        training = training_generate(
            programme=programme, calendar=calendar, selections=selections, seed=seed, today=today
        )
        analyze()
        allowance_compute()  # the allowance so far of every demo enrolment, as staff would run it
        analyze()
        early = EarlyRound.after(calendar[0].ends_on)
        linkage = linkage_generate(
            programme=programme,
            companies=companies,
            trainees=trainees,
            seed=seed,
            today=today,
            early=early,
        )
        analyze()
        employment = employment_generate(programme=programme, seed=seed, today=today, early=early)
    return DemoResult(
        companies=len(companies),
        trainees=len(trainees),
        evaluators=len(evaluators),
        users=users,
        seconds=time.perf_counter() - started,
        created=True,
        training=training,
        linkage=linkage,
        employment=employment,
    )
