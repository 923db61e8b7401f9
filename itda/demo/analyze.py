"""Planner statistics for the rows the demo has just written.

The generator fills tables in bulk and then runs the services over them, whose queries join
those tables. PostgreSQL plans with the statistics ANALYZE gathered, and autovacuum gathers
them only for committed rows some time later; when the demo is generated inside one
transaction (the tests, which roll it back), it never does. Planned without statistics, a
join over a few thousand fresh rows once ran for over 15 minutes at full CPU on the embedded
PostgreSQL. So the generator ANALYZEs between its stages: ANALYZE runs inside a transaction,
samples the rows that transaction wrote, and its statistics roll back with it.
"""

from __future__ import annotations

from django.db import connection


def analyze(*models) -> None:
    """ANALYZE the tables of ``models``, or every table of the database's own schema when none
    is given (a fraction of a second for a demo: it samples at most 30,000 rows a table).

    Never a bare ``ANALYZE``: that takes the shared catalogs too (pg_authid, pg_database), and
    their lock is one for the whole server, held by an ANALYZE until its transaction ends — a
    test module's generated demo on another database of the same server would hold it for
    minutes, and this one would wait."""
    quote = connection.ops.quote_name
    names = [m._meta.db_table for m in models] or connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(n) for n in names)}")
