"""Who is calling the API: a bearer token (`Authorization: Bearer itda_...`) or a session.

A token is issued only from a session that passed TOTP, so a token counts as verified. A session
of a staff role must have passed TOTP (the middleware already answers 401 before the API is
reached; checking here too keeps the API safe if the middleware order ever changes). Session auth
checks CSRF on unsafe methods; token auth needs no CSRF because no cookie is involved.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from itda.accounts.models import ApiToken

TOKEN_PREFIX = "itda_"  # noqa: S105 - the public prefix of every token, not a secret
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _token_touch(token: ApiToken) -> None:
    """Record that a token was used, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A conditional update: concurrent requests in the same minute write once.
        ApiToken.objects.filter(pk=token.pk).exclude(
            last_used_at__gt=now - LAST_USED_RESOLUTION
        ).update(last_used_at=now)
        token.last_used_at = now


def _verified() -> bool:
    return True


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer itda_...`; looked up by SHA-256, revoked or expired tokens refused."""

    openapi_description = "내 정보 > API 토큰에서 발급한 토큰 (itda_로 시작)"

    def authenticate(self, request, token: str):
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(
                digest=ApiToken.digest_of(token),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        _token_touch(api_token)
        # A token is issued only from a TOTP-verified session, so its user counts as verified.
        api_token.user.is_verified = _verified
        # The access log, the scope rule and pghistory all read request.user.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class VerifiedSessionAuth(SessionAuth):
    """Django's session; a staff role counts only after TOTP. CSRF is checked on unsafe methods."""

    openapi_description = (
        "웹에서 로그인한 세션 (직원 역할은 2단계 인증 후). 변경 요청에는 CSRF 토큰 필요"
    )

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.needs_second_factor and not user.is_verified():
            return None
        return user


# Token first: a request that carries a valid token needs no session.
AUTH = [ApiTokenAuth(), VerifiedSessionAuth()]
