"""Serve itda as production does: gunicorn for the web, a database task worker beside it.

``make demo`` ends with this command. Both run as child processes of this one; when either
stops, or this process is interrupted (Ctrl-C, SIGTERM), the other is stopped too, so no
orphaned worker keeps taking tasks after the demo is closed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


def _children(bind: str, web_workers: int) -> list[list[str]]:
    python = sys.executable
    return [
        [
            python,
            "-m",
            "gunicorn",
            "itda.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(web_workers),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ],
        [python, "manage.py", "db_worker", "--interval", "0.5"],
    ]


class Command(BaseCommand):
    help = "Serve with gunicorn and a database task worker (as in production)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, bind: str, web_workers: int, **options):
        if web_workers < 1:
            raise CommandError("--web-workers는 1 이상이어야 합니다.")
        # The worker and the web processes must share the queue: the database backend.
        environ = {**os.environ, "ITDA_TASKS": "database"}
        processes = [
            subprocess.Popen(argv, env=environ)  # noqa: S603 - our own fixed argv
            for argv in _children(bind, web_workers)
        ]
        self.stdout.write(f"itda: http://{bind}/ (gunicorn ×{web_workers}, 작업 처리기 1)")

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
        if failed:
            raise CommandError(f"서버 프로세스가 종료 코드 {failed}로 멈췄습니다.")
