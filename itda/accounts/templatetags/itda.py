"""Template filters: masking of personal data, Korean number and date formats, particles."""

from decimal import Decimal

from django import template
from django.utils import dateformat

from itda.lib import korean, masking

register = template.Library()

register.filter("mask_name", masking.mask_name)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_account", masking.mask_account)
register.filter("mask_email", masking.mask_email)
register.filter("mask_birth_date", masking.mask_birth_date)
register.filter("mask_address", masking.mask_address)


@register.filter
def won(value) -> str:
    """400000 → 400,000원."""
    if value in (None, ""):
        return "-"
    return f"{int(value):,}원"


@register.filter
def number(value) -> str:
    """A Decimal without trailing zeros, with thousands separators: 63.80 → 63.8."""
    if value in (None, ""):
        return "-"
    value = Decimal(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dict lookups with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def percent(value) -> str:
    """A rate as people read it: Decimal("0.8") → 80.00%."""
    if value in (None, ""):
        return "-"
    return f"{Decimal(value) * 100:.2f}%"


@register.filter
def josa(value, pair: str) -> str:
    """``{{ complex.name|josa:"이/가" }}`` → 남동국가산업단지가: the particle that fits the word."""
    return korean.josa(value, pair)


@register.filter(expects_localtime=True)
def kdate(value, fmt: str) -> str:
    """``date`` with a one-letter weekday for ``D``: ``{{ day|kdate:"n/j(D)" }}`` → 12/7(월)."""
    if value in (None, ""):
        return ""
    return korean.weekday(value).join(dateformat.format(value, part) for part in fmt.split("D"))


@register.filter
def page_links(page):
    """The page numbers the pagination draws for ``page``: the first and last, two either side
    of the current one, None for each gap; bounded, however many pages there are."""
    return [
        None if num == page.paginator.ELLIPSIS else num
        for num in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
