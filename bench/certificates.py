"""Benchmark: a cohort's certificates issued by the background task (issue 4: 600 in < 3 min).

    DATABASE_URL=postgres://... .venv/bin/python bench/certificates.py
    .venv/bin/python bench/certificates.py --trainees 600 --runs 3

Creates a throwaway test database (the embedded PostgreSQL when DATABASE_URL is unset), one
cohort of 20 sessions with ``--trainees`` completed trainees, then runs the real batch task
(serials, verification codes, WeasyPrint PDFs in Pretendard GOV, files and hashes) ``--runs``
times, clearing the certificates between runs. Prints each run, the median, and the median time
of one PDF render on its own.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from itda import factories  # noqa: E402
from itda.programs.models import Trainee  # noqa: E402
from itda.training import completion  # noqa: E402
from itda.training.certificates import certificate_pdf  # noqa: E402
from itda.training.models import Attendance, Certificate, Enrollment  # noqa: E402
from itda.training.tasks import cohort_certificates_issue_task  # noqa: E402

DAYS = [datetime.date(2026, 7, 1) + datetime.timedelta(days=d) for d in range(20)]
# Family and given names that reach beyond the web font's subset (뚫, 쀍, 챱 ...).
FAMILY = ["김", "이", "박", "남궁", "황보", "독고", "제갈", "선우"]
GIVEN = ["뚫례", "쀍챱", "민준", "서연", "하윤", "도윤", "지호", "똠방", "햏뷁", "예준"]


def build_cohort(trainees: int):
    world = factories.reference_world()
    cohort = factories.cohort(group=world["capital_group"], track=world["track"])
    sessions = factories.sessions(cohort=cohort, days=DAYS)
    people = Trainee.objects.bulk_create(
        factories.TraineeFactory.build(
            region=world["seoul"], name=FAMILY[n % len(FAMILY)] + GIVEN[n % len(GIVEN)]
        )
        for n in range(trainees)
    )
    staff = factories._system_user()
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, trainee=t, enrolled_by=staff) for t in people
    )
    Attendance.objects.bulk_create(
        Attendance(enrollment=e, session=s, status="present", source="roll_call", recorded_by=staff)
        for e in enrollments
        for s in sessions
    )
    completion.completion_confirm(
        cohort=cohort, actor=staff, now=datetime.datetime(2026, 8, 3, tzinfo=factories.KST)
    )
    return cohort


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=600)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        with tempfile.TemporaryDirectory(prefix="itda-bench-certs-") as media:
            settings.MEDIA_ROOT = media
            cohort = build_cohort(args.trainees)
            seconds = []
            for run in range(1, args.runs + 1):
                Certificate.objects.all().delete()
                started = time.perf_counter()
                made = cohort_certificates_issue_task.enqueue(cohort_id=cohort.pk).return_value
                seconds.append(time.perf_counter() - started)
                print(
                    f"run {run}: {made} certificates in {seconds[-1]:.1f} s "
                    f"({seconds[-1] / made * 1000:.0f} ms each, everything included)"
                )
            assert Certificate.objects.exclude(pdf="").count() == args.trainees
            renders = []
            for certificate in Certificate.objects.select_related(
                "enrollment__trainee", "enrollment__cohort__course__operating_group"
            )[:50]:
                started = time.perf_counter()
                certificate_pdf(certificate)
                renders.append(time.perf_counter() - started)
            print(
                f"median of {args.runs} run(s): {statistics.median(seconds):.1f} s (target < 180 s)"
            )
            print(f"one PDF render alone: median {statistics.median(renders) * 1000:.0f} ms")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
