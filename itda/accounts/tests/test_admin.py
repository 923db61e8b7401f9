"""The admin: the national operator only; what it shows of personal data is logged and, in
lists, masked; its odd corners answer 404, never 500."""

import pytest
from django.contrib.admin import site
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from pghistory.models import Events

from itda.accounts.admin import holds_personal_data
from itda.accounts.models import PersonalDataAccess, User
from itda.evaluation.models import Evaluator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/r/1/1/",
        "/admin/r/{events}/1/",
        "/admin/r/{user}/1/",
        "/admin/r/987654/1/",
        "/admin/r/99999999999999999999/1/",
        "/admin/r/x/1/",
    ],
)
def test_view_on_site_shortcut_is_a_404_for_any_content_type(admin, login_as, url):
    """pghistory's event view has no table of its own: Django's shortcut queried it (500)."""
    client = login_as(admin, Client(raise_request_exception=False))
    ids = {
        "events": ContentType.objects.get(app_label="pghistory", model="events").pk,
        "user": ContentType.objects.get(app_label="accounts", model="user").pk,
    }
    assert client.get(url.format(**ids)).status_code == 404


def _logged(subject_type: str, action: str) -> list[list[int]]:
    return list(
        PersonalDataAccess.objects.filter(subject_type=subject_type, action=action).values_list(
            "subject_ids", flat=True
        )
    )


def test_the_admin_logs_its_lists_and_pages_of_personal_data_and_masks_names(
    admin, evaluator, login_as
):
    """An admin page of a person is a look at personal data like any other: 접속기록 rows for the
    list (the rows on the page) and for each record opened; names are masked in the list."""
    client = login_as(admin, Client())
    person = Evaluator.objects.get(user=evaluator)
    person.name, person.phone = "남궁평가", "010-7777-8888"
    person.save()
    User.objects.filter(pk=evaluator.pk).update(display_name="홍길동")

    body = client.get("/admin/evaluation/evaluator/").content.decode()
    assert "남**가" in body and "남궁평가" not in body and "7777" not in body
    assert _logged("evaluation.evaluator", "list") == [[person.pk]]
    body = client.get("/admin/accounts/user/").content.decode()
    assert "홍*동" in body and "홍길동" not in body
    assert sorted(_logged("accounts.user", "list")[0]) == sorted(
        User.objects.values_list("pk", flat=True)
    )

    assert (
        "010-7777-8888"
        in client.get(f"/admin/evaluation/evaluator/{person.pk}/change/").content.decode()
    )
    client.get(f"/admin/evaluation/evaluator/{person.pk}/history/")
    client.get(f"/admin/accounts/user/{evaluator.pk}/change/")
    assert _logged("evaluation.evaluator", "view") == [[person.pk], [person.pk]]
    assert _logged("accounts.user", "view") == [[evaluator.pk]]
    # A missing record shows nothing and logs nothing.
    client.get("/admin/evaluation/evaluator/987654/change/")
    assert len(_logged("evaluation.evaluator", "view")) == 2


def test_history_events_are_logged_as_looks_at_the_row_they_copy(admin, trainee, login_as):
    """pghistory's events hold a copy of every tracked row: opening one logs its subject."""
    client = login_as(admin, Client())
    event = Events.objects.filter(pgh_obj_model="programs.Trainee").first()
    assert event is not None
    response = client.get(f"/admin/pghistory/events/{quote(event.pk)}/change/")
    assert response.status_code == 200
    assert _logged("programs.trainee", "view") == [[int(event.pgh_obj_id)]]


def test_every_admin_list_of_personal_data_is_logged(admin, evaluator, login_as):
    client = login_as(admin, Client())
    personal = [m for m in site._registry if holds_personal_data(m)]
    assert {m._meta.label for m in personal} >= {
        "accounts.User",
        "accounts.PersonalDataAccess",
        "evaluation.Evaluator",
        "axes.AccessLog",
        "pghistory.Events",
    }
    for model in personal:
        meta = model._meta
        before = PersonalDataAccess.objects.filter(action="list").count()
        response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert response.status_code == 200, meta.label
        if response.context_data["cl"].result_list:
            assert PersonalDataAccess.objects.filter(action="list").count() > before, meta.label
