"""An application is frozen at submission for evaluators: what they read about the applicant is
the profile as submitted, not the company or trainee record its owner may edit afterwards
(issue 10, item 3)."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from itda import factories
from itda.evaluation import services as evaluation
from itda.evaluation.models import Assignment, Evaluator, Panel, Scheme
from itda.programs.models import Company
from itda.recruitment import services
from itda.recruitment.models import Application, ApplicationStatus
from itda.recruitment.snapshots import application_snapshot, snapshots_backfill

backfill_migration = importlib.import_module(
    "itda.recruitment.migrations.0007_application_profile_snapshot"
)


def _profile(**overrides) -> dict:
    data = {
        "profile-name": "잇다정밀",
        "profile-business_number": "220-81-62517",
        "profile-representative": "김대표",
        "profile-kind": "smart_factory",
        "profile-size": "small",
        "profile-industry": "자동차 부품",
        "profile-region": "",
        "profile-address": "서울특별시 구로구 디지털로 10",
        "profile-employees": "35",
        "profile-phone": "02-555-1234",
        "profile-smart_factory_level": "intermediate1",
        "profile-ksx9001_level": "3",
        "answers-motivation": "스마트공장 고도화 중",
        "answers-internship_plan": "MES 운영 보조",
        "answers-interns_wanted": "2",
        "answers-hiring_plan": "우수 인턴 정규직 전환",
        "answers-consent": "on",
        "submit": "1",
    }
    data.update(overrides)
    return data


def _assigned_to_me(cast, application) -> Assignment:
    me = Evaluator.objects.get(user=cast["evaluator"])
    Panel.objects.create(call=application.call, chair=me).members.set([me])
    return Assignment.objects.create(application=application, evaluator=me)


@pytest.mark.django_db
def test_a_company_editing_its_profile_after_submitting_does_not_change_the_sheet(
    cast, regions, login_as, client
):
    Company.objects.filter(managers=cast["company"]).delete()
    first = factories.call(programme=regions["programme"], title="첫 공모")
    second = factories.call(programme=regions["programme"], title="둘째 공모")
    login_as(cast["company"])
    seoul = regions["seoul"].pk
    client.post(f"/calls/{first.pk}/apply/", _profile(**{"profile-region": seoul}))
    submitted = Application.objects.get(call=first)
    assert submitted.status == ApplicationStatus.SUBMITTED
    # The same company, applying elsewhere, rewrites its record: new name, size and industry.
    client.post(
        f"/calls/{second.pk}/apply/",
        _profile(
            **{
                "profile-region": seoul,
                "profile-name": "잇다로보틱스",
                "profile-size": "mid",
                "profile-industry": "산업용 로봇",
            }
        ),
    )
    company = Company.objects.get(pk=submitted.company_id)
    assert (company.name, company.size, company.industry) == ("잇다로보틱스", "mid", "산업용 로봇")

    assignment = _assigned_to_me(cast, submitted)
    login_as(cast["evaluator"])
    sheet = client.get(f"/evaluation/assignments/{assignment.pk}/").content.decode()
    assert "잇다정밀" in sheet and "소기업" in sheet and "자동차 부품" in sheet
    for edited in ("잇다로보틱스", "중견기업", "산업용 로봇"):
        assert edited not in sheet
    home = client.get("/evaluator/").content.decode()
    assert "잇다정밀" in home and "잇다로보틱스" not in home


@pytest.mark.django_db
def test_a_company_that_changes_its_kind_stays_in_the_quota_it_applied_in(regions):
    call = factories.call(programme=regions["programme"])
    Scheme.objects.create(call=call, name="기준표")
    company = factories.CompanyFactory(region=regions["seoul"], kind="smart_factory")
    factories.application(call=call, company=company, screening="eligible")
    Company.objects.filter(pk=company.pk).update(kind="ai_supplier")
    (applicant,) = evaluation.ranking_input(call).applicants
    assert applicant.groups["company_type"] == "smart_factory"


@pytest.mark.django_db
def test_changing_a_submitted_application_drops_its_snapshot_until_submitted_again(cast, regions):
    call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"], size="small")

    def save():
        return services.application_save(
            call=call, actor=cast["company"], answers={}, consent=True, company=company
        )

    application = services.application_submit(application=save(), actor=cast["company"])
    assert application.profile_snapshot["size"] == "small"
    company.size = "medium"
    company.save()
    application = save()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.profile_snapshot == {}
    application = services.application_submit(application=application, actor=cast["company"])
    assert application.profile_snapshot["size"] == "medium"


@pytest.mark.django_db
def test_a_trainee_snapshot_holds_no_contact_details_or_birth_date(cast, regions):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    trainee = factories.TraineeFactory(region=regions["seoul"], name="홍길동", major="기계공학")
    application = services.application_save(
        call=call, actor=cast["trainee"], answers={}, consent=True, trainee=trainee
    )
    application = services.application_submit(application=application, actor=cast["trainee"])
    application.refresh_from_db()
    snapshot = application.profile_snapshot
    assert snapshot == {"name": "홍*동", "education": "university", "major": "기계공학"}
    stored = str(snapshot)
    for private in (trainee.phone, trainee.email, trainee.address, "2000", "홍길동"):
        assert private not in stored


@pytest.mark.django_db
def test_a_submitted_application_without_a_snapshot_is_refused_by_the_database(regions):
    company = factories.CompanyFactory(region=regions["seoul"])
    application = factories.application(
        call=factories.call(programme=regions["programme"]), company=company
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(profile_snapshot={})


def _without_the_snapshot_rule():
    """An application as submitted before snapshots existed: the rule that every submitted one
    has a snapshot came with them, so it is lifted for the test's transaction only."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending checks
        cursor.execute(
            "ALTER TABLE recruitment_application DROP CONSTRAINT submitted_has_profile_snapshot"
        )


@pytest.mark.django_db
def test_the_migration_backfills_old_submitted_applications_from_their_records(regions):
    call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"], name="예전기업", size="medium")
    trainee = factories.TraineeFactory(region=regions["busan"], name="김철수")
    trainee_call = factories.call(
        programme=regions["programme"], kind="trainee", track=regions["track"]
    )
    old_company = factories.application(call=call, company=company)
    old_trainee = factories.application(call=trainee_call, trainee=trainee)
    draft = factories.application(
        call=call, company=factories.CompanyFactory(region=regions["seoul"]), submitted=False
    )
    _without_the_snapshot_rule()
    Application.objects.filter(pk__in=[old_company.pk, old_trainee.pk]).update(profile_snapshot={})

    backfill_migration.backfill(apps, None)

    old_company.refresh_from_db()
    old_trainee.refresh_from_db()
    draft.refresh_from_db()
    assert old_company.profile_snapshot == application_snapshot(old_company)
    assert old_company.profile_snapshot["name"] == "예전기업"
    assert old_company.profile_snapshot["size"] == "medium"
    assert old_company.profile_snapshot["region"] == regions["seoul"].name
    assert old_trainee.profile_snapshot == {
        "name": "김*수",
        "education": "university",
        "major": "",
    }
    assert draft.profile_snapshot == {}  # a draft is snapshotted when it is submitted
    # Run twice, nothing more to do: the snapshots already taken are left alone.
    assert snapshots_backfill(Application) == 0
