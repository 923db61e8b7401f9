"""PDFs from HTML templates, rendered by WeasyPrint in Pretendard GOV (certificates, payment
confirmations).

The web build serves a subset of Pretendard GOV (about 2,800 of the 11,172 Hangul syllables),
which a real name can fall outside of; a PDF uses the full font from the ``pretendard-gov`` npm
package instead. WeasyPrint embeds only the glyphs a document uses.

WeasyPrint (and Pango under it) is imported on first use, so the rest of the site runs where
Pango is missing. Its font configuration and each parsed stylesheet are made once per process
and reused for every document: parsing the stylesheet and loading the font faces is most of
the cost of a one-page document.
"""

from __future__ import annotations

import atexit
import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

FONT_DIR = settings.BASE_DIR / "node_modules" / "pretendard-gov" / "dist" / "public" / "static"
FONT_FILES = {
    400: FONT_DIR / "alternative" / "PretendardGOV-Regular.ttf",
    700: FONT_DIR / "alternative" / "PretendardGOV-Bold.ttf",
}
FONT_FAMILY = "Pretendard GOV"


def fonts_missing() -> list[str]:
    """Font files the PDFs need that are not installed (``npm ci`` installs them)."""
    return [str(path) for path in FONT_FILES.values() if not path.is_file()]


@functools.cache
def _font_config():
    """WeasyPrint's font configuration, once per process."""
    from weasyprint.text.fonts import FontConfiguration

    if missing := fonts_missing():
        raise ImproperlyConfigured(f"PDF fonts are missing (run `npm ci`): {missing}")
    # Dropped before interpreter shutdown, while the Pango bindings its finaliser calls exist.
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheet.cache_clear)
    return FontConfiguration()


@functools.cache
def _stylesheet(css_template: str):
    """The font faces and one document kind's stylesheet, parsed once per process."""
    from weasyprint import CSS

    faces = "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{path.as_uri()}"); }}'
        for weight, path in FONT_FILES.items()
    )
    return CSS(string=faces + render_to_string(css_template), font_config=_font_config())


def render_pdf(*, html_template: str, css_template: str, context: dict) -> bytes:
    """The template rendered with ``context`` as a PDF, in Pretendard GOV only."""
    from weasyprint import HTML

    font_config = _font_config()
    stylesheet = _stylesheet(css_template)
    html = render_to_string(html_template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
