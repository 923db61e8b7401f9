"""A worker killed mid-import leaves its job running with nothing written: once its heartbeat
is older than the bound, the job page and the sweep command show it failed, and only that."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from itda import factories
from itda.programs.models import Trainee
from itda.recruitment import import_jobs, imports
from itda.recruitment.models import Application, ImportJob, ImportJobStatus
from itda.recruitment.tests.test_import_jobs import FIVE, _job_url
from itda.recruitment.tests.test_import_service import xlsx

STALE = "작업이 중단되었습니다 — 다시 올려 주세요"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path, monkeypatch):
    """Private uploads in a temporary directory; write 2 rows at a time."""
    settings.DATA_DIR = tmp_path
    settings.ITDA_IMPORT_JOB_STALE_AFTER = datetime.timedelta(minutes=5)
    monkeypatch.setattr(imports, "_BATCH", 2)


@pytest.fixture
def trainee_call(regions):
    return factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )


def _running(call, actor, *, silent_for: datetime.timedelta) -> ImportJob:
    """A running job whose worker last reported ``silent_for`` ago, with its list on disk."""
    name = import_jobs.import_storage().save("jobs/list.xlsx", xlsx(FIVE))
    return ImportJob.objects.create(
        call=call,
        file_name=name,
        original_name="명단.xlsx",
        created_by=actor,
        status=ImportJobStatus.RUNNING,
        rows_total=5,
        rows_done=2,
        heartbeat_at=timezone.now() - silent_for,
    )


@pytest.mark.django_db
def test_a_job_silent_past_the_bound_shows_failed_and_a_fresh_one_keeps_running(
    seoul_staff, login_as, client, trainee_call, django_capture_on_commit_callbacks
):
    dead = _running(trainee_call, seoul_staff, silent_for=datetime.timedelta(minutes=6))
    alive = _running(trainee_call, seoul_staff, silent_for=datetime.timedelta(minutes=4))
    login_as(seoul_staff)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(_job_url(dead)).content.decode()
    assert STALE in page and "실패" in page and "hx-get" not in page  # no more polling
    dead.refresh_from_db()
    assert (dead.status, dead.rows_done, dead.rows_total) == (ImportJobStatus.FAILED, 0, None)
    assert dead.error.startswith(STALE) and dead.finished_at is not None
    assert not import_jobs.import_storage().exists(dead.file_name)  # the list goes too
    page = client.get(_job_url(alive)).content.decode()
    assert STALE not in page and "저장 2 / 5행" in page and 'hx-trigger="every 2s"' in page
    alive.refresh_from_db()
    assert alive.status == ImportJobStatus.RUNNING and alive.finished_at is None


@pytest.mark.django_db
def test_the_upload_page_lists_a_dead_job_as_failed(seoul_staff, login_as, client, trainee_call):
    dead = _running(trainee_call, seoul_staff, silent_for=datetime.timedelta(hours=1))
    login_as(seoul_staff)
    listed = client.get(f"/recruitment/calls/{trainee_call.pk}/excel/import/").content.decode()
    assert _job_url(dead) in listed and "실패" in listed and "가져오는 중" not in listed


@pytest.mark.django_db
def test_the_command_fails_only_silent_running_jobs_of_every_call_and_is_safe_twice(
    seoul_staff, busan_staff, trainee_call, regions
):
    other_call = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["dongnam_group"],
    )
    dead = [
        _running(call, seoul_staff, silent_for=datetime.timedelta(minutes=10))
        for call in (trainee_call, other_call)
    ]
    alive = _running(trainee_call, seoul_staff, silent_for=datetime.timedelta(seconds=30))
    # A queued job waits for a free worker, however long: it has not started, so not died.
    queued = ImportJob.objects.create(
        call=trainee_call,
        file_name="jobs/q.xlsx",
        original_name="명단.xlsx",
        created_by=seoul_staff,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
    )
    out = io.StringIO()
    call_command("fail_stale_import_jobs", stdout=out)
    assert "작업 2개를 실패로 표시" in out.getvalue()
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert [statuses[j.pk] for j in dead] == [ImportJobStatus.FAILED] * 2
    assert statuses[alive.pk] == ImportJobStatus.RUNNING
    assert statuses[queued.pk] == ImportJobStatus.QUEUED
    out = io.StringIO()
    call_command("fail_stale_import_jobs", stdout=out)
    assert "작업 0개를 실패로 표시" in out.getvalue()


class _Killed(BaseException):
    """Stands for SIGKILL: no ``except Exception`` in the worker sees it."""


def _die() -> None:
    """The worker's death: its connection ended from outside (the server rolls back what it
    had not committed), then nothing more of it runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        worker_pid = cursor.fetchone()[0]
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with outside.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [worker_pid])
    finally:
        outside.close()
    raise _Killed


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_a_written_batch_leaves_nothing_and_its_job_fails(
    seoul_staff, trainee_call, monkeypatch
):
    """The worker's connection dies mid-transaction (as when its process is killed): the
    server rolls back the written batch; the sweep then fails the job and changes nothing else."""
    job = ImportJob.objects.create(
        call=trainee_call,
        file_name=import_jobs.import_storage().save("jobs/list.xlsx", xlsx(FIVE)),
        original_name="명단.xlsx",
        created_by=seoul_staff,
    )
    write = import_jobs._ProgressWriter.__call__

    def write_then_die(self, done, total):
        write(self, done, total)
        _die()

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", write_then_die)
    killed = []

    def worker():
        try:
            import_jobs.import_job_run(job.pk)
        except _Killed:
            killed.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert killed
    job.refresh_from_db()
    # The job row says what a killed worker leaves: running, 2 of 5 written, forever.
    assert (job.status, job.rows_done, job.rows_total) == (ImportJobStatus.RUNNING, 2, 5)
    assert not Application.objects.exists()
    assert not Trainee.objects.exists()
    before = {
        "calls": list(type(trainee_call).objects.values()),
        "users": list(type(seoul_staff).objects.values()),
    }
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert import_jobs.import_jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.error.startswith(STALE)
    assert not Application.objects.exists() and not Trainee.objects.exists()
    assert before == {
        "calls": list(type(trainee_call).objects.values()),
        "users": list(type(seoul_staff).objects.values()),
    }


@pytest.mark.django_db(transaction=True)
def test_a_slow_worker_failed_by_the_sweep_stops_before_it_commits(
    seoul_staff, trainee_call, monkeypatch
):
    """A worker that was only slow finds its job failed at its next heartbeat and rolls back,
    so a job shown as failed never imports anything."""
    job = ImportJob.objects.create(
        call=trainee_call,
        file_name=import_jobs.import_storage().save("jobs/list.xlsx", xlsx(FIVE)),
        original_name="명단.xlsx",
        created_by=seoul_staff,
    )
    write = import_jobs._ProgressWriter.__call__
    swept = []

    def sweep_elsewhere():
        # Its own connection: the worker has been silent too long, and the sweep runs.
        try:
            ImportJob.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now() - datetime.timedelta(minutes=6)
            )
            swept.append(import_jobs.import_jobs_fail_stale())
        finally:
            connection.close()

    def swept_before_this_heartbeat(self, done, total):
        thread = threading.Thread(target=sweep_elsewhere)
        thread.start()
        thread.join()
        write(self, done, total)

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", swept_before_this_heartbeat)
    import_jobs.import_job_run(job.pk)
    assert swept == [1]
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (ImportJobStatus.FAILED, 0)
    assert job.error == import_jobs.STALE_ERROR
    assert not Application.objects.exists() and not Trainee.objects.exists()
    assert not import_jobs.import_storage().exists(job.file_name)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_as_its_import_ends_leaves_a_job_the_upload_again_completes(
    seoul_staff, trainee_call, monkeypatch
):
    """Killed after the last row is written, as the job is marked done: the rows and the mark
    commit together or not at all, so the sweep's 'upload again' is true and the upload again
    imports every row once (the rows alone committed would refuse it as duplicates)."""
    finish = import_jobs._finish

    def die_when_done(jobs, status, **kwargs):
        if status != ImportJobStatus.DONE:
            return finish(jobs, status, **kwargs)
        _die()

    def upload() -> ImportJob:
        return ImportJob.objects.create(
            call=trainee_call,
            file_name=import_jobs.import_storage().save("jobs/list.xlsx", xlsx(FIVE)),
            original_name="명단.xlsx",
            created_by=seoul_staff,
        )

    killed = upload()
    monkeypatch.setattr(import_jobs, "_finish", die_when_done)

    def worker():
        try:
            import_jobs.import_job_run(killed.pk)
        except _Killed:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    monkeypatch.setattr(import_jobs, "_finish", finish)
    assert not Application.objects.exists() and not Trainee.objects.exists()
    ImportJob.objects.filter(pk=killed.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert import_jobs.import_jobs_fail_stale() == 1
    again = upload()
    import_jobs.import_job_run(again.pk)
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {killed.pk: ImportJobStatus.FAILED, again.pk: ImportJobStatus.DONE}
    assert Application.objects.filter(call=trainee_call).count() == 5
    assert Trainee.objects.count() == 5
