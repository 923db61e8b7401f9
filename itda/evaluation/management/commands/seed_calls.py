"""Create the MSS 2026 calls and their evaluation schemes (safe to run twice)."""

from django.core.management.base import BaseCommand

from itda.evaluation.seed import calls_seed


class Command(BaseCommand):
    help = "2026 스마트제조 전문인력 육성사업의 공모와 평가 기준표를 만듭니다 (반복 실행 안전)."

    def handle(self, *args, **options):
        self.stdout.write(f"공모 {calls_seed()}건과 평가 기준표를 준비했습니다.")
