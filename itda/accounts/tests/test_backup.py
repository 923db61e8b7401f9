"""Backup and restore round-trip the demo: `manage.py backup` then `manage.py restore` into a
fresh embedded server give the same row count in every table and the same checksum of every
money and attendance row; a restore that lost or changed a row says which table."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from itda.demo.tests.test_generate_demo import generate
from itda.lib import backup, embedded_pg
from itda.payments.models import AllowanceLine
from itda.programs.services import reference_load_all
from itda.training.models import Attendance


@pytest.fixture
def demo(transactional_db):
    reference_load_all()
    generate()


def test_backup_restores_whole_into_a_fresh_server_and_a_changed_row_is_caught(demo, tmp_path):
    dump = tmp_path / "itda.dump"
    call_command("backup", str(dump), stdout=StringIO())
    printed = backup.manifest_path(dump)
    assert dump.stat().st_size > 0 and printed.is_file()
    fingerprint = backup.fingerprint(connection.settings_dict)
    # The demo has money and attendance rows, so their checksums prove something.
    for model in (Attendance, AllowanceLine):
        assert fingerprint[model._meta.db_table]["rows"] == model.objects.count() > 0
        assert fingerprint[model._meta.db_table]["checksum"]

    out = StringIO()
    call_command("restore", str(dump), "--pgdata", str(tmp_path / "fresh"), "--stop", stdout=out)
    assert "행 수와 체크섬이 백업과 같습니다" in out.getvalue()
    assert not embedded_pg.is_running(tmp_path / "fresh")

    # The same dump checked against a fingerprint of a database that since changed one
    # attendance row: the restore says which table differs.
    Attendance.objects.filter(pk=Attendance.objects.order_by("pk").values("pk")[:1]).update(
        checkin_ip="203.0.113.9"
    )
    backup.manifest_path(dump).write_text(json.dumps(backup.fingerprint(connection.settings_dict)))
    with pytest.raises(CommandError, match=f"{Attendance._meta.db_table}: 내용 체크섬 불일치"):
        call_command("restore", str(dump), "--pgdata", str(tmp_path / "again"), "--stop")


def test_restore_refuses_a_used_folder_and_a_missing_fingerprint(tmp_path):
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="지문"):
        call_command("restore", str(dump), "--pgdata", str(tmp_path / "new"))
    backup.manifest_path(dump).write_text("{}")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "PG_VERSION").write_text("15")
    with pytest.raises(CommandError, match="비어 있지 않습니다"):
        call_command("restore", str(dump), "--pgdata", str(tmp_path / "used"))
