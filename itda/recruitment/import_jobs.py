"""Large Excel imports run by the task queue, with progress the staff page can poll.

The import itself is ``imports.import_commit``: one transaction, all rows or none. Progress is
written on a second database connection in autocommit, because rows written by the import's
own transaction are invisible to the polling page until it commits; a job row is never written
inside that transaction, so the two connections never wait for each other.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.recruitment.imports import import_commit
from itda.recruitment.models import Call, ImportJob, ImportJobStatus
from itda.recruitment.services import ApplicationError

logger = logging.getLogger(__name__)

# Lists longer than this are imported by the task queue; shorter ones within the request.
QUEUED_FROM_ROWS = 1_000
_JOB_DIR = "jobs"  # beside the kept previews, out of reach of their 12-hour sweep


def import_storage() -> FileSystemStorage:
    """Private storage of uploaded lists (never a served path)."""
    return FileSystemStorage(
        location=settings.DATA_DIR / "uploads" / "imports",
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


@transaction.atomic
def import_job_create(
    *, call: Call, file: IO[bytes], original_name: str, exclude_rows: Iterable[int], actor: User
) -> ImportJob:
    """Keep the list for the task and queue it (once this transaction commits)."""
    from itda.recruitment.tasks import import_job_run_task

    name = import_storage().save(f"{_JOB_DIR}/{secrets.token_urlsafe(24)}.xlsx", file)
    job = ImportJob(
        call=call,
        file_name=name,
        original_name=original_name[:200],
        exclude_rows=sorted(set(exclude_rows)),
        created_by=actor,
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: import_job_run_task.enqueue(job_id=job.pk))
    return job


def import_job_run(job_id: int) -> None:
    """Run a queued job: import in one transaction, then record the outcome; the list is
    deleted either way. A job that is not queued (run twice) is left alone."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING
    ):
        return
    job = ImportJob.objects.select_related("call", "created_by").get(pk=job_id)
    storage = import_storage()
    progress = _ProgressWriter(job_id)
    try:
        with storage.open(job.file_name) as fh:
            created = import_commit(
                call=job.call,
                file=fh,
                actor=job.created_by,
                exclude_rows=job.exclude_rows,
                on_progress=progress,
            )
    except ApplicationError as exc:
        _finish(job_id, ImportJobStatus.FAILED, error=exc.messages[0])
    except Exception:
        logger.exception("Excel import job %s failed", job_id)
        _finish(
            job_id,
            ImportJobStatus.FAILED,
            error="예기치 않은 오류로 아무것도 가져오지 않았습니다. 관리자에게 문의해 주세요.",
        )
    else:
        _finish(job_id, ImportJobStatus.DONE, done=created)
    finally:
        progress.close()
        storage.delete(job.file_name)


def _finish(job_id: int, status: str, *, done: int = 0, error: str = "") -> None:
    # A failed import kept nothing, so its count of rows written goes back to 0.
    ImportJob.objects.filter(pk=job_id).update(
        status=status,
        rows_done=done,
        rows_total=done if status == ImportJobStatus.DONE else None,
        error=error[:500],
        finished_at=timezone.now(),
    )


class _ProgressWriter:
    """``(done, total)`` written to the job row on its own autocommit connection."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = None

    def __call__(self, done: int, total: int) -> None:
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.connection.cursor() as cursor:
                # Run inside a caller's transaction that holds the job row, a progress write
                # would wait forever for its own import: fail the import instead.
                cursor.execute("SET lock_timeout = '5s'")
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET rows_done = %s, rows_total = %s"  # noqa: S608
                " WHERE id = %s",
                [done, total, self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
