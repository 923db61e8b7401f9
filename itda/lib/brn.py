"""사업자등록번호 (business registration number): the NTS check digit and a collision-free
sequence of valid numbers for synthetic companies.

A number is ``XXX-XX-XXXXX``: a 3-digit tax-office code, a 2-digit kind code (81, 86, 87, 88:
a corporation's head office), a 4-digit serial and a check digit.
Validation serves forms and imports; the sequence serves demo data and test factories.
"""

from __future__ import annotations

from collections.abc import Iterator

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)

# Corporations' head offices (법인 본점): the kind codes demo companies use.
_CORPORATE_KINDS = ("81", "86", "87", "88")
_SERIALS = 10_000
# A stride coprime to 10,000 spreads consecutive companies over the serial range.
_SERIAL_STRIDE = 7_919


def brn_check_digit(first9: str) -> int:
    """The NTS check digit for the first nine digits of a 사업자등록번호."""
    if len(first9) != 9 or not first9.isdigit():
        raise ValueError("nine digits expected")
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def brn_is_valid(number: str) -> bool:
    """True for ten digits (dashes allowed) whose last digit is the check digit."""
    compact = number.replace("-", "")
    if len(compact) != 10 or not compact.isdigit():
        return False
    return brn_check_digit(compact[:9]) == int(compact[9])


def brn_format(number: str) -> str:
    """``1234567890`` → ``123-45-67890``."""
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def brn_sequence(count: int, *, offices: list[str], offset: int = 0) -> Iterator[str]:
    """``count`` distinct valid numbers, deterministic for the arguments.

    Index i maps one-to-one onto (office, kind, serial): i modulo the number of (office, kind)
    pairs picks the pair, so neighbours get different tax offices, and the quotient picks the
    serial through an affine permutation of 0…9999. Numbers never repeat, with no rejection
    sampling. Capacity: len(offices) × 4 × 10,000.
    """
    pairs = [(office, kind) for kind in _CORPORATE_KINDS for office in offices]
    if len(set(pairs)) != len(pairs):
        raise ValueError("tax-office codes must be distinct")
    if offset + count > len(pairs) * _SERIALS:
        raise ValueError("not enough distinct numbers for this many companies")
    for i in range(offset, offset + count):
        office, kind = pairs[i % len(pairs)]
        serial = (i // len(pairs) * _SERIAL_STRIDE + 1_234) % _SERIALS
        first9 = f"{office}{kind}{serial:04d}"
        yield f"{first9}{brn_check_digit(first9)}"


def brn_clean(raw: str) -> str:
    """The ten digits of a 사업자등록번호 typed any usual way, or a Korean ValidationError."""
    from django.core.exceptions import ValidationError

    from itda.lib.normalize import digits

    number = digits(raw)
    if len(number) != 10:
        raise ValidationError("사업자등록번호는 숫자 10자리입니다.")
    if not brn_is_valid(number):
        raise ValidationError("사업자등록번호가 올바르지 않습니다 (검증번호 불일치).")
    return number
