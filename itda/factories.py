"""factory_boy factories for tests: synthetic Korean-format data, never real people."""

import datetime
import itertools
import threading
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
from itda.accounts.services import totp_device_create
from itda.evaluation.models import Evaluator
from itda.lib.brn import brn_sequence
from itda.programs.models import (
    Company,
    CompanyKind,
    CompanySize,
    Education,
    OperatingGroup,
    PlacementKind,
    Programme,
    Region,
    Room,
    RoomKind,
    Track,
    Trainee,
    Venue,
    Zone,
)
from itda.recruitment.models import Application, Call, CallKind
from itda.recruitment.snapshots import profile_snapshot
from itda.training.models import (
    Attendance,
    AttendanceSource,
    Audience,
    Cohort,
    Course,
    CourseLevel,
    Enrollment,
    Session,
    TrainingRule,
)

PASSWORD = "test-password-2026!"  # noqa: S105 - a test fixture
_PASSWORD_HASH = None
_serial = itertools.count(1)


def _hashed_password() -> str:
    # Hash once per run: Argon2 is slow on purpose.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def user(*, username: str, role: Role) -> User:
    """A user with the shared test password and, for roles that need one, a TOTP device."""
    u = User.objects.create(
        username=username,
        role=role,
        password=_hashed_password(),
        display_name=username,
        is_staff=role == Role.OPERATOR,
        is_superuser=role == Role.OPERATOR,
    )
    if role in SECOND_FACTOR_ROLES:
        totp_device_create(user=u)
    return u


def reference_world() -> dict:
    """The smallest reference world the cast needs."""
    seoul = Region.objects.create(
        code="11", name="서울특별시", short_name="서울", zone=Zone.CAPITAL
    )
    busan = Region.objects.create(
        code="26", name="부산광역시", short_name="부산", zone=Zone.DONGNAM
    )
    gyeonggi = Region.objects.create(code="41", name="경기도", short_name="경기", zone=Zone.CAPITAL)
    programme = Programme.objects.create(
        code="test-programme",
        name="테스트 사업",
        ministry="중소벤처기업부",
        starts_on=datetime.date(2026, 5, 20),
        ends_on=datetime.date(2026, 12, 31),
        source_document="test",
    )
    capital = OperatingGroup.objects.create(
        programme=programme, name="수도권 사업단", zone=Zone.CAPITAL
    )
    capital.regions.add(seoul, gyeonggi)
    dongnam = OperatingGroup.objects.create(
        programme=programme, name="동남권 사업단", zone=Zone.DONGNAM
    )
    dongnam.regions.add(busan)
    return {
        "seoul": seoul,
        "busan": busan,
        "gyeonggi": gyeonggi,
        "programme": programme,
        "capital_group": capital,
        "dongnam_group": dongnam,
        "track": Track.objects.create(
            programme=programme,
            code="track1",
            name="Track1 테스트",
            quota=400,
            placement_kind=PlacementKind.OJT,
        ),
    }


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"테스트정밀{n}")
    business_number = factory.Sequence(lambda n: next(brn_sequence(1, offices=["120"], offset=n)))
    representative = "김대표"
    kind = CompanyKind.SMART_FACTORY
    size = CompanySize.SMALL
    industry = "자동차 부품"
    address = "서울특별시 구로구 디지털로 1"
    employees = 40
    phone = "02-123-4567"


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    name = factory.Sequence(lambda n: f"홍길{n}")
    birth_date = datetime.date(2000, 3, 1)
    phone = factory.LazyFunction(
        lambda: f"010-{5000 + next(_serial) % 5000:04d}-{next(_serial) % 10000:04d}"
    )
    email = factory.Sequence(lambda n: f"trainee{n}@example.kr")
    address = "서울특별시 강남구 테헤란로 1"
    education = Education.UNIVERSITY
    bank_name = "신한은행"
    bank_account = "110-999-123456"
    bank_holder = factory.LazyAttribute(lambda o: o.name if o.bank_account else "")


class EvaluatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluator

    name = factory.Sequence(lambda n: f"이평가{n}")
    affiliation = "테스트대학교"
    expertise = "스마트공장"
    phone = factory.Sequence(lambda n: f"010-7000-{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"evaluator{n}@example.kr")


def call(*, programme, kind=CallKind.COMPANY, track=None, days_open=30, **extra) -> Call:
    """A call whose window is open now (opened yesterday, closes in ``days_open`` days)."""
    now = timezone.now()
    return Call.objects.create(
        programme=programme,
        kind=kind,
        track=track,
        title=extra.pop("title", f"테스트 {kind} 모집"),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=days_open),
        consent_text="개인정보 수집·이용에 동의합니다.",
        consent_version="v1",
        **extra,
    )


def call_closed(call: Call) -> Call:
    """The call's window ended a minute ago: the evaluation steps may run."""
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at)
    return call


def application(*, call: Call, company=None, trainee=None, submitted=True, **extra):
    """An application straight into the table (services are tested on their own)."""
    owner = company or trainee
    now = timezone.now()
    return Application.objects.create(
        call=call,
        company=company,
        trainee=trainee,
        region=owner.region,
        applicant_key=extra.pop("applicant_key", f"test:{type(owner).__name__}:{owner.pk}"),
        created_by=extra.pop("created_by", None) or _system_user(),
        status="submitted" if submitted else "draft",
        submitted_at=now if submitted else None,
        receipt_number=f"T-{owner.pk}-{type(owner).__name__}" if submitted else None,
        profile_snapshot=profile_snapshot(company=company, trainee=trainee) if submitted else {},
        **extra,
    )


def _system_user():
    user, _ = User.objects.get_or_create(
        username="system-factory", defaults={"role": Role.OPERATOR}
    )
    return user


# --- Training --------------------------------------------------------------------------------

KST = ZoneInfo("Asia/Seoul")


def training_rule(*, programme, **fields):
    """The programme's training rule with the defaults (80%, three incidents = one absence)."""
    return TrainingRule.objects.create(
        programme=programme,
        effective_from=fields.pop("effective_from", programme.starts_on),
        **fields,
    )


def room(*, region, name="강의실", kind=RoomKind.LECTURE, venue_name="테스트 교육장") -> Room:
    venue, _ = Venue.objects.get_or_create(
        name=venue_name, defaults={"region": region, "address": "테스트 주소"}
    )
    return Room.objects.create(venue=venue, name=name, kind=kind, capacity=40)


def cohort(
    *,
    group,
    track,
    starts_on=datetime.date(2026, 7, 1),
    ends_on=datetime.date(2026, 7, 31),
    capacity=30,
    rule=None,
    code="T1-BASIC",
    number=1,
) -> Cohort:
    """A job-seeker cohort of a track course of ``group`` (the course is made when missing)."""
    course, _ = Course.objects.get_or_create(
        operating_group=group,
        code=code,
        defaults={
            "audience": Audience.JOB_SEEKER,
            "track": track,
            "level": CourseLevel.BASIC_PRACTICAL,
            "title": f"{track.name} 기초·실무과정",
        },
    )
    rule = rule or TrainingRule.objects.filter(programme=group.programme).first()
    rule = rule or training_rule(programme=group.programme)
    return Cohort.objects.create(
        course=course,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        rule=rule,
    )


def employee_cohort(*, group, level="intermediate1", code="EMP-MID1", days=(7, 8)) -> Cohort:
    """A short 재직자 cohort of ``group`` for companies of smart-factory ``level``, from
    ``days[0]`` to ``days[1]`` days after today (the course is made when missing)."""
    course, _ = Course.objects.get_or_create(
        operating_group=group,
        code=code,
        defaults={
            "audience": Audience.EMPLOYEE,
            "level": CourseLevel.SHORT,
            "smart_factory_level": level,
            "title": f"스마트공장 {level} 단계 재직자 과정",
        },
    )
    today = timezone.localdate()
    rule = TrainingRule.objects.filter(programme=group.programme).first()
    return Cohort.objects.create(
        course=course,
        number=course.cohorts.count() + 1,
        starts_on=today + datetime.timedelta(days=days[0]),
        ends_on=today + datetime.timedelta(days=days[1]),
        capacity=10,
        rule=rule or training_rule(programme=group.programme),
    )


def sessions(*, cohort: Cohort, days: list[datetime.date], start=(9, 0), end=(18, 0)):
    """One session a day on the given dates, start–end KST, no room, numbered after the last."""
    first = cohort.sessions.count() + 1
    return [
        Session.objects.create(
            cohort=cohort,
            number=i,
            title=f"{i}차시",
            starts_at=datetime.datetime.combine(day, datetime.time(*start), KST),
            ends_at=datetime.datetime.combine(day, datetime.time(*end), KST),
        )
        for i, day in enumerate(days, start=first)
    ]


def running_cohort(*, group, track, days_held: int, days_left: int, per_day: int = 1, **fields):
    """A cohort running today: ``days_held`` training days before today (their sessions over)
    and ``days_left`` after it (not yet held), one session a day (9–18 KST) or two (``per_day=2``:
    9–12 and 13–18); no session today, so nothing depends on the hour. Returns the cohort and
    its sessions in time order."""
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=d) for d in range(-days_held, 0)]
    days += [today + datetime.timedelta(days=d) for d in range(1, days_left + 1)]
    made = cohort(group=group, track=track, starts_on=days[0], ends_on=days[-1], **fields)
    slots = {1: [((9, 0), (18, 0))], 2: [((9, 0), (12, 0)), ((13, 0), (18, 0))]}[per_day]
    for start, end in slots:
        sessions(cohort=made, days=days, start=start, end=end)
    return made, list(made.sessions.order_by("starts_at"))


def enrollment(*, cohort: Cohort, trainee: Trainee, **extra) -> Enrollment:
    return Enrollment.objects.create(
        cohort=cohort,
        trainee=trainee,
        enrolled_by=extra.pop("enrolled_by", None) or _system_user(),
        **extra,
    )


def attendance(*, enrollment: Enrollment, session: Session, status: str, **extra) -> Attendance:
    return Attendance.objects.create(
        enrollment=enrollment,
        session=session,
        status=status,
        source=extra.pop("source", AttendanceSource.ROLL_CALL),
        recorded_by=extra.pop("recorded_by", None) or _system_user(),
        **extra,
    )


# --- Concurrency ------------------------------------------------------------------------------


def in_threads(n: int, work) -> list:
    """Run ``work(i)`` in n threads released together; each thread has its own connection."""
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
