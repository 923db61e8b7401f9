"""Reads for the demo: one login per role, with the TOTP secret for roles that need one, and
the links to try a QR roll call and a certificate's verification."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.accounts.views import ROLE_HOME
from itda.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD
from itda.training.models import Certificate, Session


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    display_name: str
    home_url: str
    totp_secret: str = ""  # base32, as authenticator apps expect
    totp_uri: str = ""  # otpauth://totp/…, for a QR code


def totp_secret_base32(device: TOTPDevice) -> str:
    """The device's secret (stored as hex) in the base32 form authenticator apps take."""
    return base64.b32encode(bytes.fromhex(device.key)).decode()


def demo_logins(*, base_url: str = "") -> list[DemoLogin]:
    """The demo accounts that exist, in role order; links start at ``base_url`` (by default
    ``ITDA_PUBLIC_URL``)."""
    base_url = base_url or settings.ITDA_PUBLIC_URL
    names = [a.username for a in DEMO_ACCOUNTS]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    devices = {
        d.user_id: d
        for d in TOTPDevice.objects.filter(user__in=users.values(), confirmed=True).order_by("pk")
    }
    logins = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        device = devices.get(user.pk)
        logins.append(
            DemoLogin(
                username=user.username,
                password=DEMO_PASSWORD,
                role=Role(user.role),
                display_name=user.display_name,
                home_url=base_url + reverse(ROLE_HOME[user.role]),
                totp_secret=totp_secret_base32(device) if device else "",
                totp_uri=device.config_url if device else "",
            )
        )
    return logins


def demo_links(*, base_url: str = "") -> list[tuple[str, str]]:
    """(label, address) of the pages a visitor tries beside the logins: the QR roll call of the
    next session (staff open it in the room) and a certificate's public verification page (the
    address its QR code holds); only those the demo data has."""
    base_url = base_url or settings.ITDA_PUBLIC_URL
    links = []
    sessions = Session.objects.order_by("starts_at", "pk")
    session = sessions.filter(ends_at__gte=timezone.now()).first() or sessions.last()
    if session is not None:
        links.append(
            ("출석 QR 화면", base_url + reverse("attendance:qr_display", args=[session.pk]))
        )
    certificate = Certificate.objects.order_by("pk").first()
    if certificate is not None:
        path = reverse("completion:verify", args=[certificate.verification_code])
        links.append(("수료증 진위 확인(QR)", base_url + path))
    return links
