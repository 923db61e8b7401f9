"""Reads for the training allowance: the lines people may see, and the arithmetic behind each
amount in words (what was counted, which rule version, how the amount follows); and for the
statements: lists, their arithmetic step by step, budget figures and totals without persons."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth

from itda.accounts.roles import Role
from itda.internships.models import Internship
from itda.lib import masking
from itda.payments import batches, engine
from itda.payments.ledger import BudgetStatus, BudgetTotal, budget_status, budget_totals
from itda.payments.models import (
    AllowanceLine,
    AllowanceRule,
    BatchLine,
    PaymentBatch,
    Statement,
    StatementKind,
    StatementState,
)
from itda.programs.models import Programme
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


# --- Statements (issue 13): who sees which, the arithmetic in words, the totals --------------


def month_of(statement: Statement) -> datetime.date:
    """The month a statement is computed in: the month of its period's last day (a training
    month from 7/15 is August's; an internship month is its own)."""
    return last_day(statement).replace(day=1)


def last_day(statement: Statement) -> datetime.date:
    """The period's last day: the stored end is the day after it."""
    return statement.period_end - datetime.timedelta(days=1)


def _in_month(month: datetime.date) -> Q:
    """Statements computed in ``month`` (see ``month_of``), as ``statements_compute`` picks them."""
    month = month.replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return Q(period_end__gt=month, period_end__lte=following)


def statement_rows(
    *, month: datetime.date | None = None, kind: str = "", state: str = ""
) -> QuerySet:
    """Statements with what their lists show, newest month first, optionally of one month,
    kind and state (scope them with ``visible_to``)."""
    rows = Statement.objects.select_related("programme", "trainee", "company", "operating_group")
    if month is not None:
        rows = rows.filter(_in_month(month))
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-period_end", "kind", "pk")


# What the payee has been paid, what is on its way (approved or in a batch) and what is still
# being computed.
PAID_STATES = (StatementState.PAID,)
PENDING_STATES = (StatementState.APPROVED, StatementState.IN_BATCH)


@dataclass(frozen=True)
class MoneyTotals:
    paid_krw: int
    pending_krw: int
    draft_krw: int


def money_totals(statements: Iterable[Statement]) -> MoneyTotals:
    """Paid, pending and draft sums of the statements given."""
    sums = dict.fromkeys(StatementState.values, 0)
    for statement in statements:
        sums[statement.state] += statement.amount_krw
    return MoneyTotals(
        paid_krw=sum(sums[s] for s in PAID_STATES),
        pending_krw=sum(sums[s] for s in PENDING_STATES),
        draft_krw=sums[StatementState.DRAFT],
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
class ItemExplain:
    """One record a statement sums (a training unit period, an intern's month), in words."""

    label: str
    amount_krw: int
    steps: list[str]


@dataclass(frozen=True)
class StatementExplain:
    month: datetime.date  # the month it is computed in (``month_of``)
    period: str  # the period as people read it, its last day included: 2026. 7. 1. ~ 7. 31.
    items: list[ItemExplain]
    correction: str  # for a correction (or clawback): how the difference follows; else ""


def _items(record: dict) -> list[dict]:
    """The engine records a statement's arithmetic holds: one per item, or itself."""
    return record.get("items") or ([record] if record.get("steps") else [])


def statements_explain(statements: list[Statement]) -> dict[int, StatementExplain]:
    """The arithmetic of each statement step by step, in the engine's own words. A company's
    statement sums several interns: each item is labelled with the intern's masked name (one
    query for the lot)."""
    internship_ids = {
        item["internship"]
        for s in statements
        if s.company_id
        for item in _items(s.arithmetic)
        if item.get("internship")
    }
    interns = dict(
        Internship.objects.filter(pk__in=internship_ids).values_list(
            "pk", "placement__trainee__name"
        )
    )
    out = {}
    for s in statements:
        items = []
        for item in _items(s.arithmetic):
            label = s.get_kind_display()
            if s.company_id and item.get("internship") in interns:
                label = f"인턴 {masking.mask_name(interns[item['internship']])}"
            items.append(
                ItemExplain(
                    label=label,
                    amount_krw=item.get("amount_krw", 0),
                    steps=[step["text"] for step in item.get("steps", [])],
                )
            )
        correction = ""
        record = s.arithmetic
        if s.corrects_id is not None and "delta_krw" in record:
            paid = f"(그중 지급 완료 {record['paid_krw']:,}원)" if "paid_krw" in record else ""
            correction = (
                f"정정: 새 산정액 {record.get('amount_krw', 0):,}원 − 앞서 확정된 "
                f"{record.get('settled_krw', 0):,}원{paid} = {record['delta_krw']:,}원"
                + (
                    " (환수: 다음 지급 배치에서 받을 금액과 상계)"
                    if record["delta_krw"] < 0
                    else " (추가 지급)"
                )
            )
        last = last_day(s)
        out[s.pk] = StatementExplain(
            month=month_of(s),
            period=f"{s.period_start:%Y. %m. %d.} ~ {last:%m. %d.}".replace(" 0", " "),
            items=items,
            correction=correction,
        )
    return out


@dataclass(frozen=True)
class BudgetPanel:
    """One programme's budget as a page shows it: every line (source × kind), the sums by
    funding source and by kind and the programme's total; for group staff, the share of their
    groups' statements beside each line (``shares``: committed and paid by (source, kind))."""

    programme: Programme
    lines: list[BudgetStatus]
    by_source: list[BudgetTotal]
    by_kind: list[BudgetTotal]
    total: BudgetTotal
    shares: dict[tuple[str, str], BudgetStatus] | None


def budget_panel(user) -> list[BudgetPanel]:
    """Each programme the user manages money for (all for the operator, their groups' for
    staff) with its budget from the ledger: budget, committed, paid and remaining, by line,
    source and kind, and for staff their groups' share."""
    programmes = Programme.objects.order_by("pk")
    groups = None
    if user.role != Role.OPERATOR:
        groups = list(user.operating_groups.values_list("pk", flat=True))
        programmes = programmes.filter(operating_groups__staff=user).distinct()
    panels = []
    for programme in programmes:
        lines = budget_status(programme)
        if not lines:
            continue
        shares = None
        if groups is not None:
            shares = {(s.source, s.kind): s for s in budget_status(programme, groups=groups)}
        panels.append(
            BudgetPanel(
                programme=programme,
                lines=lines,
                by_source=budget_totals(lines, lambda line: line.source_label),
                by_kind=budget_totals(lines, lambda line: line.kind_label),
                total=budget_totals(lines, lambda line: "합계")[0],
                shares=shares,
            )
        )
    return panels


def compute_programmes(user) -> QuerySet:
    """Programmes whose statements the user may compute: all for the operator, their groups'
    for staff."""
    programmes = Programme.objects.order_by("pk")
    if user.role != Role.OPERATOR:
        programmes = programmes.filter(operating_groups__staff=user).distinct()
    return programmes


# Counts below this are shown as "<5" to viewers: a small cell can point at a person.
SMALL_COUNT = 5


def shown_count(n: int) -> str:
    """A count as aggregate pages show it: "<5" below ``SMALL_COUNT`` (none: 0)."""
    return f"<{SMALL_COUNT}" if 0 < n < SMALL_COUNT else f"{n:,}"


@dataclass(frozen=True)
class TotalRow:
    group: str
    kind: str
    month: datetime.date
    count: str  # as shown: "<5" for a small cell
    amount_krw: int
    approved_krw: int  # approved, in a batch or paid
    paid_krw: int


def statement_totals() -> list[TotalRow]:
    """Every statement summed by operating group (권역), kind and month: no person, no row of
    fewer than five shown as a count. One query."""
    last_day = ExpressionWrapper(
        F("period_end") - datetime.timedelta(days=1), output_field=DateField()
    )
    rows = (
        Statement.objects.annotate(month=TruncMonth(last_day, output_field=DateField()))
        .values("operating_group__name", "kind", "month")
        .annotate(
            n=Count("pk"),
            amount=Sum("amount_krw"),
            approved=Sum("amount_krw", filter=~Q(state=StatementState.DRAFT), default=0),
            paid=Sum("amount_krw", filter=Q(state=StatementState.PAID), default=0),
        )
        .order_by("-month", "operating_group__name", "kind")
    )
    kinds = dict(StatementKind.choices)
    return [
        TotalRow(
            group=row["operating_group__name"],
            kind=kinds[row["kind"]],
            month=row["month"],
            count=shown_count(row["n"]),
            amount_krw=row["amount"],
            approved_krw=row["approved"],
            paid_krw=row["paid"],
        )
        for row in rows
    ]


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
