"""Writes for accounts: users, second-factor devices, API tokens, the access log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda.accounts.models import (
    AccessAction,
    AccountLockout,
    ApiToken,
    LoginThrottle,
    PersonalDataAccess,
    TokenRevocation,
    User,
)
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role

USERNAME_TAKEN = "이미 사용 중인 아이디입니다."


def client_ip(request) -> str:
    """The client address. Behind a proxy, the proxy must set REMOTE_ADDR (gunicorn
    --forwarded-allow-ips); X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a value, not a bind


def personal_data_access_record(
    *,
    request,
    subject_type: str,
    subject_ids: Iterable[int],
    action: str = AccessAction.VIEW,
    reason: str = "",
) -> PersonalDataAccess:
    """Write one 접속기록 row for a view, list, export or reveal of personal data."""
    actor = request.user if request.user.is_authenticated else None
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        ip_address=client_ip(request),
        action=action,
        subject_type=subject_type,
        subject_ids=sorted(set(subject_ids)),
        path=request.get_full_path()[:300],
        reason=reason,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    email: str = "",
) -> User:
    """Create a user; the national operator also gets Django-admin rights."""
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        email=email,
        is_staff=role == Role.OPERATOR,
        is_superuser=role == Role.OPERATOR,
    )
    user.set_password(password)
    # The ID's uniqueness is left to the unique index: a concurrent signup with the same ID may
    # commit between any check and this insert. The savepoint keeps the caller's transaction.
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": USERNAME_TAKEN}) from error
    return user


def password_set(*, user: User, password: str) -> User:
    """Give the user a new password (validated by the form). Saving it revokes their API tokens
    (User.save); the caller keeps the current session with update_session_auth_hash."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _over_limit(key: str, limit: int) -> bool:
    # add() is a no-op when the key exists, so the window starts at the first request.
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=3600)
        return False


def password_reset_over_limit(*, ip_address: str) -> bool:
    """Whether this address asked for more reset links in the past hour than
    settings.ITDA_PASSWORD_RESET_PER_HOUR. Counted before looking up any account, so the
    answer says nothing about which e-mails have one."""
    return _over_limit(f"itda:pwreset:ip:{ip_address}", settings.ITDA_PASSWORD_RESET_PER_HOUR)


def password_reset_mail_over_limit(*, email: str) -> bool:
    """Whether links to this e-mail were asked for more often than the hourly limit (from any
    address): further requests are answered the same way but send nothing, so a mailbox cannot
    be flooded."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    return _over_limit(f"itda:pwreset:mail:{digest}", settings.ITDA_PASSWORD_RESET_PER_HOUR)


@transaction.atomic
def totp_device_create(*, user: User) -> TOTPDevice:
    """Give a staff user a confirmed TOTP device (their authenticator-app secret)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=True)


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device (a fresh secret) a user is registering; kept across page loads so
    the QR code scanned first stays the one being confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice) -> None:
    """The user proved the app shows the right codes: it becomes their only device."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


SECOND_FACTOR_KEPT = (
    "이 역할은 로그인할 때 2단계 인증이 필수라 인증 앱을 직접 해제할 수 없습니다."
    " 휴대전화를 바꾸었거나 잃어버렸다면 전담기관에 인증 앱 재설정을 요청하세요."
)


@transaction.atomic
def totp_devices_remove(*, actor: User) -> int:
    """The actor drops their own authenticator app (having given password and code); a role
    that requires a second factor never goes without one: the operator resets theirs."""
    if actor.role in SECOND_FACTOR_ROLES:
        raise ValidationError(SECOND_FACTOR_KEPT)
    removed, _ = TOTPDevice.objects.filter(user=actor).delete()
    return removed


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token; the raw value is returned once and never stored."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.digest_of(raw), prefix=raw[5:13]
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    token.revoked_at = timezone.now()
    token.revoked_reason = TokenRevocation.USER
    token.save(update_fields=["revoked_at", "revoked_reason"])


def lockout_period(lockouts: int):
    """The n-th lockout in a row lasts the base period doubled n-1 times, up to the maximum."""
    doublings = min(lockouts - 1, 16)  # 15 minutes x 2**16 is far past any sane maximum
    return min(settings.ITDA_LOGIN_LOCKOUT_PERIOD * 2**doublings, settings.ITDA_LOGIN_LOCKOUT_MAX)


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str) -> AccountLockout | None:
    """Count a failed password for the account ``username`` (whatever the address) and lock
    the account when the failures reach the limit. Unknown usernames are not counted (django-axes
    still limits each address); failures while locked are refused before the password is checked
    and count for nothing."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(user=user)
    now = timezone.now()
    if throttle.locked_until and throttle.locked_until > now:
        return None
    throttle.failures += 1
    lockout = None
    if throttle.failures >= settings.ITDA_LOGIN_LOCKOUT_FAILURES:
        throttle.lockouts += 1
        throttle.locked_until = now + lockout_period(throttle.lockouts)
        lockout = AccountLockout.objects.create(
            user=user,
            until=throttle.locked_until,
            failures=throttle.failures,
            ip_address=ip_address,
        )
        throttle.failures = 0
    throttle.save()
    return lockout


def login_success_record(*, user: User) -> None:
    """A successful login ends the count: the next lockout starts again from the base period."""
    LoginThrottle.objects.filter(user=user).update(failures=0, lockouts=0, locked_until=None)


@transaction.atomic
def account_lockout_release(*, lockout: AccountLockout, actor: User) -> None:
    """The national operator ends a lockout early (the row keeps who and when). The per-address
    counts of django-axes for the account are cleared too, so the person can log in at once; the
    lockout level stays, so a continued attack is locked out longer next time."""
    lockout.released_at = timezone.now()
    lockout.released_by = actor
    lockout.full_clean()
    lockout.save(update_fields=["released_at", "released_by"])
    LoginThrottle.objects.filter(user_id=lockout.user_id).update(failures=0, locked_until=None)
    axes_reset(username=lockout.user.get_username())
