from django.core.management.base import BaseCommand
from django.utils import timezone

from itda.outcomes.services import kpi_snapshot_take


class Command(BaseCommand):
    help = "Store today's (KST) funnel counts of every programme; running it again replaces them."

    def handle(self, *args, **options):
        day = timezone.localdate()
        stored = kpi_snapshot_take(day=day)
        self.stdout.write(f"성과 지표 스냅숏 {day:%Y-%m-%d}: {stored}건 저장")
