from django.core.management.base import BaseCommand

from itda.privacy.tasks import retention_run_task


class Command(BaseCommand):
    help = (
        "보유기간이 지난 개인정보를 파기하는 작업을 작업 큐에 넣습니다 "
        "(하루 한 번 cron으로 실행, 다시 실행해도 이미 파기한 것은 건드리지 않음)."
    )

    def handle(self, *args, **options):
        result = retention_run_task.enqueue()
        self.stdout.write(f"개인정보 파기 작업을 넣었습니다: {result.id}")
