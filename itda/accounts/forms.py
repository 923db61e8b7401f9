"""Login, second-factor, password and access-log search forms (Korean messages)."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django_otp import match_token

from itda.accounts.models import AccessAction, User, subject_type_choices
from itda.accounts.selectors import account_locked_until
from itda.accounts.services import USERNAME_TAKEN
from itda.lib.forms import BoundedDatesMixin


class LoginForm(AuthenticationForm):
    """Username and password, with messages that do not say which of the two was wrong."""

    error_messages = {
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다.",
        "inactive": "사용이 중지된 계정입니다. 전담기관에 문의하세요.",
        "locked": (
            "비밀번호를 여러 번 잘못 입력하여 계정이 %(until)s까지 잠겼습니다. "
            "잠금 해제는 전담기관에 문의하세요."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "아이디"
        self.fields["password"].label = "비밀번호"
        self.fields["username"].error_messages["required"] = "아이디를 입력하세요."
        self.fields["password"].error_messages["required"] = "비밀번호를 입력하세요."

    def clean(self):
        # A locked account is refused before its password is checked, from any address.
        until = account_locked_until(self.cleaned_data.get("username", ""))
        if until:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
            )
        return super().clean()


class OtpForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.RegexField(
        label="인증번호 (6자리)",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "required": "인증번호를 입력하세요.",
            "invalid": "인증번호는 숫자 6자리입니다.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class OtpRemoveForm(OtpForm):
    """Password and a current code once more: an open session alone does not drop the second
    factor."""

    password = forms.CharField(
        label="비밀번호",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "비밀번호를 입력하세요."},
    )
    field_order = ["password", "token"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        token, password = cleaned.get("token"), cleaned.get("password")
        if token is None or password is None:
            return cleaned
        # The code first: django-otp throttles wrong codes, so without the user's app this
        # form cannot be used to guess the password (no unthrottled password check).
        if match_token(self.user, token) is None:
            self.add_error(
                "token",
                "인증번호가 올바르지 않거나 만료되었습니다. 인증 앱의 새 번호를 입력하세요.",
            )
        elif not self.user.check_password(password):
            self.add_error("password", "비밀번호가 올바르지 않습니다.")
        return cleaned


class AccessLogSearchForm(BoundedDatesMixin, forms.Form):
    """Filters for the 접속기록 search."""

    username = forms.CharField(label="계정", required=False, max_length=150)
    action = forms.ChoiceField(
        label="수행업무", required=False, choices=[("", "전체"), *AccessAction.choices]
    )
    subject_type = forms.ChoiceField(
        label="정보주체 유형", required=False, choices=subject_type_choices
    )
    # The IDs are bigint: a larger number cannot match and would fail in the database.
    subject_id = forms.IntegerField(
        label="정보주체 ID",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "정보주체 ID는 숫자로 입력하세요.",
            "min_value": "정보주체 ID는 1 이상입니다.",
            "max_value": "정보주체 ID가 너무 큽니다. 올바른 ID를 입력하세요.",
        },
    )
    date_from = forms.DateField(
        label="시작일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="종료일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("시작일이 종료일보다 늦습니다.")
        return data


class SignupForm(forms.Form):
    """Self-registration for applicants: company managers and trainees (staff are created by
    the operator)."""

    role = forms.ChoiceField(
        label="가입 유형",
        choices=[
            ("company", "기업·기관 담당자 (참여기업·사업단 신청)"),
            ("trainee", "교육생 (교육 과정 신청)"),
        ],
        widget=forms.RadioSelect,
    )
    username = forms.RegexField(
        label="아이디",
        regex=r"^[a-z0-9][a-z0-9_.-]{3,29}$",
        help_text="영문 소문자·숫자 4~30자",
        error_messages={"invalid": "아이디는 영문 소문자·숫자 4~30자입니다."},
    )
    display_name = forms.CharField(label="이름", max_length=50)
    email = forms.EmailField(label="이메일", help_text="접수 확인 메일을 받을 주소")
    password1 = forms.CharField(
        label="비밀번호",
        widget=forms.PasswordInput,
        help_text="10자 이상, 흔한 비밀번호나 숫자만은 안 됩니다",
    )
    password2 = forms.CharField(label="비밀번호 확인", widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "비밀번호가 서로 다릅니다.")
        elif data.get("password1"):
            # With the would-be user, so a password like the ID, name or e-mail is refused.
            candidate = User(
                username=data.get("username", ""),
                display_name=data.get("display_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(data["password1"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ReauthForm(forms.Form):
    """The account's password once more before a sensitive change. It is checked through
    ``authenticate``, so a wrong password counts towards the login lockouts (django-axes per
    address, LoginThrottle per account) and a session alone cannot be used to guess it."""

    password = forms.CharField(
        label="현재 비밀번호",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "본인 확인을 위해 현재 비밀번호를 입력하세요."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user

    def clean_password(self):
        password = self.cleaned_data["password"]
        username = self.user.get_username()
        until = account_locked_until(username)
        if until is None:
            user = authenticate(self.request, username=username, password=password)
            if user is not None and user.pk == self.user.pk:
                return password
            until = account_locked_until(username)
        if until:
            raise forms.ValidationError(
                LoginForm.error_messages["locked"],
                code="locked",
                params={"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
            )
        raise forms.ValidationError("비밀번호가 올바르지 않습니다.", code="wrong_password")


class NewPasswordMixin:
    """Two entries of the new password, checked by the project's password validators (Korean
    messages from Django's translation)."""

    def _new_password_clean(self, data: dict) -> None:
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "새 비밀번호가 서로 다릅니다.")
        elif new1:
            try:
                validate_password(new1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)


def _new_password_fields():
    return (
        forms.CharField(
            label="새 비밀번호",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text="10자 이상, 흔한 비밀번호나 숫자만은 안 됩니다",
            error_messages={"required": "새 비밀번호를 입력하세요."},
        ),
        forms.CharField(
            label="새 비밀번호 확인",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "새 비밀번호를 한 번 더 입력하세요."},
        ),
    )


class PasswordChangeForm(NewPasswordMixin, ReauthForm):
    """The current password, then the new one twice."""

    new_password1, new_password2 = _new_password_fields()

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") == data.get("new_password1"):
            self.add_error("new_password1", "새 비밀번호가 현재 비밀번호와 같습니다.")
        else:
            self._new_password_clean(data)
        return data


class PasswordSetForm(NewPasswordMixin, forms.Form):
    """The new password from a reset link (the link itself proved who the person is)."""

    new_password1, new_password2 = _new_password_fields()

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        self._new_password_clean(data)
        return data

    def save(self, commit=True):
        from itda.accounts.services import password_set

        return password_set(user=self.user, password=self.cleaned_data["new_password1"])


class PasswordResetRequestForm(DjangoPasswordResetForm):
    """The e-mail address of the account whose password was forgotten."""

    email = forms.EmailField(
        label="가입할 때 등록한 이메일",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "이메일 주소를 입력하세요.",
            "invalid": "이메일 주소 형식이 올바르지 않습니다.",
        },
    )


class OtpEnrolForm(ReauthForm, OtpForm):
    """The code the new app shows; replacing an app already registered also needs the password
    (a session left open is not enough to move the second factor to another phone)."""

    field_order = ["password", "token"]

    def __init__(self, *args, replacing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not replacing:
            del self.fields["password"]
