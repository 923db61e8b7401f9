from django.core.management.base import BaseCommand

from itda.lib.files import ORPHAN_GRACE, orphan_files_remove


class Command(BaseCommand):
    help = "업로드 폴더(MEDIA_ROOT)에서 어느 행도 가리키지 않는 파일을 지웁니다 (매일 밤 실행)."

    def handle(self, *args, **options):
        removed, kept = orphan_files_remove()
        hours = int(ORPHAN_GRACE.total_seconds() // 3600)
        self.stdout.write(
            f"고아 파일 {removed}개 삭제, {kept}개 유지"
            f" ({hours}시간 이내 파일은 다음 실행에서 확인)"
        )
