"""Start, stop or show the embedded PostgreSQL (only when DATABASE_URL is unset)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from itda.lib import embedded_pg


class Command(BaseCommand):
    help = "내장 PostgreSQL 서버를 시작(start)·중지(stop)하거나 상태(status)를 표시합니다."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action, **options):
        if os.environ.get("DATABASE_URL"):
            raise CommandError("DATABASE_URL이 설정되어 있어 내장 PostgreSQL을 사용하지 않습니다.")
        pgdata = settings.DATA_DIR / "pgdata"
        if action == "stop":
            stopped = embedded_pg.stop(pgdata)
            self.stdout.write(
                "내장 PostgreSQL을 중지했습니다." if stopped else "실행 중이 아닙니다."
            )
        elif action == "start":
            parts = embedded_pg.ensure_running(pgdata)
            self.stdout.write(f"내장 PostgreSQL 실행 중: {parts['HOST']}")
        else:
            running = embedded_pg.is_running(pgdata)
            self.stdout.write(f"내장 PostgreSQL: {'실행 중' if running else '중지됨'} ({pgdata})")
