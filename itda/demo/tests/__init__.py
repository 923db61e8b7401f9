"""One generated demo per test module: generating runs the whole programme chain through the
services, so a module that reads the demo makes one with ``module_atomic`` (itda/conftest.py),
and each test's own changes, a second generation included, roll back to it.

The generator ANALYZEs the tables it has filled between its stages (itda.demo.analyze), so the
planner has statistics for rows that exist only inside that uncommitted transaction."""
