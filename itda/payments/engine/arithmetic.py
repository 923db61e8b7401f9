"""The arithmetic of every money kind (see the package docstring). Integer won throughout;
rates are Decimal (or their string form) and compared exactly, never as floats."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

# Bumped whenever an amount this module returns for the same inputs changes.
RULE_VERSION = "money-2026.1"
# 국고금 관리법 제47조①: "10원 미만의 끝수가 있을 때에는 그 끝수는 계산하지 아니하고".
ROUNDING_UNIT_KRW = 10
# 소득세법 제86조 (소액부징수): withholding tax under 1,000 won is not collected.
MIN_TAX_KRW = 1_000
# Income classes a programme may set, with the income-tax rate withheld from the gross amount.
# Local income tax is a tenth of the income tax (지방세법 제103조의13). The rates are the
# statutory withholding rates; which class an allowance falls in is the programme's decision.
INCOME_CLASSES: dict[str, tuple[str, Decimal]] = {
    # 소득세법 제129조①3호: 사업소득 3%.
    "business": ("사업소득", Decimal("0.03")),
    # 소득세법 제129조①6호 20% of the amount less 60% deemed expenses (제37조②): 8% of the gross.
    "other": ("기타소득", Decimal("0.08")),
}

PRORATE = "prorate"


@dataclass(frozen=True)
class Step:
    """One line of the arithmetic: a key for code, the words for people, the value it gave."""

    key: str
    text: str
    value: int | str | None = None


@dataclass(frozen=True)
class Result:
    """An amount and the steps that made it; ``gross_krw``, for what a statement pays, is the
    amount before withholding (the per-person cap counts it, not the net)."""

    amount_krw: int
    steps: tuple[Step, ...] = field(default_factory=tuple)
    gross_krw: int | None = None

    def as_record(self) -> dict:
        """JSON-ready: the amount, the gross when known, the rule version and every step."""
        gross = {} if self.gross_krw is None else {"gross_krw": self.gross_krw}
        return {
            "amount_krw": self.amount_krw,
            **gross,
            "rule_version": RULE_VERSION,
            "steps": [{"key": s.key, "text": s.text, "value": s.value} for s in self.steps],
        }

    def then(self, other: Result) -> Result:
        """This result's steps followed by ``other``'s, with ``other``'s amount."""
        return Result(other.amount_krw, self.steps + other.steps)


def _pct(rate: Decimal) -> str:
    """A rate as a percentage cut (not rounded) to two places: 0.7999 → 79.99%, 0.8 → 80%."""
    text = f"{(rate * 100).quantize(Decimal('0.01'), rounding='ROUND_DOWN'):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _exact(numerator: int, denominator: int) -> str:
    """numerator ÷ denominator written to two decimals, cut (not rounded), with "…" when the
    division goes on: the figure people check before the cuts."""
    whole, rest = divmod(numerator, denominator)
    cents, more = divmod(rest * 100, denominator)
    text = f"{whole:,}" if not cents and not more else f"{whole:,}.{cents:02d}"
    return text + ("…" if more else "")


def rate_meets(credited: int, planned: int, min_rate: Decimal | str) -> bool:
    """credited / planned ≥ min_rate, compared exactly: 79.9% fails an 80% rule."""
    return planned > 0 and Decimal(credited) >= Decimal(min_rate) * planned


def training_allowance(
    *,
    amount_krw: int,
    full_rate: Decimal | str,
    shortfall: str,
    credited: int,
    planned: int,
    employed: bool = False,
) -> Result:
    """One unit period's training allowance by the rule, before the per-person cap: the full
    amount at ``full_rate``; below it pro-rated by credited sessions (remainder under one won
    dropped) when ``shortfall`` is ``"prorate"``, otherwise nothing. Nothing for a person
    employed when applying, and nothing for a period without sessions."""
    if employed:
        return Result(
            0, (Step("ineligible", "신청 시 재직자: 훈련수당은 구직자에게만 지급 → 0원", 0),)
        )
    if planned == 0:
        return Result(0, (Step("no_sessions", "이 단위기간에 훈련 차시가 없어 0원", 0),))
    rate = Decimal(full_rate)
    ratio = f"출석 인정 {credited}차시 / 훈련 {planned}차시 = {_pct(Decimal(credited) / planned)}"
    if rate_meets(credited, planned, rate):
        text, amount = f"{ratio} ≥ {_pct(rate)} → {amount_krw:,}원", amount_krw
    elif shortfall == PRORATE:
        amount = amount_krw * credited // planned
        text = (
            f"{ratio} < {_pct(rate)} → {amount_krw:,}원 × {credited} / {planned} = "
            f"{amount:,}원 (원 미만 버림)"
        )
    else:
        text, amount = f"{ratio} < {_pct(rate)} → 미지급 0원", 0
    return Result(amount, (Step("by_rule", text, amount),))


def internship_month(
    *, monthly_krw: int, attendance_days: int, scheduled_days: int, working_days: int
) -> Result:
    """One internship month (to the intern or the company): the monthly amount for the days
    counted — ``min(attendance, scheduled)`` — over the month's working days, cut to 10 won
    (국고금 관리법 제47조①). A full month fully attended is exactly the monthly amount; a partial
    month, an absence or a part-week agreement is paid in proportion (itda 기본값; 근로기준법
    제18조's pro-rata rule for part-time work is the precedent)."""
    if working_days <= 0:
        raise ValueError("working_days must be positive")
    counted = max(0, min(attendance_days, scheduled_days))
    product = monthly_krw * counted
    whole = product // working_days
    steps = [
        Step(
            "counted",
            f"인정 근무일 = min(출근 {attendance_days}일, 예정 {scheduled_days}일) = {counted}일",
            counted,
        ),
        Step(
            "prorated",
            f"{monthly_krw:,}원 × {counted}일 ÷ {working_days}일(그 달 근무일) = "
            f"{_exact(product, working_days)}원"
            + (f" → 원 미만 버림 {whole:,}원" if product % working_days else ""),
            whole,
        ),
    ]
    cut = floor_to_unit(whole)
    if cut != whole:
        steps.append(Step("rounding", f"10원 미만 버림(국고금 관리법 제47조) → {cut:,}원", cut))
    return Result(cut, tuple(steps))


def caps_in_order(amounts: list[int], cap_krw: int | None) -> list[tuple[int, int]]:
    """The per-person cap over a person's periods in order: for each amount by the rule,
    ``(prior, capped)`` — what the earlier periods came to under the cap, and what is left of
    the cap for this one. Capping each at what is left makes the earlier capped amounts sum to
    ``min(cap, their uncapped sum)`` (the set-based SQL relies on it)."""
    out, before = [], 0
    for amount in amounts:
        if cap_krw is None:
            out.append((0, amount))
        else:
            prior = min(cap_krw, before)
            out.append((prior, min(amount, cap_krw - prior)))
        before += amount
    return out


def apply_cap(amount_krw: int, *, cap_krw: int | None, prior_krw: int, basis: str = "") -> Result:
    """An amount by the rule under the per-person cap, given what earlier periods came to;
    ``basis`` says where the cap comes from, in words."""
    if cap_krw is None:
        return Result(amount_krw)
    left = max(0, cap_krw - prior_krw)
    capped = min(amount_krw, left)
    if capped == amount_krw:
        return Result(amount_krw)
    text = (
        f"1인당 한도 {cap_krw:,}원{basis} − 이 사업에서 앞서 산정된 {prior_krw:,}원 = "
        f"남은 한도 {left:,}원 → "
        f"{capped:,}원"
    )
    return Result(capped, (Step("cap", text, capped),))


def floor_to_unit(amount_krw: int) -> int:
    """The amount less its part under 10 won (국고금 관리법 제47조①); negative amounts (a
    clawback) are cut towards zero, so no more is reclaimed than was overpaid."""
    sign = -1 if amount_krw < 0 else 1
    return sign * (abs(amount_krw) // ROUNDING_UNIT_KRW * ROUNDING_UNIT_KRW)


def withholding(gross_krw: int, *, income_class: str | None) -> Result:
    """Tax withheld from a payment: none when the programme sets no income class; otherwise the
    class's income-tax rate, cut to 10 won, not collected under 1,000 won (소액부징수), plus
    local income tax of a tenth of it. The amount is the total withheld."""
    if not income_class:
        return Result(0)
    label, rate = INCOME_CLASSES[income_class]
    tax = floor_to_unit(int(gross_krw * rate))
    steps = [
        Step("income_tax", f"{label} 원천징수 {gross_krw:,}원 × {_pct(rate)} = {tax:,}원", tax)
    ]
    if tax < MIN_TAX_KRW:
        steps.append(Step("small_tax", "소득세 1,000원 미만 → 징수하지 않음(소액부징수)", 0))
        return Result(0, tuple(steps))
    local = floor_to_unit(tax // 10)
    steps.append(Step("local_tax", f"지방소득세 {tax:,}원 × 10% = {local:,}원", local))
    return Result(tax + local, tuple(steps))


def payable(
    by_rule: Result, *, cap_krw: int | None = None, prior_krw: int = 0, income_class=None
) -> Result:
    """What a statement pays: the amount by the rule, under the per-person cap, cut to 10 won
    (the gross), less withholding. Every step is kept; the amount is the net paid."""
    result = by_rule.then(apply_cap(by_rule.amount_krw, cap_krw=cap_krw, prior_krw=prior_krw))
    gross = floor_to_unit(result.amount_krw)
    if gross != result.amount_krw:
        result = result.then(
            Result(
                gross,
                (Step("rounding", f"10원 미만 버림(국고금 관리법 제47조) → {gross:,}원", gross),),
            )
        )
    tax = withholding(gross, income_class=income_class)
    if tax.steps:
        net = gross - tax.amount_krw
        result = result.then(Result(net, tax.steps + (Step("net", f"실지급액 {net:,}원", net),)))
    return replace(result, gross_krw=gross)
