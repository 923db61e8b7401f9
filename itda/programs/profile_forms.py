"""The forms of a trainee's own record and a company's bank account (Korean messages)."""

from django import forms

from itda.accounts.forms import ReauthForm
from itda.lib.banks import BANK_CHOICES
from itda.lib.forms import SkillsField, mobile_phone_clean
from itda.lib.normalize import digits

# Korean bank account numbers run from 10 to 14 digits; a few banks' older accounts reach 16.
ACCOUNT_DIGITS_MIN, ACCOUNT_DIGITS_MAX = 10, 16
SKILLS_MAX, SKILL_LENGTH_MAX = 30, 50


class TraineeContactForm(forms.Form):
    """Where the programme reaches the trainee."""

    phone = forms.CharField(
        label="휴대전화",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": "휴대전화 번호를 입력하세요."},
    )
    email = forms.EmailField(
        label="이메일",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "이메일 주소를 입력하세요.",
            "invalid": "이메일 주소 형식이 올바르지 않습니다.",
        },
    )

    def clean_phone(self):
        return mobile_phone_clean(self.cleaned_data["phone"])


class TraineeSkillsForm(forms.Form):
    """What the trainee can do; linkage compares it with each position's skills."""

    skills = SkillsField(label="보유 역량")

    def clean_skills(self):
        skills = list(dict.fromkeys(self.cleaned_data["skills"]))  # once each, order kept
        if len(skills) > SKILLS_MAX:
            raise forms.ValidationError(f"보유 역량은 {SKILLS_MAX}개까지 입력할 수 있습니다.")
        long = [s for s in skills if len(s) > SKILL_LENGTH_MAX]
        if long:
            raise forms.ValidationError(
                f"역량 하나는 {SKILL_LENGTH_MAX}자 이내로 입력하세요: {long[0][:20]}…"
            )
        return skills


class BankAccountForm(ReauthForm):
    """A bank account to be paid into: the bank from the list, the number, the holder, and the
    password again (a session left open must not be enough to redirect someone's money)."""

    bank = forms.ChoiceField(
        label="은행",
        choices=[("", "은행을 고르세요"), *BANK_CHOICES],
        error_messages={
            "required": "은행을 고르세요.",
            "invalid_choice": "목록에 있는 은행을 고르세요.",
        },
    )
    account = forms.CharField(
        label="계좌번호",
        max_length=30,
        help_text="숫자만 또는 하이픈(-)을 넣어 입력하세요.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "계좌번호를 입력하세요."},
    )
    holder = forms.CharField(
        label="예금주",
        max_length=50,
        error_messages={
            "required": "예금주 이름을 입력하세요.",
            "max_length": "예금주는 50자 이내로 입력하세요.",
        },
    )
    field_order = ["bank", "account", "holder", "password"]

    def clean_account(self):
        value = self.cleaned_data["account"]
        if any(not (c.isdigit() or c in "- ") for c in value):
            raise forms.ValidationError("계좌번호는 숫자와 하이픈(-)만 입력합니다.")
        number = digits(value)
        if not ACCOUNT_DIGITS_MIN <= len(number) <= ACCOUNT_DIGITS_MAX:
            raise forms.ValidationError(
                f"계좌번호는 숫자 {ACCOUNT_DIGITS_MIN}~{ACCOUNT_DIGITS_MAX}자리입니다."
            )
        return number
