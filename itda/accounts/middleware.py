"""Second-factor enforcement for staff roles."""

from django.shortcuts import redirect
from django.urls import reverse

# Paths a staff user who has given only a password may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/")


class SecondFactorRequiredMiddleware:
    """A staff user whose session has not passed TOTP reaches nothing but the login steps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "2단계 인증이 필요합니다."}, status=401)
            return redirect(reverse("accounts:otp"))
        return self.get_response(request)
