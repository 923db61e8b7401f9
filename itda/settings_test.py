"""Test settings: only speed knobs differ from itda.settings."""

from itda.settings import *  # noqa: F403

CONN_MAX_AGE = 0
