"""One generated demo per test module: generating runs the whole programme chain through the
services (a minute or more on a busy machine), so a module that reads the demo shares one and
each test's own changes, a second generation included, roll back to it.

The generator ANALYZEs the tables it has filled between its stages (itda.demo.services), so
the planner has statistics for rows that exist only inside this uncommitted transaction."""

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
