"""Every URL of the site, swept: side B may not reach side A's things.

The URL list comes from the resolver itself (the admin and the ninja API included) and every
pattern must have a row in ``SWEEP``: a new page without a row fails ``test_every_url_is_swept``.
Each row fills the pattern's parameters with objects of side A (region 서울 / 수도권 사업단,
company A, trainee A, evaluator A) and names who on side A opens it, so the fill is real. Every
role of side B (부산 staff, another company's manager, another trainee, another evaluator, the
ministry viewer) then gets a 404 — or a 403 where the role never sees that kind of thing, or a 405
for the wrong method — on GET and on POST, never sees side A's names, and the database is
unchanged afterwards (every table's row count, pghistory's event tables included, so an update
shows too). Visitors who have not signed in, and staff who gave only the password, are sent to
the login step they miss (the API answers 401). Public pages are rows too: there only "no
change, no side-A name, no 500" is checked.

A hole found by the sweep is fixed, not marked: every row passes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from itda import factories
from itda.accounts.models import AccountLockout, ApiToken, PersonalDataAccess
from itda.accounts.roles import Role
from itda.api.api import api
from itda.evaluation import services as evaluation
from itda.evaluation.models import Assignment, ConflictOfInterest, Criterion, Scheme
from itda.internships.models import (
    Deliverable,
    HiringOutcome,
    Internship,
    Mentor,
    Milestone,
    OjtReport,
    Placement,
    Position,
    ProblemStatementVersion,
    StartWave,
)
from itda.matching.models import MatchRound
from itda.notifications.models import Kind, Notification
from itda.payments.batches import batch_draft
from itda.payments.tests.money_world import AUGUST, internship_record, statement
from itda.programs.models import (
    KeyTask,
    OriginKind,
    PlacementKind,
    RuleOrigin,
    SubProject,
    Track,
    TransformationPlan,
)
from itda.recruitment.models import ApplicationDocument, DocumentRequirement, ImportJob
from itda.recruitment.services import screening_run
from itda.training.models import (
    AttendanceCorrection,
    BookingKind,
    Certificate,
    EmployeeNomination,
    Module,
    RoomBooking,
)

SIDE_B = ["busan_staff", "company_b", "trainee_b", "evaluator_b", "viewer", "mentor_b"]
STAFF, COMPANY, TRAINEE, EVALUATOR = "busan_staff", "company_b", "trainee_b", "evaluator_b"
MENTOR = "mentor_b"  # a mentor of company B
# Who has not signed in, and a staff member who gave only the password: sent to the login step
# they miss (the API answers 401 instead).
ANONYMOUS, PASSWORD_ONLY = "anonymous", "busan_staff_password_only"
TO_LOGIN = {ANONYMOUS: "/accounts/login/", PASSWORD_ONLY: "/accounts/otp/"}
# Tables whose rows a refused request may still write: the session, the 접속기록 of a denied
# look (a "denied" row is the point of it), django-axes' login log.
LOG_TABLES = {
    "django_session",
    "accounts_personaldataaccess",
    "axes_accesslog",
    "axes_accessattempt",
    "axes_accessfailurelog",
}


# --- the world ---------------------------------------------------------------------------------


def _user(username, role, group=None):
    user = factories.user(username=username, role=role)
    if group is not None:
        group.staff.add(user)
    return user


def _build_world() -> dict:
    """Side A's things and both sides' people."""
    r = factories.reference_world()
    seoul, busan, capital = r["seoul"], r["busan"], r["capital_group"]
    now = timezone.now()
    w: dict = {"regions": r}
    people = {
        "admin": _user("admin", Role.OPERATOR),
        "seoul_staff": _user("seoul_staff", Role.GROUP_STAFF, capital),
        "company": _user("company", Role.COMPANY),
        "trainee": _user("trainee", Role.TRAINEE),
        "evaluator": _user("evaluator", Role.EVALUATOR),
        STAFF: _user(STAFF, Role.GROUP_STAFF, r["dongnam_group"]),
        COMPANY: _user(COMPANY, Role.COMPANY),
        TRAINEE: _user(TRAINEE, Role.TRAINEE),
        EVALUATOR: _user(EVALUATOR, Role.EVALUATOR),
        "viewer": _user("viewer", Role.VIEWER),
        "mentor": _user("mentor", Role.MENTOR),
        MENTOR: _user(MENTOR, Role.MENTOR),
    }
    w["people"] = people
    w["rule_origin"] = RuleOrigin.objects.create(
        key="test.cutoff", label="최저 점수", kind=OriginKind.DEFAULT, precedent="시험용"
    )
    w["company"] = factories.CompanyFactory(region=seoul, name="가나정밀A")
    w["company"].managers.add(people["company"])
    company_b = factories.CompanyFactory(region=busan, name="부산정밀B")
    company_b.managers.add(people[COMPANY])
    Mentor.objects.create(
        user=people[MENTOR], company=company_b, name="박멘토B", created_by=people[COMPANY]
    )
    w["trainee"] = factories.TraineeFactory(
        user=people["trainee"],
        region=seoul,
        name="김가람A",
        phone="010-5555-0001",
        email="garam.a@example.kr",
    )
    factories.TraineeFactory(user=people[TRAINEE], region=busan, name="박부산B")
    w["evaluator"] = factories.EvaluatorFactory(
        user=people["evaluator"], region=seoul, name="이평가A"
    )
    factories.EvaluatorFactory(user=people[EVALUATOR], region=busan)
    w["token"] = ApiToken.objects.create(
        user=people["seoul_staff"], name="A", digest="a" * 64, prefix="itda_aaa"
    )
    w["notification"] = Notification.objects.create(
        recipient=people["trainee"],
        kind=Kind.RESULT,
        key="sweep",
        subject="[잇다] 김가람A님의 선정 결과 안내",
        body="선정 결과가 공개되었습니다.",
        link="/applications/",
    )

    # Recruitment: a company call and a trainee call run by 수도권 사업단.
    call = factories.call(programme=r["programme"], operating_group=capital, title="수도권 기업")
    w["call"] = call
    w["trainee_call"] = factories.call(
        programme=r["programme"], kind="trainee", track=r["track"], operating_group=capital
    )
    w["application"] = factories.application(call=call, company=w["company"])
    w["trainee_application"] = factories.application(call=w["trainee_call"], trainee=w["trainee"])
    w["requirement"] = DocumentRequirement.objects.create(
        call=call, name="사업자등록증", allowed_kinds=["pdf"]
    )
    w["document"] = ApplicationDocument(
        application=w["application"],
        requirement=w["requirement"],
        original_name="a.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
    )
    w["document"].file.save("a.pdf", ContentFile(b"%PDF"), save=True)

    # Evaluation of the company call (closed): a panel of evaluator A, a published ranking,
    # company A's appeal — through the services, so every page finds what it expects.
    call.opens_at, call.closes_at = now - datetime.timedelta(days=30), now - datetime.timedelta(1)
    call.save(update_fields=["opens_at", "closes_at"])
    scheme = Scheme.objects.create(
        call=call, name="평가표", method="mean", evaluators_per_application=1, total_seats=1
    )
    Criterion.objects.create(scheme=scheme, code="c", name="역량", weight=100, max_points=100)
    screening_run(call=call, actor=people["admin"])
    w["panel"] = evaluation.panel_set(call=call, members=[w["evaluator"]], chair=w["evaluator"])
    evaluation.assignment_run(call=call)
    w["assignment"] = Assignment.objects.get(application=w["application"])
    # Evaluator A declared a conflict with the trainee call's application (withdrawable).
    w["conflict"] = ConflictOfInterest.objects.create(
        evaluator=w["evaluator"], application=w["trainee_application"], source="declared"
    )
    evaluation.sheet_save(
        assignment=w["assignment"], points={"c": Decimal(80)}, comments={}, submit=True
    )
    evaluation.panel_close(panel=w["panel"], actor=people["evaluator"])
    ranking = evaluation.ranking_compute(call=call, actor=people["admin"])
    evaluation.ranking_confirm(ranking=ranking, actor=people["admin"])
    w["ranking"] = evaluation.ranking_publish(ranking=ranking, actor=people["admin"])
    w["appeal"] = evaluation.appeal_file(
        application=w["application"],
        actor=people["company"],
        reason="평가 결과를 다시 살펴봐 주세요.",
    )

    # Training: a course, cohort, session and venue of 수도권 사업단, trainee A enrolled.
    cohort = factories.cohort(group=capital, track=r["track"], code="A-COURSE")
    w["cohort"], w["course"] = cohort, cohort.course
    w["module"] = Module.objects.create(course=cohort.course, order=1, title="기초", hours=8)
    (w["session"],) = factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, 1)])
    w["enrollment"] = factories.enrollment(cohort=cohort, trainee=w["trainee"])
    factories.attendance(enrollment=w["enrollment"], session=w["session"], status="late")
    w["correction"] = AttendanceCorrection.objects.create(
        enrollment=w["enrollment"],
        session=w["session"],
        status_before="late",
        requested_status="present",
        reason="system",
        explanation="QR 오류",
        requested_by=people["trainee"],
    )
    w["certificate"] = Certificate.objects.create(
        enrollment=w["enrollment"],
        serial="A-0001",
        verification_code="code-a",
        issued_at=now,
        attendance_rate=Decimal("1.0000"),
    )
    # 재직자 추천: company A nominates an employee for a 재직자 cohort of 수도권 사업단.
    w["company"].smart_factory_level = "intermediate1"
    w["company"].save(update_fields=["smart_factory_level"])
    w["nomination"] = EmployeeNomination.objects.create(
        cohort=factories.employee_cohort(group=capital),
        company=w["company"],
        name="정재직A",
        phone="010-5555-0002",
        birth_date=datetime.date(1990, 4, 5),
        nominated_by=people["company"],
    )
    room = factories.room(region=seoul, venue_name="서울 교육장A")
    w["venue"] = room.venue
    w["booking"] = RoomBooking.objects.create(
        room=room,
        during=(now + datetime.timedelta(days=3), now + datetime.timedelta(days=3, hours=1)),
        kind=BookingKind.MEETING,
        purpose="기업 상담",
        company=w["company"],
        requested_by=people["company"],
    )

    # Internships and matching: company A's position in a round of 수도권 사업단.
    w["position"] = Position.objects.create(
        company=w["company"],
        track=r["track"],
        title="설비 운영 인턴A",
        duties="-",
        seats=2,  # one taken by the placement below, one open in the round
        region=seoul,
        site_address="-",
        mentor_name="김멘토",
        created_by=people["company"],
        status="published",
    )
    w["round"] = MatchRound.objects.create(
        programme=r["programme"],
        operating_group=capital,
        title="수도권 연계",
        status="open",
        trainee_deadline=now + datetime.timedelta(days=7),
        company_deadline=now + datetime.timedelta(days=14),
        created_by=people["admin"],
    )
    # An intern placed by an earlier round of 수도권 사업단 (not trainee A, who is still to
    # rank in the open round), the agreement and company A's mentor.
    w["placement"] = Placement.objects.create(
        trainee=factories.TraineeFactory(region=seoul, name="이인턴A"),
        position=w["position"],
        origin="match-round:0 match-run:0 (test)",
        operating_group=capital,
        created_by=people["admin"],
        state="started",
    )
    wave = StartWave.objects.create(
        programme=r["programme"],
        label="2026년 8월 1차",
        first_start=datetime.date(2026, 8, 3),
        last_start=datetime.date(2026, 8, 14),
        created_by=people["admin"],
    )
    w["internship"] = Internship.objects.create(
        placement=w["placement"],
        programme=r["programme"],
        wave=wave,
        starts_on=datetime.date(2026, 8, 3),
        ends_on=datetime.date(2026, 10, 31),
        workplace="서울 구로구",
        mentor=Mentor.objects.create(
            user=people["mentor"],
            company=w["company"],
            name="김멘토A",
            created_by=people["company"],
        ),
        payee="intern",
        proposed_by=people["seoul_staff"],
        # Agreed, so its OJT monthly reports are open (the agreement rows' owners only read).
        state="active",
    )
    # August's mentor report, filed by mentor A and waiting for 수도권 사업단's review.
    w["ojt_report"] = OjtReport.objects.create(
        internship=w["internship"],
        month=datetime.date(2026, 8, 1),
        kind="mentor",
        state="submitted",
        attendance_days=19,
        comment="성실함",
        written_by=people["mentor"],
    )
    _pbl_world(w, people, wave)
    # Its hiring outcome at the end, as staff would have recorded it.
    w["outcome"] = HiringOutcome.objects.create(
        internship=w["internship"],
        checkpoint="end",
        kind="not_employed",
        reported_by=people["seoul_staff"],
        reported_party="group",
        reported_at=now,
    )
    # Money: trainee A's July training allowance (a draft) and company A's August wage support
    # (paid, so its confirmation PDF exists).
    w["statement"] = statement(group=capital, trainee=w["trainee"])
    w["paid_statement"] = statement(
        group=capital,
        company=w["company"],
        kind="wage_support",
        month=AUGUST,
        state="paid",
        record=internship_record(19, w["internship"].pk),
        actor=people["admin"],
    )
    w["log"] = PersonalDataAccess.objects.create(
        actor=people["seoul_staff"],
        actor_username="seoul_staff",
        ip_address="127.0.0.1",
        action="view",
        subject_type="programs.trainee",
        subject_ids=[w["trainee"].pk],
        path="/x",
    )
    w["import_job"] = ImportJob.objects.create(
        call=w["trainee_call"],
        file_name="job.xlsx",
        original_name="교육생 명단.xlsx",
        created_by=people["seoul_staff"],
    )
    w["lockout"] = AccountLockout.objects.create(
        user=people["company"],
        until=now + datetime.timedelta(minutes=15),
        failures=10,
        ip_address="127.0.0.1",
    )
    w["batch"] = _batch_world(w, people)
    # 산단 대개조: 서울's plan with a sub-project, and a plan call (a round) to register in.
    w["plan"] = TransformationPlan.objects.create(
        region=seoul, round_year=2021, status="preliminary", source_document="시험"
    )
    task = KeyTask.objects.create(plan=w["plan"], name="인력양성")
    w["subproject"] = SubProject.objects.create(key_task=task, name="스마트제조 고급인력 양성")
    w["plan_call"] = factories.call(programme=r["programme"], kind="plan", title="대개조 공모")
    return w


def _batch_world(w, people):
    """A payment batch of 수도권 paying trainee A's approved statement."""
    r = w["regions"]
    statement(
        group=r["capital_group"],
        trainee=w["trainee"],
        kind="internship_allowance",
        month=AUGUST,
        state="approved",
        actor=people["admin"],
    )
    batch, _ = batch_draft(
        programme=r["programme"],
        group=r["capital_group"],
        month=AUGUST,
        kind="internship_allowance",
        actor=people["seoul_staff"],
    )
    return batch


def _pbl_world(w, people, wave) -> None:
    """A Track 2 (PBL) internship of company A in force, mentored by 김멘토A: its problem, a
    milestone handed in and the deliverable's file."""
    r = w["regions"]
    position = Position.objects.create(
        company=w["company"],
        track=Track.objects.create(
            programme=r["programme"],
            code="track2",
            name="Track2 테스트",
            quota=80,
            placement_kind=PlacementKind.PBL,
        ),
        title="AI 과제 인턴A",
        duties="-",
        problem_statement="설비 이상 탐지",
        seats=1,
        region=r["seoul"],
        site_address="-",
        mentor_name="김멘토",
        created_by=people["company"],
        status="published",
    )
    intern = factories.TraineeFactory(
        user=_user("intern_pbl", Role.TRAINEE), region=r["seoul"], name="박피비A"
    )
    w["pbl_internship"] = Internship.objects.create(
        placement=Placement.objects.create(
            trainee=intern,
            position=position,
            origin="match-round:0 match-run:0 (test)",
            operating_group=r["capital_group"],
            created_by=people["admin"],
            state="started",
        ),
        programme=r["programme"],
        wave=wave,
        starts_on=datetime.date(2026, 8, 3),
        ends_on=datetime.date(2026, 10, 31),
        workplace="서울 구로구",
        mentor=Mentor.objects.get(user=people["mentor"]),
        payee="intern",
        proposed_by=people["seoul_staff"],
        state="active",
    )
    ProblemStatementVersion.objects.create(
        internship=w["pbl_internship"],
        version=1,
        title="설비 이상 탐지",
        description="-",
        expected_outcome="-",
        author=people["mentor"],
    )
    w["milestone"] = Milestone.objects.create(
        internship=w["pbl_internship"],
        title="데이터 수집",
        due_on=datetime.date(2026, 9, 1),
        state="submitted",
        created_by=people["mentor"],
    )
    w["deliverable"] = Deliverable(
        milestone=w["milestone"],
        version=1,
        original_name="수집.pdf",
        kind="pdf",
        size=4,
        sha256="1" * 64,
        uploaded_by=intern.user,
    )
    w["deliverable"].file.save("1" * 64, ContentFile(b"%PDF"), save=True)


def _session_for(user, *, second_factor: bool = True) -> str:
    """The key of a session signed in as ``user``, past the second factor where the role needs
    one (the login views are tested in test_login.py; Argon2 per role per row would be slow)."""
    client = Client()
    client.force_login(user)
    if user.needs_second_factor and second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
    assert {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY} <= set(client.session.keys())
    return client.session.session_key


def _client(w, role) -> Client:
    """A fresh client in ``role``'s session: a request that logs out ends only this client (the
    session row itself comes back with the test's rollback)."""
    client = Client()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"][role]
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end; each test's own
    writes are rolled back by the ``db`` fixture's savepoint."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = _build_world()
            w["sessions"] = {name: _session_for(user) for name, user in w["people"].items()}
            w["sessions"][PASSWORD_ONLY] = _session_for(w["people"][STAFF], second_factor=False)
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """How to fill one URL pattern and what side B gets.

    ``owner`` is who on side A opens it (their GET is neither 403 nor 404), None for a
    POST-only URL or a token that cannot be made here. ``peers`` are the side-B roles that see
    this kind of thing when it is theirs: they must get exactly 404 (another's record looks like
    a missing one); everyone else on side B gets 403 or 404.
    """

    fill: object = None  # world -> kwargs
    owner: str | None = "admin"
    peers: frozenset = frozenset()
    public: bool = False  # anyone, signed in or not
    signed_in: bool = False  # anyone signed in (past the second factor)
    marks: tuple = field(default_factory=tuple)
    post: dict = field(default_factory=dict)  # a POST body that gets past form validation
    # Tables a side-B user's request may write for that user alone (their own records).
    own_rows: frozenset = frozenset()

    def kwargs(self, w) -> dict:
        return self.fill(w) if self.fill else {}


def pk(key, name="pk"):
    return lambda w: {name: w[key].pk}


def public(fill=None):
    """Open to everyone (reference pages, the login steps, a certificate's verification)."""
    return Row(fill=fill, owner=None, public=True)


def own(owner):
    """A page without an object: each user sees their own things there (a home, a list,
    a form to create). Side B is not refused; it must not see side A (checked by name)."""
    return Row(owner=owner, signed_in=True)


STAFF_ONLY = frozenset({STAFF})
AGREEMENT_PEERS = frozenset({STAFF, COMPANY, TRAINEE, MENTOR})
REASON = "민원 처리를 위한 본인 확인"

SWEEP: dict[str, Row] = {
    # accounts
    "accounts:login": public(),
    "accounts:otp": public(),
    "accounts:signup": public(),
    "accounts:logout": public(),
    "accounts:home": own("admin"),
    "accounts:access_log": own("admin"),
    "accounts:api_tokens": own("seoul_staff"),
    "accounts:api_token_revoke": Row(pk("token"), owner=None, peers=STAFF_ONLY),
    # Opening the page starts the visitor's own authenticator (an unconfirmed device).
    "accounts:otp_enrol": Row(
        owner="company", signed_in=True, own_rows=frozenset({"otp_totp_totpdevice"})
    ),
    # Each user's own authenticator app; side B's empty POST fails validation.
    "accounts:otp_remove": own("company"),
    "accounts:lockouts": Row(owner="admin"),  # the national operator's
    # 내 정보: each user's own account; side B's empty POSTs fail validation.
    "accounts:profile": own("company"),
    "accounts:password_change": own("company"),
    "accounts:password_reset": public(),
    "accounts:password_reset_sent": public(),
    "accounts:password_reset_confirm": public(lambda w: {"uidb64": "MQ", "token": "a-b"}),
    "accounts:password_reset_complete": public(),
    # 알림함: each user's own; another's notification is a 404 to everyone.
    "notifications:inbox": own("trainee"),
    "notifications:read_all": own("trainee"),
    "notifications:detail": Row(pk("notification"), "trainee", frozenset(SIDE_B)),
    "profile:trainee": own("trainee"),
    "profile:trainee_bank": own("trainee"),
    "profile:companies": own("company"),
    "profile:company_bank": Row(pk("company"), "company", frozenset({COMPANY})),
    "accounts:lockout_release": Row(pk("lockout"), None),
    # the privacy officer's (the national operator's) pages
    "privacy:retention": Row(owner="admin"),
    "privacy:retention_run": Row(owner=None),
    "privacy:access_review": Row(owner="admin"),
    # public reference pages
    "programs:landing": public(),
    "programs:region_list": public(),
    "programs:complex_list": public(),
    "programs:complex_detail": public(lambda w: {"pk": 1}),
    "programs:plan_list": public(),
    "programs:plan_detail": public(lambda w: {"pk": 1}),
    "programs:programme_list": public(),
    "programs:programme_detail": public(lambda w: {"code": "test-programme"}),
    # role homes and registries
    "outcomes:operator_home": own("admin"),
    "outcomes:my_training": own("trainee"),
    # Aggregates: each role sees what its scope allows (side B must not see side A's names).
    "outcomes:kpi_dashboard": own("admin"),
    # Monthly reports hold aggregates: the viewer reads every group's (suppressed), so side B
    # is not refused here; a group reading another's report is a 404 (test_reports).
    "outcome_reports:list": own("admin"),
    "outcome_reports:download": Row(
        lambda w: {
            "code": w["regions"]["programme"].code,
            "month": f"{timezone.localdate():%Y-%m}",
            "scope": w["regions"]["capital_group"].pk,
            "fmt": "xlsx",
        },
        "seoul_staff",
        signed_in=True,
    ),
    "outcome_reports:open_data_csv": public(),
    # The national operator changes a programme's period and payee setting: no one else.
    "outcomes:programme_settings": Row(lambda w: {"code": w["regions"]["programme"].code}),
    "outcomes:group_home": own("seoul_staff"),
    # A trainee's whole story: staff of the region only (another region's trainee is a 404).
    "outcomes:trainee_story": Row(pk("trainee"), "seoul_staff", STAFF_ONLY),
    "outcomes:company_home": own("company"),
    "outcomes:trainee_home": own("trainee"),
    "outcomes:viewer_home": own("viewer"),
    # 산단 대개조: staff read their 시·도's plans; the operator moves them; the viewer reads
    # every plan's counts on the overview only.
    "outcomes:plan_outcomes": Row(pk("plan"), "seoul_staff", STAFF_ONLY),
    "outcomes:plan_overview": own("viewer"),
    "plans:plan_list": own("seoul_staff"),
    "plans:plan_manage": Row(pk("plan"), "seoul_staff", STAFF_ONLY),
    "plans:plan_transition": Row(pk("plan"), None, post={"to": "review"}),
    "plans:progress_add": Row(pk("plan"), None),
    "plans:subproject_edit": Row(pk("subproject"), "admin", post={"status": "confirmed"}),
    "rounds:plan_rounds": Row(owner="admin"),
    "rounds:plan_register": Row(pk("plan_call"), None, post={"region": 1}),
    "registry:company_list": own("seoul_staff"),
    "registry:company_export": own("seoul_staff"),
    "registry:company_detail": Row(pk("company"), "seoul_staff", frozenset({STAFF, COMPANY})),
    "registry:trainee_list": own("seoul_staff"),
    "registry:trainee_export": own("seoul_staff"),
    "registry:trainee_detail": Row(pk("trainee"), "seoul_staff", frozenset({STAFF, TRAINEE})),
    "registry:trainee_region_change": Row(pk("trainee"), None, STAFF_ONLY),
    "registry:company_region_change": Row(pk("company"), None, STAFF_ONLY),
    # The national operator's: where each rule comes from, and recording the official one.
    "registry:rule_origins": Row(owner="admin"),
    "registry:rule_origin_confirm": Row(
        pk("rule_origin"), None, post={"document": "운영지침 제3조", "place": "", "quote": ""}
    ),
    "registry:trainee_reveal": Row(pk("trainee"), None, STAFF_ONLY, post={"reason": REASON}),
    # recruitment
    "recruitment:call_list": public(),
    # A call's notice and its application form are public to everyone who may apply.
    "recruitment:call_detail": public(pk("call")),
    "recruitment:apply": Row(pk("trainee_call"), "trainee", signed_in=True),
    "recruitment:my_applications": own("company"),
    "recruitment:application_detail": Row(
        pk("application"), "company", frozenset({STAFF, COMPANY, EVALUATOR})
    ),
    "recruitment:document_download": Row(
        lambda w: {"pk": w["application"].pk, "document_id": w["document"].pk},
        "company",
        frozenset({STAFF, COMPANY}),
    ),
    # The receipt: its applicant and scoped staff (an evaluator gets a 404); its public check
    # takes a signed token, which a forged one fails (404).
    "recruitment:application_receipt": Row(
        pk("application"), "company", frozenset({STAFF, COMPANY})
    ),
    "recruitment:application_receipt_pdf": Row(
        pk("application"), "company", frozenset({STAFF, COMPANY})
    ),
    "recruitment:receipt_verify": public(lambda w: {"token": "forged"}),
    "recruitment:application_submit": Row(pk("application"), None, frozenset({COMPANY})),
    "recruitment:application_withdraw": Row(pk("application"), None, frozenset({COMPANY})),
    "recruitment:document_upload": Row(
        lambda w: {"pk": w["application"].pk, "requirement_id": w["requirement"].pk},
        None,
        frozenset({COMPANY}),
    ),
    # The operator's, and the staff of the group that runs the call.
    "recruitment:screening_override": Row(pk("application"), None, STAFF_ONLY),
    "recruitment:call_applications": Row(pk("call"), "seoul_staff", STAFF_ONLY),
    "recruitment:call_close_early": Row(pk("call"), None),  # the operator's
    "recruitment:screening_run": Row(pk("call"), None, STAFF_ONLY),
    # Group staff import the lists of their own trainee calls.
    "recruitment_excel:template": Row(pk("trainee_call", "call_id"), "seoul_staff", STAFF_ONLY),
    "recruitment_excel:import": Row(pk("trainee_call", "call_id"), "seoul_staff", STAFF_ONLY),
    "recruitment_excel:import_commit": Row(
        lambda w: {"call_id": w["trainee_call"].pk, "token": "a" * 32}, None, STAFF_ONLY
    ),
    "recruitment_excel:import_job": Row(
        lambda w: {"call_id": w["trainee_call"].pk, "job_id": w["import_job"].pk},
        "seoul_staff",
        STAFF_ONLY,
    ),
    "recruitment_excel:export": Row(pk("trainee_call", "call_id"), "seoul_staff", STAFF_ONLY),
    # evaluation
    "evaluation:evaluator_home": own("evaluator"),
    "evaluation:relation_add": own("evaluator"),
    "evaluation:panel_close": Row(pk("panel"), None, frozenset({EVALUATOR})),
    "evaluation:sheet": Row(pk("assignment"), "evaluator", frozenset({EVALUATOR})),
    "evaluation:conflict_declare": Row(pk("assignment"), None, frozenset({EVALUATOR})),
    "evaluation:conflict_withdraw": Row(pk("conflict"), None, frozenset({EVALUATOR})),
    # The national operator shares the programme's targets among the groups: no one else.
    "rounds:allocations": Row(lambda w: {"code": w["regions"]["programme"].code}),
    # The evaluation round is the national operator's (every other role: 403).
    # A group's own call's round is its staff's (and the operator's).
    "rounds:round_detail": Row(pk("call"), "seoul_staff", STAFF_ONLY),
    "rounds:panel_save": Row(pk("call"), None, STAFF_ONLY),
    "rounds:assign": Row(pk("call"), None, STAFF_ONLY),
    "rounds:rank": Row(pk("call"), None, STAFF_ONLY),
    "rounds:ranking_detail": Row(pk("ranking"), "seoul_staff", STAFF_ONLY),
    "rounds:ranking_export": Row(pk("ranking"), "seoul_staff", STAFF_ONLY),
    "rounds:ranking_confirm": Row(pk("ranking"), None, STAFF_ONLY),
    "rounds:ranking_publish": Row(pk("ranking"), None, STAFF_ONLY),
    # The call editor: the operator's, and a group's own calls' staff.
    "rounds:call_new": own("seoul_staff"),
    "rounds:call_edit": Row(pk("call"), "seoul_staff", STAFF_ONLY),
    "rounds:scheme_edit": Row(pk("call"), "seoul_staff", STAFF_ONLY),
    "rounds:call_preview": Row(pk("call"), "seoul_staff", STAFF_ONLY),
    "rounds:call_publish": Row(pk("call"), None, STAFF_ONLY),
    "rounds:application_result": Row(pk("application"), "company", frozenset({COMPANY})),
    "rounds:appeal_file": Row(pk("application"), None, frozenset({COMPANY})),
    "rounds:appeal_decide": Row(pk("appeal"), None, STAFF_ONLY),
    # training
    "training:course_list": own("seoul_staff"),
    "training:course_create": own("seoul_staff"),
    "training:course_detail": Row(pk("course"), "seoul_staff", STAFF_ONLY),
    "training:course_edit": Row(pk("course"), "seoul_staff", STAFF_ONLY),
    "training:module_add": Row(pk("course"), None, STAFF_ONLY),
    "training:module_delete": Row(pk("module"), None, STAFF_ONLY),
    "training:cohort_create": Row(pk("course", "course_pk"), "seoul_staff", STAFF_ONLY),
    "training:cohort_detail": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "training:cohort_edit": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "training:session_create": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "training:session_edit": Row(pk("session"), "seoul_staff", STAFF_ONLY),
    "training:session_delete": Row(pk("session"), None, STAFF_ONLY),
    "training:venue_list": own("seoul_staff"),
    "training:venue_calendar": Row(pk("venue"), "seoul_staff", STAFF_ONLY),
    "training:venue_book": Row(pk("venue"), None, STAFF_ONLY),
    "training:booking_cancel": Row(pk("booking"), None, STAFF_ONLY),
    "training:booking_decide": Row(
        lambda w: {"pk": w["booking"].pk, "action": "approve"}, None, STAFF_ONLY
    ),
    "training:meeting_list": own("company"),
    "training:meeting_cancel": Row(pk("booking"), None, frozenset({COMPANY})),
    "nominations:company": own("company"),
    "nominations:withdraw": Row(pk("nomination"), None, frozenset({COMPANY})),
    "nominations:review": own("seoul_staff"),
    # The nominee's attendance code: the nominating company or the staff running the cohort.
    "nominations:code_issue": Row(pk("nomination"), None, frozenset({STAFF, COMPANY})),
    "nominations:code_revoke": Row(pk("nomination"), None, frozenset({STAFF, COMPANY})),
    "nominations:decide": Row(
        lambda w: {"pk": w["nomination"].pk, "action": "accept"}, None, STAFF_ONLY
    ),
    "enrolment:cohort_list": own("seoul_staff"),
    "enrolment:roster": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "enrolment:enrol_selected": Row(pk("cohort"), None, STAFF_ONLY),
    "enrolment:enrol_one": Row(pk("cohort"), None, STAFF_ONLY),
    "enrolment:withdraw": Row(pk("enrollment"), None, STAFF_ONLY),
    # The scanned link: its token is the key (a wrong one is 400 for anyone), and a check-in
    # is the enrolled trainee's own (test_attendance).
    "attendance:checkin": public(lambda w: {"pk": w["session"].pk, "token": "a" * 20}),
    "attendance:qr_display": Row(pk("session"), "seoul_staff", STAFF_ONLY),
    "attendance:qr_code": Row(pk("session"), "seoul_staff", STAFF_ONLY),
    "attendance:roll_call": Row(pk("session"), "seoul_staff", STAFF_ONLY),
    "attendance:roll_call_mark": Row(
        lambda w: {"pk": w["session"].pk, "enrollment_id": w["enrollment"].pk}, None, STAFF_ONLY
    ),
    "attendance:correction_request": Row(pk("session"), "trainee", frozenset({TRAINEE})),
    "attendance:cohort_attendance": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "attendance:corrections": own("seoul_staff"),
    "attendance:correction_detail": Row(pk("correction"), "seoul_staff", STAFF_ONLY),
    "attendance:correction_evidence": Row(pk("correction"), None, frozenset({STAFF, TRAINEE})),
    "completion:cohort": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "completion:assessment": Row(pk("cohort"), None, STAFF_ONLY),
    "completion:confirm": Row(pk("cohort"), None, STAFF_ONLY),
    "completion:certificates_issue": Row(pk("cohort"), None, STAFF_ONLY),
    "completion:certificates_progress": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "completion:certificate": Row(pk("certificate"), "trainee", frozenset({STAFF, TRAINEE})),
    "completion:certificate_pdf": Row(pk("certificate"), None, frozenset({STAFF, TRAINEE})),
    "completion:certificate_revoke": Row(pk("certificate"), None, STAFF_ONLY),
    "completion:verify": public(lambda w: {"code": "code-a"}),
    # internships
    "internships:my_positions": own("company"),
    "internships:position_new": own("company"),
    "internships:position_edit": Row(pk("position"), "company", frozenset({COMPANY})),
    "internships:review_queue": own("seoul_staff"),
    "internships:position_detail": Row(pk("position"), "company", frozenset({STAFF, COMPANY})),
    "internships:position_move": Row(
        lambda w: {"pk": w["position"].pk, "action": "approve"}, None, frozenset({STAFF, COMPANY})
    ),
    # internship agreements: the parties of side A; every side-B party gets 404
    "internships:internship_list": own("seoul_staff"),
    "internships:internship_detail": Row(pk("internship"), "company", AGREEMENT_PEERS),
    "internships:internship_accept": Row(pk("internship"), None, AGREEMENT_PEERS),
    "internships:internship_decline": Row(pk("internship"), None, AGREEMENT_PEERS),
    "internships:internship_cancel": Row(pk("internship"), None, AGREEMENT_PEERS),
    "internships:internship_mentor": Row(pk("internship"), None, AGREEMENT_PEERS),
    "internships:internship_terms": Row(pk("internship"), "seoul_staff", STAFF_ONLY),
    "internships:placements_to_propose": own("seoul_staff"),
    "internships:internship_propose": Row(pk("placement"), "seoul_staff", STAFF_ONLY),
    "internships:my_internship": own("trainee"),
    # Track 2 (PBL): the company side plans and reviews, the intern hands in, the group's staff
    # watch; every side-B party gets 404.
    "internships:pbl_page": Row(pk("pbl_internship"), "company", AGREEMENT_PEERS),
    "internships:pbl_problem": Row(pk("pbl_internship"), "company", AGREEMENT_PEERS),
    "internships:pbl_milestone_new": Row(pk("pbl_internship"), "mentor", AGREEMENT_PEERS),
    "internships:pbl_final_review": Row(pk("pbl_internship"), "company", AGREEMENT_PEERS),
    "internships:pbl_milestone_edit": Row(pk("milestone"), "mentor", AGREEMENT_PEERS),
    "internships:pbl_milestone_cancel": Row(
        pk("milestone"), None, AGREEMENT_PEERS, post={"reason": "남의 것"}
    ),
    "internships:pbl_milestone_review": Row(
        pk("milestone"), None, AGREEMENT_PEERS, post={"version": 1, "decision": "accepted"}
    ),
    "internships:pbl_deliverable_download": Row(pk("deliverable"), "seoul_staff", AGREEMENT_PEERS),
    "internships:my_pbl": own("trainee"),
    "internships:pbl_deliverable_upload": Row(pk("milestone"), None, AGREEMENT_PEERS),
    "internships:company_mentors": own("company"),
    "internships:mentor_deactivate": Row(
        lambda w: {"pk": w["internship"].mentor_id}, None, frozenset({COMPANY})
    ),
    # A manager's own interns; mentors and everyone but company managers: 403.
    "internships:company_interns": own("company"),
    # the end and the hiring outcome: the managing group ends, records and verifies; the
    # company confirms its hires; the intern reports a job; files go to the parties only.
    "internships:internship_ending": Row(pk("internship"), "seoul_staff", STAFF_ONLY),
    "internships:internship_complete": Row(pk("internship"), None, STAFF_ONLY),
    "internships:ending_evidence": Row(
        pk("internship"), None, frozenset({STAFF, COMPANY, TRAINEE})
    ),
    "internships:replacements": own("seoul_staff"),
    "internships:outcome_record": Row(pk("internship"), "seoul_staff", STAFF_ONLY),
    "internships:outcome_queue": own("seoul_staff"),
    "internships:outcome_verify": Row(pk("outcome"), None, STAFF_ONLY),
    "internships:outcome_return": Row(pk("outcome"), None, STAFF_ONLY),
    "internships:outcome_contract": Row(pk("outcome"), None, frozenset({STAFF, COMPANY, TRAINEE})),
    "internships:company_hires": own("company"),
    "internships:company_hire": Row(pk("internship"), "company", frozenset({COMPANY})),
    "internships:my_outcome": own("trainee"),
    # The operator's: start waves and the mentor ceiling (everyone else: 403).
    "internships:start_waves": Row(owner="admin"),
    "internships:mentor_ceiling": Row(lambda w: {"pk": w["regions"]["programme"].pk}, None),
    # OJT monthly reports: the internship's parties read them; its mentor (or intern) writes;
    # staff of the managing group review (other roles: 403).
    "internships:ojt_report_edit": Row(
        lambda w: {"pk": w["internship"].pk, "year": 2026, "month": 8, "kind": "mentor"},
        "mentor",
        AGREEMENT_PEERS,
        post={"attendance_days": "19", "comment": "성실함", "submit": "1"},
    ),
    "internships:ojt_report_detail": Row(pk("ojt_report"), "seoul_staff", AGREEMENT_PEERS),
    "internships:ojt_report_review": Row(
        pk("ojt_report"), None, STAFF_ONLY, post={"decision": "approve"}
    ),
    "internships:ojt_review_queue": own("seoul_staff"),
    "internships:mentor_interns": own("mentor"),
    # matching
    "matching:round_list": own("seoul_staff"),
    "matching:round_detail": Row(pk("round"), "seoul_staff", STAFF_ONLY),
    "matching:round_dry_run": Row(pk("round"), "seoul_staff", STAFF_ONLY),
    "matching:round_publish": Row(pk("round"), None, STAFF_ONLY),
    "matching:round_result": Row(pk("round"), None, STAFF_ONLY),
    "matching:round_result_export": Row(pk("round"), None, STAFF_ONLY),
    "matching:round_input_json": Row(pk("round"), "seoul_staff", STAFF_ONLY),
    "matching:round_input_xlsx": Row(pk("round"), "seoul_staff", STAFF_ONLY),
    "matching:trainee_result": Row(pk("round"), None, frozenset({TRAINEE})),
    "matching:company_result": Row(pk("round"), None, frozenset({COMPANY})),
    "matching:trainee_rounds": own("trainee"),
    # Trainees of another group's round: refused (403), like rounds they are not in.
    "matching:round_positions": Row(pk("round"), "trainee"),
    "matching:my_choices": Row(pk("round"), "trainee"),
    "matching:choice_change": Row(pk("round"), None),
    "matching:company_rounds": own("company"),
    "matching:position_applicants": Row(
        lambda w: {"pk": w["round"].pk, "position_pk": w["position"].pk},
        "company",
        frozenset({COMPANY}),
    ),
    "matching:interview_schedule": Row(
        lambda w: {
            "pk": w["round"].pk,
            "position_pk": w["position"].pk,
            "trainee_pk": w["trainee"].pk,
        },
        None,
        frozenset({COMPANY}),
    ),
    "matching:ranking_save": Row(
        lambda w: {"pk": w["round"].pk, "position_pk": w["position"].pk},
        None,
        frozenset({COMPANY}),
    ),
    # payments
    "payments:overview": own("seoul_staff"),
    "payments:my_allowance": own("trainee"),
    "payments:cohort_detail": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "payments:cohort_compute": Row(pk("cohort"), None, STAFF_ONLY),
    "payments:cohort_export": Row(pk("cohort"), "seoul_staff", STAFF_ONLY),
    "payments:correction_decide": Row(pk("correction"), None, STAFF_ONLY),
    # Statements: the payee's own page, the staff list (computing needs a valid form: side B's
    # empty POST changes nothing), one statement to its payee and its group's staff.
    "payments:my_money": own("trainee"),
    "payments:statement_list": own("seoul_staff"),
    "payments:statement_compute": Row(owner=None, signed_in=True),
    "payments:statement_detail": Row(
        pk("statement"), "seoul_staff", frozenset({STAFF, COMPANY, TRAINEE})
    ),
    "payments:statement_approve": Row(pk("statement"), None, STAFF_ONLY),
    "payments:statement_pdf": Row(pk("paid_statement"), None, frozenset({STAFF, COMPANY, TRAINEE})),
    # Totals without persons: the ministry viewer's (and the operator's).
    "payments:money_totals": own("viewer"),
    "payments:batch_list": own("seoul_staff"),
    "payments:batch_new": own("seoul_staff"),
    "payments:batch_detail": Row(pk("batch"), "seoul_staff", STAFF_ONLY),
    "payments:batch_approve": Row(pk("batch"), "seoul_staff", STAFF_ONLY),
    "payments:batch_cancel": Row(pk("batch"), None, STAFF_ONLY),
    "payments:batch_export": Row(pk("batch"), None, STAFF_ONLY),
    "payments:batch_results": Row(pk("batch"), None, STAFF_ONLY),
    "payments:batch_settlement": Row(pk("batch"), None, STAFF_ONLY),
    # The stored transfer file again (POST): the batch's own group only.
    "payments:batch_transfer_file": Row(pk("batch"), None, STAFF_ONLY),
    "payments:clawback_list": own("seoul_staff"),
    # the API (one operation per path; a wrong method answers 405)
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "api:docs-asset": public(lambda w: {"name": "swagger-ui.css"}),
    "api:api-root": public(),
    "api:me": own("seoul_staff"),
    "api:region_list": public(),
    "api:complex_list": public(),
    "api:complex_detail": public(lambda w: {"complex_id": 1}),
    "api:plan_list": public(),
    "api:plan_detail": public(lambda w: {"plan_id": 1}),
    "api:programme_list": public(),
    "api:programme_detail": public(lambda w: {"programme_id": w["regions"]["programme"].pk}),
    "api:venue_list": public(),
    "api:region_stats": public(),
    "api:company_list": own("seoul_staff"),
    "api:company_detail": Row(
        pk("company", "company_id"), "seoul_staff", frozenset({STAFF, COMPANY})
    ),
    "api:trainee_list": own("seoul_staff"),
    "api:trainee_detail": Row(
        pk("trainee", "trainee_id"), "seoul_staff", frozenset({STAFF, TRAINEE})
    ),
    "api:trainee_reveal": Row(
        pk("trainee", "trainee_id"), None, STAFF_ONLY, post={"reason": REASON}
    ),
    "api:call_list": public(),
    "api:call_detail": public(pk("call", "call_id")),
    "api:application_list": own("company"),
    "api:application_detail": Row(
        pk("application", "application_id"), "company", frozenset({STAFF, COMPANY, EVALUATOR})
    ),
    "api:round_list": own("seoul_staff"),
    "api:round_detail": Row(pk("round", "round_id"), "seoul_staff", STAFF_ONLY),
    "api:round_positions": Row(pk("round", "round_id"), "seoul_staff", STAFF_ONLY),
    "api:round_rankings": Row(pk("round", "round_id"), "seoul_staff", STAFF_ONLY),
    "api:round_results": Row(pk("round", "round_id"), None, STAFF_ONLY),
    # Internship agreements: each party of side B gets 404; a role that never makes a move 403.
    "api:internship_list": own("seoul_staff"),
    "api:internship_detail": Row(pk("internship", "internship_id"), "company", AGREEMENT_PEERS),
    "api:internship_accept": Row(
        pk("internship", "internship_id"),
        None,
        frozenset({STAFF, COMPANY, TRAINEE}),
        post={"version": 1},
    ),
    "api:internship_decline": Row(
        pk("internship", "internship_id"),
        None,
        frozenset({COMPANY, TRAINEE}),
        post={"reason": REASON},
    ),
    "api:internship_cancel": Row(
        pk("internship", "internship_id"), None, STAFF_ONLY, post={"reason": REASON}
    ),
    "api:statement_list": own("seoul_staff"),
    "api:statement_detail": Row(
        pk("statement", "statement_id"), "seoul_staff", frozenset({STAFF, COMPANY, TRAINEE})
    ),
    # The pipeline after recruitment (api.routers.pipeline).
    "api:course_list": own("seoul_staff"),
    "api:course_detail": Row(pk("course", "course_id"), "seoul_staff", STAFF_ONLY),
    "api:cohort_list": own("seoul_staff"),
    "api:cohort_detail": Row(pk("cohort", "cohort_id"), "seoul_staff", STAFF_ONLY),
    "api:enrollment_list": own("seoul_staff"),
    "api:enrollment_detail": Row(
        pk("enrollment", "enrollment_id"), "trainee", frozenset({STAFF, TRAINEE})
    ),
    "api:position_list": own("company"),
    "api:position_detail": Row(
        pk("position", "position_id"), "company", frozenset({STAFF, COMPANY})
    ),
    "api:placement_list": own("seoul_staff"),
    "api:placement_detail": Row(
        pk("placement", "placement_id"), "seoul_staff", frozenset({STAFF, COMPANY, TRAINEE})
    ),
    "api:outcome_list": own("seoul_staff"),
    "api:outcome_detail": Row(
        pk("outcome", "outcome_id"), "seoul_staff", frozenset({STAFF, COMPANY, TRAINEE})
    ),
    "api:kpi_list": own("admin"),
    "^v1/(?P<rest>.*)$": public(lambda w: {"rest": "nothing-here"}),
}

# Strings of side A that side B must never see on any page (names of people and companies).
SIDE_A_NAMES = (
    "가나정밀A",
    "김가람A",
    "이평가A",
    "010-5555-0001",
    "garam.a@example.kr",
    "정재직A",
    "010-5555-0002",
    "김멘토A",
    "이인턴A",
    "박피비A",
)


# --- walking the resolver ----------------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, route, pattern) for every pattern the site answers: the URL name with its
    namespace, or the route where the pattern has no name."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, (namespace, p.namespace)))
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            key = f"{namespace}:{p.name or p.pattern}" if namespace else p.name or str(p.pattern)
            yield key, prefix + str(p.pattern), p


def api_operations() -> set[tuple[str, str]]:
    """(method, URL name) of every operation of the ninja API."""
    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                found.update((method, name) for method in operation.methods)
    return found


def _is_admin(key: str) -> bool:
    return key.startswith("admin:")


def test_every_url_is_swept():
    """A new URL pattern (or API operation) needs its row: how to fill it, who may open it."""
    keys = {key for key, _route, _p in url_patterns() if not _is_admin(key)}
    assert keys - SWEEP.keys() == set(), "URL patterns without a row in SWEEP"
    assert SWEEP.keys() - keys == set(), "rows of SWEEP without a URL pattern"
    assert len(keys) >= 163


def test_every_api_operation_is_swept():
    operations = api_operations()
    assert operations, "the API's operations could not be read"
    assert {f"api:{name}" for _method, name in operations} <= SWEEP.keys()
    schema_paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    swept_routes = {route for key, route, _p in url_patterns() if key in SWEEP}
    for path in schema_paths:
        django_route = path.replace("{", "<").replace("}", ">")
        assert django_route.removeprefix("/") in swept_routes, path


# --- the sweep ---------------------------------------------------------------------------------


def _snapshot() -> dict[str, int]:
    """Row count of every table but the log tables (pghistory's event tables included); a
    partitioned table counts once, with its partitions' rows (the 접속기록's months)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
            "AND NOT c.relispartition ORDER BY 1"
        )
        tables = [t for (t,) in cursor.fetchall() if t not in LOG_TABLES]
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i}, count(*) FROM {connection.ops.quote_name(t)}"  # noqa: S608
                for i, t in enumerate(tables)
            )
        )
        return {tables[i]: n for i, n in cursor.fetchall()}


def _route_for(key: str) -> str:
    for k, route, _p in url_patterns():
        if k == key:
            return route
    raise KeyError(key)


def _url(key: str, kwargs: dict) -> str:
    url = "/" + _route_for(key)
    for name, value in kwargs.items():
        converters = ("int", "str", "slug", "path", "")
        for converter in converters:
            url = url.replace(f"<{converter}:{name}>" if converter else f"<{name}>", str(value))
    if "(?P<rest>" in url:
        url = "/api/v1/" + kwargs["rest"]
    assert "<" not in url, url
    return url


def _sweep_params():
    for key, row in sorted(SWEEP.items()):
        yield pytest.param(key, row, id=key, marks=row.marks)


def _request(w, role: str, method: str, url: str, data: dict):
    client = _client(w, role)
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def _refused(row: Row, role: str, response, url: str) -> bool:
    status = response.status_code
    if row.public or status == 405:
        return True
    if role in TO_LOGIN:
        if url.startswith("/api/"):
            return status == 401
        return status == 302 and response.url.startswith(TO_LOGIN[role])
    if row.signed_in:
        return True
    return status == 404 if role in row.peers else status in (403, 404)


@pytest.mark.parametrize(("key", "row"), list(_sweep_params()))
def test_side_b_cannot_reach_side_a(world, db, key, row):
    url = _url(key, row.kwargs(world))
    if row.owner:
        status = _client(world, row.owner).get(url).status_code
        assert status not in (403, 404), f"{row.owner} (side A) cannot open {url}: {status}"
    wrong = []
    before = _snapshot()
    for role in [*SIDE_B, *TO_LOGIN]:
        for method in ("get", "post"):
            response = _request(world, role, method, url, row.post)
            body = b"" if response.streaming else response.content
            seen = [name for name in SIDE_A_NAMES if name.encode() in body]
            if seen or not _refused(row, role, response, url):
                wrong.append(f"{role} {method.upper()} {url}: {response.status_code} {seen}")
    changed = {
        t: (n, before.get(t))
        for t, n in _snapshot().items()
        if before.get(t) != n and t not in row.own_rows
    }
    assert not changed, f"side B's requests to {url} changed rows: {changed}"
    assert not wrong, "\n".join(wrong)


# The admin's patterns filled with the operator's own records (the admin opens everything to
# the operator, so any existing row will do); the two regular expressions by example.
ADMIN_FILL = {
    "object_id": lambda w: w["people"]["admin"].pk,
    "content_type_id": lambda w: 1,
    "pk": lambda w: w["people"]["admin"].totpdevice_set.get().pk,
    "id": lambda w: w["people"]["admin"].pk,
}
ADMIN_REGEX = {"admin:app_list": "admin/accounts/", "admin:^(?P<url>.*)$": "admin/nothing/"}


def _admin_url(key: str, route: str, w) -> str:
    if key in ADMIN_REGEX or "(?P<url>" in route:
        return "/" + ADMIN_REGEX.get(key, "admin/nothing/")
    url = "/" + route
    for name, fill in ADMIN_FILL.items():
        for converter in ("int:", "path:", ""):
            url = url.replace(f"<{converter}{name}>", str(fill(w)))
    return url


def test_no_admin_url_opens_to_side_b(world, db):
    """The admin is the national operator's only: every admin URL refuses every other role
    (403, or a redirect to the admin's login, which refuses them too)."""
    wrong = []
    routes = [(key, route) for key, route, _p in url_patterns() if _is_admin(key)]
    assert len(routes) > 50
    before = _snapshot()
    for key, route in routes:
        url = _admin_url(key, route, world)
        assert "<" not in url and "(" not in url, url
        for role in SIDE_B:
            for method in ("get", "post"):
                response = _request(world, role, method, url, {})
                # admin_view sends those without access to the admin's login (which refuses
                # them), or from its logout to its index, logging no one out.
                away = response.status_code == 302 and response.url.startswith(
                    ("/admin/login/", "/admin/") if key == "admin:logout" else "/admin/login/"
                )
                if response.status_code != 403 and not away:
                    wrong.append(f"{role} {method.upper()} {url}: {response.status_code}")
    assert _snapshot() == before
    assert not wrong, "\n".join(wrong)
    login = _client(world, "viewer").get("/admin/login/?next=/admin/")
    assert login.status_code == 403
