"""Users, their roles, API tokens and the personal-data access log (접속기록)."""

import hashlib
import secrets

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths
from itda.accounts.roles import STAFF_ROLES, Role
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
        return self.role in STAFF_ROLES

    def __str__(self) -> str:
        return self.display_name or self.username


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
    last_used_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[validate_era])

    class Meta:
        verbose_name = "API 토큰"
        verbose_name_plural = "API 토큰"

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
    DENIED = "denied", "접근 거부"


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
