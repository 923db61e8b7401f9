"""Writes of a person's or company's own record: a trainee's contact details and skills, and
the bank account the programme pays into (a trainee's allowances, a company's wage support)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from itda.accounts.models import AccessAction
from itda.accounts.services import personal_data_access_record
from itda.lib.banks import bank_name
from itda.lib.masking import mask_account
from itda.lib.normalize import text_key
from itda.programs.models import Company, EmploymentStatus, Trainee

EMPLOYEE_NO_ACCOUNT = (
    "재직자의 계좌번호는 받지 않습니다. 재직자에게는 훈련수당이 지급되지 않습니다."
)


@transaction.atomic
def trainee_contact_update(*, trainee: Trainee, phone: str, email: str) -> Trainee:
    """New phone and e-mail for the trainee (history kept by pghistory); a phone another
    trainee already has is refused."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    trainee.phone, trainee.email = phone, email
    # Only the rules about these two (the phone's uniqueness); the rest of the row is unchanged.
    others = {f.name for f in Trainee._meta.concrete_fields} - {"phone", "email"}
    trainee.validate_constraints(exclude=others)
    trainee.save(update_fields=["phone", "email"])
    return trainee


@transaction.atomic
def trainee_skills_update(*, trainee: Trainee, skills: list[str]) -> Trainee:
    """The trainee's declared skills, which linkage compares with positions'."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    trainee.skills = skills
    trainee.save(update_fields=["skills"])
    return trainee


def holder_differs(payee: Trainee | Company) -> bool:
    """Whether the account's holder is someone other than the payee (compared without spaces
    and "(주)"): the bank may refuse such a transfer, so the page warns."""
    return bool(payee.bank_account) and text_key(payee.bank_holder) != text_key(payee.name)


@transaction.atomic
def bank_account_set(
    *, request, payee: Trainee | Company, bank_code: str, account: str, holder: str
) -> Trainee | Company:
    """Store the payee's bank account (the number encrypted, EncryptedCharField) and write the
    change to the 접속기록 with both numbers masked; the bank and holder also go to the
    record's history. ``request.user`` has given the password again (BankAccountForm)."""
    model = type(payee)
    payee = model.objects.select_for_update().get(pk=payee.pk)
    if isinstance(payee, Trainee) and payee.employment_status == EmploymentStatus.EMPLOYEE:
        raise ValidationError(EMPLOYEE_NO_ACCOUNT)
    before = (
        f"{payee.bank_name} {mask_account(payee.bank_account)}" if payee.bank_account else "없음"
    )
    payee.bank_name, payee.bank_account, payee.bank_holder = bank_name(bank_code), account, holder
    payee.save(update_fields=["bank_name", "bank_account", "bank_holder"])
    personal_data_access_record(
        request=request,
        subject_type=model._meta.label_lower,
        subject_ids=[payee.pk],
        action=AccessAction.CHANGE,
        reason=f"계좌 변경: {before} → {payee.bank_name} {mask_account(account)}",
    )
    return payee
