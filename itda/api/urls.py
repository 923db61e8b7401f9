"""/api/v1/: the ninja API. Every view is exempt from LoginRequiredMiddleware: the API answers
401 JSON itself instead of redirecting to the login page."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt

from itda.api.api import api
from itda.api.errors import NOT_FOUND


def _exempt_from_login_redirect(patterns) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_login_redirect(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)


@login_not_required
@csrf_exempt
def not_found(request, rest=""):
    """An unknown path under /api/v1/ answers JSON like the API does, not the HTML 404 page."""
    return JsonResponse({"detail": NOT_FOUND}, status=404)


# Not named app_name: include() would read a module-level app_name as this module's namespace.
_patterns, _app, _namespace = api.urls
_exempt_from_login_redirect(_patterns)

urlpatterns = [
    path("v1/", (_patterns, _app, _namespace)),
    re_path(r"^v1/(?P<rest>.*)$", not_found),
]
