"""A worker killed (SIGKILL) in an Excel import's commit, then what the operator does (the
stale-job sweep, the list uploaded again): every row imported once, the dead job failed, the
new one done, no list left behind. A small version of ``scripts/faults_work.py --targets
import``, with a real ``manage.py db_worker``."""

import datetime
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from itda.programs.models import Trainee
from itda.recruitment import import_jobs
from itda.recruitment.models import Application, ImportJob, ImportJobStatus
from itda.recruitment.tests.test_import_job_stale import trainee_call  # noqa: F401 - fixture
from itda.recruitment.tests.test_import_service import TRAINEE_HEADER, _person, xlsx

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

import faults_harness as harness  # noqa: E402

ROWS = 30
LIST = [TRAINEE_HEADER] + [
    _person(f"교육생{n}", f"2000-01-{n % 28 + 1:02d}", f"010-5555-{n:04d}") for n in range(ROWS)
]


def _upload(call, actor) -> ImportJob:
    with transaction.atomic():
        return import_jobs.import_job_create(
            call=call, file=xlsx(LIST), original_name="명단.xlsx", exclude_rows=(), actor=actor
        )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_worker_killed_mid_commit_then_the_upload_again_imports_every_row_once(
    seoul_staff,
    trainee_call,  # noqa: F811 - the fixture imported above
    tmp_path,
    settings,
    monkeypatch,  # noqa: F811
):
    # The worker reads the kept list from the same private folder.
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ITDA_DATA_DIR", str(tmp_path))
    database = connection.settings_dict["NAME"]
    cluster = harness.Cluster.serving(connection.settings_dict, tmp_path)
    worker = harness.Worker(cluster, database, tmp_path / "worker.log")
    # The applications' INSERT waits half a second, so the kill lands in it on any machine.
    release = harness.hold_writes("recruitment_application", 0.5)
    try:
        worker.start()
        killed = _upload(trainee_call, seoul_staff)
        # The trainees are written by now, inside the import's transaction.
        harness.Activity(cluster, database).wait_for(
            {"INSERT recruitment_application"}, unless=lambda: not worker.alive()
        )
        worker.kill()
        release()  # waits for the killed worker's transaction to end
        killed.refresh_from_db()
        assert killed.status == ImportJobStatus.RUNNING
        assert not Application.objects.exists() and not Trainee.objects.exists()
        # The operator's page, once the job's heartbeat is stale, shows it failed.
        ImportJob.objects.filter(pk=killed.pk).update(
            heartbeat_at=timezone.now()
            - settings.ITDA_IMPORT_JOB_STALE_AFTER
            - datetime.timedelta(seconds=1)
        )
        assert import_jobs.import_jobs_fail_stale() == 1
        again = _upload(trainee_call, seoul_staff)
        import_jobs.import_job_run(again.pk)  # as a worker runs the task
        again.refresh_from_db()
    finally:
        release()
        worker.stop()
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {killed.pk: ImportJobStatus.FAILED, again.pk: ImportJobStatus.DONE}
    assert again.rows_done == ROWS
    assert Application.objects.filter(call=trainee_call).count() == ROWS
    assert Trainee.objects.count() == ROWS
    assert sorted(Trainee.objects.values_list("name", flat=True)) == sorted(r[0] for r in LIST[1:])
    assert list((tmp_path / "uploads" / "imports" / "jobs").iterdir()) == []
