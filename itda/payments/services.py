"""Writes for the training allowance: rule versions, the set-based computation, and the
attendance-correction decision that moves the allowance with the record."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from itda.payments.models import AllowanceLine, AllowanceRule, AllowanceRun, Shortfall, UnitPeriod
from itda.programs.models import Programme
from itda.training.attendance import correction_decide
from itda.training.models import (
    ATTENDED,
    INCIDENTS,
    Attendance,
    AttendanceCorrection,
    Cohort,
    CorrectionStatus,
    Enrollment,
    Session,
)

SEED_PROGRAMME = "mss-smart-mfg-2026"
# Not in the press release, which states only 월 40만원 for at most a month: the 80% threshold
# (and nothing below it) follows 국민내일배움카드 훈련장려금 practice, an itda default recorded in
# RuleOrigin "mss-smart-mfg-2026.allowance.full_rate" until the 운영지침 says otherwise.
SEED_FULL_RATE = "0.800"


@transaction.atomic
def allowance_rule_create(
    *,
    programme: Programme,
    effective_from: datetime.date,
    amount_krw: int,
    full_rate,
    shortfall: str = Shortfall.NONE,
    unit_period: str = UnitPeriod.TRAINING_MONTH,
    note: str,
    actor=None,
) -> AllowanceRule:
    """A new version of the programme's allowance rule, for cohorts starting on or after
    ``effective_from``; earlier versions stay as they were (the table refuses updates)."""
    rule = AllowanceRule(
        programme=programme,
        effective_from=effective_from,
        amount_krw=amount_krw,
        full_rate=full_rate,
        shortfall=shortfall,
        unit_period=unit_period,
        note=note,
        created_by=actor,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def allowance_rule_seed(*, actor=None) -> dict[str, int]:
    """The MSS 2026 rule from the programme's own reference row (monthly amount, first day,
    source); nothing is written when the programme is missing or the version exists."""
    programme = Programme.objects.filter(code=SEED_PROGRAMME).first()
    if programme is None or programme.training_allowance_monthly_krw is None:
        return {"allowance_rules": 0, "created": 0}
    if AllowanceRule.objects.filter(
        programme=programme, effective_from=programme.starts_on
    ).exists():
        return {"allowance_rules": 1, "created": 0}
    allowance_rule_create(
        programme=programme,
        effective_from=programme.starts_on,
        amount_krw=programme.training_allowance_monthly_krw,
        full_rate=SEED_FULL_RATE,
        shortfall=Shortfall.NONE,
        unit_period=UnitPeriod.TRAINING_MONTH,
        note=f"훈련수당 월 {programme.training_allowance_monthly_krw:,}원: "
        f"{programme.source_document}. 출석률 80% 이상 지급·미만 미지급: "
        "itda 기본값(국민내일배움카드 훈련장려금 관행) — 운영지침 확인 필요",
        actor=actor,
    )
    return {"allowance_rules": 1, "created": 1}


def _tables() -> dict[str, str]:
    from itda.programs.models import OperatingGroup
    from itda.recruitment.models import Application
    from itda.training.models import Course, TrainingRule

    models = {
        "application": Application,
        "programme": Programme,
        "line": AllowanceLine,
        "rule": AllowanceRule,
        "attendance": Attendance,
        "cohort": Cohort,
        "course": Course,
        "enrollment": Enrollment,
        "group": OperatingGroup,
        "session": Session,
        "training_rule": TrainingRule,
    }
    return {name: model._meta.db_table for name, model in models.items()}


# How attendance counts is ``attendance_tally``'s rule (training/selectors.py), restated in one
# statement for every enrolment × unit period at once; a test holds the two equal.
_INCIDENT_WEIGHT = " ".join(
    f"WHEN '{status}' THEN {weight}" for status, weight in sorted(INCIDENTS.items())
)

# Unit periods and the session → period map go to temporary tables first: with real row counts
# (ANALYZE) the planner hashes the small side of the join with millions of attendance rows.
_PERIODS_SQL = """
DROP TABLE IF EXISTS allowance_period, allowance_session;
CREATE TEMPORARY TABLE allowance_period ON COMMIT DROP AS
WITH cohorts AS (
    SELECT c.id AS cohort_id, c.starts_on, c.ends_on, tr.incidents_per_absence,
           r.id AS rule_id, r.amount_krw, r.full_rate, r.shortfall, r.unit_period,
           g.programme_id, co.audience,
           -- The per-person cap: "1개월 이내, 월 40만원" (NULL when either is not set).
           pr.training_months_max * pr.training_allowance_monthly_krw AS cap_krw
    FROM {cohort} c
    JOIN {training_rule} tr ON tr.id = c.rule_id
    JOIN {course} co ON co.id = c.course_id
    JOIN {group} g ON g.id = co.operating_group_id
    JOIN {programme} pr ON pr.id = g.programme_id
    -- The allowance version in force on the cohort's first day.
    JOIN LATERAL (
        SELECT * FROM {rule} r
        WHERE r.programme_id = g.programme_id AND r.effective_from <= c.starts_on
        ORDER BY r.effective_from DESC LIMIT 1
    ) r ON true
    -- The allowance is for job seekers: a 재직자 course's cohorts have no allowance lines.
    WHERE co.audience = 'job_seeker'
      AND (%(cohorts)s::bigint[] IS NULL OR c.id = ANY(%(cohorts)s::bigint[]))
)
SELECT k.*, (k.period_start::timestamp AT TIME ZONE %(tz)s) AS since,
       (k.period_end::timestamp AT TIME ZONE %(tz)s) AS until
FROM (
    SELECT c.*, m.period_start,
           CASE WHEN c.unit_period = 'cohort' THEN c.ends_on + 1
                ELSE LEAST(m.next_start, c.ends_on + 1) END AS period_end
    FROM cohorts c
    CROSS JOIN generate_series(0, 11) AS n  -- a cohort spans at most a year
    CROSS JOIN LATERAL (
        SELECT (c.starts_on + make_interval(months => n))::date AS period_start,
               (c.starts_on + make_interval(months => n + 1))::date AS next_start
    ) m
    WHERE m.period_start <= c.ends_on AND (n = 0 OR c.unit_period <> 'cohort')
) k;
CREATE TEMPORARY TABLE allowance_session ON COMMIT DROP AS
SELECT s.id AS session_id, p.cohort_id, p.period_start, s.ends_at <= %(as_of)s AS ended
FROM allowance_period p
JOIN {session} s ON s.cohort_id = p.cohort_id AND s.starts_at >= p.since AND s.starts_at < p.until;
ANALYZE allowance_period;
ANALYZE allowance_session;
"""

_COMPUTE_SQL = """
WITH scheduled AS (
    SELECT p.cohort_id, p.period_start, count(sp.session_id) AS planned,
           count(sp.session_id) FILTER (WHERE sp.ended) AS ended
    FROM allowance_period p
    LEFT JOIN allowance_session sp
        ON sp.cohort_id = p.cohort_id AND sp.period_start = p.period_start
    GROUP BY p.cohort_id, p.period_start
), attended AS (
    SELECT a.enrollment_id, sp.period_start, count(*) AS attended,
           sum(CASE a.status {incident_weight} ELSE 0 END) AS incidents
    FROM {attendance} a
    JOIN allowance_session sp ON sp.session_id = a.session_id AND sp.ended
    WHERE a.status = ANY(%(attended)s)
    GROUP BY a.enrollment_id, sp.period_start
), counted AS (
    SELECT e.id AS enrollment_id, e.trainee_id, p.programme_id, p.cap_krw, p.period_start,
           p.period_end, p.rule_id, p.amount_krw, p.full_rate, p.shortfall, sc.planned,
           sc.ended, coalesce(at.attended, 0) AS attended,
           coalesce(at.incidents, 0) AS incidents,
           -- Integer division: 1–2 incidents cost nothing, 3 cost one day.
           greatest(0, coalesce(at.attended, 0)
                       - coalesce(at.incidents, 0) / p.incidents_per_absence) AS credited,
           -- The allowance is for job seekers (employee courses are not computed at all): a
           -- person who was employed when applying is paid nothing (payments.models.Ineligible).
           CASE WHEN ap.employment_status = 'employee' THEN 'employed'
                ELSE '' END AS ineligible
    FROM {enrollment} e
    JOIN allowance_period p ON p.cohort_id = e.cohort_id
    JOIN scheduled sc ON sc.cohort_id = p.cohort_id AND sc.period_start = p.period_start
    LEFT JOIN attended at ON at.enrollment_id = e.id AND at.period_start = p.period_start
    LEFT JOIN {application} ap ON ap.id = e.application_id
    WHERE e.status <> 'waitlisted'
      AND (%(trainees)s::bigint[] IS NULL OR e.trainee_id = ANY(%(trainees)s::bigint[]))
), by_rule AS (
    SELECT enrollment_id, trainee_id, programme_id, cap_krw, period_start, period_end,
           rule_id, planned, ended, attended, incidents, credited, ineligible,
           CASE WHEN planned = 0 THEN 0
                ELSE trunc(credited::numeric / planned, 4) END AS rate,
           -- Exact comparison (numeric × integer) and whole won, remainder dropped.
           CASE WHEN planned = 0 OR ineligible <> '' THEN 0
                WHEN credited >= full_rate * planned THEN amount_krw
                WHEN shortfall = 'prorate' THEN (amount_krw::bigint * credited / planned)::int
                ELSE 0 END AS uncapped_krw
    FROM counted
), before AS (
    -- What the person's earlier periods in the programme (any cohort) came to by the rule.
    SELECT *, coalesce(sum(uncapped_krw) OVER (
                  PARTITION BY trainee_id, programme_id ORDER BY period_start, enrollment_id
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS uncapped_before
    FROM by_rule
), computed AS (
    -- Capping each period at what is left of the cap leaves the earlier periods' capped
    -- amounts summing to least(cap, their uncapped sum): no loop is needed.
    SELECT enrollment_id, period_start, period_end, rule_id, planned, ended, attended,
           incidents, credited, rate, uncapped_krw, cap_krw, ineligible,
           CASE WHEN cap_krw IS NULL THEN 0
                ELSE least(cap_krw, uncapped_before)::int END AS prior_krw,
           CASE WHEN cap_krw IS NULL THEN uncapped_krw
                ELSE least(uncapped_krw, cap_krw - least(cap_krw, uncapped_before))::int
           END AS amount_krw
    FROM before
), changed AS (
    SELECT c.*
    FROM computed c
    LEFT JOIN {line} l ON l.enrollment_id = c.enrollment_id AND l.period_start = c.period_start
    -- Unchanged rows are left alone: no new row version, no lock, no write.
    WHERE (l.period_end, l.rule_id, l.planned, l.ended, l.attended, l.incidents, l.credited,
           l.rate, l.uncapped_krw, l.cap_krw, l.prior_krw, l.ineligible, l.amount_krw)
          IS DISTINCT FROM
          (c.period_end, c.rule_id, c.planned, c.ended, c.attended, c.incidents, c.credited,
           c.rate, c.uncapped_krw, c.cap_krw, c.prior_krw, c.ineligible, c.amount_krw)
), written AS (
    INSERT INTO {line} AS l (enrollment_id, period_start, period_end, rule_id, planned, ended,
                             attended, incidents, credited, rate, uncapped_krw, cap_krw,
                             prior_krw, ineligible, amount_krw, run_id, computed_at)
    SELECT enrollment_id, period_start, period_end, rule_id, planned, ended, attended,
           incidents, credited, rate, uncapped_krw, cap_krw, prior_krw, ineligible,
           amount_krw, %(run)s, %(now)s
    FROM changed
    ON CONFLICT (enrollment_id, period_start) DO UPDATE SET
        period_end = EXCLUDED.period_end, rule_id = EXCLUDED.rule_id,
        planned = EXCLUDED.planned, ended = EXCLUDED.ended, attended = EXCLUDED.attended,
        incidents = EXCLUDED.incidents, credited = EXCLUDED.credited, rate = EXCLUDED.rate,
        uncapped_krw = EXCLUDED.uncapped_krw, cap_krw = EXCLUDED.cap_krw,
        prior_krw = EXCLUDED.prior_krw, ineligible = EXCLUDED.ineligible,
        amount_krw = EXCLUDED.amount_krw, run_id = EXCLUDED.run_id,
        computed_at = EXCLUDED.computed_at
    RETURNING (xmax = 0) AS inserted
), removed AS (
    -- Periods that no longer exist (cohort dates moved, enrolment back on the waitlist).
    DELETE FROM {line} l
    USING {enrollment} e
    WHERE e.id = l.enrollment_id
      AND (%(trainees)s::bigint[] IS NULL OR e.trainee_id = ANY(%(trainees)s::bigint[]))
      AND NOT EXISTS (
          SELECT 1 FROM computed c
          WHERE c.enrollment_id = l.enrollment_id AND c.period_start = l.period_start
      )
    RETURNING 1
)
SELECT (SELECT count(*) FROM computed),
       (SELECT count(*) FROM written WHERE inserted),
       (SELECT count(*) FROM written WHERE NOT inserted),
       (SELECT count(*) FROM removed)
"""


@transaction.atomic
def allowance_compute(
    *, actor=None, cohorts: list[int] | None = None, as_of: datetime.datetime | None = None
) -> AllowanceRun:
    """Compute every allowance line of the given cohorts (every cohort when None) from
    attendance as of ``as_of`` (now), in a few set-based SQL statements (no loop per row); only
    changed lines are written.

    The per-person cap spans the programme, so the lines of the cohorts' people in their other
    cohorts are computed with them: a person's earlier cohort changing moves what is left of
    the cap for the later one. Idempotent: a second run with no new attendance writes no line."""
    as_of = as_of or timezone.now()
    trainees = None
    if cohorts is not None:
        trainees = sorted(
            set(Enrollment.objects.filter(cohort_id__in=cohorts).values_list("trainee", flat=True))
        )
        cohorts = sorted(
            set(cohorts)
            | set(
                Enrollment.objects.filter(trainee_id__in=trainees).values_list("cohort", flat=True)
            )
        )
    run = AllowanceRun.objects.create(as_of=as_of, cohort_ids=cohorts, created_by=actor)
    tables = _tables()
    params = {
        "cohorts": cohorts,
        "trainees": trainees,
        "tz": settings.TIME_ZONE,
        "as_of": as_of,
        "attended": list(ATTENDED),
        "run": run.pk,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        # Large joins and aggregates: enough memory to hash in RAM, and no JIT (compiling the
        # statement costs more than it saves at this size).
        cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        cursor.execute(_PERIODS_SQL.format(**tables), params)
        cursor.execute(_COMPUTE_SQL.format(incident_weight=_INCIDENT_WEIGHT, **tables), params)
        total, inserted, updated, removed = cursor.fetchone()
    run.inserted, run.updated, run.removed = inserted, updated, removed
    run.unchanged = total - inserted - updated
    run.save(update_fields=["inserted", "updated", "removed", "unchanged"])
    return run


@transaction.atomic
def correction_settle(
    *,
    correction: AttendanceCorrection,
    approve: bool,
    note: str,
    actor,
    now: datetime.datetime | None = None,
) -> AttendanceCorrection:
    """Staff's decision on an attendance correction (``training.attendance.correction_decide``)
    and, when approved, the trainee's allowance recomputed in the same transaction, so the
    amount never lags the record it follows.

    The decision is taken here, in the stage that owns the money, because training comes
    before payments and may not call it. Every cohort the trainee is enrolled in is recomputed
    (only changed lines are written): a limit across their enrolments may move with one
    session."""
    now = now or timezone.now()
    correction = correction_decide(
        correction=correction, approve=approve, note=note, actor=actor, now=now
    )
    if correction.status == CorrectionStatus.APPROVED:
        cohorts = Enrollment.objects.filter(trainee_id=correction.enrollment.trainee_id)
        allowance_compute(
            actor=actor,
            cohorts=sorted(set(cohorts.values_list("cohort_id", flat=True))),
            as_of=now,
        )
    return correction
