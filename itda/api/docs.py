"""The API docs page: Swagger UI from the files django-ninja ships, served by the API itself.

The site's CSP allows scripts and styles from 'self' only, and there is no network, so ninja's
CDN template cannot work. ninja's package holds swagger-ui's bundle and an init script that reads
its settings from a JSON block (no inline script); we render our own page around them and serve
those files from ninja's package folder, so nothing needs ninja in INSTALLED_APPS or
collectstatic.
"""

from __future__ import annotations

from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.cache import patch_cache_control
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",
        "swagger-ui-bundle.js.map",
        "swagger-ui-init.js",
        "swagger-ui.css",
        "swagger-ui.css.map",
        "favicon.svg",
        "favicon.png",
    }
)


class LocalSwagger(DocsBase):
    """Swagger UI with local assets only; works under `script-src 'self'; style-src 'self'`."""

    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            # The validator badge would call validator.swagger.io.
            "validatorUrl": None,
        }
        # Rendered without the site's context processors: the page has no site navigation.
        html = get_template(self.template).render(
            {"api": api, "swagger_settings": settings, "csrf_token": get_token(request)}
        )
        return HttpResponse(html)


def asset_response(name: str) -> FileResponse:
    """One of the Swagger UI files ninja ships; anything else is a 404."""
    if name not in ASSETS:
        raise Http404
    response = FileResponse((ASSET_DIR / name).open("rb"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
