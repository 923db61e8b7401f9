"""Every change to a domain record keeps its history, bulk updates included, with the actor."""

import pghistory
import pytest
from django.test import Client

from itda import factories
from itda.programs.models import Company, Trainee


@pytest.mark.django_db
def test_bulk_update_is_recorded_per_row(regions):
    a = factories.CompanyFactory(region=regions["seoul"], employees=10)
    b = factories.CompanyFactory(region=regions["seoul"], employees=20)
    Company.objects.filter(pk__in=[a.pk, b.pk]).update(employees=99)
    events = Company.pgh_event_model.objects.filter(pgh_label="update")
    assert {(e.pgh_obj_id, e.employees) for e in events} == {(a.pk, 99), (b.pk, 99)}
    diffs = pghistory.models.Events.objects.tracks(a).filter(pgh_label="update")
    assert diffs.get().pgh_diff == {"employees": [10, 99]}


@pytest.mark.django_db
def test_changes_through_a_request_carry_the_user(cast, login_as, regions):
    client = login_as(cast["trainee"], Client())
    client.post("/me/api-tokens/", {"name": "연동"})
    # The user's own row changed at login (last_login excluded); the request context is kept.
    contexts = pghistory.models.Context.objects.filter(metadata__user=cast["trainee"].pk)
    assert contexts.exists()
    assert any(c.metadata.get("url") for c in contexts)


@pytest.mark.django_db
def test_delete_is_recorded(regions):
    t = factories.TraineeFactory(region=regions["seoul"], name="삭제될사람")
    pk = t.pk
    t.delete()
    event = Trainee.pgh_event_model.objects.get(pgh_obj_id=pk, pgh_label="delete")
    assert event.name == "삭제될사람"


@pytest.mark.django_db
def test_bank_account_never_enters_history(regions):
    t = factories.TraineeFactory(region=regions["seoul"], bank_account="110-555-777777")
    Trainee.objects.filter(pk=t.pk).update(bank_name="다른은행")
    fields = {f.name for f in Trainee.pgh_event_model._meta.get_fields()}
    assert "bank_account" not in fields


@pytest.mark.django_db
def test_granting_and_revoking_group_access_is_recorded(regions):
    from itda.accounts.roles import Role
    from itda.programs.models import OperatingGroupStaffEvent

    staff = factories.user(username="new_staff", role=Role.GROUP_STAFF)
    group = regions["capital_group"]
    group.staff.add(staff)
    group.staff.remove(staff)
    labels = list(
        OperatingGroupStaffEvent.objects.filter(user_id=staff.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "operatinggroup_id")
    )
    assert labels == [("granted", group.pk), ("revoked", group.pk)]
