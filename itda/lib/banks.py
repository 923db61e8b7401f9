"""Korean banks: their 금융결제원 codes and the names people write for them (used where an
account is entered and where a bank file is written)."""

import re

# 금융결제원 bank codes, each with the names people write for the bank. Names are compared
# without spaces, "(주)"/"주식회사" and a trailing "은행", Latin letters upper-cased.
_BANKS: dict[str, tuple[str, ...]] = {
    "002": ("KDB산업은행", "산업은행", "한국산업은행", "KDB"),
    "003": ("IBK기업은행", "기업은행", "중소기업은행", "IBK"),
    "004": ("KB국민은행", "국민은행", "KB"),
    "007": ("수협은행", "Sh수협은행", "수협중앙회", "수협"),
    "011": ("NH농협은행", "농협은행", "농협", "NH"),
    "012": ("지역농축협", "지역농협", "단위농협", "농축협", "축협"),
    "020": ("우리은행",),
    "023": ("SC제일은행", "제일은행", "스탠다드차타드은행", "SC"),
    "027": ("한국씨티은행", "씨티은행", "시티은행", "CITI"),
    "031": ("iM뱅크", "대구은행", "DGB대구은행"),
    "032": ("부산은행", "BNK부산은행"),
    "034": ("광주은행",),
    "035": ("제주은행",),
    "037": ("전북은행", "JB전북은행"),
    "039": ("경남은행", "BNK경남은행"),
    "045": ("새마을금고", "MG새마을금고", "새마을금고중앙회", "새마을"),
    "048": ("신협", "신용협동조합", "신협중앙회"),
    "050": ("저축은행", "상호저축은행"),
    "064": ("산림조합", "산림조합중앙회"),
    "071": ("우체국", "우체국예금", "우정사업본부"),
    "081": ("하나은행", "KEB하나은행"),
    "088": ("신한은행",),
    "089": ("케이뱅크", "K뱅크"),
    "090": ("카카오뱅크", "카카오"),
    "092": ("토스뱅크", "토스"),
}


def _bank_key(name: str) -> str:
    key = re.sub(r"\s|\(주\)|주식회사", "", name).upper()
    return key.removesuffix("은행") or key


_BANK_CODES = {_bank_key(name): code for code, names in _BANKS.items() for name in names}


def bank_code(bank_name: str) -> str | None:
    """The 금융결제원 3-digit code of a Korean bank's name (or one of its usual short names, or
    the code itself), or None for a name that is not one of the banks above."""
    name = (bank_name or "").strip()
    if name in _BANKS:
        return name
    return _BANK_CODES.get(_bank_key(name)) if name else None


# For a form's select: the code and the usual full name of each bank, in code order.
BANK_CHOICES = [(code, names[0]) for code, names in _BANKS.items()]


def bank_name(code: str) -> str:
    """The usual full name of the bank with 금융결제원 ``code`` (KeyError for an unknown code)."""
    return _BANKS[code][0]
