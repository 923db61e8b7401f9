"""The demo's internships: the early round's placements become agreements in the designed
states through the internship services, with a month of OJT reports, PBL work and an early end;
the intern, PBL intern and mentor logins see their internships."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from itda.accounts.models import User
from itda.conftest import totp_now
from itda.demo.employment import (
    AWAITING_SHARE,
    DECLINE_REASONS,
    GENERATED_PREFIX,
    QUIT_REASON,
    RETURN_REASON,
)
from itda.demo.linkage import EARLY_ROUND_TITLE
from itda.demo.services import DEMO_PASSWORD, PROGRAMME_CODE
from itda.internships import ojt
from itda.internships.models import (
    Checkpoint,
    Deliverable,
    HiringOutcome,
    Internship,
    InternshipState,
    MilestoneState,
    OjtReport,
    Party,
    StartWave,
)
from itda.matching.models import MatchRound
from itda.matching.services import run_origin
from itda.programs.models import Programme
from itda.programs.services import reference_load_all

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_demo", "--seed", "1", "--scale", "0.3", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(module_atomic):
    reference_load_all()
    return generate()


@pytest.fixture
def demo(generated, db):
    return generated


def _states() -> Counter:
    return Counter(Internship.objects.values_list("state", flat=True))


def _accepted(internship) -> set[str]:
    return set(
        internship.acceptances.filter(terms_version=internship.terms_version).values_list(
            "party", flat=True
        )
    )


def test_every_placement_of_the_early_round_has_its_agreement_in_the_start_wave(demo):
    early = MatchRound.objects.get(title=EARLY_ROUND_TITLE)
    assert early.status == "published"
    assert timezone.localtime(early.published_run.created_at).date() <= timezone.localdate()
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    wave = StartWave.objects.get(programme=programme)
    internships = list(Internship.objects.select_related("placement", "mentor"))
    assert len(internships) > 20
    assert f"인턴십 {len(internships)}" in demo
    for i in internships:
        assert i.placement.origin == run_origin(early.published_run)
        assert i.wave == wave and wave.first_start <= i.starts_on <= wave.last_start
        assert i.ends_on <= programme.ends_on
        assert i.mentor is not None and i.mentor.company_id == i.placement.position.company_id
        assert i.terms_version == 2  # proposed by staff, then the company named the mentor
    assert wave.last_start < timezone.localdate()


def test_agreements_are_in_the_designed_states(demo):
    states = _states()
    total = sum(states.values())
    # Two declined, one ended early, a tenth waiting for one party (and the demo company's
    # second OJT intern waiting for the company), the rest active.
    assert states["declined"] == 2 and states["ended_early"] == 1
    awaiting = round(AWAITING_SHARE * total)
    assert awaiting <= states["proposed"] <= awaiting + 1
    assert states["active"] == total - 3 - states["proposed"]
    assert states["active"] > 0.7 * total
    proposed = Internship.objects.filter(state=InternshipState.PROPOSED)
    missing = Counter(
        (set(Party.values) - _accepted(i)).pop() for i in proposed if len(_accepted(i)) == 2
    )
    assert sum(missing.values()) == proposed.count()
    assert set(missing) == set(Party.values)  # each acceptance screen has something
    for i in Internship.objects.filter(state=InternshipState.ACTIVE):
        assert _accepted(i) == set(Party.values)
        assert i.transitions.filter(old="proposed", new="active").count() == 1
    notes = set(
        Internship.objects.filter(state=InternshipState.DECLINED).values_list(
            "transitions__note", flat=True
        )
    )
    assert f"기업 거절: {DECLINE_REASONS['company']}" in notes
    assert f"인턴 거절: {DECLINE_REASONS['intern']}" in notes


def test_one_early_end_with_its_reason_and_the_outcome_recorded(demo):
    ended = Internship.objects.get(state=InternshipState.ENDED_EARLY)
    ending = ended.ending
    assert ending.kind == "intern_quit" and ending.reason == QUIT_REASON
    assert ended.ends_on == ending.last_day < ending.agreed_ends_on
    assert ending.last_day < timezone.localdate()
    assert ended.placement.state == "ended_early"
    outcome = HiringOutcome.objects.get(internship=ended)
    assert (outcome.checkpoint, outcome.kind, outcome.status) == (
        Checkpoint.END,
        "hired_elsewhere",
        "verified",
    )


def test_the_months_reports_are_in_mixed_states(demo):
    wave = StartWave.objects.get()
    month = wave.first_start.replace(day=1)
    reports = OjtReport.objects.filter(month=month)
    logs = Counter(reports.filter(kind="log").values_list("state", flat=True))
    assert logs["approved"] >= 2 and logs["submitted"] >= 2 and logs["returned"] == 1
    returned = reports.get(state="returned")
    assert returned.return_reason == RETURN_REASON
    assert returned.internship.placement.trainee.user.username == "intern"
    mentor_reports = Counter(reports.filter(kind="mentor").values_list("state", flat=True))
    if timezone.localdate() > ojt.month_span(returned.internship, month)[1]:
        assert mentor_reports["approved"] == logs["approved"]
        assert mentor_reports["submitted"] == logs["submitted"]
    # Some months' reports are not written yet: overdue once due, on the group's home.
    reporting = [
        i
        for i in Internship.objects.filter(state=InternshipState.ACTIVE)
        if ojt.is_ojt(i) and month in ojt.months(i)
    ]
    assert len(reporting) > sum(logs.values())


def test_the_pbl_intern_has_a_problem_milestones_and_a_deliverable_to_review(demo):
    mine = Internship.objects.get(placement__trainee__user__username="intern-pbl")
    assert mine.state == InternshipState.ACTIVE
    assert mine.problem_versions.get().title == mine.placement.position.title
    milestones = list(mine.milestones.order_by("due_on"))
    assert len(milestones) == 3
    assert [m.state for m in milestones] == [MilestoneState.SUBMITTED, "open", "open"]
    assert Deliverable.objects.get(milestone=milestones[0]).uploaded_by.username == "intern-pbl"
    assert milestones[0].reviews.count() == 0  # the mentor login's to review


def _login(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username=username)
    if user.needs_second_factor:
        client.post("/accounts/otp/", {"token": totp_now(user.totpdevice_set.get())})
    return client


def test_the_intern_logins_see_their_internship(demo, client):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    for username in ("intern", "intern-pbl", "mentor"):
        assert f" {username} " in out.getvalue()
    for username in ("intern", "intern-pbl"):
        internship = Internship.objects.get(placement__trainee__user__username=username)
        page = _login(client, username).get(reverse("internships:my_internship"))
        html = page.content.decode()
        assert page.status_code == 200
        assert internship.placement.position.company.name in html
        assert internship.placement.position.title in html
        client.post("/accounts/logout/")
    pbl = Internship.objects.get(placement__trainee__user__username="intern-pbl")
    page = _login(client, "intern-pbl").get(reverse("internships:pbl_page", args=[pbl.pk]))
    assert page.status_code == 200 and pbl.problem_versions.get().title in page.content.decode()
    client.post("/accounts/logout/")


def test_the_mentor_login_mentors_the_demo_companys_interns(demo, client):
    mentor = User.objects.get(username="mentor")
    assert mentor.role == "mentor" and mentor.check_password(DEMO_PASSWORD)
    theirs = Internship.objects.filter(mentor__user=mentor)
    assert {i.placement.trainee.user.username for i in theirs} >= {"intern", "intern-pbl"}
    assert {i.placement.position.company.managers.get().username for i in theirs} == {"company"}
    html = _login(client, "mentor").get(reverse("internships:mentor_interns")).content.decode()
    for i in theirs:
        assert f'data-internship="{i.pk}"' in html
    client.post("/accounts/logout/")
    # The group of the demo company's region sees its internships, the intern's among them.
    html = _login(client, "staff-capital").get(reverse("internships:internship_list"))
    assert html.status_code == 200
    intern = theirs.get(placement__trainee__user__username="intern")
    assert reverse("internships:internship_detail", args=[intern.pk]) in html.content.decode()


def test_rerun_keeps_and_reset_remakes_the_internships(demo):
    states = _states()
    assert "만들지 않았습니다" in generate()
    assert _states() == states
    before = set(User.objects.filter(username__startswith=GENERATED_PREFIX).values_list("pk"))
    generate("--reset")
    assert _states() == states
    after = set(User.objects.filter(username__startswith=GENERATED_PREFIX).values_list("pk"))
    assert after and not before & after  # the old hosts', interns' and mentors' accounts went
    for username in ("intern", "intern-pbl"):
        assert Internship.objects.get(placement__trainee__user__username=username).state == (
            InternshipState.ACTIVE
        )
    assert Internship.objects.filter(mentor__user__username="mentor").count() == 3
