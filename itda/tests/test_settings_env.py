"""The settings module read in a fresh interpreter with a given environment: an unreadable value
stops the start-up with the variable's name; production without its secrets says which."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from itda.lib.env import Env

_BASE = {
    k: v
    for k, v in os.environ.items()
    if k in {"PATH", "HOME", "DATABASE_URL", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
}
# The embedded database is not started: the settings read DATABASE_URL when it is set.
_BASE.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itda_settings_probe")
_PRODUCTION = {
    "ITDA_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "itda.example.kr",
    "FIELD_ENCRYPTION_KEYS": "k1:aXRkYS1kZXZlbG9wbWVudC1rZXktb25seS0zMmJ5dGU=",
}


def _settings(**environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import itda.settings as s; "
            "print(s.DEBUG, s.DATABASES['default']['CONN_MAX_AGE'], s.ITDA_ENV)",
        ],
        env={**_BASE, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("value", ["yes", "ture", "2", "no"])
def test_an_unreadable_debug_stops_the_start_up(value):
    run = _settings(DEBUG=value)
    assert run.returncode != 0
    assert f"DEBUG={value!r} is not a boolean" in run.stderr


@pytest.mark.parametrize(("value", "debug"), [("1", "True"), ("true", "True"), ("0", "False")])
def test_a_readable_debug_is_read(value, debug):
    run = _settings(DEBUG=value)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == debug


def test_a_number_that_is_not_one_names_the_variable():
    run = _settings(CONN_MAX_AGE="1m")
    assert run.returncode != 0
    assert "CONN_MAX_AGE='1m' is not a whole number" in run.stderr
    assert _settings(CONN_MAX_AGE="5").stdout.split()[1] == "5"


def test_a_misspelt_environment_name_is_refused():
    run = _settings(ITDA_ENV="prod")
    assert run.returncode != 0
    assert "ITDA_ENV='prod' is not one of development, production" in run.stderr


def test_production_starts_with_its_secrets_and_says_which_one_is_missing():
    assert _settings(**_PRODUCTION).stdout.split() == ["False", "60", "production"]
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"):
        run = _settings(**{**_PRODUCTION, name: ""})
        assert run.returncode != 0
        assert f"{name} must be set" in run.stderr


def test_debug_is_refused_in_production():
    run = _settings(**_PRODUCTION, DEBUG="1")
    assert run.returncode != 0
    assert "DEBUG must not be on with ITDA_ENV=production" in run.stderr


def test_blank_values_read_as_unset_and_ranges_hold():
    env = Env({"A": "  ", "PORTISH": "70000", "LIST": "a, ,b,"})
    assert env.flag("A", True) is True
    assert env.items("LIST", []) == ["a", "b"]
    with pytest.raises(ImproperlyConfigured, match=r"PORTISH=70000 is out of range \(1..65535\)"):
        env.number("PORTISH", 25, minimum=1, maximum=65535)
