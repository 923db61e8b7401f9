"""Every role × every model holding personal or company data: exactly the expected rows.

The expected sets are written out by hand (not computed with the scope rule), so a leak in the
rule — or a model that skips it — fails here.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from itda import factories
from itda.accounts.access import PERSONAL_FIELDS
from itda.accounts.models import AccountLockout, PersonalDataAccess, User
from itda.evaluation.models import Assignment, ConflictOfInterest, Evaluator, EvaluatorRelation
from itda.internships.models import (
    Internship,
    Mentor,
    OjtReport,
    Placement,
    Position,
    StartWave,
)
from itda.matching.models import CompanyRanking, Interview, MatchRound, TraineeChoice
from itda.payments.models import AllowanceLine, BatchLine, PaymentBatch, Statement
from itda.payments.services import allowance_compute, allowance_rule_create
from itda.programs.models import Company, Trainee, TraineeRegionChange, Venue
from itda.recruitment.models import Application
from itda.training.models import (
    Attendance,
    AttendanceCorrection,
    BookingKind,
    Certificate,
    EmployeeNomination,
    Enrollment,
    RoomBooking,
)

# Public reference data that happens to have such a field (a venue's street address).
PUBLIC_REFERENCE = {Venue}
SCOPED_MODELS = {
    User,
    Company,
    Trainee,
    Evaluator,
    PersonalDataAccess,
    AccountLockout,
    Application,
    EvaluatorRelation,
    # Records about a person that reach their personal data through a foreign key.
    Enrollment,
    Attendance,
    AttendanceCorrection,
    Certificate,
    # A company's meeting request and its positions (company data), a trainee's placement.
    RoomBooking,
    Position,
    Placement,
    # A placement's agreement (it names the intern) and a company's mentor account.
    Internship,
    Mentor,
    # An OJT internship's monthly log and mentor report (attendance and ratings of the intern).
    OjtReport,
    TraineeChoice,
    CompanyRanking,
    Interview,
    AllowanceLine,
    # A payment statement names its payee (a trainee or a company) and the amount.
    Statement,
    # A payment batch (a group's or the national one) and its lines (the payee's account).
    PaymentBatch,
    BatchLine,
    TraineeRegionChange,
    # A company's nomination of an employee for a 재직자 course (personal data of the employee).
    EmployeeNomination,
}
# A row pointing at one of these is a record about that person and must be scoped.
PERSON_RECORDS = {Trainee, Enrollment}
ROLES = ["admin", "seoul_staff", "busan_staff", "viewer", "evaluator", "company", "trainee"]


@pytest.fixture
def world(cast, regions):
    busan, gyeonggi = regions["busan"], regions["gyeonggi"]
    w = {
        "company.own": Company.objects.get(managers=cast["company"]),
        "company.busan": factories.CompanyFactory(region=busan),
        "company.gyeonggi": factories.CompanyFactory(region=gyeonggi),
        "trainee.own": Trainee.objects.get(user=cast["trainee"]),
        "trainee.busan": factories.TraineeFactory(region=busan),
        "trainee.gyeonggi": factories.TraineeFactory(region=gyeonggi),
        "evaluator.own": Evaluator.objects.get(user=cast["evaluator"]),
        "evaluator.busan": factories.EvaluatorFactory(region=busan),
        "log.one": PersonalDataAccess.objects.create(
            actor=cast["admin"],
            actor_username="admin",
            ip_address="127.0.0.1",
            action="view",
            subject_type="programs.trainee",
            subject_ids=[1],
            path="/x",
        ),
        "lockout.one": AccountLockout.objects.create(
            user=cast["trainee"], until=timezone.now(), failures=10, ip_address="127.0.0.1"
        ),
    }
    w.update({f"user.{name}": user for name, user in cast.items()})
    company_call = factories.call(programme=regions["programme"])
    trainee_call = factories.call(
        programme=regions["programme"], kind="trainee", track=regions["track"]
    )
    w["application.own_company"] = factories.application(
        call=company_call, company=w["company.own"]
    )
    w["application.busan_company"] = factories.application(
        call=company_call, company=w["company.busan"]
    )
    w["application.own_trainee"] = factories.application(
        call=trainee_call, trainee=w["trainee.own"]
    )
    w["application.assigned"] = factories.application(
        call=company_call, company=w["company.gyeonggi"]
    )
    w["company.gyeonggi2"] = factories.CompanyFactory(region=gyeonggi)
    w["application.conflicted"] = factories.application(
        call=company_call, company=w["company.gyeonggi2"]
    )
    group_call = factories.call(programme=regions["programme"], kind="operating_group")
    w["application.own_org"] = Application.objects.create(
        call=group_call,
        applicant_key="org:test",
        organisation_name="테스트혁신센터",
        region=regions["seoul"],
        created_by=cast["company"],
    )
    for key in ("application.assigned", "application.conflicted"):
        Assignment.objects.create(application=w[key], evaluator=w["evaluator.own"])
    ConflictOfInterest.objects.create(
        application=w["application.conflicted"], evaluator=w["evaluator.own"], source="declared"
    )
    w["relation.own"] = EvaluatorRelation.objects.create(
        evaluator=w["evaluator.own"], kind="employment", organisation_name="테스트정밀"
    )
    w["relation.busan"] = EvaluatorRelation.objects.create(
        evaluator=w["evaluator.busan"], kind="family", business_number="1234567890"
    )
    w.update(_training_world(w, cast, regions))
    return w


def _training_world(w, cast, regions):
    t = {}
    day = [datetime.date(2026, 7, 1)]
    for key, group, trainee in (
        ("own", regions["capital_group"], w["trainee.own"]),
        ("busan", regions["dongnam_group"], w["trainee.busan"]),
    ):
        cohort = factories.cohort(group=group, track=regions["track"], code=f"C-{key}")
        (session,) = factories.sessions(cohort=cohort, days=day)
        t[f"enrollment.{key}"] = enrollment = factories.enrollment(cohort=cohort, trainee=trainee)
        t[f"attendance.{key}"] = factories.attendance(
            enrollment=enrollment, session=session, status="late"
        )
        t[f"correction.{key}"] = AttendanceCorrection.objects.create(
            enrollment=enrollment,
            session=session,
            status_before="late",
            requested_status="present",
            reason="system",
            explanation="QR 오류",
            requested_by=cast["admin"],
        )
        t[f"certificate.{key}"] = Certificate.objects.create(
            enrollment=enrollment,
            serial=f"TEST-{key}",
            verification_code=f"code-{key}",
            issued_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
            attendance_rate="1.0000",
        )
    allowance_rule_create(
        programme=regions["programme"],
        effective_from=day[0],
        amount_krw=400_000,
        full_rate="0.800",
        note="test",
    )
    allowance_compute(as_of=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC))
    for key in ("own", "busan"):
        t[f"allowance.{key}"] = AllowanceLine.objects.get(enrollment=t[f"enrollment.{key}"])
    span = (
        datetime.datetime(2026, 7, 2, 10, tzinfo=datetime.UTC),
        datetime.datetime(2026, 7, 2, 11, tzinfo=datetime.UTC),
    )
    for key, region, company in (
        ("own_company", regions["seoul"], w["company.own"]),
        ("busan", regions["busan"], None),
    ):
        t[f"booking.{key}"] = RoomBooking.objects.create(
            room=factories.room(region=region, venue_name=f"교육장 {key}"),
            during=span,
            kind=BookingKind.MEETING,
            purpose="기업 상담",
            company=company,
            requested_by=cast["company"] if company else cast["busan_staff"],
        )
    for key, group, company in (
        ("own", regions["capital_group"], w["company.own"]),
        ("busan", regions["dongnam_group"], w["company.busan"]),
    ):
        t[f"nomination.{key}"] = EmployeeNomination.objects.create(
            cohort=factories.employee_cohort(group=group),
            company=company,
            name="정재직",
            phone=f"010-7777-{len(t):04d}",
            birth_date=datetime.date(1990, 4, 5),
            nominated_by=cast["admin"],
        )
    for key, company, trainee in (
        ("own", w["company.own"], w["trainee.own"]),
        ("busan", w["company.busan"], w["trainee.busan"]),
    ):
        t[f"position.{key}"] = position = Position.objects.create(
            company=company,
            track=regions["track"],
            title="설비 운영 인턴",
            duties="-",
            seats=1,
            region=company.region,
            site_address="-",
            mentor_name="김멘토",
            created_by=cast["admin"],
        )
        t[f"placement.{key}"] = Placement.objects.create(
            trainee=trainee, position=position, origin="test", created_by=cast["admin"]
        )
        t[f"mentor.{key}"] = Mentor.objects.create(
            user=factories.user(username=f"mentor_{key}", role="mentor"),
            company=company,
            name="김멘토",
            created_by=cast["admin"],
        )
        t[f"internship.{key}"] = Internship.objects.create(
            placement=t[f"placement.{key}"],
            programme=regions["programme"],
            wave=StartWave.objects.get_or_create(
                programme=regions["programme"],
                label="8월 1차",
                first_start=datetime.date(2026, 8, 3),
                last_start=datetime.date(2026, 8, 14),
                created_by=cast["admin"],
            )[0],
            starts_on=datetime.date(2026, 8, 3),
            ends_on=datetime.date(2026, 10, 31),
            workplace="-",
            mentor=t[f"mentor.{key}"],
            payee="intern",
            proposed_by=cast["admin"],
        )
        t[f"ojt.{key}"] = OjtReport.objects.create(
            internship=t[f"internship.{key}"],
            month=datetime.date(2026, 8, 1),
            kind="log",
            tasks="설비 점검",
            written_by=cast["admin"],
        )
    round_ = MatchRound.objects.create(
        programme=regions["programme"],
        title="전국 연계",
        status="open",
        trainee_deadline=span[0],
        company_deadline=span[1],
        created_by=cast["admin"],
    )
    for key in ("own", "busan"):
        pair = {"round": round_, "position": t[f"position.{key}"], "trainee": w[f"trainee.{key}"]}
        t[f"choice.{key}"] = TraineeChoice.objects.create(rank=1, **pair)
        t[f"ranking.{key}"] = CompanyRanking.objects.create(rank=1, **pair)
        t[f"interview.{key}"] = Interview.objects.create(
            scheduled_at=span[0], place="본사", created_by=cast["admin"], **pair
        )
    t.update(_payment_world(w, cast, regions))
    return t


def _payment_world(w, cast, regions):
    """Statements of a Seoul trainee, a Busan trainee and the own company; a batch of each
    group, and the national batch holding the company's line."""
    p = {}
    month = datetime.date(2026, 8, 1)
    for key, group, payee in (
        ("own", regions["capital_group"], {"trainee": w["trainee.own"]}),
        ("busan", regions["dongnam_group"], {"trainee": w["trainee.busan"]}),
        ("company", regions["capital_group"], {"company": w["company.own"]}),
    ):
        p[f"statement.{key}"] = Statement.objects.create(
            programme=regions["programme"],
            kind="internship_allowance",
            period_start=month,
            period_end=datetime.date(2026, 9, 1),
            operating_group=group,
            amount_krw=2_000_000,
            arithmetic={},
            rule_version="test",
            state="in_batch",
            computed_at=timezone.now(),
            **payee,
        )
    for key, group in (
        ("own", regions["capital_group"]),
        ("busan", regions["dongnam_group"]),
        ("national", None),
    ):
        p[f"batch.{key}"] = PaymentBatch.objects.create(
            programme=regions["programme"],
            operating_group=group,
            month=month,
            kind="internship_allowance",
            maker=cast["admin"],
        )
    for key, batch in (("own", "own"), ("busan", "busan"), ("company", "national")):
        p[f"line.{key}"] = BatchLine.objects.create(
            batch=p[f"batch.{batch}"],
            statement=p[f"statement.{key}"],
            amount_krw=2_000_000,
            bank_name="테스트은행",
            bank_account="110-999-123456",
        )
    return p


CAPITAL = {
    "company.own",
    "company.gyeonggi",
    "company.gyeonggi2",
    "trainee.own",
    "trainee.gyeonggi",
    "evaluator.own",
    "application.own_company",
    "application.own_trainee",
    "application.assigned",
    "application.conflicted",
    "application.own_org",
    "booking.own_company",
    "position.own",
    "ranking.own",
    "nomination.own",
    "mentor.own",
    # The group's batch and the national one (a header: its lines are scoped one by one).
    "batch.own",
    "batch.national",
    "statement.company",
    "line.company",
}
OWN_TRAINING = {
    "enrollment.own",
    "attendance.own",
    "correction.own",
    "certificate.own",
    "allowance.own",
    "placement.own",
    "internship.own",
    "ojt.own",
    "choice.own",
    "interview.own",
    "statement.own",
    "line.own",
}
BUSAN = {
    "company.busan",
    "trainee.busan",
    "evaluator.busan",
    "application.busan_company",
    "enrollment.busan",
    "attendance.busan",
    "correction.busan",
    "certificate.busan",
    "allowance.busan",
    "booking.busan",
    "nomination.busan",
    "position.busan",
    "placement.busan",
    "internship.busan",
    "ojt.busan",
    "mentor.busan",
    "choice.busan",
    "ranking.busan",
    "interview.busan",
    "statement.busan",
    "line.busan",
    "batch.busan",
    "batch.national",
}
EXPECTED = {
    "admin": None,  # everything
    "seoul_staff": CAPITAL | OWN_TRAINING | {"user.seoul_staff"},
    "busan_staff": BUSAN | {"user.busan_staff"},
    "viewer": set(),
    # Assigned, not conflicted: the conflicted application stays closed although assigned.
    "evaluator": {"evaluator.own", "user.evaluator", "application.assigned", "relation.own"},
    # A company manager also sees what they filed for an organisation (no company on it).
    "company": {
        "company.own",
        "user.company",
        "application.own_company",
        "application.own_org",
        "booking.own_company",
        "nomination.own",
        "position.own",
        "placement.own",
        "internship.own",
        "ojt.own",
        "mentor.own",
        "choice.own",
        "ranking.own",
        "interview.own",
        "statement.company",
        "line.company",
    },
    "trainee": {"trainee.own", "user.trainee", "application.own_trainee"} | OWN_TRAINING,
}


def test_every_model_with_personal_data_is_scoped():
    holding = set()
    for model in apps.get_models():
        if model.__module__.startswith("itda.") and not model._meta.label.endswith("Event"):
            names = {f.name for f in model._meta.get_fields()}
            if names & PERSONAL_FIELDS and model not in PUBLIC_REFERENCE:
                holding.add(model)
            points_at_person = any(
                f.concrete and f.is_relation and f.related_model in PERSON_RECORDS
                for f in model._meta.get_fields()
            )
            if points_at_person:
                holding.add(model)
    assert holding <= SCOPED_MODELS, holding - SCOPED_MODELS
    for model in SCOPED_MODELS:
        assert hasattr(model.objects, "visible_to") and hasattr(model, "scope"), model


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", sorted(SCOPED_MODELS, key=lambda m: m.__name__))
def test_matrix_cell(world, cast, role, model):
    user = cast[role]
    visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
    mine = {key for key, obj in world.items() if isinstance(obj, model)}
    expected_keys = mine if EXPECTED[role] is None else mine & EXPECTED[role]
    expected = {world[key].pk for key in expected_keys}
    if EXPECTED[role] is None:
        expected = set(model.objects.values_list("pk", flat=True))
    assert visible == expected, f"{role} × {model.__name__}"


DETAIL_URLS = {
    "company": "/registry/companies/{}/",
    "trainee": "/registry/trainees/{}/",
    "application": "/applications/{}/",
    "certificate": "/certificates/{}/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_detail_pages_follow_the_matrix(world, cast, login_as, role):
    client = login_as(cast[role], Client())
    for key, obj in world.items():
        kind = key.split(".")[0]
        if kind not in DETAIL_URLS:
            continue
        response = client.get(DETAIL_URLS[kind].format(obj.pk))
        allowed = EXPECTED[role] is None or key in EXPECTED[role]
        if allowed:
            assert response.status_code == 200, (role, key)
        else:
            assert response.status_code in (403, 404), (role, key)
            body = response.content.decode()
            assert getattr(obj, "phone", "@@") not in body
            named = kind not in ("application", "certificate")
            assert obj.name not in body if named else str(obj) not in body


@pytest.mark.django_db
def test_other_region_answers_exactly_like_a_missing_record(world, cast, login_as):
    client = login_as(cast["busan_staff"], Client())
    other_region = client.get(f"/registry/trainees/{world['trainee.own'].pk}/")
    missing = client.get("/registry/trainees/987654321/")
    assert other_region.status_code == missing.status_code == 404

    def without_csrf(response):  # the masked CSRF token differs on every render
        return re.sub(
            rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', b"", response.content
        )

    assert without_csrf(other_region) == without_csrf(missing)


# Staff training pages: operator and group staff (their own group's venues only); companies
# have their own Business Zone page; everyone else is refused.
TRAINING_PAGES = {
    "/training/courses/": {"admin": 200, "seoul_staff": 200, "busan_staff": 200},
    "/training/venues/": {"admin": 200, "seoul_staff": 200, "busan_staff": 200},
    "venue.own_company": {"admin": 200, "seoul_staff": 200, "busan_staff": 404},
    "/training/meetings/": {"company": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_training_pages_follow_the_matrix(world, cast, login_as, role):
    client = login_as(cast[role], Client())
    for page, allowed in TRAINING_PAGES.items():
        url = page
        if page.startswith("venue."):
            url = f"/training/venues/{world['booking.' + page.split('.')[1]].room.venue_id}/"
        response = client.get(url)
        assert response.status_code == allowed.get(role, 403), (role, url)
        body = response.content.decode()
        # A booking's venue (each booking here has its own) shows only to those who see it,
        # and the lists of venues and of one's meetings show all of those.
        bookings = {"booking.own_company", "booking.busan"}
        shown = {key for key in bookings if f"교육장 {key[8:]}" in body}
        expected = bookings if EXPECTED[role] is None else bookings & EXPECTED[role]
        assert shown <= expected, (role, url, shown)
        if page in ("/training/venues/", "/training/meetings/") and response.status_code == 200:
            assert shown == expected, (role, url, shown)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_cohort_rosters_follow_the_matrix(world, cast, login_as, role):
    """A roster is a staff page: the operator and the staff of the cohort's group see it (masked);
    another group's staff get 404 and every other role 403, even for their own enrolment."""
    from itda.lib.masking import mask_name

    client = login_as(cast[role], Client())
    for key in ("enrollment.own", "enrollment.busan"):
        enrollment = world[key]
        response = client.get(f"/training/cohorts/{enrollment.cohort_id}/roster/")
        name = enrollment.trainee.name
        if EXPECTED[role] is None or (role.endswith("_staff") and key in EXPECTED[role]):
            assert response.status_code == 200, (role, key)
            assert mask_name(name) in response.content.decode()
        else:
            assert response.status_code == (404 if role.endswith("_staff") else 403), (role, key)
        assert name not in response.content.decode()


# Round pages: staff who follow the round (a national one: every group's staff); only the
# operator runs a national round.
ROUND_PAGES = {
    "/rounds/{}/": {"admin", "seoul_staff", "busan_staff"},
    "/rounds/{}/dry-run/": {"admin"},
    "/rounds/{}/input.json": {"admin", "seoul_staff", "busan_staff"},
    "/trainee/rounds/{}/result/": set(),  # not published yet
    "/company/rounds/{}/result/": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_round_pages_and_api_follow_the_matrix(world, cast, login_as, role):
    round_ = world["choice.own"].round
    client = login_as(cast[role], Client())
    for url, allowed in ROUND_PAGES.items():
        status = client.get(url.format(round_.pk)).status_code
        assert (status == 200) == (role in allowed), (role, url, status)
    response = client.get(f"/api/v1/rounds/{round_.pk}/rankings")
    if role in ("viewer", "evaluator"):
        assert response.status_code == 403, role
        return
    body = response.json()
    for kind, prefix in (("choices", "choice."), ("rankings", "ranking.")):
        keys = {key for key in world if key.startswith(prefix)}
        if EXPECTED[role] is not None:
            keys &= EXPECTED[role]
        expected = {(world[k].trainee_id, world[k].position_id) for k in keys}
        assert {(r["trainee_id"], r["position_id"]) for r in body[kind]} == expected, (role, kind)


# Attendance pages for staff: a session's QR screen and roll-call, a correction request. Who runs
# the session's group opens them; another region gets 404; roles without staff pages get 403.
STAFF_PAGES = {
    "session": ["/training/sessions/{}/roll-call/", "/training/sessions/{}/qr/"],
    "correction": ["/training/corrections/{}/"],
}
STAFF_PAGE_STATUS = {
    "admin": {"own": 200, "busan": 200},
    "seoul_staff": {"own": 200, "busan": 404},
    "busan_staff": {"own": 404, "busan": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_attendance_staff_pages_follow_the_matrix(world, cast, login_as, role):
    client = login_as(cast[role], Client())
    for key in ("own", "busan"):
        targets = {
            "session": world[f"attendance.{key}"].session_id,
            "correction": world[f"correction.{key}"].pk,
        }
        expected = STAFF_PAGE_STATUS.get(role, {}).get(key, 403)
        for kind, urls in STAFF_PAGES.items():
            for url in urls:
                response = client.get(url.format(targets[kind]))
                assert response.status_code == expected, (role, key, url)
                if expected != 200:
                    assert world[f"trainee.{key}"].name not in response.content.decode()
