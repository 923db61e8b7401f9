"""Writes for accounts: users, second-factor devices, API tokens, the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda.accounts.models import AccessAction, ApiToken, PersonalDataAccess, User
from itda.accounts.roles import Role

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


@transaction.atomic
def totp_device_create(*, user: User) -> TOTPDevice:
    """Give a staff user a confirmed TOTP device (their authenticator-app secret)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=True)


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
    token.save(update_fields=["revoked_at"])
