"""Pure money arithmetic for every kind itda pays: plain numbers in, an amount and its
arithmetic out. No Django, no database, no clock (``tests/test_engine_purity.py`` holds the
import boundary), so the set-based SQL can be tested against it on random cases and anyone can
recompute a statement from its stored record.

Every function returns a ``Result``: ``amount_krw`` (integer won) and ``steps``, the arithmetic
as a list of ``Step(key, text, value)`` in the order it was applied; ``Result.as_record()`` is
JSON-ready and is what a statement stores. ``RULE_VERSION`` names this arithmetic; a statement
records it so a later change of the code never silently re-reads an old amount.

The kinds (see ``arithmetic``):
- training allowance per unit period: in full at the rule's rate, pro-rated or nothing below;
  nothing for a person employed when applying (재직자);
- internship allowance / company wage support per month:
  ``monthly × min(attendance days, scheduled days) ÷ the month's working days``;
- the per-person cap across a person's periods in a programme, applied in order;
- 국고금 관리법 제47조①: a payment's part under 10 won is not paid;
- withholding when the programme sets an income class, with no tax under 1,000 won
  (소득세법 제86조, 소액부징수).
"""

from itda.payments.engine.arithmetic import (
    INCOME_CLASSES,
    MIN_TAX_KRW,
    ROUNDING_UNIT_KRW,
    RULE_VERSION,
    Result,
    Step,
    apply_cap,
    caps_in_order,
    floor_to_unit,
    internship_month,
    payable,
    rate_meets,
    training_allowance,
    withholding,
)

__all__ = [
    "INCOME_CLASSES",
    "MIN_TAX_KRW",
    "ROUNDING_UNIT_KRW",
    "RULE_VERSION",
    "Result",
    "Step",
    "apply_cap",
    "caps_in_order",
    "floor_to_unit",
    "internship_month",
    "payable",
    "rate_meets",
    "training_allowance",
    "withholding",
]
