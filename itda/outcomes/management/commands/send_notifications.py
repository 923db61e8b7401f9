"""Queue the day's scheduled notifications (outcomes.tasks.notifications_daily_task): call
deadlines for applicants with drafts, round choice deadlines, attendance below the completion
threshold. Cron runs it once a morning, e.g. ``0 8 * * * manage.py send_notifications``; a task
worker (``manage.py db_worker``) runs the task and then the e-mail tasks it queues. Safe to run
twice: each notice is told once per event. The internship reminders keep their own command
(``send_internship_reminders``)."""

from django.core.management.base import BaseCommand

from itda.outcomes.tasks import notifications_daily_task


class Command(BaseCommand):
    help = (
        "오늘 알릴 일(작성 중인 신청서의 접수 마감, 연계 차수 지망 마감, 출석 부족)을 "
        "받는 사람마다 알림함과 메일로 알리는 작업을 등록합니다 "
        "(매일 아침 cron으로 실행, 다시 실행해도 같은 알림을 또 보내지 않음)."
    )

    def handle(self, *args, **options):
        result = notifications_daily_task.enqueue()
        self.stdout.write(f"오늘의 알림 작업을 등록했습니다 ({result.id}).")
