"""Background work for training (run by the tasks backend: immediately in development and
tests, by database-backed workers in production)."""

from django_tasks import task

from itda.training.completion import cohort_certificates_issue


@task()
def cohort_certificates_issue_task(cohort_id: int) -> int:
    """Issue a cohort's certificates; safe to run twice. Returns how many PDFs it rendered."""
    return cohort_certificates_issue(cohort_id=cohort_id)
