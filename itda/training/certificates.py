"""The certificate (수료증) PDF: an HTML template rendered by WeasyPrint in Pretendard GOV
(``itda.lib.pdf`` holds the machinery and the fonts)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from itda.lib.pdf import fonts_missing, render_pdf
from itda.lib.qr import qr_png_data_uri
from itda.training.models import Certificate

__all__ = ["certificate_context", "certificate_pdf", "fonts_missing", "verification_url"]


def verification_url(certificate: Certificate) -> str:
    """The public address the certificate's QR code opens."""
    path = reverse("completion:verify", args=[certificate.verification_code])
    return settings.ITDA_PUBLIC_URL.rstrip("/") + path


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
        "qr": qr_png_data_uri(url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 PDF."""
    return render_pdf(
        html_template="training/certificate/certificate.html",
        css_template="training/certificate/certificate.css",
        context=certificate_context(certificate),
    )
