"""Second-factor enforcement: staff roles and the ministry viewer always, other users once they
have enrolled an authenticator app."""

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
