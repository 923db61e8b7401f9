"""Users, their roles, API tokens and the personal-data access log (접속기록)."""

import hashlib
import secrets
from datetime import datetime

import pghistory
import pgtrigger
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
from itda.lib.dates import validate_era


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    """Django's user manager with the scope rule."""


# PIPA 제5조③: grants and changes of roles are kept; secrets are not copied into history.
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who logs in; what they may see follows from role and their own records."""

    role = models.CharField("역할", max_length=20, choices=Role.choices)
    display_name = models.CharField("이름", max_length=50, blank=True)

    objects = ScopedUserManager()
    scope = ScopePaths(person="pk")

    class Meta:
        verbose_name = "사용자"
        verbose_name_plural = "사용자"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message="알 수 없는 역할입니다.",
            ),
        ]

    @property
    def needs_second_factor(self) -> bool:
        """Required for SECOND_FACTOR_ROLES; anyone else who enrolled an authenticator app uses
        it too (an enrolled factor that could be skipped would protect nothing)."""
        return (
            self.role in SECOND_FACTOR_ROLES or self.totpdevice_set.filter(confirmed=True).exists()
        )

    def save(self, *args, **kwargs):
        # An API token must not outlive the credential it was issued under: a new password or
        # a deactivation revokes every live token (reactivating the account brings none back).
        if self._state.adding:
            revocation = None
        elif self._password is not None:
            revocation = TokenRevocation.PASSWORD
        elif not self.is_active:
            revocation = TokenRevocation.DEACTIVATED
        else:
            revocation = None
        super().save(*args, **kwargs)
        if revocation:
            self.api_tokens.filter(revoked_at__isnull=True).update(
                revoked_at=timezone.now(), revoked_reason=revocation
            )

    def __str__(self) -> str:
        return self.display_name or self.username


class TokenRevocation(models.TextChoices):
    USER = "user", "사용자가 폐기"
    PASSWORD = "password", "비밀번호 변경"
    DEACTIVATED = "deactivated", "계정 사용 중지"


def api_token_expiry() -> datetime:
    """When a token issued now expires (settings.ITDA_API_TOKEN_LIFETIME)."""
    return timezone.now() + settings.ITDA_API_TOKEN_LIFETIME


@pghistory.track(exclude=["digest", "last_used_at"])
class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("용도", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        "만료일시", default=api_token_expiry, validators=[validate_era]
    )
    last_used_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    revoked_reason = models.CharField(
        "폐기 사유", max_length=20, choices=TokenRevocation.choices, blank=True
    )

    class Meta:
        verbose_name = "API 토큰"
        verbose_name_plural = "API 토큰"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                name="api_token_revocation_has_reason",
                violation_error_message="폐기된 토큰에는 폐기 사유가 있어야 합니다.",
            ),
        ]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return "itda_" + secrets.token_urlsafe(32)


class AccessAction(models.TextChoices):
    VIEW = "view", "조회"
    LIST = "list", "목록 조회"
    EXPORT = "export", "내보내기"
    REVEAL = "reveal", "마스킹 해제"
    CHANGE = "change", "변경"
    DENIED = "denied", "접근 거부"


def subject_type_label(subject_type: str) -> str:
    """The kind of record a 접속기록 row is about, in Korean: "training.enrollment" → "수강".
    (Looked up by name so that accounts imports no later app.)"""
    try:
        return str(apps.get_model(subject_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return subject_type


def subject_type_choices() -> list[tuple[str, str]]:
    """Every kind of scoped record, for the 접속기록 search, by its Korean name."""
    scoped = {
        model._meta.label_lower: str(model._meta.verbose_name)
        for model in apps.get_models()
        if isinstance(getattr(model, "scope", None), ScopePaths)
    }
    return [("", "전체"), *sorted(scoped.items(), key=lambda item: item[1])]


@pgtrigger.register(
    pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class PersonalDataAccess(models.Model):
    """접속기록: who saw whose personal data, when, from where, doing what (append-only)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    actor_username = models.CharField("계정", max_length=150)
    at = models.DateTimeField("일시", auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField("접속지")
    action = models.CharField("수행업무", max_length=10, choices=AccessAction.choices)
    subject_type = models.CharField("정보주체 유형", max_length=50)
    subject_ids = ArrayField(models.BigIntegerField(), verbose_name="정보주체 ID")
    path = models.CharField("경로", max_length=300)
    reason = models.CharField("사유", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths()  # the national operator only

    class Meta:
        verbose_name = "개인정보 접속기록"
        verbose_name_plural = "개인정보 접속기록"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor_username", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="export") | ~models.Q(reason=""),
                name="access_export_needs_reason",
                violation_error_message="개인정보를 내려받으려면 사유를 적어야 합니다.",
            ),
        ]

    @property
    def subject_label(self) -> str:
        return subject_type_label(self.subject_type)


class LoginThrottle(models.Model):
    """Failed passwords for one account counted over all addresses (django-axes counts per
    address), and the lockout they led to. One row per account that ever failed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="login_throttle",
    )
    failures = models.PositiveIntegerField("연속 실패", default=0)
    lockouts = models.PositiveIntegerField("연속 잠금 횟수", default=0)  # sets the next period
    locked_until = models.DateTimeField(
        "잠금 종료", null=True, blank=True, validators=[validate_era]
    )

    class Meta:
        verbose_name = "로그인 실패 집계"
        verbose_name_plural = "로그인 실패 집계"


class AccountLockout(models.Model):
    """One lockout of an account, for the national operator, who may end it early."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lockouts",
        verbose_name="계정",
    )
    started_at = models.DateTimeField(
        "잠금 시작", auto_now_add=True, db_index=True, validators=[validate_era]
    )
    until = models.DateTimeField("잠금 종료", validators=[validate_era])
    failures = models.PositiveIntegerField("실패 횟수")
    ip_address = models.GenericIPAddressField("마지막 실패 접속지")
    released_at = models.DateTimeField(
        "해제 일시", null=True, blank=True, validators=[validate_era]
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="해제한 사람",
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths()  # the national operator only

    class Meta:
        verbose_name = "계정 잠금"
        verbose_name_plural = "계정 잠금"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | models.Q(released_at__isnull=False, released_by__isnull=False),
                name="lockout_release_names_who",
                violation_error_message="잠금 해제에는 해제한 사람과 일시가 함께 있어야 합니다.",
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.released_at is None and self.until > timezone.now()
