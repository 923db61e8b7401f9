from django.core.management.base import BaseCommand

from itda.payments.services import allowance_compute


class Command(BaseCommand):
    help = "Compute training allowance lines from attendance (every cohort, or --cohort ids)."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", type=int, action="append", dest="cohorts")

    def handle(self, *args, cohorts=None, **options):
        run = allowance_compute(cohorts=cohorts)
        self.stdout.write(
            f"훈련수당 계산 #{run.pk}: 신규 {run.inserted}, 변경 {run.updated}, "
            f"변동 없음 {run.unchanged}, 삭제 {run.removed}"
        )
