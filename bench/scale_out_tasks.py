"""The task `bench/scale_out.py` pushes: it waits in the database (as a task sending an e-mail
waits on the mail server) and records its number under a unique key, so a task that ran twice
would fail the second time and be counted."""

from django.db import connection
from django_tasks import task

PROBE_TABLE = "bench_scale_out_probe"


@task()
def probe_task(number: int, wait_ms: int = 20) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [wait_ms / 1000])
        cursor.execute(f"INSERT INTO {PROBE_TABLE} (number) VALUES (%s)", [number])  # noqa: S608
    return number
