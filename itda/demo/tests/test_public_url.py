"""The address printed in logins, QR codes and certificate links follows the demo's port
unless ITDA_PUBLIC_URL names the public address."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from itda import factories
from itda.accounts.roles import Role
from itda.settings import public_url


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
