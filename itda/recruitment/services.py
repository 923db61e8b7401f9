"""Writes for recruitment: calls, applications (draft → submit → withdraw) and screening."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from itda.accounts.models import User
from itda.lib.brn import brn_is_valid
from itda.lib.dates import age_on
from itda.lib.normalize import digits, phone_key, text_key
from itda.programs.models import (
    Company,
    CompanyKind,
    CompanySize,
    EmploymentStatus,
    OperatingGroup,
    Trainee,
)
from itda.recruitment.models import (
    DUPLICATE_APPLICATION,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    CallClosure,
    CallKind,
    DocumentRequirement,
    FileKind,
    Result,
    Screening,
    file_kinds_label,
)
from itda.recruitment.snapshots import application_snapshot


class ApplicationError(ValidationError):
    """A request about an application that the rules refuse; the message is Korean."""


def applicant_key(
    *,
    call: Call,
    company: Company | None = None,
    trainee: Trainee | None = None,
    organisation_number: str = "",
    organisation_name: str = "",
    region_code: str = "",
) -> str:
    """The normalised identity of an applicant to ``call``: the same business or person typed
    differently (spaces, hyphens, full-width digits, phone formats) gives the same key. A
    person is their mobile number alone, the key the import matches people by: a birth date is
    typed by the applicant, and a different one must not make a second applicant."""
    if call.kind == CallKind.COMPANY:
        return "brn:" + digits(company.business_number)
    if call.kind == CallKind.TRAINEE:
        return "person:" + phone_key(trainee.phone)
    if call.kind == CallKind.OPERATING_GROUP:
        number = digits(organisation_number)
        return "brn:" + number if number else "org:" + text_key(organisation_name)
    return "region:" + region_code


def _transition(
    application: Application, *, actor, field: str, old: str, new: str, note: str = ""
) -> None:
    ApplicationTransition.objects.create(
        application=application, actor=actor, field=field, old=old, new=new, note=note
    )


def _require_open(call: Call, now: datetime.datetime) -> None:
    # Enforced here, on the server, to the KST minute the call states.
    if not call.is_open(now):
        closes = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
        if now < call.opens_at:
            raise ApplicationError("아직 접수 기간이 아닙니다.")
        raise ApplicationError(f"접수가 마감되었습니다 (마감 {closes}).")
    require_no_results(call)


def require_no_results(call: Call) -> None:
    """Once a call's results are out nobody applies to it any more, on the web or by import,
    however its window came to be open again."""
    if call.applications.exclude(result=Result.PENDING).exists():
        raise ApplicationError("선정 결과가 나온 공모입니다. 더 이상 신청하거나 고칠 수 없습니다.")


def require_closed(
    call: Call, *, now: datetime.datetime | None = None, error=ApplicationError
) -> None:
    """Evaluation (screening, assignment, ranking, confirmation, publication) starts only after
    the call's close, so that what is judged is what was submitted in time and cannot change;
    the operator may close a call early (``call_close_early``). ``error`` is the refusing
    app's own exception."""
    now = now or timezone.now()
    if now < call.closes_at:
        closes = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
        raise error(
            f"접수 중인 공모입니다 (마감 {closes}). 심사·평가는 접수가 마감된 뒤에 할 수 있습니다."
        )


@transaction.atomic
def call_close_early(
    *, call: Call, actor: User, reason: str, now: datetime.datetime | None = None
) -> Call:
    """The operator closes an open call now, before its stated deadline, with a recorded
    reason; the call's deadline becomes this moment."""
    now = now or timezone.now()
    reason = reason.strip()
    if len(reason) < 5:
        raise ApplicationError("조기 마감 사유를 5자 이상 입력하세요.")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.opens_at < now < call.closes_at:
        raise ApplicationError("접수 중인 공모만 일찍 마감할 수 있습니다.")
    CallClosure.objects.create(
        call=call, actor=actor, at=now, scheduled_closes_at=call.closes_at, reason=reason[:300]
    )
    call.closes_at = now
    call.full_clean()
    call.save(update_fields=["closes_at"])
    return call


def _back_to_draft(application: Application, *, actor: User) -> None:
    """A submitted application its applicant changes is no longer the version submitted: it
    returns to 작성 중 until submitted again, so that evaluators only ever see a submitted
    version, and the trail says so."""
    if application.status != ApplicationStatus.SUBMITTED:
        return
    application.status = ApplicationStatus.DRAFT
    application.submitted_at = None
    application.profile_snapshot = {}
    application.save(update_fields=["status", "submitted_at", "profile_snapshot", "updated_at"])
    _transition(
        application,
        actor=actor,
        field="status",
        old=ApplicationStatus.SUBMITTED,
        new=ApplicationStatus.DRAFT,
        note="제출 후 수정: 다시 제출해야 접수됩니다.",
    )


@transaction.atomic
def application_save(
    *,
    call: Call,
    actor: User,
    answers: dict,
    consent: bool,
    company: Company | None = None,
    trainee: Trainee | None = None,
    organisation_name: str = "",
    organisation_number: str = "",
    region=None,
    plan=None,
    employment_status: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Create or update the actor's draft (or submitted, before the deadline) application."""
    now = now or timezone.now()
    _require_open(call, now)
    if not consent:
        raise ApplicationError("개인정보 수집·이용에 동의해야 신청할 수 있습니다.")
    if organisation_number and not brn_is_valid(digits(organisation_number)):
        raise ApplicationError("사업자등록번호가 올바르지 않습니다 (검증번호 불일치).")
    key = applicant_key(
        call=call,
        company=company,
        trainee=trainee,
        organisation_number=organisation_number,
        organisation_name=organisation_name,
        region_code=region.code if region else "",
    )
    # The applicant's own application is found by who they are (their company, their trainee
    # record, their account), never by what they typed; the key only meets other applicants.
    if company is not None:
        own = Application.objects.filter(call=call, company=company)
    elif trainee is not None:
        own = Application.objects.filter(call=call, trainee=trainee)
    else:
        own = Application.objects.filter(
            call=call, created_by=actor, company=None, trainee=None, plan=None
        )
    own = own.select_for_update(of=("self",)).order_by("pk")
    application = own.exclude(status=ApplicationStatus.WITHDRAWN).first()
    if application is None and own.exists():
        raise ApplicationError("철회한 신청은 다시 열 수 없습니다. 전담기관에 문의하세요.")
    if application is None:
        application = Application(call=call, created_by=actor)
    application.applicant_key = key
    application.company = company
    application.trainee = trainee
    application.plan = plan
    application.organisation_name = organisation_name
    application.organisation_number = digits(organisation_number)
    application.region = region or (company.region if company else trainee.region)
    application.answers = answers
    application.employment_status = employment_status
    application.consent_version = call.consent_version
    application.consented_at = now
    try:
        application.full_clean()
        with transaction.atomic():
            application.save()
    except ValidationError as exc:
        raise ApplicationError(exc.messages) from exc
    except IntegrityError as exc:
        # Another request of the same applicant got there first (two clicks, two tabs).
        raise ApplicationError(DUPLICATE_APPLICATION) from exc
    _back_to_draft(application, actor=actor)
    return application


def receipt_number_for(application: Application, now: datetime.datetime) -> str:
    local = timezone.localtime(now)
    return f"{application.call_id:03d}-{local:%Y%m%d}-{application.pk:06d}"


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, now: datetime.datetime | None = None
) -> Application:
    """Submit: a receipt number, the time, a trail row, and a confirmation e-mail on commit."""
    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    _require_open(application.call, now)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ApplicationError("철회한 신청은 제출할 수 없습니다.")
    if application.status == ApplicationStatus.SUBMITTED:
        return application  # nothing changed since it was submitted
    missing = [
        r.name
        for r in application.call.requirements.filter(required=True).exclude(
            pk__in=application.documents.values("requirement")
        )
    ]
    if missing:
        raise ApplicationError("필수 서류가 없습니다: " + ", ".join(missing))
    old = application.status
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.receipt_number = application.receipt_number or receipt_number_for(application, now)
    # Frozen now: evaluators read this, whatever the applicant's record says later.
    application.profile_snapshot = application_snapshot(application)
    application.save(
        update_fields=[
            "status",
            "submitted_at",
            "receipt_number",
            "profile_snapshot",
            "updated_at",
        ]
    )
    _transition(application, actor=actor, field="status", old=old, new=application.status)
    recipient = actor.email
    if recipient:
        transaction.on_commit(
            lambda: send_mail(
                f"[잇다] 신청 접수 확인 ({application.receipt_number})",
                f"{application.call.title}에 신청이 접수되었습니다.\n"
                f"접수번호: {application.receipt_number}\n"
                f"접수 일시: {timezone.localtime(now):%Y-%m-%d %H:%M}\n"
                "마감 전까지 수정하거나 철회할 수 있습니다.",
                None,
                [recipient],
            )
        )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, now: datetime.datetime | None = None
) -> Application:
    """Withdraw before the deadline; the application stays on record as withdrawn."""
    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    _require_open(application.call, now)
    if application.status == ApplicationStatus.WITHDRAWN:
        return application
    old = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _transition(application, actor=actor, field="status", old=old, new=application.status)
    return application


# 만 34세: the 청년 of 청년고용촉진 특별법 시행령 제2조. The press release says only "청년 등", so
# the figure offered on the trainee call form is ours.
YOUTH_MAX_AGE = 34
YOUTH_MAX_AGE_ORIGIN = "itda 기본값 — 운영지침 확인 필요 (청년고용촉진 특별법 시행령의 청년 연령)"


def _size_problem(company: Company, rules: dict) -> str:
    """Why the company's size is outside the call's ``company_sizes`` (kinds listed in
    ``size_exempt_kinds`` may be of any size), or empty."""
    sizes = rules.get("company_sizes")
    if not sizes or company.size in sizes or company.kind in rules.get("size_exempt_kinds", []):
        return ""
    allowed = "·".join(CompanySize(size).label for size in sizes)
    text = (
        f"신청 가능한 기업 규모가 아닙니다 (현재 {company.get_size_display()}, "
        f"신청 가능: {allowed})."
    )
    exempt = rules.get("size_exempt_kinds")
    if exempt:
        kinds = "·".join(CompanyKind(kind).label for kind in exempt)
        text += f" {kinds}은 규모와 관계없이 신청할 수 있습니다."
    return text


def _age_problem(trainee: Trainee, call: Call, max_age: int) -> list[str]:
    """The age limit of a call, in 만 나이 on its closing day (KST)."""
    closing_day = timezone.localdate(call.closes_at)
    age = age_on(trainee.birth_date, closing_day)
    if age <= max_age:
        return []
    origin = YOUTH_MAX_AGE_ORIGIN if max_age == YOUTH_MAX_AGE else "공고에서 정한 연령 상한"
    return [
        f"접수 마감일({closing_day:%Y-%m-%d}) 기준 만 {max_age}세 이하만 신청할 수 있습니다 "
        f"(만 {age}세). 근거: {origin}"
    ]


def screening_reasons(application: Application) -> list[str]:
    """Why ``application`` fails its call's eligibility rules (empty: eligible)."""
    rules = application.call.eligibility or {}
    reasons = []
    company = application.company
    if company is not None:
        if rules.get("company_kinds") and company.kind not in rules["company_kinds"]:
            reasons.append(f"신청 가능 기업 유형이 아닙니다 ({company.get_kind_display()}).")
        if rules.get("min_employees") and company.employees < rules["min_employees"]:
            reasons.append(
                f"상시근로자 {rules['min_employees']}명 이상이어야 합니다 "
                f"(현재 {company.employees}명)."
            )
        if rules.get("requires_smart_factory") and not company.smart_factory_level:
            reasons.append("스마트공장 구축 수준 정보가 없습니다.")
        if problem := _size_problem(company, rules):
            reasons.append(problem)
    trainee = application.trainee
    born = trainee.birth_date.year if trainee is not None else None
    if born is not None and rules.get("birth_year_min") and born < rules["birth_year_min"]:
        reasons.append(f"{rules['birth_year_min']}년 이후 출생자만 신청할 수 있습니다.")
    if trainee is not None and rules.get("max_age"):
        reasons.extend(_age_problem(trainee, application.call, rules["max_age"]))
    if (
        application.call.kind == CallKind.TRAINEE
        and application.employment_status == EmploymentStatus.EMPLOYEE
    ):
        reasons.append(
            "구직자만 신청할 수 있습니다 (신청 시 재직자). 근거: 보도자료 지원대상 "
            "「(구직자) 스마트제조기업 분야 취업 희망 청년 등」"
        )
    if rules.get("regions") and application.region.code not in rules["regions"]:
        reasons.append(f"모집 지역이 아닙니다 ({application.region.name}).")
    return reasons


@transaction.atomic
def screening_run(*, call: Call, actor: User) -> dict:
    """Check every submitted application of ``call`` against its rules; overrides stand."""
    require_closed(call)
    counts = {"eligible": 0, "ineligible": 0, "kept": 0}
    rows = (
        Application.objects.select_for_update(of=("self",))
        .select_related("company", "trainee", "region", "call")
        .filter(call=call, status=ApplicationStatus.SUBMITTED)
        .order_by("pk")
    )
    for application in rows:
        if application.screening_override:
            counts["kept"] += 1
            continue
        reasons = screening_reasons(application)
        new = Screening.INELIGIBLE if reasons else Screening.ELIGIBLE
        if new != application.screening or reasons != application.screening_reasons:
            _transition(
                application,
                actor=actor,
                field="screening",
                old=application.screening,
                new=new,
                note="; ".join(reasons)[:300],
            )
            application.screening = new
            application.screening_reasons = reasons
            application.save(update_fields=["screening", "screening_reasons", "updated_at"])
        counts[new] += 1
    return counts


@transaction.atomic
def screening_override(
    *, application: Application, actor: User, eligible: bool, reason: str
) -> Application:
    """An operator's decision against the automatic check, with a recorded reason."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ApplicationError("검토 결과를 바꾸는 사유를 5자 이상 입력하세요.")
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    require_closed(application.call)
    new = Screening.ELIGIBLE if eligible else Screening.INELIGIBLE
    _transition(
        application,
        actor=actor,
        field="screening",
        old=application.screening,
        new=new,
        note=f"수동 변경: {reason}"[:300],
    )
    application.screening = new
    application.screening_override = reason
    application.save(update_fields=["screening", "screening_override", "updated_at"])
    return application


# File signatures: an upload must be what its name says (ASVS 5.2.2).
_SIGNATURES = {
    FileKind.PDF: ((".pdf",), (b"%PDF-",)),
    FileKind.HWP: ((".hwp", ".hwpx"), (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")),
    FileKind.IMAGE: ((".jpg", ".jpeg", ".png"), (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")),
}


def upload_checked(upload, *, kinds, max_size_mb: int, label: str) -> str:
    """An uploaded file's SHA-256 once its name, signature and size fit ``kinds``; otherwise an
    ApplicationError naming ``label``. Other apps' evidence uploads pass through this too."""
    name = (upload.name or "").lower()
    head = upload.read(8)
    upload.seek(0)
    allowed = [_SIGNATURES[k] for k in kinds]
    if not any(name.endswith(exts) and head.startswith(sigs) for exts, sigs in allowed):
        raise ApplicationError(f"{label}: {file_kinds_label(kinds)} 파일만 올릴 수 있습니다.")
    if upload.size > max_size_mb * 1024 * 1024:
        raise ApplicationError(f"{label}: {max_size_mb}MB 이하만 올릴 수 있습니다.")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def document_attach(
    *,
    application: Application,
    requirement: DocumentRequirement,
    upload,
    actor: User,
    now: datetime.datetime | None = None,
) -> ApplicationDocument:
    """Attach (or replace) the file for one requirement: kind, signature and size checked; a
    submitted application goes back to 작성 중 until submitted again."""
    _require_open(application.call, now or timezone.now())
    if requirement.call_id != application.call_id:
        raise ApplicationError("이 공모의 제출 서류가 아닙니다.")
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ApplicationError("철회한 신청은 고칠 수 없습니다.")
    sha256 = upload_checked(
        upload,
        kinds=requirement.allowed_kinds,
        max_size_mb=requirement.max_size_mb,
        label=requirement.name,
    )
    ApplicationDocument.objects.filter(application=application, requirement=requirement).delete()
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        original_name=upload.name[:200],
        content_type=upload.content_type or "",
        size=upload.size,
        sha256=sha256,
    )
    document.file.save(document.sha256, upload, save=False)
    document.save()
    _back_to_draft(application, actor=actor)
    return document


@transaction.atomic
def company_application_save(
    *,
    call: Call,
    actor: User,
    profile,
    answers: dict,
    submit: bool,
    now: datetime.datetime | None = None,
) -> Application:
    """A company manager's application in one step: the company record (registered on first
    use), the application's answers, and — when asked — its submission."""
    now = now or timezone.now()
    _require_open(call, now)
    company = profile.instance
    if company.pk is None:
        taken = Company.objects.filter(business_number=profile.cleaned_data["business_number"])
        if taken.exists():
            raise ApplicationError(
                "이미 등록된 사업자등록번호입니다. 기존 담당자에게 계정 연결을 "
                "요청하거나 전담기관에 문의하세요."
            )
    try:
        with transaction.atomic():
            company = profile.save()
    except IntegrityError as exc:
        raise ApplicationError("이미 등록된 사업자등록번호입니다.") from exc
    company.managers.add(actor)
    consent = bool(answers.pop("consent", False))
    application = application_save(
        call=call, actor=actor, answers=answers, consent=consent, company=company, now=now
    )
    if submit:
        application = application_submit(application=application, actor=actor, now=now)
    return application


@transaction.atomic
def trainee_application_save(
    *,
    call: Call,
    actor: User,
    profile,
    answers: dict,
    submit: bool,
    now: datetime.datetime | None = None,
) -> Application:
    """A trainee's application in one step: their record (created on first use, with the
    track of the call), the answers, and — when asked — the submission."""
    now = now or timezone.now()
    _require_open(call, now)
    trainee = profile.save(commit=False)
    trainee.user = actor
    trainee.preferred_track = call.track
    try:
        with transaction.atomic():
            trainee.save()
    except IntegrityError as exc:
        if trainee.pk is None and Trainee.objects.filter(user=actor).exists():
            # The same person's other request (a double click) registered them a moment ago.
            raise ApplicationError(
                "같은 신청이 방금 저장되었습니다. 내 신청 목록에서 확인하세요."
            ) from exc
        raise ApplicationError("이미 등록된 휴대전화 번호입니다. 전담기관에 문의하세요.") from exc
    consent = bool(answers.pop("consent", False))
    employment_status = answers.pop("employment_status", "")
    application = application_save(
        call=call,
        actor=actor,
        answers=answers,
        consent=consent,
        trainee=trainee,
        employment_status=employment_status,
        now=now,
    )
    if submit:
        application = application_submit(application=application, actor=actor, now=now)
    return application


@transaction.atomic
def organisation_application_save(
    *,
    call: Call,
    actor: User,
    profile,
    answers: dict,
    submit: bool,
    now: datetime.datetime | None = None,
) -> Application:
    """An organisation's application to become an operating group: who it is, the 권역 it
    would run, its plan, and — when asked — the submission."""
    data = profile.cleaned_data
    consent = bool(answers.pop("consent", False))
    application = application_save(
        call=call,
        actor=actor,
        answers={**answers, "zone": data["zone"]},
        consent=consent,
        organisation_name=data["organisation_name"],
        organisation_number=data["business_number"],
        region=data["region"],
        now=now,
    )
    if submit:
        application = application_submit(application=application, actor=actor, now=now)
    return application


# What applicants applied under: once a call has an application these no longer change (the
# title and description may be corrected, the deadline moved later, never earlier).
CALL_RULES = (
    "programme",
    "kind",
    "track",
    "operating_group",
    "opens_at",
    "eligibility",
    "consent_text",
    "consent_version",
    "appeal_days",
)
RULES_LOCKED = (
    "신청서가 접수된 공모입니다. 신청자가 신청한 조건({fields})은 바꿀 수 없습니다. "
    "고칠 수 있는 것은 공고명·공고 내용·근거와 마감 연장뿐입니다."
)


def call_rules_changed(call: Call, before: Call) -> list[str]:
    """The labels of the rules ``call`` (edited, unsaved) changes against ``before``, its
    stored row."""
    changed = [
        str(Call._meta.get_field(name).verbose_name)
        for name in CALL_RULES
        if getattr(before, name) != getattr(call, name)
    ]
    if call.closes_at < before.closes_at:
        changed.append("접수 마감(앞당기기)")
    return changed


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def call_has_applications(call: Call) -> bool:
    """Whether anyone has applied to (or started an application for) ``call``."""
    return call.pk is not None and call.applications.exists()


@transaction.atomic
def call_save(*, form, documents, actor: User) -> Call:
    """Create or edit a call and its documents from the call editor. A new call stays
    unpublished until its scheme is ready (evaluation.services.call_publish). Once anyone has
    applied, the rules they applied under are refused with the fields named."""
    call = form.save(commit=False)
    if call.pk is None:
        call.published_at = None
    else:
        before = Call.objects.select_for_update().get(pk=call.pk)
        for name in ("opens_at", "closes_at"):
            # The form carries minutes: a moment stored with seconds (seeded, imported) and
            # shown unchanged stays as it was.
            if _minute(getattr(call, name)) == _minute(getattr(before, name)):
                setattr(call, name, getattr(before, name))
    if call_has_applications(call):
        changed = call_rules_changed(call, before)
        if documents.has_changed():
            changed.append("제출 서류")
        if changed:
            raise ApplicationError(RULES_LOCKED.format(fields=", ".join(changed)))
    call.full_clean()
    call.save()
    documents.instance = call
    changed = documents.save(commit=False)
    # Deleted first: a new document may take the name of one removed in the same edit.
    for requirement in documents.deleted_objects:
        requirement.delete()
    for requirement in changed:
        requirement.call = call
        requirement.full_clean()
        requirement.save()
    return call


@transaction.atomic
def trainee_call_open(*, group: OperatingGroup, actor: User, form) -> Call:
    """An operating group opens a trainee call for its region, for one track."""
    call = form.save(commit=False)
    call.programme = group.programme
    call.kind = CallKind.TRAINEE
    call.operating_group = group
    call.eligibility = {
        key: form.cleaned_data[key]
        for key in ("birth_year_min", "max_age")
        if form.cleaned_data.get(key)
    }
    call.consent_text = TRAINEE_CONSENT_TEXT
    call.consent_version = TRAINEE_CONSENT_VERSION
    call.source_note = f"{group.name} 개설"
    call.full_clean()
    call.save()
    return call


TRAINEE_CONSENT_VERSION = "trainee-v1"
TRAINEE_CONSENT_TEXT = (
    "「개인정보 보호법」 제15조에 따라 교육생 선발·교육 운영·훈련수당 지급을 위해 성명, 생년월일, "
    "연락처, 주소, 학력을 수집·이용합니다. 보유기간: 사업 종료 후 3년. 동의를 거부할 수 있으나 "
    "거부하면 신청할 수 없습니다. 주민등록번호는 수집하지 않습니다."
)
