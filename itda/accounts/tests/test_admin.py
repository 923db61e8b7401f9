"""The admin: the national operator only; its odd corners answer 404, never 500."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

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
