"""A trainee's own record (contact details, skills, bank account) and a company's bank account
for wage support, edited by the people themselves from "내 정보".

Reads go through ``itda.accounts.access`` like every read of personal data: the scope rule, a
404 for another's record, a 접속기록 row for each look and each change.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import Role
from itda.lib.banks import bank_code
from itda.lib.korean import josa
from itda.lib.masking import mask_account
from itda.programs import profiles
from itda.programs.models import Company, EmploymentStatus, Trainee
from itda.programs.profile_forms import BankAccountForm, TraineeContactForm, TraineeSkillsForm


def _own_trainee(request) -> Trainee | None:
    """The signed-in trainee's record (logged), or None before their first application."""
    require_role(request, Role.TRAINEE)
    pk = Trainee.objects.visible_to(request.user).filter(user=request.user).values("pk").first()
    return personal_detail(request, Trainee.objects, pk["pk"]) if pk else None


def _bank_context(payee) -> dict:
    return {
        "masked_account": mask_account(payee.bank_account) if payee.bank_account else "",
        "holder_differs": profiles.holder_differs(payee),
    }


def _bank_form(request, payee) -> BankAccountForm:
    initial = {"bank": bank_code(payee.bank_name) or "", "holder": payee.bank_holder or payee.name}
    return BankAccountForm(request.POST or None, request=request, initial=initial)


def _bank_page(request, payee, *, back: str):
    """The bank form of a trainee or a company: saved (password again, logged) then back to
    ``back``, or shown with its errors."""
    form = _bank_form(request, payee)
    if request.method == "POST" and form.is_valid():
        payee = profiles.bank_account_set(
            request=request,
            payee=payee,
            bank_code=form.cleaned_data["bank"],
            account=form.cleaned_data["account"],
            holder=form.cleaned_data["holder"],
        )
        _bank_saved(request, payee)
        return redirect(back)
    return render(
        request,
        "programs/profile/bank.html",
        {"payee": payee, "form": form, "back": back, **_bank_context(payee)},
    )


def _bank_saved(request, payee) -> None:
    if profiles.holder_differs(payee):
        messages.warning(
            request,
            f"계좌를 저장했습니다. 다만 예금주({payee.bank_holder})가 "
            f"{josa(payee.name, '과/와')} 다릅니다. 명의가 다르면 이체가 반려될 수 있습니다.",
        )
    else:
        messages.success(request, "계좌를 저장했습니다.")


@never_cache
@require_http_methods(["GET", "POST"])
def trainee_profile(request):
    """The trainee's contact details and skills (each saved on its own), and their bank account,
    masked, with a link to change it."""
    trainee = _own_trainee(request)
    if trainee is None:
        return render(request, "programs/profile/trainee.html", {"trainee": None})
    section = request.POST.get("section") if request.method == "POST" else None
    contact = TraineeContactForm(
        request.POST if section == "contact" else None,
        initial={"phone": trainee.phone, "email": trainee.email},
    )
    skills = TraineeSkillsForm(
        request.POST if section == "skills" else None, initial={"skills": trainee.skills}
    )
    if section == "contact" and contact.is_valid():
        try:
            profiles.trainee_contact_update(trainee=trainee, **contact.cleaned_data)
        except ValidationError as error:
            contact.add_error(None, error.messages)
        else:
            messages.success(request, "연락처를 저장했습니다.")
            return redirect("profile:trainee")
    if section == "skills" and skills.is_valid():
        profiles.trainee_skills_update(trainee=trainee, skills=skills.cleaned_data["skills"])
        messages.success(request, "보유 역량을 저장했습니다. 인턴십 연계에서 자리와 비교합니다.")
        return redirect("profile:trainee")
    return render(
        request,
        "programs/profile/trainee.html",
        {
            "trainee": trainee,
            "contact_form": contact,
            "skills_form": skills,
            "takes_account": trainee.employment_status == EmploymentStatus.JOB_SEEKER,
            **_bank_context(trainee),
        },
        status=400 if section in ("contact", "skills") else 200,
    )


@sensitive_post_parameters("password", "account")
@never_cache
@require_http_methods(["GET", "POST"])
def trainee_bank(request):
    """The trainee's account for allowances: a change needs the password and is logged."""
    trainee = _own_trainee(request)
    if trainee is None or trainee.employment_status != EmploymentStatus.JOB_SEEKER:
        return redirect("profile:trainee")
    return _bank_page(request, trainee, back="profile:trainee")


@never_cache
@require_safe
def companies(request):
    """The companies the manager acts for, each with its wage-support account, masked."""
    require_role(request, Role.COMPANY)
    page = personal_page(request, Company.objects.order_by("name", "pk"))
    rows = [(company, _bank_context(company)) for company in page.object_list]
    return render(request, "programs/profile/companies.html", {"page_obj": page, "rows": rows})


@sensitive_post_parameters("password", "account")
@never_cache
@require_http_methods(["GET", "POST"])
def company_bank(request, pk: int):
    """A company's account for wage support, changed by its own managers only (another
    company's id is a 404)."""
    require_role(request, Role.COMPANY)
    company = personal_detail(request, Company.objects, pk)
    return _bank_page(request, company, back="profile:companies")
