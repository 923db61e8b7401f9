"""Payment batches: approved statements go to the bank in a batch that one person drafts and a
second approves with a fresh authenticator code (four eyes), within the budget, exported once,
and settled line by line from the bank's result file.

The moves of a batch: draft → approved → exported → closed (every line has a result), or
cancelled before export. Its statements move with it: approved → in_batch when drafted, paid when
the bank says so, back to approved when the transfer failed (the retry list) or the batch was
cancelled. A statement is in at most one line waiting for the bank or paid (a partial unique
index), so nothing is ever paid twice. Every move leaves an event row.

The files are kept with the batch (``BatchFile``, encrypted): the transfer workbook in the
export's own transaction, so a batch marked exported always has the one file the operator may
download again, byte for byte; the bank's result file before it is applied, in chunks of lines
that each commit on their own, so an application cut short (a killed worker, a lost database)
is finished by applying the kept file again, which skips the settled lines.

Budget rule (itda 기본값 — 운영지침 확인 필요): a batch is charged to the programme's budget
lines of its kind in the order 국비 → 지방비 → 민간, each line taking what the earlier sources
leave (a statement may be split across two sources); the approval is refused when the batch
exceeds what is left of all of them together.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django_otp import match_token

from itda.accounts.roles import Role
from itda.payments import bankfiles, clawbacks, ledger
from itda.payments.models import (
    BatchEvent,
    BatchFile,
    BatchFileKind,
    BatchLine,
    BatchOffset,
    BatchState,
    Budget,
    EntryType,
    LedgerEntry,
    LineResult,
    PaymentBatch,
    Statement,
    StatementKind,
    StatementState,
)
from itda.payments.statements import month_periods, statements_move
from itda.programs.models import FundingSource, OperatingGroup, Programme

BUDGET_ORDER = (FundingSource.NATIONAL, FundingSource.LOCAL, FundingSource.PRIVATE)
BUDGET_RULE = (
    "예산 차감 순서: 국비 → 지방비 → 민간 (앞 재원의 잔액을 먼저 쓰고, 모자라면 다음 재원에서 "
    "차감) — itda 기본값, 운영지침 확인 필요"
)
TOTP_REFUSED = "인증번호가 올바르지 않거나 이미 사용되었습니다. 인증 앱의 새 번호를 입력하세요."


class BatchError(ValidationError):
    """A refused batch operation, in Korean; nothing was changed."""


# --- who and what ----------------------------------------------------------------------------


def _require_manager(*, group: OperatingGroup | None, actor) -> None:
    """The operator acts on any batch; group staff only on their own group's (a national batch,
    with no group, is the operator's)."""
    if actor.role == Role.OPERATOR:
        return
    if (
        actor.role == Role.GROUP_STAFF
        and group is not None
        and actor.operating_groups.filter(pk=group.pk).exists()
    ):
        return
    if group is None:
        raise BatchError("전국 지급 배치는 전담기관 운영자만 처리할 수 있습니다.")
    raise BatchError("이 사업단의 지급 배치를 처리할 권한이 없습니다.")


def _statements_of(programme: Programme, group: OperatingGroup | None, kind: str) -> QuerySet:
    rows = Statement.objects.filter(programme=programme, kind=kind)
    return rows if group is None else rows.filter(operating_group=group)


def retry_list(*, programme: Programme, group: OperatingGroup | None, kind: str) -> QuerySet:
    """Approved statements whose transfer failed in an earlier batch, waiting for the next."""
    return _statements_of(programme, group, kind).filter(
        state=StatementState.APPROVED,
        pk__in=BatchLine.objects.filter(result=LineResult.FAILED).values("statement"),
    )


def batch_candidates(
    *, programme: Programme, group: OperatingGroup | None, month: datetime.date, kind: str
) -> QuerySet:
    """What a new batch takes: the approved statements of the month, the retry list, and the
    earlier approved statements of payees with a clawback waiting (held back by an earlier
    batch), with money to pay (a zero statement pays nothing; a clawback is not a transfer)."""
    month = month.replace(day=1)
    rows = _statements_of(programme, group, kind).filter(state=StatementState.APPROVED)
    retry = BatchLine.objects.filter(result=LineResult.FAILED).values("statement")
    owed = clawbacks.waiting(rows)
    owing = Q(period_start__lt=(month + datetime.timedelta(days=32)).replace(day=1)) & (
        Q(trainee__in=owed.filter(trainee__isnull=False).values("trainee"))
        | Q(company__in=owed.filter(company__isnull=False).values("company"))
    )
    return rows.filter(Q(**month_periods(kind, month)) | Q(pk__in=retry) | owing, amount_krw__gt=0)


def _payee(statement: Statement):
    return statement.trainee if statement.trainee_id else statement.company


def payee_name(statement: Statement) -> str:
    return _payee(statement).name


_CORPORATE = re.compile(r"\(주\)|㈜|주식회사|\s")


def holder_differs(holder: str, name: str) -> bool:
    """The account holder is not the payee: compared without spaces and 주식회사/(주)/㈜."""
    return _CORPORATE.sub("", holder).casefold() != _CORPORATE.sub("", name).casefold()


# --- the moves ---------------------------------------------------------------------------------


def _event(batch: PaymentBatch, from_state: str, to_state: str, actor, note: str = "") -> None:
    BatchEvent.objects.create(
        batch=batch, from_state=from_state, to_state=to_state, note=note, actor=actor
    )


def _move_statements(ids: list[int], *, to: str, actor, note: str) -> None:
    """Move the statements (locked by the caller) to ``to``, one transition row each: from
    approved into a batch, from a batch to paid or back to approved."""
    before = StatementState.APPROVED if to == StatementState.IN_BATCH else StatementState.IN_BATCH
    if statements_move(ids, from_state=before, to_state=to, actor=actor, note=note) != len(ids):
        raise BatchError("다른 처리와 겹쳐 명세의 상태가 바뀌었습니다. 다시 시도하세요.")


def _locked(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)


_DRAFT_LINES = """
INSERT INTO payments_batchline (batch_id, statement_id, amount_krw, bank_name, bank_account,
                                bank_holder, result, failure_reason)
SELECT %(batch)s, s.id, s.amount_krw, p.bank_name, p.bank_account, p.bank_holder, %(pending)s, ''
FROM payments_statement s
LEFT JOIN programs_trainee t ON t.id = s.trainee_id
LEFT JOIN programs_company c ON c.id = s.company_id
CROSS JOIN LATERAL (
    SELECT coalesce(t.bank_name, c.bank_name) AS bank_name,
           coalesce(t.bank_account, c.bank_account) AS bank_account,
           coalesce(t.bank_holder, c.bank_holder) AS bank_holder
) p
WHERE s.id = ANY(string_to_array(%(ids)s, ',')::bigint[]) AND p.bank_account <> ''
ORDER BY s.id
RETURNING statement_id
"""


@transaction.atomic
def batch_draft(
    *,
    programme: Programme,
    group: OperatingGroup | None,
    month: datetime.date,
    kind: str,
    actor,
) -> tuple[PaymentBatch, int]:
    """Draft a batch of the month's approved statements and the retry list; returns it and how
    many statements were left out because the payee has no bank account on file."""
    _require_manager(group=group, actor=actor)
    month = month.replace(day=1)
    if kind not in StatementKind.values:
        raise BatchError("지급 구분을 선택하세요.")
    # The candidates and the clawbacks waiting in the same scope, locked together in
    # primary-key order; a statement another draft took meanwhile is no longer approved when
    # its lock is granted, and drops out here.
    positives = batch_candidates(programme=programme, group=group, month=month, kind=kind)
    owed = clawbacks.waiting(_statements_of(programme, group, kind))
    dues = [
        clawbacks.Due(pk, (trainee, company), amount)
        for pk, trainee, company, amount in Statement.objects.filter(
            Q(pk__in=positives.values("pk")) | Q(pk__in=owed.values("pk"))
        )
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "trainee_id", "company_id", "amount_krw")
    ]
    netting = clawbacks.netting_plan(dues)
    candidates = [d.pk for d in dues if d.amount_krw > 0 and d.pk not in netting.held]
    batch = PaymentBatch(
        programme=programme, operating_group=group, month=month, kind=kind, maker=actor
    )
    batch.full_clean()
    batch.save()
    # The payee's bank details are copied as stored (the account stays encrypted), set-based.
    with connection.cursor() as cursor:
        cursor.execute(
            _DRAFT_LINES,
            {
                "batch": batch.pk,
                "ids": ",".join(map(str, candidates)),
                "pending": LineResult.PENDING,
            },
        )
        payable = [row[0] for row in cursor.fetchall()]
    if not payable:
        raise BatchError(
            "지급할 승인 명세가 없습니다."
            + (
                f" 계좌가 등록되지 않은 명세 {len(candidates)}건은 제외했습니다."
                if candidates
                else ""
            )
            + (
                f" 환수액이 받을 금액보다 많아 명세 {len(netting.held)}건은 보내지 않고 "
                "환수 대기로 두었습니다."
                if netting.held
                else ""
            )
        )
    _move_statements(payable, to=StatementState.IN_BATCH, actor=actor, note=f"배치 #{batch.pk}")
    netted = _net_clawbacks(batch, netting, dues, actor)
    _event(
        batch,
        "",
        BatchState.DRAFT,
        actor,
        f"{len(payable)}건" + (f", 환수 상계 {netted}건" if netted else ""),
    )
    return batch, len(candidates) - len(payable)


def _net_clawbacks(batch: PaymentBatch, netting: clawbacks.Netting, dues, actor) -> int:
    """Record the planned offsets of the batch's lines (a line whose payee has no account was
    not drafted: its clawbacks keep waiting), send each line's net, and move the netted
    clawbacks into the batch. Returns how many were netted."""
    if not netting.offsets:
        return 0
    lines = dict(
        batch.lines.filter(statement_id__in=netting.offsets).values_list("statement_id", "pk")
    )
    offsets = [
        BatchOffset(line_id=lines[statement], statement_id=c.pk, amount_krw=c.amount_krw)
        for statement, owed in netting.offsets.items()
        if statement in lines
        for c in owed
    ]
    if not offsets:
        return 0
    BatchOffset.objects.bulk_create(offsets)
    sent = {d.pk: netting.sent(d) for d in dues if d.pk in lines}
    BatchLine.objects.bulk_update(
        [BatchLine(pk=lines[statement], amount_krw=amount) for statement, amount in sent.items()],
        ["amount_krw"],
    )
    _move_statements(
        [o.statement_id for o in offsets],
        to=StatementState.IN_BATCH,
        actor=actor,
        note=f"배치 #{batch.pk} 환수 상계",
    )
    return len(offsets)


def batch_approve(*, batch: PaymentBatch, actor, token: str) -> PaymentBatch:
    """Approve a drafted batch: a checker who is not the maker, with a fresh authenticator code,
    within the budget. The money is committed in the ledger.

    The code is checked before the transaction: django-otp records a wrong code (its throttle)
    and a used one (no reuse) on the device, and a later refusal must not roll that back."""
    _approvable(batch, actor)
    if match_token(actor, token or "") is None:
        raise BatchError(TOTP_REFUSED)
    return _approve(batch, actor)


def _approvable(batch: PaymentBatch, actor) -> None:
    if batch.state == BatchState.APPROVED:
        raise BatchError("이미 다른 승인자가 승인한 배치입니다. 새로 고쳐 확인하세요.")
    if batch.state != BatchState.DRAFT:
        raise BatchError(f"'{batch.get_state_display()}' 상태의 배치는 승인할 수 없습니다.")
    if batch.maker_id == actor.pk:
        raise BatchError("배치를 작성한 사람은 승인할 수 없습니다. 다른 담당자가 승인해야 합니다.")
    _require_manager(group=batch.operating_group, actor=actor)


@transaction.atomic
def _approve(batch: PaymentBatch, actor) -> PaymentBatch:
    # The batch row first: of two checkers at once, the second waits here and then finds the
    # batch approved. Then the budget rows of the kind, so two batches cannot both spend the
    # same remainder.
    batch = _locked(batch)
    _approvable(batch, actor)
    list(
        Budget.objects.select_for_update()
        .filter(programme=batch.programme, kind=batch.kind)
        .order_by("pk")
    )
    _commit(batch, actor)
    batch.state, batch.checker, batch.totp_verified = BatchState.APPROVED, actor, True
    batch.approved_at = timezone.now()
    batch.save(update_fields=["state", "checker", "totp_verified", "approved_at"])
    _event(batch, BatchState.DRAFT, BatchState.APPROVED, actor, "인증번호 재확인")
    return batch


# The batch's statements laid end to end in line order, against the budget sources laid end to
# end in the charging order: each statement takes from each source the overlap of the two
# intervals (the budget rule, set-based: one INSERT whatever the batch's size).
_COMMIT = """
WITH line AS (
    SELECT l.id, l.statement_id, s.amount_krw AS amount,
           sum(s.amount_krw) OVER (ORDER BY l.id) AS hi
    FROM payments_batchline l JOIN payments_statement s ON s.id = l.statement_id
    WHERE l.batch_id = %(batch)s
), source AS (
    SELECT * FROM unnest(%(sources)s::text[], %(lo)s::bigint[], %(hi)s::bigint[])
        WITH ORDINALITY AS b(source, lo, hi, n)
)
INSERT INTO payments_ledgerentry (programme_id, source, kind, entry_type, amount_krw,
                                  statement_id, reverses_id, memo, created_by_id, created_at)
SELECT %(programme)s, source.source, %(kind)s, %(commit)s,
       least(line.hi, source.hi) - greatest(line.hi - line.amount, source.lo),
       line.statement_id, NULL, %(memo)s, %(actor)s, %(now)s
FROM line JOIN source ON line.hi - line.amount < source.hi AND line.hi > source.lo
ORDER BY line.id, source.n
"""


def _commit(batch: PaymentBatch, actor) -> None:
    """Commit the batch's money in the ledger under the budget rule, or refuse with the
    figures: the netted clawbacks give budget back first (``clawbacks`` ledger rule), then each
    line's statement is charged in full."""
    left = {
        status.source: status.remaining_krw
        for status in ledger.budget_status(batch.programme)
        if status.kind == batch.kind
    }
    # What the bank lines send (the statements less their netted clawbacks) against what is
    # left before the clawbacks give any back.
    total = batch.lines.aggregate(total=Sum("amount_krw", default=0))["total"]
    available = sum(max(left.get(source, 0), 0) for source in BUDGET_ORDER)
    if total > available:
        parts = ", ".join(
            f"{FundingSource(source).label} {max(left.get(source, 0), 0):,}원"
            for source in BUDGET_ORDER
        )
        raise BatchError(
            f"예산을 넘어 승인할 수 없습니다. 배치 합계 {total:,}원, "
            f"{StatementKind(batch.kind).label} 남은 예산 {available:,}원({parts}), "
            f"부족액 {total - available:,}원. {BUDGET_RULE}"
        )
    memo = f"지급 배치 #{batch.pk} 승인"
    credits = _clawback_credits(batch, memo, actor)
    LedgerEntry.objects.bulk_create(credits)
    for entry in credits:
        left[entry.source] = left.get(entry.source, 0) - entry.amount_krw
    his, end = [], 0
    for source in BUDGET_ORDER:
        end += max(left.get(source, 0), 0)
        his.append(end)
    with connection.cursor() as cursor:
        cursor.execute(
            _COMMIT,
            {
                "batch": batch.pk,
                "sources": list(BUDGET_ORDER),
                "lo": [0, *his[:-1]],
                "hi": his,
                "programme": batch.programme_id,
                "kind": batch.kind,
                "commit": EntryType.COMMIT,
                "memo": memo,
                "actor": actor.pk,
                "now": timezone.now(),
            },
        )


def _clawback_credits(batch: PaymentBatch, memo: str, actor) -> list[LedgerEntry]:
    """The negative commitments of the clawbacks netted in the batch: each gives its amount
    back from the last source of the charging order first, each source at most what the kind
    has committed from it (what is beyond, the corrected statement being charged in this very
    batch, goes back to the first source, which that charge uses first)."""
    offsets = list(
        BatchOffset.objects.filter(line__batch=batch)
        .order_by("statement_id")
        .values_list("statement_id", "amount_krw")
    )
    if not offsets:
        return []
    committed = {
        status.source: status.committed_krw
        for status in ledger.budget_status(batch.programme)
        if status.kind == batch.kind
    }
    entries = []
    for statement_id, amount in offsets:
        owed = -amount
        for source in (*reversed(BUDGET_ORDER[1:]), BUDGET_ORDER[0]):
            take = owed if source == BUDGET_ORDER[0] else min(owed, committed.get(source, 0))
            if take > 0:
                committed[source] = committed.get(source, 0) - take
                owed -= take
                entries.append(
                    LedgerEntry(
                        programme_id=batch.programme_id,
                        source=source,
                        kind=batch.kind,
                        entry_type=EntryType.COMMIT,
                        amount_krw=-take,
                        statement_id=statement_id,
                        memo=f"{memo}(환수 상계)",
                        created_by=actor,
                    )
                )
    return entries


@transaction.atomic
def batch_cancel(*, batch: PaymentBatch, actor, note: str) -> PaymentBatch:
    """Cancel a batch before export: its statements go back to approved, an approved batch's
    commitments are reversed."""
    batch = _locked(batch)
    _require_manager(group=batch.operating_group, actor=actor)
    if batch.state not in (BatchState.DRAFT, BatchState.APPROVED):
        raise BatchError(
            f"'{batch.get_state_display()}' 상태의 배치는 취소할 수 없습니다. "
            "이체 파일을 만든 뒤에는 은행 결과를 반영해야 합니다."
        )
    if not note.strip():
        raise BatchError("취소 사유를 입력하세요.")
    ids = list(batch.lines.values_list("statement_id", flat=True))
    ids += clawbacks.netted_statements(batch.lines.values("pk"))
    # Lock the statements in primary-key order before their commitments and lines move.
    list(Statement.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    ledger.ledger_reverse_many(
        entries=ledger.live_commits(ids), memo=f"지급 배치 #{batch.pk} 취소", actor=actor
    )
    batch.lines.update(result=LineResult.CANCELLED, result_at=timezone.now())
    _move_statements(ids, to=StatementState.APPROVED, actor=actor, note=f"배치 #{batch.pk} 취소")
    old = batch.state
    batch.state, batch.cancelled_at = BatchState.CANCELLED, timezone.now()
    batch.save(update_fields=["state", "cancelled_at"])
    _event(batch, old, BatchState.CANCELLED, actor, note.strip())
    return batch


@transaction.atomic
def batch_export(*, batch: PaymentBatch, actor) -> tuple[bytes, list[int]]:
    """Mark an approved batch exported, write its bulk-transfer workbook and store it with the
    batch, in one transaction: a file that cannot be written (a bank without a code, an account
    that is not digits) leaves the batch approved, and an exported batch always has its file
    (``batch_transfer_file`` hands it out again). Once only: a second, different transfer file
    could be uploaded twice. Returns the file and its line ids (for the access log)."""
    lines = _export_mark(batch=batch, actor=actor)
    memo = f"{batch.programme.name[:6]} {StatementKind(batch.kind).label}"
    codes = {name: bankfiles.bank_code(name) for name in {line.bank_name for line in lines}}
    transfers = [
        bankfiles.TransferLine(
            line_id=line.pk,
            bank_code=codes[line.bank_name] or "",
            account=line.bank_account,
            amount_krw=line.amount_krw,
            holder=line.bank_holder,
            memo=memo,
        )
        for line in lines
    ]
    unknown = [t.line_id for t in transfers if not t.bank_code]
    if unknown:
        raise BatchError(f"은행 코드를 알 수 없는 행이 있어 내보낼 수 없습니다(행 번호 {unknown}).")
    workbook = bankfiles.transfer_workbook(str(batch), transfers)
    _store(batch, BatchFileKind.TRANSFER, workbook, actor)
    return workbook, [line.pk for line in lines]


def _store(batch: PaymentBatch, kind: str, content: bytes, actor) -> BatchFile:
    return BatchFile.objects.create(
        batch=batch,
        kind=kind,
        content=base64.b64encode(content).decode(),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor,
    )


@transaction.atomic
def batch_transfer_file(*, batch: PaymentBatch, actor) -> tuple[bytes, list[int]]:
    """The transfer workbook stored at export, byte for byte, for an operator who did not get
    it (a lost download, a crash after the export committed); the hand-out is an event of the
    batch. Returns the file and its line ids (for the access log)."""
    batch = _locked(batch)
    _require_manager(group=batch.operating_group, actor=actor)
    stored = batch.files.filter(kind=BatchFileKind.TRANSFER).first()
    if stored is None:
        raise BatchError("아직 이체 파일을 만들지 않은 배치입니다.")
    _event(batch, batch.state, batch.state, actor, f"이체 파일 다시 받기 (SHA-256 {stored.sha256})")
    return stored.data, list(batch.lines.order_by("pk").values_list("pk", flat=True))


def batch_settlement(batch: PaymentBatch) -> tuple[bytes, list[int]]:
    """The 집행 내역 workbook of the batch's paid lines (payee, period, kind, amount, evidence:
    the statement and the bank's result), and the line ids it names."""
    paid = list(
        batch.lines.filter(result=LineResult.PAID)
        .select_related("statement__trainee", "statement__company")
        .order_by("pk")
    )
    if not paid:
        raise BatchError("지급 완료된 행이 없어 집행 내역을 만들 수 없습니다.")
    rows = []
    for line in paid:
        statement = line.statement
        last = statement.period_end - datetime.timedelta(days=1)
        rows.append(
            bankfiles.SettlementLine(
                payee=payee_name(statement),
                period=f"{statement.period_start:%Y-%m-%d}~{last:%Y-%m-%d}",
                kind=statement.get_kind_display(),
                amount_krw=line.amount_krw,
                evidence=f"지급 명세 #{statement.pk}, 은행 결과 {line.result_at:%Y-%m-%d}",
            )
        )
    return bankfiles.settlement_workbook(f"{batch} 집행 내역", rows), [line.pk for line in paid]


def _export_mark(*, batch: PaymentBatch, actor) -> list:
    batch = _locked(batch)
    _require_manager(group=batch.operating_group, actor=actor)
    if batch.state in (BatchState.EXPORTED, BatchState.CLOSED):
        raise BatchError(
            "이미 이체 파일을 만든 배치입니다. 같은 배치를 다시 내보내면 이중 지급될 수 있어 "
            "허용하지 않습니다."
        )
    if batch.state != BatchState.APPROVED:
        raise BatchError(f"'{batch.get_state_display()}' 상태의 배치는 내보낼 수 없습니다.")
    batch.state, batch.exported_at = BatchState.EXPORTED, timezone.now()
    batch.save(update_fields=["state", "exported_at"])
    _event(batch, BatchState.APPROVED, BatchState.EXPORTED, actor)
    return list(
        batch.lines.order_by("pk").values_list(
            "pk", "amount_krw", "bank_name", "bank_account", "bank_holder", named=True
        )
    )


# Lines settled per transaction: a crash between two leaves every line either settled with its
# money or waiting, and the rerun skips the settled ones.
RESULT_CHUNK = 1_000


def batch_results_apply(
    *, batch: PaymentBatch, rows: Iterable[bankfiles.ResultRow], actor
) -> dict[str, int]:
    """Settle an exported batch from the bank's result rows: a paid line pays its statement
    (ledger PAY entries in the sources committed), a failed line returns its statement to the
    retry list (its commitment reversed). A row already applied the same way is skipped, so a
    rerun of the same file, whole or after an interruption, changes nothing twice; any row that
    does not match its line refuses the whole file before anything changes. The rows are
    settled ``RESULT_CHUNK`` lines per transaction; the batch closes when no line waits.
    Returns counts: paid, failed, skipped."""
    rows = list(rows)
    with transaction.atomic():
        _check_results(batch, rows, actor)
    return _apply_rows(batch, rows, actor)


def _check_results(batch: PaymentBatch, rows: list[bankfiles.ResultRow], actor) -> None:
    batch = _locked(batch)
    _require_manager(group=batch.operating_group, actor=actor)
    if batch.state == BatchState.CLOSED:
        raise BatchError("이미 모든 결과를 반영해 완료된 배치입니다.")
    if batch.state != BatchState.EXPORTED:
        raise BatchError("이체 파일을 만든 배치에만 은행 결과를 반영할 수 있습니다.")
    _sorted_rows(batch.lines.all(), rows)


def _apply_rows(batch: PaymentBatch, rows: list[bankfiles.ResultRow], actor) -> dict[str, int]:
    counts = {"paid": 0, "failed": 0, "skipped": 0}
    for start in range(0, len(rows), RESULT_CHUNK):
        for key, count in _apply_chunk(batch, rows[start : start + RESULT_CHUNK], actor).items():
            counts[key] += count
    _close_when_settled(batch, actor)
    return counts


def _sorted_rows(lines: QuerySet, rows: list[bankfiles.ResultRow]) -> tuple[list, list, int]:
    """The rows to pay and to fail (each with its line of ``lines``) and how many were applied
    already; a row that does not match its line refuses them all (BatchError naming each)."""
    lines = {line.pk: line for line in lines}
    paid, failed, skipped, errors, seen = [], [], 0, [], set()
    for row in rows:
        line = lines.get(row.line_id)
        where = f"행 번호 {row.line_id}"
        if line is None:
            errors.append(f"{where}: 이 배치에 없는 행입니다.")
        elif row.line_id in seen:
            errors.append(f"{where}: 결과가 두 번 있습니다.")
        elif row.amount_krw != line.amount_krw:
            errors.append(
                f"{where}: 금액 {row.amount_krw:,}원이 배치의 {line.amount_krw:,}원과 다릅니다."
            )
        elif bankfiles.digits(row.account) != bankfiles.digits(line.bank_account):
            errors.append(f"{where}: 계좌번호가 배치의 계좌와 다릅니다.")
        elif line.result != LineResult.PENDING:
            if line.result != (LineResult.PAID if row.ok else LineResult.FAILED):
                errors.append(f"{where}: 이미 '{line.get_result_display()}'로 반영된 행입니다.")
            skipped += 1
        else:
            (paid if row.ok else failed).append((line, row))
        seen.add(row.line_id)
    if errors:
        raise BatchError(errors)
    return paid, failed, skipped


@transaction.atomic
def _apply_chunk(batch: PaymentBatch, rows: list[bankfiles.ResultRow], actor) -> dict[str, int]:
    # The batch row first, as every move of the batch: two applications of the same file
    # take turns, and the second finds the first one's lines settled.
    batch = _locked(batch)
    lines = batch.lines.select_for_update().filter(pk__in=[row.line_id for row in rows])
    paid, failed, skipped = _sorted_rows(lines.order_by("pk"), rows)
    now = timezone.now()
    _settle_paid([line for line, _row in paid], batch, actor, now)
    _settle_failed(failed, batch, actor, now)
    return {"paid": len(paid), "failed": len(failed), "skipped": skipped}


@transaction.atomic
def _close_when_settled(batch: PaymentBatch, actor) -> None:
    batch = _locked(batch)
    if (
        batch.state == BatchState.EXPORTED
        and not batch.lines.filter(result=LineResult.PENDING).exists()
    ):
        batch.state, batch.closed_at = BatchState.CLOSED, timezone.now()
        batch.save(update_fields=["state", "closed_at"])
        _event(batch, BatchState.EXPORTED, BatchState.CLOSED, actor, "모든 행 결과 반영")


def batch_results_upload(*, batch: PaymentBatch, data: bytes, actor) -> dict[str, int]:
    """Keep the bank's result file with the batch (the same file twice is kept once), then
    apply it. A file that cannot be read or does not match the batch is refused and not kept."""
    rows = bankfiles.parse_result_file(data)
    with transaction.atomic():
        _check_results(batch, rows, actor)
        sha256 = hashlib.sha256(data).hexdigest()
        stored = batch.files.filter(kind=BatchFileKind.RESULT, sha256=sha256).first()
        stored = stored or _store(batch, BatchFileKind.RESULT, data, actor)
    return _apply_stored(stored, rows, actor)


def batch_result_file_apply(*, stored: BatchFile, actor) -> dict[str, int]:
    """Apply a kept result file, or finish applying it after an interruption (a killed worker,
    a lost database): what was settled is skipped. Marks the file applied."""
    return _apply_stored(stored, bankfiles.parse_result_file(stored.data), actor)


def _apply_stored(stored: BatchFile, rows: list[bankfiles.ResultRow], actor) -> dict[str, int]:
    if PaymentBatch.objects.filter(pk=stored.batch_id, state=BatchState.CLOSED).exists():
        # Interrupted after the last line closed the batch: nothing is left to settle.
        counts = {"paid": 0, "failed": 0, "skipped": len(rows)}
    else:
        counts = _apply_rows(stored.batch, rows, actor)
    BatchFile.objects.filter(pk=stored.pk, applied_at__isnull=True).update(
        applied_at=timezone.now()
    )
    return counts


def _settle_paid(lines: list[BatchLine], batch: PaymentBatch, actor, now) -> None:
    if not lines:
        return
    ids = [line.statement_id for line in lines]
    ids += clawbacks.netted_statements([line.pk for line in lines])
    list(Statement.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    ledger.ledger_pay_committed(
        entries=ledger.live_commits(ids), memo=f"지급 배치 #{batch.pk} 지급 완료", actor=actor
    )
    BatchLine.objects.filter(pk__in=[line.pk for line in lines]).update(
        result=LineResult.PAID, result_at=now
    )
    _move_statements(ids, to=StatementState.PAID, actor=actor, note=f"배치 #{batch.pk} 지급")


def _settle_failed(failed: list[tuple], batch: PaymentBatch, actor, now) -> None:
    if not failed:
        return
    ids = [line.statement_id for line, _row in failed]
    ids += clawbacks.netted_statements([line.pk for line, _row in failed])
    list(Statement.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    ledger.ledger_reverse_many(
        entries=ledger.live_commits(ids), memo=f"지급 배치 #{batch.pk} 이체 실패", actor=actor
    )
    for line, row in failed:
        line.result, line.result_at = LineResult.FAILED, now
        line.failure_reason = (row.reason or "").strip()[:200] or "은행 결과: 실패(사유 없음)"
    BatchLine.objects.bulk_update(
        [line for line, _row in failed], ["result", "result_at", "failure_reason"]
    )
    _move_statements(
        ids, to=StatementState.APPROVED, actor=actor, note=f"배치 #{batch.pk} 이체 실패"
    )
