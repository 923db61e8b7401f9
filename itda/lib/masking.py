"""Masking of personal data for lists and default views (홍*동, 010-****-5678)."""

import re


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 남궁민수 → 남**수, 김수 → 김*."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678 (any separator; digits kept only at both ends)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 9:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_account(account: str) -> str:
    """123-456-7890 → 123-****-7890."""
    digits = re.sub(r"\D", "", account)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_email(email: str) -> str:
    """hong@example.kr → ho**@example.kr."""
    local, _, domain = email.partition("@")
    keep = local[:2]
    return f"{keep}{'*' * max(len(local) - 2, 1)}@{domain}" if domain else "*" * len(email)


def mask_birth_date(value) -> str:
    """Only the year is shown: 1999-**-**."""
    return f"{value.year}-**-**"


def mask_address(address: str) -> str:
    """Only the first two words (시·도 and 시·군·구) are shown."""
    words = address.split()
    return " ".join(words[:2] + ["***"]) if len(words) > 2 else address
