"""Re-encrypt personal data under the current field-encryption key."""

from django.core.management.base import BaseCommand

from itda.lib.fields import encrypted_fields_rotate


class Command(BaseCommand):
    help = "암호화된 개인정보(계좌번호 등)를 현재 암호키로 다시 암호화합니다(반복 실행 안전)."

    def handle(self, *args, **options):
        changed = encrypted_fields_rotate()
        self.stdout.write(f"다시 암호화한 값: {changed}건")
