"""Benchmark: the daily internship reminders over 100,000 internships (issue 12: < 30 s,
set-based).

    .venv/bin/python bench/internship_reminders.py [--internships 100000] [--runs 3]
    DATABASE_URL=postgres://... .venv/bin/python bench/internship_reminders.py

Creates a fresh database (``bench_internship_reminders_<name>`` on DATABASE_URL's server, or a
throwaway embedded PostgreSQL when it is unset; dropped at the end) with production settings
and fills it in bulk (bulk_create in batches, no per-row service calls): 10-seat positions of
``--internships / 10`` companies in 수도권, each with a manager and a mentor account; one
trainee account per internship. Of the internships 70 % are Track 1 (OJT) and active
(2026-08-03 ~ 10-31) with August's two reports approved for every other one and September's
log submitted for every third; 10 % are Track 2 (PBL) and active with three milestones (one
overdue, one handed in, one due later); 10 % completed at 10-31 (their end-of-internship
hiring outcome open); 10 % proposed and accepted by nobody yet.

Each run times ``reminders.decide(day)`` on 2026-11-03: the set-based selectors (OJT months,
PBL milestones, hiring outcomes, agreements awaiting acceptance) and who is written to with
what. Prints the median of ``--runs``, then times one full ``reminders.send(day)`` with
Django's locmem e-mail backend (the one-per-day claim and every e-mail built — all but SMTP)
and checks that a second send the same day sends nothing.

Measured 2026-12-07 on the shared 2-core development machine (other sessions' tests running),
PostgreSQL 15 through DATABASE_URL, production settings, 100,000 internships, 3 runs:
    2,000 internships, one full send (decision, claims and 2,220 e-mails built, the earlier
    one-connection-per-mail code): 3.7 s. The 100,000 run did not finish before the branch's
    deadline (load average 9.5 from six sessions' test runs): not yet measured — run it.
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

SEATS = 10
BATCH = 5000
DAY = datetime.date(2026, 11, 3)
START, END = datetime.date(2026, 8, 3), datetime.date(2026, 10, 31)


def fill(world, count: int) -> None:
    from django.contrib.auth.hashers import make_password

    from itda import factories
    from itda.accounts.models import User
    from itda.accounts.roles import Role
    from itda.internships.models import (
        Internship,
        Mentor,
        Milestone,
        OjtReport,
        Placement,
        Position,
        StartWave,
    )
    from itda.programs.models import Company, PlacementKind, Track, Trainee

    programme, region, group = world["programme"], world["seoul"], world["capital_group"]
    ojt_track = world["track"]
    pbl_track = Track.objects.create(
        programme=programme,
        code="track2",
        name="Track2",
        quota=400,
        placement_kind=PlacementKind.PBL,
    )
    actor = User.objects.create(username="bench-admin", role=Role.OPERATOR)
    wave = StartWave.objects.create(
        programme=programme,
        label="2026년 8월 1차",
        first_start=START,
        last_start=datetime.date(2026, 8, 14),
        created_by=actor,
    )
    password = make_password("bench-password-not-used")
    n_companies = -(-count // SEATS)

    def users(prefix, role, n):
        return User.objects.bulk_create(
            (
                User(
                    username=f"{prefix}{i}",
                    role=role,
                    password=password,
                    email=f"{prefix}{i}@example.kr",
                    display_name=f"{prefix}{i}",
                )
                for i in range(n)
            ),
            batch_size=BATCH,
        )

    managers = users("bench-manager-", Role.COMPANY, n_companies)
    mentor_users = users("bench-mentor-", Role.MENTOR, n_companies)
    trainee_users = users("bench-trainee-", Role.TRAINEE, count)
    companies = Company.objects.bulk_create(
        (
            factories.CompanyFactory.build(region=region, name=f"벤치정밀{i}")
            for i in range(n_companies)
        ),
        batch_size=BATCH,
    )
    Company.managers.through.objects.bulk_create(
        (
            Company.managers.through(company=c, user=u)
            for c, u in zip(companies, managers, strict=True)
        ),
        batch_size=BATCH,
    )
    mentors = Mentor.objects.bulk_create(
        (
            Mentor(user=u, company=c, name=f"김멘토{i}", created_by=actor)
            for i, (c, u) in enumerate(zip(companies, mentor_users, strict=True))
        ),
        batch_size=BATCH,
    )

    def kind(i):  # 0-6 OJT active, 7 PBL active, 8 completed, 9 proposed
        return i % 10

    positions = Position.objects.bulk_create(
        (
            Position(
                company=c,
                track=pbl_track if i % 10 == 7 else ojt_track,
                title=f"인턴 {i}",
                duties="-",
                seats=SEATS,
                region=region,
                site_address="서울 구로구 디지털로 1",
                mentor_name="-",
                status="published",
                created_by=actor,
            )
            for i, c in enumerate(companies)
        ),
        batch_size=BATCH,
    )
    # Position i is PBL when i % 10 == 7; its ten internships are the PBL ones.
    trainees = Trainee.objects.bulk_create(
        (
            factories.TraineeFactory.build(
                region=region,
                user=u,
                name=f"홍길{i}",
                phone=f"010-{1000 + i // 10000:04d}-{i % 10000:04d}",
                email=f"bench-trainee-{i}@example.kr",
            )
            for i, u in enumerate(trainee_users)
        ),
        batch_size=BATCH,
    )
    states = {7: "active", 8: "completed", 9: "proposed"}

    def state_of(i):
        return states.get(kind(i // SEATS), "active")

    placements = Placement.objects.bulk_create(
        (
            Placement(
                trainee=t,
                position=positions[i // SEATS],
                state={"active": "started", "completed": "ended"}.get(state_of(i), "assigned"),
                origin="bench",
                operating_group=group,
                created_by=actor,
            )
            for i, t in enumerate(trainees)
        ),
        batch_size=BATCH,
    )
    internships = Internship.objects.bulk_create(
        (
            Internship(
                placement=p,
                programme=programme,
                wave=wave,
                starts_on=START,
                ends_on=END,
                workplace="서울 구로구 디지털로 1",
                mentor=mentors[i // SEATS],
                payee="intern",
                monthly_amount_krw=2_000_000,
                state=state_of(i),
                proposed_by=actor,
            )
            for i, p in enumerate(placements)
        ),
        batch_size=BATCH,
    )
    aug, sep = datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)
    reports = []
    for i, internship in enumerate(internships):
        if kind(i // SEATS) > 6:
            continue
        if i % 2 == 0:
            reports.append(
                OjtReport(
                    internship=internship,
                    month=aug,
                    kind="log",
                    state="approved",
                    written_by=actor,
                    tasks="-",
                    hours_per_week=40,
                )
            )
            reports.append(
                OjtReport(
                    internship=internship,
                    month=aug,
                    kind="mentor",
                    state="approved",
                    written_by=actor,
                    attendance_days=19,
                )
            )
        if i % 3 == 0:
            reports.append(
                OjtReport(
                    internship=internship,
                    month=sep,
                    kind="log",
                    state="submitted",
                    written_by=actor,
                    tasks="-",
                    hours_per_week=40,
                )
            )
    OjtReport.objects.bulk_create(reports, batch_size=BATCH)
    milestones = []
    for i, internship in enumerate(internships):
        if kind(i // SEATS) != 7:
            continue
        for n, (due, state) in enumerate(
            [
                (datetime.date(2026, 10, 20), "open"),
                (datetime.date(2026, 10, 25), "submitted"),
                (datetime.date(2026, 11, 6), "open"),
            ]
        ):
            milestones.append(
                Milestone(
                    internship=internship,
                    title=f"단계 {n + 1}",
                    due_on=due,
                    state=state,
                    created_by=actor,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--internships", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["ITDA_DATA_DIR"] = tempfile.mkdtemp(prefix="itda-bench-reminders-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from itda import factories
    from itda.internships import reminders
    from itda.internships.models import Internship

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    database = connections["default"].settings_dict
    database["TEST"]["NAME"] = f"bench_internship_reminders_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        world = factories.reference_world()
        started = time.perf_counter()
        fill(world, args.internships)
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"filled {Internship.objects.count():,} internships in "
            f"{time.perf_counter() - started:.0f} s"
        )
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            plan = reminders.decide(DAY)
            timings.append(time.perf_counter() - started)
        items = sum(len(entry[1]) for entry in plan.values())
        started = time.perf_counter()
        sent = reminders.send(DAY)
        full = time.perf_counter() - started
        assert sent == len(plan) == len(mail.outbox), (sent, len(plan))
        assert reminders.send(DAY) == 0  # the same day again: nothing new
        print(
            f"reminders over {args.internships:,} internships on {DAY}: {len(plan):,} "
            f"recipients, {items:,} reminders; decision runs {[f'{t:.1f}' for t in timings]} s, "
            f"median {statistics.median(timings):.1f} s; one full send (claims + e-mails built, "
            f"locmem backend) {full:.1f} s"
        )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
