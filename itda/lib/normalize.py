"""Normalisation of identifiers people type in many ways, so duplicates can be caught."""

import re
import unicodedata


def digits(value: str) -> str:
    """Only the digits, after folding full-width forms (１２３ → 123)."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))


def phone_key(value: str) -> str:
    """010-1234-5678, 010 1234 5678, +82 10-1234-5678, ０１０１２３４５６７８ → 01012345678."""
    d = digits(value)
    if d.startswith("82") and len(d) in (11, 12):
        d = "0" + d[2:]
    return d


def text_key(value: str) -> str:
    """Case, width and spacing folded: '(주) 잇다 정밀' and '㈜잇다정밀' give the same key."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    folded = folded.replace("(주)", "").replace("주식회사", "")
    return re.sub(r"[\s\-_.,·()]", "", folded)
