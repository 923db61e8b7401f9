"""The demo runs the programme's chain: calls, evaluation and published rankings before anyone is
selected, enrolment of the selected only, completion of finished cohorts, live work today for
every role, every date inside the programme's period, and demo venues kept off the public
reference pages."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from itda.demo.chain import programme_call
from itda.demo.services import PROGRAMME_CODE, _import_file
from itda.evaluation.models import Assignment, PanelStatus, RankingStatus
from itda.matching.models import MatchRound
from itda.programs.models import Company, OperatingGroup, Programme, Venue, Zone
from itda.programs.services import reference_load_all
from itda.recruitment.imports import IMPORT_NOTE, import_preview
from itda.recruitment.models import Application, ApplicationTransition, Call, CallKind, Result
from itda.training.models import Certificate, Cohort, Enrollment, Session

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture(scope="module")
def generated(module_atomic):
    reference_load_all()
    call_command("generate_demo", "--seed", "1", "--scale", "0.05", stdout=StringIO())
    return Programme.objects.get(code=PROGRAMME_CODE)


@pytest.fixture
def demo(generated, db):
    return generated


def test_no_enrolment_without_a_selected_trainee_application(demo):
    enrolments = Enrollment.objects.all()
    assert enrolments.exists()
    for e in enrolments.select_related("application__call__operating_group", "cohort__course"):
        assert e.application is not None, e
        assert e.application.result == Result.SELECTED
        assert e.application.call.kind == CallKind.TRAINEE
        assert e.application.trainee_id == e.trainee_id
        assert e.application.call.operating_group_id == e.cohort.course.operating_group_id
        assert e.application.call.track_id == e.cohort.course.track_id


def test_nobody_is_selected_without_a_published_ranking(demo):
    selected = Application.objects.filter(result__in=[Result.SELECTED, Result.WAITLISTED])
    assert selected.filter(call__kind=CallKind.COMPANY).exists()
    assert not selected.exclude(call__rankings__status=RankingStatus.PUBLISHED).exists()
    # The operating-group call selected one organisation per 권역, and those are the groups.
    groups = Application.objects.filter(call__kind=CallKind.OPERATING_GROUP, result=Result.SELECTED)
    assert sorted(a.answers["zone"] for a in groups) == sorted(Zone.values)
    assert set(groups.values_list("organisation_name", flat=True)) == set(
        OperatingGroup.objects.filter(programme=demo).values_list("name", flat=True)
    )
    # Every group ran its own trainee calls, one per track and wave, evaluated and published.
    trainee_calls = Call.objects.filter(programme=demo, kind=CallKind.TRAINEE)
    assert set(trainee_calls.values_list("operating_group__zone", flat=True)) == set(Zone.values)
    closed = trainee_calls.filter(closes_at__lt=timezone.now(), applications__isnull=False)
    assert closed.exists()
    assert not closed.exclude(rankings__status=RankingStatus.PUBLISHED).exists()


def test_every_date_falls_inside_the_programme_period(demo):
    first, last = demo.starts_on, demo.ends_on
    for call in Call.objects.filter(programme=demo):
        assert first <= timezone.localdate(call.opens_at) <= timezone.localdate(call.closes_at)
        assert timezone.localdate(call.closes_at) <= last, call
    cohorts = Cohort.objects.filter(course__operating_group__programme=demo)
    assert cohorts.exists()
    for cohort in cohorts:
        assert first <= cohort.starts_on <= cohort.ends_on <= last, cohort
    for s in Session.objects.filter(cohort__in=cohorts):
        assert first <= timezone.localdate(s.starts_at) <= last
    for r in MatchRound.objects.filter(programme=demo):
        assert timezone.localdate(r.company_deadline) <= last
        assert timezone.localdate(r.trainee_deadline) <= last


def test_finished_cohorts_are_judged_and_certified(demo):
    today = timezone.localdate()
    finished = Cohort.objects.filter(course__audience="job_seeker", ends_on__lt=today)
    assert finished.exists() and not finished.filter(completed_at__isnull=True).exists()
    completed = Enrollment.objects.filter(cohort__in=finished, status="completed")
    assert completed.exists()
    assert Certificate.objects.filter(enrollment__in=completed).count() == completed.count()
    assert not Enrollment.objects.filter(cohort__in=finished, status="enrolled").exists()


def test_live_work_today_for_every_role(demo):
    now = timezone.now()
    today = timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time(0), KST)
    # A running cohort with a session today, and trainees in it (the demo trainee among them).
    today_sessions = Session.objects.filter(
        starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    mine = Enrollment.objects.get(trainee__user__username="trainee", status="enrolled")
    assert today_sessions.filter(cohort=mine.cohort).exists()
    # An open round.
    assert MatchRound.objects.filter(status="open", trainee_deadline__gt=now).exists()
    # Evaluations under way: a closed call whose panel is still scoring, with the demo
    # evaluator's sheets to do.
    pending = Assignment.objects.filter(evaluator__user__username="evaluator", sheet__isnull=True)
    assert pending.exists()
    call = pending.first().application.call
    assert call.closes_at < now and call.panel.status == PanelStatus.OPEN
    assert not call.rankings.exists()


def test_demo_venues_are_marked_and_kept_off_the_public_reference(demo, client):
    demo_venues = Venue.objects.filter(is_demo=True)
    assert demo_venues.count() == len(Zone)
    assert Session.objects.filter(booking__room__venue__is_demo=True).exists()
    # The programme the demo venues serve shows none of them; the real 스마트화관 stays listed.
    page = client.get(reverse("programs:programme_detail", args=[PROGRAMME_CODE])).content.decode()
    assert "사업단" in page and not any(v.name in page for v in demo_venues)
    listing = client.get(reverse("programs:programme_list")).content.decode()
    assert "산업현장 스마트화관" in listing and not any(v.name in listing for v in demo_venues)
    listed = {v["name"] for v in client.get("/api/v1/venues").json()["items"]}
    assert "산업현장 스마트화관" in listed and not listed & {v.name for v in demo_venues}


def test_the_first_company_call_is_filled_by_the_excel_import(demo):
    # The operator imports one list in the call's template: every application carries the
    # import's mark and trail row, none was inserted around the service.
    call = programme_call(demo, CallKind.COMPANY)
    applications = call.applications.all()
    assert applications.count() > 10
    assert not applications.exclude(answers__source="excel").exists()
    imported = ApplicationTransition.objects.filter(
        application__call=call, note=IMPORT_NOTE, actor__username="operator", old=""
    )
    assert imported.count() == applications.count()
    # The list is the template filled in from its first free row, as staff fill it in.
    companies = Company.objects.filter(applications__call=call).select_related("region")
    preview = import_preview(call=call, file=_import_file(call, list(companies.order_by("pk"))))
    assert preview.counts["rows"] == applications.count() and preview.counts["blank"] == 0
    # The receipt is the import's (call, day, key); the snapshot names the company's region.
    for a in applications.select_related("company__region")[:20]:
        assert a.receipt_number.endswith(f"-{a.pk:06d}")
        assert a.profile_snapshot["region"] == a.company.region.name
