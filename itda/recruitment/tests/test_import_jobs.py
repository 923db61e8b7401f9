"""Large Excel imports run by the task queue (the immediate backend runs them inline here):
the job writes every row or none, shows its progress and outcome, and only to the call's staff."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections

from itda import factories
from itda.programs.models import Trainee
from itda.recruitment import excel_views, import_jobs, imports
from itda.recruitment.models import Application, ImportJob, ImportJobStatus
from itda.recruitment.tests.test_import_service import TRAINEE_HEADER, _person, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIVE = [TRAINEE_HEADER] + [
    _person(f"교육생{n}", "2000-01-0" + str(n), f"010-5555-000{n}") for n in range(1, 6)
]


@pytest.fixture(autouse=True)
def small_batches(settings, tmp_path, monkeypatch):
    """Private uploads in a temporary directory; queue lists over 2 rows, write 2 at a time."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(excel_views, "QUEUED_FROM_ROWS", 2)
    monkeypatch.setattr(imports, "_BATCH", 2)
    return tmp_path / "uploads" / "imports"


@pytest.fixture
def trainee_call(regions):
    return factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )


def _queue(client, call, rows, django_capture_on_commit_callbacks):
    """Upload ``rows`` and confirm them; the response to the confirm."""
    preview = client.post(
        f"/recruitment/calls/{call.pk}/excel/import/",
        {"file": SimpleUploadedFile("명단.xlsx", xlsx(rows).getvalue(), content_type=XLSX)},
    )
    assert preview.status_code == 200
    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/recruitment/calls/{call.pk}/excel/import/{token}/commit/")


def _job_url(job) -> str:
    return f"/recruitment/calls/{job.call_id}/excel/import/jobs/{job.pk}/"


@pytest.mark.django_db
def test_a_large_list_is_imported_by_the_queue_and_its_page_shows_the_outcome(
    seoul_staff, login_as, client, trainee_call, small_batches, django_capture_on_commit_callbacks
):
    login_as(seoul_staff)
    response = _queue(client, trainee_call, FIVE, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url(job)
    assert (job.status, job.rows_done, job.rows_total) == (ImportJobStatus.DONE, 5, 5)
    assert job.created_by == seoul_staff and job.finished_at is not None
    assert Application.objects.filter(call=trainee_call, created_by=seoul_staff).count() == 5
    page = client.get(_job_url(job)).content.decode()
    assert "신청 5건을 가져왔습니다" in page and "hx-get" not in page  # finished: no more polling
    assert list((small_batches / "jobs").iterdir()) == []  # the list is gone with the job
    listed = client.get(f"/recruitment/calls/{trainee_call.pk}/excel/import/").content.decode()
    assert _job_url(job) in listed and "완료" in listed


@pytest.mark.django_db
def test_a_list_changed_underneath_fails_its_job_in_korean_and_imports_nothing(
    seoul_staff,
    login_as,
    client,
    trainee_call,
    regions,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    login_as(seoul_staff)
    # After the preview someone registers the first row's phone with another birth date.
    real_preview = imports.import_preview

    def preview_then_conflict(**kwargs):
        preview = real_preview(**kwargs)
        if not Trainee.objects.filter(phone="010-5555-0001").exists():
            factories.TraineeFactory(
                phone="010-5555-0001",
                birth_date=datetime.date(1990, 1, 1),
                region=regions["seoul"],
            )
        return preview

    monkeypatch.setattr(excel_views, "import_preview", preview_then_conflict)
    _queue(client, trainee_call, FIVE, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED and job.rows_done == 0
    assert "문제가 있는 행 1개가 남아 있어 아무것도 가져오지 않았습니다" in job.error
    assert not Application.objects.filter(call=trainee_call).exists()
    assert Trainee.objects.count() == 1
    page = client.get(_job_url(job)).content.decode()
    assert "실패" in page and "문제가 있는 행 1개가 남아 있어" in page


@pytest.mark.django_db
def test_a_job_failing_after_a_written_batch_keeps_none_of_it(
    seoul_staff, login_as, client, trainee_call, monkeypatch, django_capture_on_commit_callbacks
):
    login_as(seoul_staff)

    def crash(self, done, total):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", crash)
    _queue(client, trainee_call, FIVE, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.error.startswith("예기치 않은 오류로 아무것도 가져오지 않았습니다")
    assert not Application.objects.filter(call=trainee_call).exists()
    assert not Trainee.objects.filter(phone__startswith="010-5555").exists()


@pytest.mark.django_db
def test_another_groups_staff_get_404_on_the_job_page(
    seoul_staff, busan_staff, admin, login_as, client, trainee_call, regions
):
    job = ImportJob.objects.create(
        call=trainee_call, file_name="jobs/x.xlsx", original_name="명단.xlsx", created_by=admin
    )
    login_as(busan_staff)
    assert client.get(_job_url(job)).status_code == 404
    login_as(seoul_staff)
    assert client.get(_job_url(job)).status_code == 200
    # A job is found only under its own call.
    other = factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )
    url = f"/recruitment/calls/{other.pk}/excel/import/jobs/{job.pk}/"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_running_job_shows_n_of_total_and_keeps_polling(
    seoul_staff, login_as, client, trainee_call
):
    job = ImportJob.objects.create(
        call=trainee_call,
        file_name="jobs/x.xlsx",
        original_name="명단.xlsx",
        created_by=seoul_staff,
        status=ImportJobStatus.RUNNING,
        rows_total=10,
        rows_done=4,
    )
    login_as(seoul_staff)
    page = client.get(_job_url(job)).content.decode()
    assert "저장 4 / 10행" in page and 'hx-trigger="every 2s"' in page and "<h1>" in page
    fragment = client.get(_job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "저장 4 / 10행" in fragment and "<h1>" not in fragment


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_between_batches_while_rows_stay_unseen(
    seoul_staff, trainee_call, monkeypatch
):
    """Progress goes out on its own connection; the applications appear only all at once."""
    outside = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    write = import_jobs._ProgressWriter.__call__

    def write_and_look(self, done, total):
        write(self, done, total)
        with outside.cursor() as cursor:
            cursor.execute(
                "SELECT rows_done, rows_total FROM recruitment_importjob WHERE id = %s",
                [self.job_id],
            )
            progress = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM recruitment_application")
            seen.append((*progress, cursor.fetchone()[0]))

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", write_and_look)
    try:
        job = import_jobs.import_job_create(
            call=trainee_call,
            file=xlsx(FIVE),
            original_name="명단.xlsx",
            exclude_rows=[],
            actor=seoul_staff,
        )
    finally:
        outside.close()
    assert seen == [(2, 5, 0), (4, 5, 0), (5, 5, 0)]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Application.objects.filter(call=trainee_call).count() == 5
