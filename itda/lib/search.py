"""Server-side search of registries: what a person types in one search box, read as a phone
number, a business registration number or a name.

Phone numbers are stored as typed (010-1234-5678, 01012345678, …), so they are compared on their
digits, from the end: "1234-5678", "01012345678" and "010-1234-5678" all find 010-1234-5678. The
reversed digits make that a prefix search, which a b-tree expression index answers
(``phone_suffix_index``), so it stays fast on 100,000 trainees without the pg_trgm extension.
"""

from __future__ import annotations

import operator
import re
from functools import reduce

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Func, Q, QuerySet, Value
from django.db.models.functions import Reverse

from itda.lib.normalize import digits, phone_key

# Fewer digits than this are too common to mean a number (a "2" in a name search box).
MIN_NUMBER_DIGITS = 4

_NUMBER_LIKE = re.compile(r"^[\d\s\-+().]+$")


def reversed_digits(field: str) -> Func:
    """The digits of ``field``, last first: the expression phone searches compare with."""
    return Reverse(Func(F(field), Value(r"\D"), Value(""), Value("g"), function="regexp_replace"))


def phone_suffix_index(field: str, *, name: str) -> models.Index:
    """The index that makes ``phone_suffix_q`` a prefix scan (text_pattern_ops: LIKE 'x%'
    uses a b-tree only with it under a non-C collation)."""
    return models.Index(OpClass(reversed_digits(field), name="text_pattern_ops"), name=name)


def typed_number(text: str) -> str:
    """The digits of what was typed when it reads as a number (phone, BRN), else ""."""
    text = (text or "").strip()
    if not _NUMBER_LIKE.match(text):
        return ""
    number = digits(text)
    return number if len(number) >= MIN_NUMBER_DIGITS else ""


def phone_suffix_q(field: str, number: str) -> Q:
    """Rows whose phone in ``field`` ends with the digits ``number`` (+82 folded to 0).
    Needs ``.alias(**{phone_alias(field): reversed_digits(field)})`` on the queryset."""
    return Q(**{f"{phone_alias(field)}__startswith": phone_key(number)[::-1]})


def phone_alias(field: str) -> str:
    """The alias under which a queryset carries ``reversed_digits(field)``."""
    return f"_{field.replace('__', '_')}_rev_digits"


def search(rows: QuerySet, text: str, *, names=(), phones=(), numbers=()) -> QuerySet:
    """``rows`` matching what was typed in one box: a number against the ``phones`` fields
    (by their tail) and the ``numbers`` fields (BRN: any part of the digits); anything else
    against the ``names`` fields. Nothing typed: every row."""
    if number := typed_number(text):
        rows = rows.alias(**{phone_alias(field): reversed_digits(field) for field in phones})
        matches = [phone_suffix_q(field, number) for field in phones]
        matches += [Q(**{f"{field}__contains": number}) for field in numbers]
    elif text := (text or "").strip():
        matches = [Q(**{f"{field}__icontains": text}) for field in names]
    else:
        return rows
    return rows.filter(reduce(operator.or_, matches)) if matches else rows.none()
