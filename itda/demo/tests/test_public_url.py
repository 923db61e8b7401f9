"""The address printed in logins, QR codes and certificate links follows the demo's port
unless ITDA_PUBLIC_URL names the public address."""

import datetime
import os
import re
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from itda import factories
from itda.accounts.roles import Role
from itda.settings import public_url
from itda.training.models import Certificate


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8100"}, "http://127.0.0.1:8100"),
        ({"PORT": " "}, "http://127.0.0.1:8000"),
        (
            {"PORT": "8100", "ITDA_PUBLIC_URL": "https://itda.example.kr/"},
            "https://itda.example.kr",
        ),
        ({"ITDA_PUBLIC_URL": "http://192.168.0.10:8100"}, "http://192.168.0.10:8100"),
    ],
)
def test_the_public_url_follows_the_port_unless_it_is_set(environ, url):
    assert public_url(environ) == url


@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_a_port_that_is_no_port_stops_the_start(port):
    with pytest.raises(ImproperlyConfigured):
        public_url({"PORT": port})


def test_settings_read_the_port_from_the_environment():
    # What `PORT=8100 make demo` does: the Makefile exports PORT to every command it runs.
    env = {k: v for k, v in os.environ.items() if k != "ITDA_PUBLIC_URL"} | {
        "PORT": "8100",
        "DJANGO_SETTINGS_MODULE": "itda.settings",
    }
    code = "from django.conf import settings; print(settings.ITDA_PUBLIC_URL)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8100"


@pytest.mark.django_db
def test_demo_logins_print_the_public_url(settings):
    settings.ITDA_PUBLIC_URL = "http://127.0.0.1:8100"
    factories.user(username="viewer", role=Role.VIEWER)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "http://127.0.0.1:8100/accounts/login/" in out.getvalue()
    assert ":8000" not in out.getvalue()


@pytest.mark.django_db
def test_demo_logins_under_port_8100_print_every_link_for_that_port(
    settings, monkeypatch, regions, cast
):
    """`PORT=8100 make demo`: the logins, the roll-call QR page and a certificate's
    verification link all point at port 8100 (the settings read PORT as the process starts)."""
    monkeypatch.delenv("ITDA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8100")
    settings.ITDA_PUBLIC_URL = public_url(os.environ)
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    (session,) = factories.sessions(cohort=cohort, days=[datetime.date(2026, 7, 1)])
    Certificate.objects.create(
        enrollment=factories.enrollment(
            cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
        ),
        serial="T-0001",
        verification_code="code-8100",
        issued_at=timezone.now(),
        attendance_rate=Decimal("1.0000"),
    )
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert f"http://127.0.0.1:8100/training/sessions/{session.pk}/qr/" in text
    assert "http://127.0.0.1:8100/certificates/verify/code-8100/" in text
    urls = re.findall(r"https?://\S+", text)
    assert len(urls) >= 4  # the login page, the homes of the demo accounts, the two links
    assert all(u.startswith("http://127.0.0.1:8100/") for u in urls), urls
