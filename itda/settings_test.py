"""Test settings: only speed knobs differ from itda.settings."""

from itda.settings import *  # noqa: F403

# Argon2 costs tens of milliseconds per login on purpose; the suite logs in thousands of times.
# The tests that check the real hasher ask for it with the `argon2` fixture (itda/conftest.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
