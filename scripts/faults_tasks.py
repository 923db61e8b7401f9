"""The tasks the fault scripts hand to a worker: each does what an operator's action does, by
the same service function, and is safe to enqueue again after a fault (the rerun)."""

import hashlib
from pathlib import Path

from django_tasks import task


def _user(pk: int):
    from itda.accounts.models import User

    return User.objects.get(pk=pk)


@task()
def export_batch(batch_id: int, actor_id: int) -> str:
    """The operator's 'make the transfer file': the export, or, when an earlier attempt's
    export committed before the operator had the file, the stored file again. Returns its
    SHA-256."""
    from itda.payments.batches import batch_export, batch_transfer_file
    from itda.payments.models import BatchState, PaymentBatch

    batch, actor = PaymentBatch.objects.get(pk=batch_id), _user(actor_id)
    if batch.state == BatchState.APPROVED:
        data, _lines = batch_export(batch=batch, actor=actor)
    else:
        data, _lines = batch_transfer_file(batch=batch, actor=actor)
    return hashlib.sha256(data).hexdigest()


@task()
def import_results(batch_id: int, path: str, actor_id: int) -> dict:
    """The operator's upload of the bank's result file; after an interruption, the kept file
    is applied again from where it stopped."""
    from itda.payments.batches import batch_result_file_apply, batch_results_upload
    from itda.payments.models import BatchFile, BatchFileKind, PaymentBatch

    data, actor = Path(path).read_bytes(), _user(actor_id)
    kept = BatchFile.objects.filter(
        batch_id=batch_id, kind=BatchFileKind.RESULT, sha256=hashlib.sha256(data).hexdigest()
    ).first()
    if kept is not None:
        return batch_result_file_apply(stored=kept, actor=actor)
    return batch_results_upload(batch=PaymentBatch.objects.get(pk=batch_id), data=data, actor=actor)


@task()
def compute_statements(programme_id: int, month: str, kind: str) -> dict:
    """The operator's 'compute the month's statements' (safe to run again: it recomputes)."""
    import datetime

    from itda.payments.statements import statements_compute
    from itda.programs.models import Programme

    return statements_compute(
        programme=Programme.objects.get(pk=programme_id),
        month=datetime.date.fromisoformat(month),
        kind=kind,
    )
