"""Reads for the training allowance: the lines people may see, and the arithmetic behind each
amount in words (what was counted, which rule version, how the amount follows)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from itda.payments.models import AllowanceLine, AllowanceRule, Shortfall
from itda.training.models import Cohort
from itda.training.selectors import rate_meets


def allowance_amount(rule: AllowanceRule, *, credited: int, planned: int) -> int:
    """The amount for a unit period in whole won: in full at the rule's rate, otherwise pro-rated
    by credited days (remainder below one won dropped) or nothing, as the rule says. The same
    arithmetic as the computation's SQL; the tests hold them equal."""
    if planned == 0:
        return 0
    if rate_meets(credited, planned, rule.full_rate):
        return rule.amount_krw
    if rule.shortfall == Shortfall.PRORATE:
        return rule.amount_krw * credited // planned
    return 0


def _pct(value: Decimal) -> str:
    """A rate as a percentage without rounding up: 0.7999 → 79.99%, 0.8 → 80%."""
    text = f"{(value * 100).quantize(Decimal('0.01'), rounding='ROUND_DOWN'):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _days_needed(rule: AllowanceRule, planned: int) -> int:
    """The fewest credited days that reach the full-payment rate (exact, no float)."""
    return math.ceil(rule.full_rate * planned)


@dataclass(frozen=True)
class Explanation:
    counting: str  # how the credited days follow from the records
    arithmetic: str  # how the amount follows from the days and the rule
    projection: str  # what the rest of the period can still change


def line_explain(line: AllowanceLine) -> Explanation:
    """The words behind one line's amount, for staff and for the trainee."""
    rule = line.rule
    per = line.enrollment.cohort.rule.incidents_per_absence
    counting = f"출석(공결 포함) {line.attended}일"
    if line.incidents:
        counting += (
            f" − 지각·조퇴 {line.incidents}회({per}회당 1일) {line.attended - line.credited}일"
        )
    counting += f" = 출석 인정 {line.credited}일"
    ratio = f"출석 인정 {line.credited}일 / 훈련일 {line.planned}일 = {_pct(line.rate)}"
    threshold = _pct(rule.full_rate)
    if line.planned == 0:
        arithmetic = "이 단위기간에 훈련일이 없어 0원"
    elif rate_meets(line.credited, line.planned, rule.full_rate):
        arithmetic = f"{ratio} ≥ {threshold} → {line.amount_krw:,}원"
    elif rule.shortfall == Shortfall.PRORATE:
        arithmetic = (
            f"{ratio} < {threshold} → {rule.amount_krw:,}원 × {line.credited} / {line.planned}"
            f" = {line.amount_krw:,}원 (원 미만 버림)"
        )
    else:
        arithmetic = f"{ratio} < {threshold} → 미지급 0원"
    return Explanation(
        counting=counting,
        arithmetic=arithmetic,
        projection=line_projection(line),
    )


def line_projection(line: AllowanceLine) -> str:
    """What the trainee gets if they attend every remaining day, and how many they may miss."""
    rule = line.rule
    remaining = line.planned - line.ended
    if remaining == 0:
        return f"단위기간의 훈련일이 모두 지났습니다. 산정액 {line.amount_krw:,}원"
    best = line.credited + remaining
    text = (
        f"남은 {remaining}일을 모두 출석하면 출석 인정 {best}일 / {line.planned}일 → "
        f"{allowance_amount(rule, credited=best, planned=line.planned):,}원"
    )
    spare = best - _days_needed(rule, line.planned)
    if spare >= 0:
        per = line.enrollment.cohort.rule.incidents_per_absence
        text += (
            f". {spare}일까지 빠져도 전액이고, {spare + 1}일 빠지면 {_pct(rule.full_rate)} 미만"
            f"입니다 (지각·조퇴 {per}회는 1일로 계산)"
        )
    else:
        text += f". 남은 날을 모두 출석해도 {_pct(rule.full_rate)}에 못 미칩니다"
    return text


def cohort_lines(cohort: Cohort) -> QuerySet:
    """A cohort's allowance lines in trainee order (scope them with ``visible_to``)."""
    return (
        AllowanceLine.objects.filter(enrollment__cohort=cohort)
        .select_related("enrollment__trainee", "enrollment__cohort__rule", "rule", "run")
        .order_by("enrollment__trainee__name", "enrollment_id", "period_start")
    )


def trainee_lines(user) -> QuerySet:
    """The user's own allowance lines, newest period first."""
    return (
        AllowanceLine.objects.visible_to(user)
        .filter(enrollment__trainee__user=user)
        .select_related("enrollment__cohort__course", "enrollment__cohort__rule", "rule")
        .order_by("-period_start", "-pk")
    )


def staff_cohorts(user) -> QuerySet:
    """Cohorts whose allowance the user manages: all for the operator, their groups' for staff;
    each with the totals of the lines the user may see."""
    cohorts = Cohort.objects.visible_to(user).select_related(
        "course__operating_group__programme", "course__track", "rule"
    )
    lines = AllowanceLine.objects.visible_to(user).filter(enrollment__cohort=OuterRef("pk"))

    def total(aggregate):
        return Coalesce(
            Subquery(
                lines.order_by().values("enrollment__cohort").annotate(v=aggregate).values("v")
            ),
            0,
        )

    return (
        cohorts.select_related("course__operating_group")
        .annotate(
            line_count=total(Count("pk")),
            payable=total(Count("pk", filter=Q(amount_krw__gt=0))),
            total_krw=total(Sum("amount_krw")),
            computed_at=Subquery(
                lines.order_by()
                .values("enrollment__cohort")
                .annotate(v=Max("computed_at"))
                .values("v")
            ),
        )
        .order_by("-starts_on", "course__code", "number")
    )
