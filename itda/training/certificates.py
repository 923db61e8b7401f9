"""The certificate (수료증) PDF: an HTML template rendered by WeasyPrint in Pretendard GOV.

The web build serves a subset of Pretendard GOV (about 2,800 of the 11,172 Hangul syllables),
which a real name can fall outside of; a certificate uses the full font from the
``pretendard-gov`` npm package instead. WeasyPrint embeds only the glyphs a document uses.

WeasyPrint (and Pango under it) is imported on first use, so the rest of the site runs where
Pango is missing. Its font configuration and the parsed stylesheet are made once per process
and reused for every document: parsing the stylesheet and loading the font faces is most of
the cost of a one-page document.
"""

from __future__ import annotations

import atexit
import base64
import functools
import io

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from itda.training.models import Certificate

FONT_DIR = settings.BASE_DIR / "node_modules" / "pretendard-gov" / "dist" / "public" / "static"
FONT_FILES = {
    400: FONT_DIR / "alternative" / "PretendardGOV-Regular.ttf",
    700: FONT_DIR / "alternative" / "PretendardGOV-Bold.ttf",
}
FONT_FAMILY = "Pretendard GOV"


def fonts_missing() -> list[str]:
    """Font files the certificate needs that are not installed (``npm ci`` installs them)."""
    return [str(path) for path in FONT_FILES.values() if not path.is_file()]


@functools.cache
def _renderer():
    """WeasyPrint's font configuration and the certificate stylesheet, once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if missing := fonts_missing():
        raise ImproperlyConfigured(f"Certificate fonts are missing (run `npm ci`): {missing}")
    faces = "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{path.as_uri()}"); }}'
        for weight, path in FONT_FILES.items()
    )
    font_config = FontConfiguration()
    # Dropped before interpreter shutdown, while the Pango bindings its finaliser calls exist.
    atexit.register(_renderer.cache_clear)
    stylesheet = CSS(
        string=faces + render_to_string("training/certificate/certificate.css"),
        font_config=font_config,
    )
    return font_config, stylesheet


def verification_url(certificate: Certificate) -> str:
    """The public address the certificate's QR code opens."""
    path = reverse("completion:verify", args=[certificate.verification_code])
    return settings.ITDA_PUBLIC_URL.rstrip("/") + path


def _qr_data_uri(url: str) -> str:
    """The QR code as a PNG of one pixel per module, drawn sharp at print size (a vector path of
    the same code costs WeasyPrint more to parse than the rest of the page)."""
    import qrcode

    # Any mask pattern scans; fixing one skips trying all eight (most of qrcode's time).
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=2, mask_pattern=0
    )
    code.add_data(url)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_context(certificate: Certificate) -> dict:
    """What the certificate shows (no resident registration number: itda never holds one)."""
    enrollment = certificate.enrollment
    cohort = enrollment.cohort
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "trainee": enrollment.trainee,
        "cohort": cohort,
        "course": cohort.course,
        "hours": cohort.course.total_hours,
        "issuer": f"{cohort.course.operating_group.name}장",
        "issued_on": timezone.localtime(certificate.issued_at).date(),
        "verification_url": url,
        "qr": _qr_data_uri(url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 PDF."""
    from weasyprint import HTML

    font_config, stylesheet = _renderer()
    html = render_to_string(
        "training/certificate/certificate.html", certificate_context(certificate)
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
