"""The scoped registries of companies and trainees (the role homes are in outcomes).

Every read of a company's or a person's record goes through ``itda.accounts.access``: the scope
rule, a 404 for what is not yours, and a 접속기록 row for what you saw.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.exports import ReasonForm, personal_export_view
from itda.accounts.roles import Role
from itda.lib import masking
from itda.programs import services
from itda.programs.forms import (
    CompanySearchForm,
    RegionChangeForm,
    RuleOriginConfirmForm,
    TraineeSearchForm,
)
from itda.programs.models import Company, OriginKind, RuleOrigin, Trainee
from itda.programs.selectors import company_search, trainee_search

_REGISTRY_ROLES = (Role.OPERATOR, Role.GROUP_STAFF)


@never_cache
def company_list(request):
    """Companies in the user's scope, searched and masked where personal."""
    require_role(request, *_REGISTRY_ROLES, Role.COMPANY)
    form = CompanySearchForm(request.GET)
    page = personal_page(request, company_search(**form.filters()))
    return render(request, "programs/registry/company_list.html", {"page_obj": page, "form": form})


@never_cache
def company_detail(request, pk: int):
    """One company; another region's company answers 404."""
    company = personal_detail(request, Company.objects.select_related("region", "complex"), pk)
    return render(request, "programs/registry/company_detail.html", _company_page(request, company))


def _company_page(request, company: Company) -> dict:
    """A company's page: the record and, for staff, its moves and the region form."""
    return {"company": company, **_region_page(request, company)}


@never_cache
def trainee_list(request):
    """Trainees in the user's scope, searched by name or phone, masked."""
    require_role(request, *_REGISTRY_ROLES)
    form = TraineeSearchForm(request.GET)
    page = personal_page(request, trainee_search(**form.filters()))
    return render(request, "programs/registry/trainee_list.html", {"page_obj": page, "form": form})


@never_cache
def trainee_detail(request, pk: int):
    """One trainee, masked; another region's trainee answers 404."""
    require_role(request, *_REGISTRY_ROLES, Role.TRAINEE)
    trainee = personal_detail(request, Trainee.objects.select_related("region"), pk)
    return render(request, "programs/registry/trainee_detail.html", _trainee_page(request, trainee))


def _trainee_page(request, trainee: Trainee, **context) -> dict:
    """A trainee's page: the record, the reveal form and, for staff, the person's moves and the
    region form."""
    return {
        "trainee": trainee,
        "form": ReasonForm(),
        "revealed": False,
        **_region_page(request, trainee),
        **context,
    }


def _place(subject: Trainee | Company) -> str:
    """What the region is of this subject: 거주지 (a person), 소재지 (a company)."""
    return subject._meta.get_field("region").verbose_name


def _region_page(request, subject: Trainee | Company) -> dict:
    """The moves so far (staff only: the subject does not see the reasons) and, for the staff
    who may move the subject, the region form."""
    staff = request.user.role in _REGISTRY_ROLES
    may_move = staff and services.region_may_change(request.user, subject)
    return {
        "place": _place(subject),
        "region_form": RegionChangeForm(place=_place(subject)) if may_move else None,
        "region_changes": (
            subject.region_changes.select_related("old_region", "new_region", "actor")
            if staff
            else []
        ),
    }


def _region_change(request, queryset, pk: int, *, page, template: str, detail: str):
    """Staff of the subject's current region (or the operator) move it to another, logged; the
    subject's page again, with the form's errors, when the move is refused."""
    require_role(request, *_REGISTRY_ROLES)
    subject = personal_detail(request, queryset, pk)
    form = RegionChangeForm(request.POST, place=_place(subject))
    if form.is_valid():
        try:
            services.region_change(
                subject=subject,
                region=form.cleaned_data["region"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"{_place(subject)}를 변경하고 사유를 기록했습니다.")
            return redirect(detail, pk=pk)
    context = page(request, subject)
    if context["region_form"] is None:
        raise PermissionDenied
    return render(request, template, {**context, "region_form": form}, status=400)


@never_cache
@require_POST
def trainee_region_change(request, pk: int):
    """Staff of the person's current region (or the operator) move them to another, logged."""
    return _region_change(
        request,
        Trainee.objects.select_related("region"),
        pk,
        page=_trainee_page,
        template="programs/registry/trainee_detail.html",
        detail="registry:trainee_detail",
    )


@never_cache
@require_POST
def company_region_change(request, pk: int):
    """Staff of the company's current region (or the operator) move it to another, logged."""
    return _region_change(
        request,
        Company.objects.select_related("region", "complex"),
        pk,
        page=_company_page,
        template="programs/registry/company_detail.html",
        detail="registry:company_detail",
    )


@never_cache
@require_POST
def trainee_reveal(request, pk: int):
    """Full values of one trainee's record, for a stated reason, logged as a reveal."""
    require_role(request, *_REGISTRY_ROLES)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        trainee = personal_detail(request, Trainee.objects.select_related("region"), pk)
        return render(
            request,
            "programs/registry/trainee_detail.html",
            _trainee_page(request, trainee, form=form),
            status=400,
        )
    trainee = personal_detail(
        request,
        Trainee.objects.select_related("region"),
        pk,
        action="reveal",
        reason=form.cleaned_data["reason"],
    )
    messages.info(request, "열람 사유와 함께 접속기록에 남았습니다.")
    return render(
        request,
        "programs/registry/trainee_detail.html",
        _trainee_page(request, trainee, form=form, revealed=True),
    )


def _trainee_row(t: Trainee, full: bool) -> list:
    if full:
        return [
            t.name,
            t.birth_date.isoformat(),
            t.phone,
            t.email,
            t.region.name,
            t.address,
            t.get_education_display(),
            t.major,
            t.preferred_track.name if t.preferred_track else "",
        ]
    return [
        masking.mask_name(t.name),
        masking.mask_birth_date(t.birth_date),
        masking.mask_phone(t.phone),
        masking.mask_email(t.email),
        t.region.name,
        masking.mask_address(t.address),
        t.get_education_display(),
        t.major,
        t.preferred_track.name if t.preferred_track else "",
    ]


_TRAINEE_HEADERS = [
    "성명",
    "생년월일",
    "휴대전화",
    "이메일",
    "거주 시·도",
    "주소",
    "최종학력",
    "전공",
    "희망 트랙",
]


@never_cache
def trainee_export(request):
    """Download the trainees in the user's scope as Excel: a reason first, always logged."""
    require_role(request, *_REGISTRY_ROLES)
    return personal_export_view(
        request,
        queryset=Trainee.objects.select_related("region", "preferred_track").order_by("pk"),
        title="교육생",
        headers=_TRAINEE_HEADERS,
        row=_trainee_row,
        filename="trainees",
        template="programs/registry/export.html",
    )


_COMPANY_HEADERS = [
    "기업명",
    "사업자등록번호",
    "대표자",
    "유형",
    "규모",
    "업종",
    "시·도",
    "산업단지",
    "주소",
    "상시근로자",
    "대표전화",
]


def _company_row(c: Company, full: bool) -> list:
    return [
        c.name,
        c.business_number,
        c.representative if full else masking.mask_name(c.representative),
        c.get_kind_display(),
        c.get_size_display(),
        c.industry,
        c.region.name,
        c.complex.name if c.complex else "",
        c.address,
        c.employees,
        c.phone,
    ]


@never_cache
def company_export(request):
    """Download the companies in the user's scope as Excel: a reason first, always logged."""
    require_role(request, *_REGISTRY_ROLES)
    return personal_export_view(
        request,
        queryset=Company.objects.select_related("region", "complex").order_by("pk"),
        title="기업",
        headers=_COMPANY_HEADERS,
        row=_company_row,
        filename="companies",
        template="programs/registry/export.html",
    )


@never_cache
def rule_origins(request):
    """The national operator's list of every rule's origin, defaults awaiting the 운영지침
    first, each with a form to record the official one."""
    require_role(request, Role.OPERATOR)
    origins = RuleOrigin.objects.select_related("confirmed_by").order_by(
        # Defaults are what the operator has to check; then readings, sources, official.
        models.Case(
            *(models.When(kind=k, then=i) for i, k in enumerate(_ORIGIN_ORDER)),
            default=len(_ORIGIN_ORDER),
        ),
        "key",
    )
    return render(
        request,
        "programs/registry/rule_origins.html",
        {"origins": origins, "form": RuleOriginConfirmForm()},
    )


_ORIGIN_ORDER = [OriginKind.DEFAULT, OriginKind.READING, OriginKind.SOURCE, OriginKind.OFFICIAL]


@require_POST
def rule_origin_confirm(request, pk: int):
    """Record the official document for one rule (the operator only)."""
    require_role(request, Role.OPERATOR)
    origin = get_object_or_404(RuleOrigin, pk=pk)
    form = RuleOriginConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("registry:rule_origins")
    services.rule_origin_confirm(key=origin.key, **form.cleaned_data, actor=request.user)
    messages.success(request, f"'{origin.label}'의 출처를 운영지침으로 확정했습니다.")
    return redirect("registry:rule_origins")
