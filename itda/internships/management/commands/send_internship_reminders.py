import datetime

from django.core.management.base import BaseCommand

from itda.internships.tasks import internship_reminders_send_task


class Command(BaseCommand):
    help = (
        "오늘 마감이 다가오거나 지난 인턴십 보고서·마일스톤·채용 결과·협약 수락을 받는 사람마다 "
        "한 통의 메일로 알립니다 "
        "(하루 한 번 cron으로 실행, 같은 날 다시 실행해도 새로 보내지 않음)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="기준일 YYYY-MM-DD (기본: 오늘)")

    def handle(self, *args, day: str = "", **options):
        if day:
            datetime.date.fromisoformat(day)  # a bad date stops here, before the queue
        result = internship_reminders_send_task.enqueue(day=day)
        self.stdout.write(f"인턴십 알림 작업을 등록했습니다 ({result.id}).")
