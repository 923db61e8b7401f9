"""An agreed Track 1 (OJT) internship for the monthly-report tests: the conftest's placement
(the cast's trainee at the cast company, mentor 김멘토 = user "mentor1"), 2026-08-03 ~
2026-10-31, five days a week, 2,000,000원 a month, accepted by company, intern and group; and a
clock the tests set (ojt.today). The fixtures (clock, ojt_internship, mentor) are in conftest."""

import datetime

from itda.internships import agreements, ojt
from itda.internships.tests.conftest import propose

AUG, SEP, OCT = (datetime.date(2026, m, 1) for m in (8, 9, 10))


def activate(setup, staff, company, trainee, **terms):
    internship = propose(setup, staff, **terms)
    for person in (company, trainee, staff):
        internship.refresh_from_db()
        agreements.internship_accept(
            internship=internship, version=internship.terms_version, actor=person
        )
    internship.refresh_from_db()
    assert internship.state == "active"
    return internship


def log(internship, month, trainee, *, submit=True, **fields):
    values = {"tasks": "설비 점검 보조", "hours_per_week": 40, "learnt": "PLC 기초"} | fields
    return ojt.ojt_log_save(
        internship=internship, month=month, submit=submit, actor=trainee, **values
    )


def mentor_report(internship, month, mentor, *, attendance=19, submit=True, comment="성실함"):
    scores = {c.pk: 4 for c in ojt.criteria_for(internship.programme)}
    return ojt.ojt_mentor_report_save(
        internship=internship,
        month=month,
        attendance_days=attendance,
        scores=scores,
        comment=comment,
        submit=submit,
        actor=mentor,
    )


def approve_every_month(internship, trainee, mentor_user, staff):
    """Every month's log and mentor report written, submitted and approved (what completion
    needs of an OJT internship)."""
    for month in ojt.months(internship):
        for report in (
            log(internship, month, trainee),
            # Full attendance: every scheduled day of the month (a part month has fewer).
            mentor_report(
                internship, month, mentor_user, attendance=len(ojt.scheduled(internship, month))
            ),
        ):
            ojt.ojt_report_review(report=report, approve=True, reason="", actor=staff)
