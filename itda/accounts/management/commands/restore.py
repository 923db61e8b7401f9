"""Restore a backup into a fresh embedded PostgreSQL server and prove it whole."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itda.lib import backup, embedded_pg


class Command(BaseCommand):
    help = (
        "백업 파일을 새 내장 PostgreSQL 서버(--pgdata, 비어 있는 폴더)에 복원하고, 모든 테이블의 "
        "행 수와 금액·출석 테이블의 체크섬이 백업 때와 같은지 확인합니다."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--pgdata", type=Path, required=True, help="새 서버의 데이터 폴더")
        parser.add_argument("--stop", action="store_true", help="확인 뒤 새 서버를 중지합니다")

    def handle(self, *args, path: Path, pgdata: Path, stop: bool, **options):
        if not path.is_file() or not backup.manifest_path(path).is_file():
            raise CommandError(f"백업 파일과 지문({backup.manifest_path(path).name})이 필요합니다.")
        if pgdata.exists() and any(pgdata.iterdir()):
            raise CommandError(f"{pgdata}가 비어 있지 않습니다: 새 서버는 빈 폴더에 만듭니다.")
        parts = embedded_pg.ensure_running(pgdata)
        try:
            differences = backup.restore(path, parts)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            if stop:
                embedded_pg.stop(pgdata)
        if differences:
            raise CommandError("복원본이 백업과 다릅니다:\n" + "\n".join(differences))
        where = "중지함" if stop else f"실행 중: {parts['HOST']}, 포트 {parts['PORT'] or '소켓'}"
        self.stdout.write(f"복원했습니다: 행 수와 체크섬이 백업과 같습니다 (새 서버 {where}).")
