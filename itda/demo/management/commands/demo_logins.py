"""Print one demo login per role (and the TOTP secret for roles that need a second factor)."""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from itda.demo.selectors import demo_links, demo_logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "데모 계정(역할별 하나)과 2단계 인증이 필요한 역할의 TOTP 비밀키를 보여줍니다."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="기본 ITDA_PUBLIC_URL")

    def handle(self, *args, base_url, **options):
        base_url = (base_url or settings.ITDA_PUBLIC_URL).rstrip("/")
        logins = demo_logins(base_url=base_url)
        if not logins:
            raise CommandError(
                "데모 계정이 없습니다. 먼저 `python manage.py generate_demo`를 실행하세요."
            )
        header = ("역할", "아이디", "비밀번호", "첫 화면", "이름")
        rows = [
            (lg.role.label, lg.username, lg.password, lg.home_url, lg.display_name) for lg in logins
        ]
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        out = self.stdout
        out.write(f"데모 계정 — 로그인: {base_url}/accounts/login/")
        out.write("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
        out.write("  ".join("-" * w for w in widths))
        for row in rows:
            out.write("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        with_totp = [lg for lg in logins if lg.totp_secret]
        if with_totp:
            out.write("")
            out.write(
                "직원 역할과 부처·지자체 열람자는 2단계 인증(TOTP)이 필요합니다. "
                "인증 앱에 아래 비밀키(base32)나 otpauth URI를 등록하세요."
            )
            name_width = max(_width(lg.username) for lg in with_totp)
            for lg in with_totp:
                out.write(f"{_pad(lg.username, name_width)}  {lg.totp_secret}")
                out.write(f"{' ' * name_width}  {lg.totp_uri}")
        links = demo_links(base_url=base_url)
        if links:
            out.write("")
            for label, url in links:
                out.write(f"{label}: {url}")
