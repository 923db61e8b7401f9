from django.apps import AppConfig
from django.db.models.signals import post_delete


class RecruitmentConfig(AppConfig):
    name = "itda.recruitment"
    label = "recruitment"
    verbose_name = "공모·신청"

    def ready(self):
        from itda.lib.files import delete_files_on_commit
        from itda.recruitment.models import ApplicationDocument

        # A replaced or deleted document takes its file with it (also when its application is
        # deleted: a cascade sends the same signal); the nightly sweep catches what this misses.
        post_delete.connect(
            delete_files_on_commit, sender=ApplicationDocument, dispatch_uid="document_files"
        )
