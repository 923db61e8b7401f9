"""The demo's linkage: positions from selected companies, trainees' skills, and an open national
round whose choices, rankings and interviews obey the rules the matching services enforce."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from itda.accounts.models import User
from itda.conftest import totp_now
from itda.demo.linkage import EARLY_ROUND_TITLE, EXTRA_SKILLS, ROUND_TITLE, TRACK_SKILLS
from itda.demo.services import DEMO_PASSWORD, PROGRAMME_CODE
from itda.internships.models import Position, PositionTransition
from itda.internships.services import company_is_selected
from itda.matching.engine import solve_json
from itda.matching.models import CompanyRanking, Interview, MatchRound, TraineeChoice
from itda.matching.selectors import round_input, round_positions, round_trainees
from itda.matching.services import round_dry_run
from itda.programs.models import Programme, Region, Trainee
from itda.programs.services import reference_load_all

pytestmark = pytest.mark.django_db
VOCABULARY = {s for skills in (*TRACK_SKILLS.values(), *EXTRA_SKILLS.values()) for s in skills}


def generate(*args):
    call_command("generate_demo", "--seed", "1", "--scale", "0.3", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def generated(module_atomic):
    reference_load_all()
    generate()
    return MatchRound.objects.get(title=ROUND_TITLE)


@pytest.fixture
def demo(generated, db):
    return generated


def test_positions_come_from_selected_companies_across_regions_and_tracks(demo):
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    positions = list(Position.objects.select_related("company", "track"))
    statuses = Counter(p.status for p in positions)
    assert statuses["published"] > 20
    assert statuses["submitted"] + statuses["draft"] > 0  # the review queue has work
    published = [p for p in positions if p.status == "published"]
    assert len({p.region_id for p in published}) >= 5
    assert {p.track.placement_kind for p in published} == {"ojt", "pbl"}
    for p in positions:
        assert company_is_selected(p.company, programme)
        assert 1 <= p.seats <= 3
        assert p.mentor_name and p.site_address and p.duties
        assert p.required_skills and set(p.required_skills + p.preferred_skills) <= VOCABULARY
        assert bool(p.problem_statement) == (p.track.placement_kind == "pbl")
    # Published positions passed review: submitted by the company side, published by staff.
    moves = Counter(PositionTransition.objects.values_list("new", flat=True))
    assert moves["published"] == statuses["published"]
    assert moves["submitted"] == len(positions) - statuses["draft"]


def test_the_round_is_open_now_and_trained_trainees_have_skills(demo):
    now = timezone.now()
    assert (demo.title, demo.status, demo.operating_group) == (ROUND_TITLE, "open", None)
    assert now < demo.trainee_deadline <= demo.company_deadline
    eligible = round_trainees(demo, today=timezone.localdate())
    assert eligible.count() > 50
    assert not eligible.filter(skills=[]).exists()
    completed = Trainee.objects.filter(enrollments__status="completed").distinct()
    assert completed.exists() and not completed.filter(skills=[]).exists()
    # Only trainees who took part in training hold skills: those the round may place, and
    # those the early round it follows placed.
    placed = Trainee.objects.filter(placements__isnull=False)
    assert placed.exists() and not placed.filter(skills=[]).exists()
    assert set(Trainee.objects.exclude(skills=[]).values_list("pk", flat=True)) == set(
        eligible.values_list("pk", flat=True)
    ) | set(placed.values_list("pk", flat=True))
    assert demo.follows.title == EARLY_ROUND_TITLE and demo.follows.status == "published"


def test_choices_rankings_and_interviews_follow_the_rules(demo):
    today = timezone.localdate()
    eligible = set(round_trainees(demo, today=today).values_list("pk", flat=True))
    open_positions = set(round_positions(demo).values_list("pk", flat=True))
    choices = list(TraineeChoice.objects.filter(round=demo).select_related("position"))
    assert len(choices) > 200
    assert all(
        c.position.status == "published" and c.position_id in open_positions for c in choices
    )
    assert {c.trainee_id for c in choices} <= eligible
    per_trainee: dict[int, list[int]] = {}
    for c in choices:
        per_trainee.setdefault(c.trainee_id, []).append(c.rank)
    for ranks in per_trainee.values():
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
        assert len(ranks) <= demo.max_choices
    assert max(len(r) for r in per_trainee.values()) > 3  # not everyone picks the same number
    applied = {(c.position_id, c.trainee_id) for c in choices}
    rankings = list(CompanyRanking.objects.filter(round=demo))
    assert rankings and all((r.position_id, r.trainee_id) in applied for r in rankings)
    per_position = (
        CompanyRanking.objects.filter(round=demo)
        .values("position")
        .annotate(n=Count("pk"), top=Max("rank"))
    )
    assert all(row["n"] == row["top"] for row in per_position)
    interviews = list(Interview.objects.filter(round=demo))
    assert interviews and all((i.position_id, i.trainee_id) in applied for i in interviews)
    assert {i.status for i in interviews} == {"scheduled"}
    now = timezone.now()
    for i in interviews:
        at = timezone.localtime(i.scheduled_at)
        assert now < i.scheduled_at < demo.company_deadline and at.weekday() < 5
    # Popular positions draw more applicants than others.
    applicants = Counter(c.position_id for c in choices)
    assert max(applicants.values()) >= 3 * (len(choices) / len(open_positions))


def test_the_demo_trainee_and_company_have_their_part(demo):
    me = Trainee.objects.get(user__username="trainee")
    company_user = User.objects.get(username="company")
    assert round_trainees(demo, today=timezone.localdate()).filter(pk=me.pk).exists()
    assert me.skills
    mine = list(TraineeChoice.objects.filter(round=demo, trainee=me).order_by("rank"))
    assert 2 <= len(mine) <= 3
    first = mine[0].position
    assert first.company.managers.filter(pk=company_user.pk).exists()
    assert first.status == "published" and first.track_id == me.preferred_track_id
    # The company has applicants to rank (none ranked yet) and meets the demo trainee soon.
    assert TraineeChoice.objects.filter(round=demo, position=first).count() >= 5
    assert not CompanyRanking.objects.filter(
        round=demo, position__company__managers=company_user
    ).exists()
    interview = Interview.objects.get(position__company__managers=company_user)
    assert (interview.trainee, interview.status) == (me, "scheduled")
    assert interview.scheduled_at > timezone.now()


def test_the_dry_run_input_solves_stably_with_meaningful_statistics(demo):
    data = round_input(demo, today=timezone.localdate())
    # The second round: the early round placed about a third of the finished wave's trainees
    # and took their seats (itda.demo.linkage), so its pool is that much smaller.
    assert sum(1 for t in data["trainees"] if t["ranking"]) > 60
    assert sum(1 for p in data["positions"] if p["ranking"]) > 10
    result = solve_json(data, algorithm="trainee-proposing")
    assert result["blocking_pairs"] == 0
    assert sum(1 for p in result["assignment"].values() if p) > 30
    dry = round_dry_run(round_=demo, actor=User.objects.get(username="operator"))
    stats = {run["algorithm"]: run["stats"] for run in dry["runs"]}
    stable = stats["trainee-proposing"]
    assert stable["placed"] > 0 and stable["unplaced"] > 0 and stable["empty_seats"] > 0
    assert len(stable["match_rank"]) >= 3  # first, second, third choices and beyond
    assert stats["fill-seats"]["placed"] >= stable["placed"]


def _snapshot() -> dict:
    """The linkage rows by natural order (pks differ after a reset, insertion order does not)."""
    trainees = {
        pk: i for i, pk in enumerate(Trainee.objects.order_by("pk").values_list("pk", flat=True))
    }
    positions = {
        pk: i for i, pk in enumerate(Position.objects.order_by("pk").values_list("pk", flat=True))
    }
    return {
        "positions": list(
            Position.objects.order_by("pk").values_list(
                "company__business_number",
                "track__code",
                "title",
                "status",
                "seats",
                "mentor_name",
                "required_skills",
                "preferred_skills",
            )
        ),  # fmt: skip
        "skills": list(Trainee.objects.order_by("pk").values_list("skills", flat=True)),
        "choices": sorted(
            (trainees[t], rank, positions[p])
            for t, rank, p in TraineeChoice.objects.values_list("trainee", "rank", "position")
        ),
        "rankings": sorted(
            (positions[p], rank, trainees[t])
            for p, rank, t in CompanyRanking.objects.values_list("position", "rank", "trainee")
        ),
        "interviews": sorted(
            (positions[p], trainees[t], at, status)
            for p, t, at, status in Interview.objects.values_list(
                "position", "trainee", "scheduled_at", "status"
            )
        ),
    }


def test_same_seed_same_linkage_and_reset_replaces_it(demo):
    before = _snapshot()
    generate("--reset")
    assert MatchRound.objects.count() == 2
    assert MatchRound.objects.get(title=ROUND_TITLE).pk != demo.pk
    assert _snapshot() == before


def _login(client, username):
    client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    user = User.objects.get(username=username)
    if user.needs_second_factor:
        client.post("/accounts/otp/", {"token": totp_now(user.totpdevice_set.get())})
    return client


def test_the_demo_logins_see_the_round_in_their_pages(demo, client):
    me = Trainee.objects.get(user__username="trainee")
    position = TraineeChoice.objects.get(round=demo, trainee=me, rank=1).position
    applicants = TraineeChoice.objects.filter(round=demo, position=position).count()
    mine = TraineeChoice.objects.filter(round=demo, trainee=me).count()
    page = _login(client, "trainee").get(reverse("matching:my_choices", args=[demo.pk]))
    assert page.content.decode().count('data-testid="choice"') == mine
    client.post("/accounts/logout/")
    page = _login(client, "company").get(
        reverse("matching:position_applicants", args=[demo.pk, position.pk])
    )
    assert page.content.decode().count('data-testid="applicant"') == applicants
    client.post("/accounts/logout/")
    page = _login(client, "operator").get(reverse("matching:round_dry_run", args=[demo.pk]))
    html = page.content.decode()
    assert 'data-testid="blocking-trainee-proposing">0<' in html
    placed = re.search(r'data-testid="placed-trainee-proposing">(\d+)<', html)
    assert placed and int(placed.group(1)) > 30  # the second round (see the dry-run test)


def test_no_company_is_selected_without_a_published_ranking(demo):
    from itda.evaluation.engine import ranking as ranking_engine
    from itda.evaluation.models import Ranking
    from itda.recruitment.models import Application

    selected = set(
        Application.objects.filter(result="selected").values_list("call_id", "pk").distinct()
    )
    assert selected
    published = {}
    for ranking in Ranking.objects.filter(status="published"):
        result = ranking_engine.result_from_json(ranking.result_json)
        published[ranking.call_id] = {
            int(r.application_id) for r in result.rows if r.status == "selected"
        }
    assert selected == {(call, pk) for call, pks in published.items() for pk in pks}


def test_regions_with_more_complexes_get_more_companies(demo):
    # 300 companies at --scale 0.3 over the 17 시·도: enough for the order to hold
    regions = Region.objects.annotate(
        n_complexes=Count("complexes", distinct=True), n_companies=Count("companies", distinct=True)
    )
    by_complexes: dict[int, list[int]] = {}
    for r in regions:
        by_complexes.setdefault(r.n_complexes, []).append(r.n_companies)
    counts = sorted(by_complexes)
    mean = {k: sum(v) / len(v) for k, v in by_complexes.items()}
    assert counts[0] == 0 and counts[-1] >= 4
    assert [mean[k] for k in counts] == sorted(mean[k] for k in counts)
    assert min(by_complexes[counts[-1]]) > max(by_complexes[0])
