"""재직자 추천: the route of employees into the stage-based 재직자 courses (스마트공장 단계별 교육).

A company nominates its employees for a cohort of a 재직자 course that matches its smart-factory
level; the staff of the organisation running the course enrol them (or refuse with a reason).
An accepted employee becomes a ``Trainee`` with employment status 재직자 and their employer, so
attendance, completion and certificates work exactly as for job seekers. They give no bank
account and the allowance never counts them (payments computes job-seeker courses only). They
have no login either: the nomination comes with a personal attendance code (checkin_codes).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import PROGRAMME_STAFF
from itda.lib.korean import josa
from itda.programs.models import Company, EmploymentStatus, Trainee
from itda.training import checkin_codes
from itda.training.enrolment import EnrolmentError, enrol
from itda.training.models import Audience, Cohort, EmployeeNomination, NominationStatus

# Shown on the nomination pages, in the words the refusals use.
NOMINATION_RULE = (
    "과정의 대상 단계와 기업의 스마트공장 구축 수준이 같아야 하고, 과정을 운영하는 기관의 "
    "담당 시·도에 있는 기업이어야 하며, 개강 전날까지 추천할 수 있습니다."
)
NOMINATION_RULE_ORIGIN = (
    "itda 기본값 — 운영지침 확인 필요 (원문은 「단계별 스마트 공장 구축 기반 재직자 및 구직자 "
    "교육」까지만 밝힘: 인천광역시 보도자료, 2022. 11. 18.)"
)


class NominationError(ValidationError):
    """A nomination or decision the rules refuse; the message is Korean."""


def nomination_company(user: User) -> Company | None:
    """The company a manager nominates for (their first, as for Business Zone requests)."""
    return user.companies.order_by("pk").first()


def nomination_cohorts(company: Company, *, today: datetime.date | None = None) -> QuerySet:
    """Cohorts of 재직자 courses not yet started, run by organisations whose regions include
    the company's: what the company may choose from (the level is checked on nomination, so a
    mismatch is explained rather than hidden)."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(
            course__audience=Audience.EMPLOYEE,
            starts_on__gt=today,
            course__operating_group__regions=company.region_id,
        )
        .select_related("course__operating_group")
        .order_by("starts_on", "course__code", "number")
    )


def nomination_problem(company: Company, cohort: Cohort, *, today: datetime.date) -> str | None:
    """Why the company may not nominate for the cohort, or None."""
    course = cohort.course
    if course.audience != Audience.EMPLOYEE:
        return "재직자 과정의 기수에만 추천할 수 있습니다."
    if cohort.starts_on <= today:
        return "이미 개강한 기수에는 추천할 수 없습니다. 개강 전날까지 추천하세요."
    if not company.smart_factory_level:
        return (
            "귀사의 스마트공장 구축 수준이 등록되어 있지 않아 단계별 과정에 추천할 수 없습니다. "
            "사업단에 수준 확인을 요청하세요."
        )
    if company.smart_factory_level != course.smart_factory_level:
        return (
            f"이 과정은 스마트공장 '{course.get_smart_factory_level_display()}' 단계 기업의 "
            f"재직자 과정입니다. 귀사의 구축 수준은 "
            f"'{company.get_smart_factory_level_display()}'입니다."
        )
    group = course.operating_group
    if not group.regions.filter(pk=company.region_id).exists():
        return f"{josa(group.name, '은/는')} {company.region} 소재 기업의 추천을 받지 않습니다."
    return None


@transaction.atomic
def nomination_create(
    *,
    actor: User,
    company: Company,
    cohort: Cohort,
    name: str,
    phone: str,
    birth_date: datetime.date,
    position: str = "",
    department: str = "",
    today: datetime.date | None = None,
) -> EmployeeNomination:
    """A company manager nominates one employee for a cohort of a 재직자 course."""
    if not company.managers.filter(pk=actor.pk).exists():
        raise NominationError("이 기업의 담당자만 재직자를 추천할 수 있습니다.")
    cohort = Cohort.objects.select_related("course__operating_group").get(pk=cohort.pk)
    if problem := nomination_problem(company, cohort, today=today or timezone.localdate()):
        raise NominationError(problem)
    nomination = EmployeeNomination(
        cohort=cohort,
        company=company,
        name=name.strip(),
        phone=phone,
        birth_date=birth_date,
        position=position.strip(),
        department=department.strip(),
        nominated_by=actor,
    )
    nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:
        raise NominationError(
            "이 기수에 같은 휴대전화 번호로 추천한 재직자가 이미 있습니다."
        ) from exc
    # The employee's attendance code, issued with the nomination: the company, who knows the
    # person, passes it on. Only its hash is kept; the code itself rides on the returned
    # object for the page that shows it once.
    _, nomination.issued_code = checkin_codes.code_issue(
        nomination=nomination, actor=actor, today=today
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: EmployeeNomination) -> EmployeeNomination:
    """The nominating company takes back a nomination not yet decided."""
    nomination = EmployeeNomination.objects.select_for_update().get(pk=nomination.pk)
    if not nomination.company.managers.filter(pk=actor.pk).exists():
        raise NominationError("추천한 기업만 취소할 수 있습니다.")
    if nomination.status != NominationStatus.PENDING:
        raise NominationError(
            f"'{nomination.get_status_display()}' 상태의 추천은 취소할 수 없습니다."
        )
    nomination.status = NominationStatus.WITHDRAWN
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    checkin_codes.codes_close(nomination=nomination, actor=actor)
    return nomination


def _employee_record(nomination: EmployeeNomination) -> Trainee:
    """The nominee's person record: the one the same company nominated before (its position
    and department brought up to date), or a new 재직자 record. A number already known as a
    job seeker or another company's employee is not taken over on a company's word."""
    company = nomination.company
    known = Trainee.objects.select_for_update().filter(phone=nomination.phone).first()
    if known is not None:
        if known.employment_status != EmploymentStatus.EMPLOYEE or known.employer_id != company.pk:
            raise NominationError(
                "이 휴대전화 번호는 이미 다른 교육생 명부에 있습니다. 본인에게 확인한 뒤 "
                "반려 사유로 알려 주세요."
            )
        known.position, known.department = nomination.position, nomination.department
        known.save(update_fields=["position", "department"])
        return known
    trainee = Trainee(
        name=nomination.name,
        birth_date=nomination.birth_date,
        phone=nomination.phone,
        # The workplace's region: the person's own address is not asked of the company.
        region_id=company.region_id,
        employment_status=EmploymentStatus.EMPLOYEE,
        employer=company,
        position=nomination.position,
        department=nomination.department,
    )
    # E-mail, address and education are a job-seeker application's questions; an employee's
    # record is left without them rather than filled with made-up values.
    trainee.full_clean(exclude=["email", "address", "education"], validate_unique=False)
    try:
        with transaction.atomic():
            trainee.save()
    except IntegrityError as exc:
        raise NominationError("같은 번호가 방금 등록되었습니다. 다시 시도해 주세요.") from exc
    return trainee


@transaction.atomic
def nomination_decide(
    *, actor: User, nomination: EmployeeNomination, accept: bool, reason: str = ""
) -> EmployeeNomination:
    """Staff of the organisation running the cohort enrol the nominee (a place, or the next
    waitlist place when full) or refuse the nomination with a reason."""
    if actor.role not in PROGRAMME_STAFF:
        raise NominationError("과정을 운영하는 기관의 담당자만 처리할 수 있습니다.")
    if not EmployeeNomination.objects.visible_to(actor).filter(pk=nomination.pk).exists():
        raise NominationError("이 기수의 추천을 처리할 권한이 없습니다.")
    nomination = (
        EmployeeNomination.objects.select_for_update(of=("self",))
        .select_related("company", "cohort")
        .get(pk=nomination.pk)
    )
    if nomination.status != NominationStatus.PENDING:
        raise NominationError(f"이미 '{nomination.get_status_display()}' 처리된 추천입니다.")
    reason = reason.strip()
    if accept:
        try:
            nomination.enrollment = enrol(
                nomination.cohort, _employee_record(nomination), actor=actor
            )
        except EnrolmentError as exc:
            raise NominationError(exc.messages) from exc
        nomination.status = NominationStatus.ACCEPTED
    else:
        if not reason:
            raise NominationError("반려 사유를 적어 주세요.")
        nomination.status = NominationStatus.REFUSED
        nomination.decision_reason = reason[:200]
        checkin_codes.codes_close(nomination=nomination, actor=actor)
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.full_clean(validate_constraints=False)
    nomination.save(
        update_fields=["status", "enrollment", "decision_reason", "decided_by", "decided_at"]
    )
    return nomination
