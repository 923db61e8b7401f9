"""Test settings: only speed knobs differ from itda.settings."""

from itda.settings import *  # noqa: F403

# Argon2 costs tens of milliseconds per login on purpose; the suite logs in thousands of times.
# The tests that check the real hasher ask for it with the `argon2` fixture (itda/conftest.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A test database need not survive a crash: commits return without waiting for the WAL to reach
# the disk. Visibility and locking are unchanged; the flush after each transactional test (the
# browser tests, the concurrency tests) commits a few hundred times.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
