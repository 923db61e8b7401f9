from django.conf import settings
from django.core.management.base import BaseCommand

from itda.recruitment.import_jobs import import_jobs_fail_stale


class Command(BaseCommand):
    help = "작업자가 중단되어 멈춘 Excel 가져오기 작업을 실패로 표시합니다 (주기적으로 실행)."

    def handle(self, *args, **options):
        failed = import_jobs_fail_stale()
        minutes = int(settings.ITDA_IMPORT_JOB_STALE_AFTER.total_seconds() // 60)
        self.stdout.write(
            f"{minutes}분 넘게 진행 기록이 없는 가져오기 작업 {failed}개를 실패로 표시"
        )
