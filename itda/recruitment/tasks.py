"""Background work for recruitment (run by the tasks backend: immediately in development and
tests, by database-backed workers in production)."""

from django_tasks import task

from itda.recruitment.import_jobs import import_job_run


@task()
def import_job_run_task(job_id: int) -> None:
    """Run one queued Excel import; safe to run twice."""
    import_job_run(job_id)
