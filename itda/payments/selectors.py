"""Reads for the training allowance: the lines people may see, and the arithmetic behind each
amount in words (what was counted, which rule version, how the amount follows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from itda.payments import batches, engine
from itda.payments.models import AllowanceLine, AllowanceRule, BatchLine, PaymentBatch
from itda.training.models import Audience, Cohort
from itda.training.selectors import Progress


def allowance_amount(rule: AllowanceRule, *, credited: int, planned: int) -> int:
    """The amount for a unit period in whole won: in full at the rule's rate, otherwise pro-rated
    by credited sessions (remainder below one won dropped) or nothing, as the rule says. The same
    arithmetic as the computation's SQL; the tests hold them equal."""
    return _by_rule(rule, credited=credited, planned=planned).amount_krw


def _by_rule(rule: AllowanceRule, *, credited: int, planned: int) -> engine.Result:
    return engine.training_allowance(
        amount_krw=rule.amount_krw,
        full_rate=rule.full_rate,
        shortfall=rule.shortfall,
        credited=credited,
        planned=planned,
    )


def _pct(value: Decimal) -> str:
    """A rate as a percentage without rounding up: 0.7999 → 79.99%, 0.8 → 80%."""
    text = f"{(value * 100).quantize(Decimal('0.01'), rounding='ROUND_DOWN'):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def line_in_progress(line: AllowanceLine) -> bool:
    """Whether sessions of the unit period were still to come when the line was computed: its
    amount is then no verdict yet."""
    return line.ended < line.planned


def line_last_day(line: AllowanceLine) -> datetime.date:
    """The unit period's last day: the stored end is the day after it."""
    return line.period_end - datetime.timedelta(days=1)


def line_period(line: AllowanceLine) -> str:
    """The unit period as people read it, its last day included: 11/23~12/18."""
    last = line_last_day(line)
    return f"{line.period_start.month}/{line.period_start.day}~{last.month}/{last.day}"


def _progress(line: AllowanceLine) -> Progress:
    return Progress(
        credited=line.credited, held=line.ended, planned=line.planned, min_rate=line.rule.full_rate
    )


IN_PROGRESS = "진행 중 — 기간 종료 후 확정"


@dataclass(frozen=True)
class Explanation:
    period: str  # the unit period, last day included
    in_progress: bool  # sessions still to come: no verdict yet
    amount: str  # the amount as shown: in won, or 진행 중 while sessions remain
    held_rate: Decimal  # credited over the sessions held so far
    counting: str  # how the credited sessions follow from the records
    arithmetic: str  # how the amount follows from the sessions and the rule
    projection: str  # what the rest of the period can still change


def line_explain(line: AllowanceLine) -> Explanation:
    """The words behind one line's amount, for staff and for the trainee. While sessions remain
    the rate is over those held and the amount is no verdict (a session not yet held is no
    absence); once all are held, the rule's verdict."""
    rule = line.rule
    per = line.enrollment.cohort.rule.incidents_per_absence
    counting = f"출석(공결 포함) {line.attended}차시"
    if line.incidents:
        counting += (
            f" − 지각·조퇴 {line.incidents}회({per}회당 1차시) {line.attended - line.credited}차시"
        )
    counting += f" = 출석 인정 {line.credited}차시"
    progress = _progress(line)
    if line.ineligible:
        arithmetic = f"{line.get_ineligible_display()}: {NOT_FOR_EMPLOYEES} → 0원"
    elif line.planned == 0:
        arithmetic = "이 단위기간에 훈련 차시가 없어 0원"
    elif line_in_progress(line):
        arithmetic = f"{IN_PROGRESS}: 전체 {line.planned}차시 중 {line.ended}차시 진행"
        if line.ended:
            arithmetic += (
                f", 지금까지 출석 인정 {line.credited}차시 / 지난 {line.ended}차시"
                f" = {_pct(progress.rate)}"
            )
    else:
        # The engine's own words for the rule's step, so the page shows the arithmetic it did.
        (step,) = _by_rule(rule, credited=line.credited, planned=line.planned).steps
        arithmetic = step.text + _cap_applied(line)
    return Explanation(
        period=line_period(line),
        in_progress=line_in_progress(line),
        amount=IN_PROGRESS if line_in_progress(line) else f"{line.amount_krw:,}원",
        held_rate=progress.rate,
        counting=counting,
        arithmetic=arithmetic,
        projection=line_projection(line),
    )


NOT_FOR_EMPLOYEES = (
    "훈련수당은 구직자에게만 지급합니다 (근거: 보도자료 「구직자 실무·기술교육(1개월 이내, "
    "월 40만원 훈련수당 지급)」)"
)


def _cap_applied(line: AllowanceLine) -> str:
    """The per-person cap's part of the arithmetic, when it took something off."""
    capped = engine.apply_cap(
        line.uncapped_krw, cap_krw=line.cap_krw, prior_krw=line.prior_krw, basis=CAP_BASIS
    )
    return "".join(f" → {step.text}" for step in capped.steps)


CAP_BASIS = "(사업의 훈련수당 월액 × 교육기간 상한)"


def _capped(line: AllowanceLine, amount: int) -> int:
    """An amount by the rule, as the per-person cap would leave it for this line."""
    return engine.apply_cap(amount, cap_krw=line.cap_krw, prior_krw=line.prior_krw).amount_krw


def line_projection(line: AllowanceLine) -> str:
    """What the trainee gets if they attend every remaining session, and how many they may
    miss."""
    rule = line.rule
    progress = _progress(line)
    if line.ineligible:
        return f"{line.get_ineligible_display()}: {NOT_FOR_EMPLOYEES}."
    if line.cap_krw is not None and line.prior_krw >= line.cap_krw:
        return (
            f"1인당 한도 {line.cap_krw:,}원을 이 사업의 앞선 기간에 모두 산정받아, 이 기간은 "
            "출석과 관계없이 0원입니다."
        )
    if progress.remaining == 0:
        return f"단위기간의 훈련 차시가 모두 지났습니다. 산정액 {line.amount_krw:,}원"
    best = _capped(line, allowance_amount(rule, credited=progress.best, planned=line.planned))
    text = (
        f"남은 {progress.remaining}차시를 모두 출석하면 출석 인정 {progress.best}차시"
        f" / {line.planned}차시 = {_pct(progress.best_rate)} → {best:,}원"
    )
    per = line.enrollment.cohort.rule.incidents_per_absence
    lates = f" (지각·조퇴 {per}회는 결석 1차시로 계산)"
    if progress.spare > 0:
        text += (
            f". {progress.spare}차시까지 빠져도 전액이고, {progress.spare + 1}차시 빠지면"
            f" {_pct(rule.full_rate)} 미만입니다{lates}"
        )
    elif progress.spare == 0:
        text += f". 남은 차시를 모두 출석해야 전액입니다{lates}"
    else:
        text += f". 남은 차시를 모두 출석해도 {_pct(rule.full_rate)}에 못 미칩니다"
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
    """Job-seeker cohorts whose allowance the user manages (재직자 courses pay none): all for
    the operator, their groups' for staff; each with the totals of the lines the user may see
    (amounts of finished unit periods only)."""
    cohorts = Cohort.objects.visible_to(user).filter(course__audience=Audience.JOB_SEEKER)
    cohorts = cohorts.select_related("course__operating_group__programme", "course__track", "rule")
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
            # A line with sessions still to come has no amount yet: it counts as 진행 중, not
            # in the payable lines or the total.
            in_progress=total(Count("pk", filter=Q(ended__lt=F("planned")))),
            payable=total(Count("pk", filter=Q(amount_krw__gt=0, ended=F("planned")))),
            total_krw=total(Sum("amount_krw", filter=Q(ended=F("planned")))),
            computed_at=Subquery(
                lines.order_by()
                .values("enrollment__cohort")
                .annotate(v=Max("computed_at"))
                .values("v")
            ),
        )
        .order_by("-starts_on", "course__code", "number")
    )


# --- Payment batches ---------------------------------------------------------------------------


def batches_for(user) -> QuerySet:
    """The batches the user may see, newest first, with their line count and total."""
    return (
        PaymentBatch.objects.visible_to(user)
        .select_related("programme", "operating_group", "maker", "checker")
        .annotate(line_count=Count("lines"), total_krw=Sum("lines__amount_krw", default=0))
        .order_by("-month", "-pk")
    )


def batch_lines(batch: PaymentBatch) -> QuerySet:
    """The batch's lines with their statements and payees (scoped by the caller)."""
    return BatchLine.objects.filter(batch=batch).select_related(
        "statement__trainee", "statement__company"
    )


@dataclass(frozen=True)
class LineView:
    """One line as the batch page shows it: the payee masked and the holder check."""

    line: BatchLine
    payee: str
    holder_differs: bool


def line_views(lines) -> list[LineView]:
    out = []
    for line in lines:
        name = batches.payee_name(line.statement)
        out.append(
            LineView(
                line=line,
                payee=name,
                holder_differs=batches.holder_differs(line.bank_holder, name),
            )
        )
    return out
