"""Login with a second factor, its enrolment, the role home dispatch, the user's own page
(password, forgotten password, authenticator app), the access log, account lockouts, API
tokens."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda.accounts import selectors, services
from itda.accounts.forms import (
    AccessLogSearchForm,
    LoginForm,
    OtpEnrolForm,
    OtpForm,
    OtpRemoveForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    PasswordSetForm,
    SignupForm,
)
from itda.accounts.models import AccountLockout, ApiToken
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
from itda.lib.qr import qr_svg

# Each role's home is a named URL of the app that owns the data it shows.
ROLE_HOME = {
    Role.OPERATOR: "outcomes:operator_home",
    Role.GROUP_STAFF: "outcomes:group_home",
    Role.COMPANY: "outcomes:company_home",
    Role.TRAINEE: "outcomes:trainee_home",
    Role.EVALUATOR: "evaluation:evaluator_home",
    Role.VIEWER: "outcomes:viewer_home",
    Role.MENTOR: "internships:mentor_interns",
}

# The role's own records on "내 정보", kept by the app that owns them (named URLs, as above).
ROLE_PROFILE = {
    Role.TRAINEE: ("연락처·보유 역량·계좌", "profile:trainee"),
    Role.COMPANY: ("인건비 지원금 받을 계좌", "profile:companies"),
}


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    """Step one: username and password (django-axes counts failures and locks out)."""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        if user.needs_second_factor:
            return redirect(f"{reverse('accounts:otp')}?next={_next_url(request, '')}")
        return redirect(_next_url(request, reverse("accounts:home")))
    if request.GET.get("expired"):
        messages.info(request, "세션이 만료되었습니다. 다시 로그인하세요.")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, "")})


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request):
    """Step two for staff roles: the TOTP code (django-otp throttles repeated failures)."""
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect(_next_url(request, reverse("accounts:home")))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_enrol")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            # A new session key for the verified session: a key seen before the second factor
            # (e.g. fixed or stolen after the password step) must not become a verified session.
            request.session.cycle_key()
            return redirect(_next_url(request, reverse("accounts:home")))
        form.add_error(
            "token", "인증번호가 올바르지 않거나 만료되었습니다. 인증 앱의 새 번호를 입력하세요."
        )
    return render(request, "accounts/otp.html", {"form": form, "next": _next_url(request, "")})


@sensitive_post_parameters("password", "token")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Register an authenticator app: required for SECOND_FACTOR_ROLES (first login), optional
    for companies and trainees. A user who already has one must have passed it in this session
    and gives the password again to replace it (a new phone)."""
    user = request.user
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if replacing and not user.is_verified():
        return redirect(f"{reverse('accounts:otp')}?next={reverse('accounts:otp_enrol')}")
    device = services.totp_enrolment_start(user=user)
    form = OtpEnrolForm(request.POST or None, request=request, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.totp_enrolment_confirm(device=device)
            otp_login(request, device)
            request.session.cycle_key()  # as at the TOTP step: a new key for a verified session
            if replacing:
                messages.success(
                    request, "인증 앱을 새로 등록했습니다. 이전 앱의 번호는 더 쓰이지 않습니다."
                )
            else:
                messages.success(
                    request, "2단계 인증(인증 앱)을 등록했습니다. 로그인할 때 사용합니다."
                )
            return redirect("accounts:profile")
        form.add_error(
            "token", "인증번호가 올바르지 않습니다. 인증 앱에 등록한 뒤 표시된 번호를 입력하세요."
        )
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url, label="인증 앱 등록 QR 코드"),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": user.role in SECOND_FACTOR_ROLES,
            "enrolled": replacing,
        },
    )


@sensitive_post_parameters("password", "token")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_remove(request):
    """A user whose role does not require a second factor removes their authenticator app,
    giving password and a current code again (the second-factor middleware has already asked
    for the app at login); a required role is told to ask the operator."""
    user = request.user
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    required = user.role in SECOND_FACTOR_ROLES
    form = OtpRemoveForm(request.POST or None, user=user)
    if request.method == "POST" and enrolled and not required and form.is_valid():
        services.totp_devices_remove(actor=user)
        messages.success(request, "인증 앱을 해제했습니다. 다음 로그인부터 비밀번호만 입력합니다.")
        return redirect("accounts:home")
    return render(
        request,
        "accounts/otp_remove.html",
        {
            "form": form,
            "enrolled": enrolled,
            "required": required,
            "kept": services.SECOND_FACTOR_KEPT,
        },
        status=403 if request.method == "POST" and required else 200,
    )


@require_POST
def logout_view(request):
    """End the session on the server side."""
    logout(request)
    messages.success(request, "로그아웃되었습니다.")
    return redirect("accounts:login")


def home(request):
    """Send each role to its own home page."""
    return redirect(ROLE_HOME[request.user.role])


@never_cache
@require_safe
def profile(request):
    """내 정보: the account, its password and authenticator app, and the role's own records."""
    user = request.user
    role_page = ROLE_PROFILE.get(user.role)
    return render(
        request,
        "accounts/profile.html",
        {
            "otp_enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "otp_required": user.role in SECOND_FACTOR_ROLES,
            "role_page": (role_page[0], reverse(role_page[1])) if role_page else None,
        },
    )


@sensitive_post_parameters("password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change one's password, giving the current one; this session stays signed in, others end
    (Django ties sessions to the password hash) and API tokens are revoked."""
    form = PasswordChangeForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = services.password_set(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "비밀번호를 바꾸었습니다. 다른 기기의 로그인은 끝났습니다.")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


def _reset_valid_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


@login_not_required
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link by e-mail. Every well-formed request gets the same answer, whether
    or not an account has the address (no account enumeration); only a real account's
    address receives a mail."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        if services.password_reset_over_limit(ip_address=services.client_ip(request)):
            return render(
                request,
                "accounts/password_reset_limited.html",
                {"per_hour": settings.ITDA_PASSWORD_RESET_PER_HOUR},
                status=429,
            )
        if form.is_valid():
            if not services.password_reset_mail_over_limit(email=form.cleaned_data["email"]):
                form.save(
                    request=request,
                    use_https=request.is_secure(),
                    subject_template_name="accounts/password_reset_subject.txt",
                    email_template_name="accounts/password_reset_email.txt",
                    extra_email_context={"valid_minutes": _reset_valid_minutes()},
                )
            return redirect("accounts:password_reset_sent")
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, "valid_minutes": _reset_valid_minutes()},
    )


@login_not_required
@require_safe
def password_reset_sent(request):
    """The one answer to every reset request."""
    return render(
        request, "accounts/password_reset_sent.html", {"valid_minutes": _reset_valid_minutes()}
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the mail: a new password, once, within PASSWORD_RESET_TIMEOUT (Django's
    token changes with the password and the last login, so a used link stops working)."""

    form_class = PasswordSetForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_not_required
@require_safe
def password_reset_complete(request):
    """The new password is set: log in with it."""
    return render(request, "accounts/password_reset_complete.html")


@never_cache
def access_log(request):
    """The national operator searches the 접속기록 (PIPA 제8조)."""
    if request.user.role != Role.OPERATOR:
        return HttpResponseForbidden(render_to_string("403.html", request=request))
    form = AccessLogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.access_log_search(user=request.user, filters=filters).select_related(None)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    template = "accounts/_access_log_rows.html" if request.htmx else "accounts/access_log.html"
    return render(request, template, {"form": form, "page_obj": page})


@never_cache
@require_safe
def lockouts(request):
    """The national operator sees account lockouts (those in force first) and may end one."""
    if request.user.role != Role.OPERATOR:
        return HttpResponseForbidden(render_to_string("403.html", request=request))
    rows = selectors.lockouts_for_operator(user=request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/lockouts.html",
        {
            "page_obj": page,
            "failures": settings.ITDA_LOGIN_LOCKOUT_FAILURES,
            "period_minutes": int(settings.ITDA_LOGIN_LOCKOUT_PERIOD.total_seconds() // 60),
            "max_hours": int(settings.ITDA_LOGIN_LOCKOUT_MAX.total_seconds() // 3600),
        },
    )


@require_POST
def lockout_release(request, pk: int):
    """End a lockout in force early; the row records who did it and when."""
    if request.user.role != Role.OPERATOR:
        return HttpResponseForbidden(render_to_string("403.html", request=request))
    lockout = get_object_or_404(
        AccountLockout.objects.visible_to(request.user).select_related("user"),
        pk=pk,
        released_at__isnull=True,
        until__gt=timezone.now(),
    )
    services.account_lockout_release(lockout=lockout, actor=request.user)
    messages.success(request, f"{lockout.user.get_username()} 계정의 잠금을 해제했습니다.")
    return redirect("accounts:lockouts")


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """A user issues and revokes their own API tokens."""
    new_raw = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 100:
            messages.error(request, "토큰 용도를 1~100자로 입력하세요.")
        else:
            _, new_raw = services.api_token_create(user=request.user, name=name)
            messages.success(
                request, "새 토큰이 발급되었습니다. 이 화면을 벗어나면 다시 볼 수 없습니다."
            )
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": tokens,
            "new_raw": new_raw,
            "lifetime_days": settings.ITDA_API_TOKEN_LIFETIME.days,
        },
    )


@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of one's own tokens (another user's token answers 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    services.api_token_revoke(token=token)
    messages.success(request, "토큰을 폐기했습니다.")
    return redirect("accounts:api_tokens")


@login_not_required
def csrf_failure(request, reason=""):
    """A missing or wrong CSRF token: explain in Korean, change nothing."""
    return render(request, "accounts/csrf_failure.html", status=403)


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes lockout: too many failed logins from this address for this account (the
    per-account lockout over all addresses is a form error of the login page)."""
    return render(request, "accounts/locked_out.html", status=429)


@login_not_required
@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """An applicant opens an account (company manager or trainee) and is logged in."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                password=data["password1"],
                role=Role(data["role"]),
                display_name=data["display_name"],
                email=data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="itda.accounts.backends.LockoutAwareModelBackend")
            messages.success(request, "가입했습니다. 공모를 골라 신청하세요.")
            return redirect("recruitment:call_list")
    return render(request, "accounts/signup.html", {"form": form})
