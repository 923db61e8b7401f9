"""Back up the database: a pg_dump custom-format file and its fingerprint beside it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from itda.lib import backup


class Command(BaseCommand):
    help = "데이터베이스를 pg_dump 사용자 지정 형식으로 백업하고 검증용 지문(.json)을 함께 씁니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="백업 파일 경로 (예: backups/itda-20261207.dump)"
        )

    def handle(self, *args, path: Path, **options):
        try:
            printed = backup.backup(connection.settings_dict, path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in printed.values())
        self.stdout.write(
            f"백업했습니다: {path} ({len(printed)}개 테이블, {rows:,}행; 지문 "
            f"{backup.manifest_path(path).name}). 쓰기가 없는 때 백업해야 지문이 덤프와 일치합니다."
        )
