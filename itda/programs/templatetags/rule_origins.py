"""Template tags that show where a rule or date comes from, in the same words on every page.

``{% rule_value subject "cutoff" value %}`` marks the value (``data-rule``) and, unless
``badge=False``, follows it with ``{% rule_origin subject "cutoff" %}``: a badge (원문 / 원문 해석 /
itda 기본값 — 운영지침 확인 필요 / 운영지침, ``data-origin-kind``) and a <details> with the quote,
document, place, reading or precedent. ``subject`` is a key prefix or an object with
``rule_origin_prefix`` (a programme, a call, a training or allowance rule, a plan). A key the
registry does not hold (a programme the operator entered) shows the bare value and no claim."""

from __future__ import annotations

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

from itda.programs.models import DatePrecision, RuleOrigin

register = template.Library()


def _registry(context) -> dict[str, RuleOrigin]:
    """Every origin, read once per request (a page shows a dozen of them)."""
    request = context.get("request")
    holder = request.__dict__ if request is not None else context.render_context
    if "_rule_origins" not in holder:
        holder["_rule_origins"] = {
            o.key: o for o in RuleOrigin.objects.select_related("confirmed_by")
        }
    return holder["_rule_origins"]


def rule_key(subject, name: str = "") -> str:
    """``subject``'s prefix and ``name`` joined by a dot."""
    prefix = subject if isinstance(subject, str) else subject.rule_origin_prefix
    return f"{prefix}.{name}" if name else prefix


@register.simple_tag(takes_context=True)
def rule_origin(context, subject, name: str = "") -> str:
    """The origin badge and its details for one key; nothing when the key is not registered."""
    key = rule_key(subject, name)
    origin = _registry(context).get(key)
    if origin is None:
        return ""
    return render_to_string("programs/_rule_origin.html", {"origin": origin})


@register.simple_tag(takes_context=True)
def rule_value(context, subject, name: str, value, suffix: str = "", badge: bool = True) -> str:
    """``value`` marked as the rule ``key`` (and its origin badge after it)."""
    key = rule_key(subject, name)
    if key not in _registry(context):
        return format_html("{}{}", value, suffix)
    marked = format_html('<span class="itda-rule" data-rule="{}">{}{}</span>', key, value, suffix)
    if not badge:
        return marked
    return format_html("{} {}", marked, rule_origin(context, key))


@register.simple_tag(takes_context=True)
def rule_disagreements(context, subject) -> str:
    """A "원문이 서로 다릅니다" notice for every registered origin under ``subject`` whose sources
    disagree."""
    prefix = rule_key(subject) + "."
    registry = _registry(context)
    rows = [registry[k] for k in sorted(registry) if k.startswith(prefix)]
    rows = [o for o in rows if o.disagreement]
    if not rows:
        return ""
    return render_to_string("programs/_rule_disagreements.html", {"origins": rows})


@register.filter
def at_precision(value: datetime.date | None, precision: str) -> str:
    """A date as exact as its source: 2026년 8월 (a month), 2021년 (a year), or the day."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}년"
    if precision == DatePrecision.MONTH:
        return f"{value.year}년 {value.month}월"
    return f"{value.year}년 {value.month}월 {value.day}일"
