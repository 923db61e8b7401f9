"""Large Excel imports run by the task queue, with progress the staff page can poll.

The import itself is ``imports.import_commit``: one transaction, all rows or none, which also
marks the job done as its last write. Progress is written on a second database connection in
autocommit, because rows written by the import's own transaction are invisible to the polling
page until it commits; the import's transaction writes the job row only after the last
progress write, so the two connections never wait for each other.

A worker killed mid-import takes its transaction with it (PostgreSQL rolls back what a lost
connection had not committed), so such a job wrote nothing; only its row still says running.
Each progress write is also a heartbeat, and ``import_jobs_fail_stale`` fails the running jobs
whose heartbeat went silent.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from itda.accounts.models import User
from itda.recruitment.imports import import_commit
from itda.recruitment.models import Call, ImportJob, ImportJobStatus
from itda.recruitment.services import ApplicationError

logger = logging.getLogger(__name__)

# Lists longer than this are imported by the task queue; shorter ones within the request.
QUEUED_FROM_ROWS = 1_000
_JOB_DIR = "jobs"  # beside the kept previews, out of reach of their 12-hour sweep
STALE_ERROR = "작업이 중단되었습니다 — 다시 올려 주세요."


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
        status=ImportJobStatus.RUNNING, heartbeat_at=timezone.now()
    ):
        return
    job = ImportJob.objects.select_related("call", "created_by").get(pk=job_id)
    storage = import_storage()
    progress = _ProgressWriter(job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    try:
        # The job is marked done in the import's own transaction: a worker killed between the
        # two would otherwise leave the rows in and the job running, then failed by the sweep
        # ("nothing imported, upload again"), and the upload again refused as duplicates.
        with transaction.atomic(), storage.open(job.file_name) as fh:
            created = import_commit(
                call=job.call,
                file=fh,
                actor=job.created_by,
                exclude_rows=job.exclude_rows,
                on_progress=progress,
            )
            if not _finish(jobs, ImportJobStatus.DONE, done=created):
                raise _JobFailedMeanwhile
    except _JobFailedMeanwhile:
        pass  # the sweep has said so already; the import rolled back
    except ApplicationError as exc:
        _finish(jobs, ImportJobStatus.FAILED, error=exc.messages[0])
    except Exception:
        logger.exception("Excel import job %s failed", job_id)
        _finish(
            jobs,
            ImportJobStatus.FAILED,
            error="예기치 않은 오류로 아무것도 가져오지 않았습니다. 관리자에게 문의해 주세요.",
        )
    finally:
        progress.close()
        storage.delete(job.file_name)


@transaction.atomic
def import_jobs_fail_stale(*, call: Call | None = None) -> int:
    """Fail the running jobs (of ``call``, or all) whose heartbeat is older than
    ``ITDA_IMPORT_JOB_STALE_AFTER``, and delete their lists: their worker died, and its import
    with it (nothing to undo); how many."""
    jobs = ImportJob.objects.filter(
        status=ImportJobStatus.RUNNING,
        heartbeat_at__lt=timezone.now() - settings.ITDA_IMPORT_JOB_STALE_AFTER,
    )
    if call is not None:
        jobs = jobs.filter(call=call)
    # Locked, so that a heartbeat arriving now waits and then finds the job failed.
    stale = dict(jobs.select_for_update(skip_locked=True).values_list("pk", "file_name"))
    if not stale:
        return 0
    _finish(ImportJob.objects.filter(pk__in=stale), ImportJobStatus.FAILED, error=STALE_ERROR)

    # A killed worker never reached its own ``finally``: the uploaded list (personal data)
    # would otherwise stay in private storage for good.
    def delete_lists() -> None:
        storage = import_storage()
        for name in stale.values():
            storage.delete(name)

    transaction.on_commit(delete_lists)
    return len(stale)


def _finish(jobs: QuerySet[ImportJob], status: str, *, done: int = 0, error: str = "") -> int:
    # Only a running job ends: one the sweep has failed stays failed with the sweep's reason.
    # A failed import kept nothing, so its count of rows written goes back to 0.
    return jobs.filter(status=ImportJobStatus.RUNNING).update(
        status=status,
        rows_done=done,
        rows_total=done if status == ImportJobStatus.DONE else None,
        error=error[:500],
        finished_at=timezone.now(),
    )


class _JobFailedMeanwhile(Exception):
    """The sweep failed this job while it still ran (its worker was only slow): stop, so
    that a job shown as failed never commits."""


class _ProgressWriter:
    """``(done, total)`` and a heartbeat written to the job row on its own autocommit
    connection."""

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
                f"UPDATE {ImportJob._meta.db_table}"  # noqa: S608
                " SET rows_done = %s, rows_total = %s, heartbeat_at = %s"
                " WHERE id = %s AND status = %s",
                [done, total, timezone.now(), self.job_id, ImportJobStatus.RUNNING],
            )
        # Asked on the import's own connection: it reads what others committed (READ
        # COMMITTED), and a row lock taken by the sweep would not make it wait.
        if ImportJob.objects.filter(pk=self.job_id, status=ImportJobStatus.FAILED).exists():
            raise _JobFailedMeanwhile

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
