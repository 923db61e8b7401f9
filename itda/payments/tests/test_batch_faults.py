"""A worker killed (SIGKILL) while it applies the bank's result file, then the import enqueued
again: every line is paid once and the ledger sums to the bank's file. A small version of
``scripts/faults_money.py`` on the test database, with a real ``manage.py db_worker``."""

import random
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from itda.payments.batches import batch_approve, batch_draft, batch_export

from .batch_world import AUG, KIND, approved, budget, code, staff

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

import faults_harness as harness  # noqa: E402
import faults_money  # noqa: E402
import faults_tasks  # noqa: E402

LINES = 150


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_worker_killed_during_the_result_import_and_the_rerun_pay_each_line_once(
    regions, seoul_staff, tmp_path
):
    budget(regions, 10**9)
    for n in range(LINES):
        approved(regions, amount=10_000 * (n + 1))
    batch, _ = batch_draft(
        programme=regions["programme"],
        group=regions["capital_group"],
        month=AUG,
        kind=KIND,
        actor=seoul_staff,
    )
    checker = staff(regions, "seoul_checker")
    batch_approve(batch=batch, actor=checker, token=code(checker))
    workbook, _lines = batch_export(batch=batch, actor=seoul_staff)
    answer, bank = faults_money.bank_answer(workbook, 0.05, random.Random(7))
    path = tmp_path / "result.csv"
    path.write_bytes(answer)
    cluster = harness.Cluster.serving(connection.settings_dict, tmp_path)
    worker = harness.Worker(cluster, connection.settings_dict["NAME"], tmp_path / "worker.log")
    try:
        step = harness.run_task(
            name="import",
            enqueue=lambda: faults_tasks.import_results.enqueue(
                batch.pk, str(path), seoul_staff.pk
            ),
            worker=worker,
            fault="kill9",
            within=0.3,
            rng=random.Random(3),
        )
    finally:
        worker.stop()
    assert step.first == "killed"
    world = {"batch": batch.pk}
    assert faults_money.verify(world, workbook, set(), bank) == []
    assert len(bank["paid"]) + len(bank["failed"]) == LINES
