"""Database helpers shared by the apps."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def without_jit() -> Iterator[None]:
    """A transaction in which PostgreSQL does not JIT-compile: for the large aggregate reads
    whose estimated cost makes it compile for longer than the query then runs (at 100× the
    demo, 26 of the funnel count's 43 s went to compiling: bench/kpi_raw_rows.py)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield
