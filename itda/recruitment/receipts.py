"""The receipt (접수증) of a submitted application: a page to print and a PDF rendered by the
same machinery as the certificates (``itda.lib.pdf``), with a QR code to a public page that
confirms the receipt.

The QR holds a signed token of the receipt number (``django.core.signing``), not the number
itself: receipt numbers run in sequence, so a bare number would let anyone walk the receipts."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from itda.lib.masking import mask_name
from itda.lib.pdf import render_pdf
from itda.lib.qr import qr_png_data_uri
from itda.recruitment.models import Application, ApplicationStatus

_SALT = "itda.recruitment.receipt"
SHA_SHOWN = 12  # hex digits of a document's SHA-256 printed on the receipt


def receipt_token(application: Application) -> str:
    """The token in the receipt's verification link."""
    return signing.Signer(salt=_SALT).sign(application.receipt_number)


def receipt_from_token(token: str) -> Application | None:
    """The submitted application a verification token names, or None (forged, or withdrawn)."""
    try:
        number = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Application.objects.select_related("call", "company", "trainee", "region")
        .filter(receipt_number=number, status=ApplicationStatus.SUBMITTED)
        .first()
    )


def verification_url(application: Application) -> str:
    """The public address the receipt's QR code opens."""
    path = reverse("recruitment:receipt_verify", args=[receipt_token(application)])
    return settings.ITDA_PUBLIC_URL.rstrip("/") + path


def masked_applicant(application: Application) -> str:
    """The applicant as a page for others shows them: a person's name masked, an
    organisation's name in full."""
    if application.trainee_id:
        return mask_name(application.trainee.name)
    return application.applicant_name


def receipt_context(application: Application, *, full_name: bool) -> dict:
    """What the receipt shows: the call, the receipt number and time, the applicant (in full
    only to the applicant), and each document received with its size and SHA-256 prefix."""
    url = verification_url(application)
    return {
        "application": application,
        "applicant": application.applicant_name if full_name else masked_applicant(application),
        "documents": [
            {
                "requirement": d.requirement.name,
                "name": d.original_name,
                "size": d.size,
                "sha256": d.sha256[:SHA_SHOWN],
            }
            for d in application.documents.select_related("requirement").order_by("requirement__pk")
        ],
        "issued_at": timezone.now(),
        "verification_url": url,
        "qr": qr_png_data_uri(url),
    }


def receipt_pdf(context: dict) -> bytes:
    """The receipt as a one-page A4 PDF."""
    return render_pdf(
        html_template="recruitment/receipt/receipt_pdf.html",
        css_template="recruitment/receipt/receipt.css",
        context=context,
    )
