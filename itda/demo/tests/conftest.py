"""One generated demo per test module: generating runs the whole programme chain through the
services, so the modules that only read the demo share one, and each test's own changes roll
back to it."""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def module_atomic(django_db_setup, django_db_blocker):
    """An open transaction for the module's shared rows, rolled back after its last test (each
    test's own transaction nests inside it as a savepoint)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
