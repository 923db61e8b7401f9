import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from itda.outcomes.tasks import kpi_snapshot_take_task


class Command(BaseCommand):
    help = (
        "모든 사업의 그날(KST) 성과 지표 단계 인원과 산단 대개조 주요 사업의 교육생 수를 "
        "스냅숏으로 저장하는 작업을 등록합니다 (매일 밤 cron으로 실행, 예: "
        "'10 0 * * * manage.py snapshot_kpis'; 같은 날 다시 실행하면 그날 값을 바꿔 씁니다)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="기준일 YYYY-MM-DD (기본: 오늘)")

    def handle(self, *args, day: str = "", **options):
        try:
            when = datetime.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError(f"기준일은 YYYY-MM-DD 형식이어야 합니다: {day}") from None
        result = kpi_snapshot_take_task.enqueue(day=when.isoformat())
        self.stdout.write(f"성과 지표 스냅숏 {when:%Y-%m-%d} 작업을 등록했습니다 ({result.id}).")
