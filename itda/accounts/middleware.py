"""Second-factor enforcement: staff roles and the ministry viewer always, other users once they
have enrolled an authenticator app."""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who has given only a password may still reach (the TOTP step, its enrolment).
_OPEN_PREFIXES = ("/accounts/", "/static/")


class SecondFactorRequiredMiddleware:
    """A user who needs a second factor and has not passed it reaches nothing but the login
    steps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and user.needs_second_factor  # after is_verified(): it may ask the database
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "2단계 인증이 필요합니다."}, status=401)
            return redirect(reverse("accounts:otp"))
        return self.get_response(request)


class SessionRefreshMiddleware:
    """PIPA 제6조④ idle timeout without a session write on every request: a signed-in user's
    session (its expiry and cookie) is saved again once at least SESSION_REFRESH_SECONDS have
    passed since the last save, so it ends between SESSION_COOKIE_AGE minus that interval and
    SESSION_COOKIE_AGE after the last request — never later than the idle timeout."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now
        return response
