"""The background job that reads receipts and fills in the expense drafts waiting for them.

Each receipt is one job (``interpret_receipt``, locked per receipt so two never read the same
one at once), read in the OCR process pool (never in the event loop); the linked draft gets
every field the employee has not filled in yet. A receipt that cannot be read is marked failed
with a reason; a crash, or an OCR process that died while reading it (killed, out of memory),
is tried again by the job system with a growing pause, and after ``RETRY.max_attempts`` readings
(killed workers' included) it is marked failed: a receipt is never left waiting for good.
A job that finds its receipt already read does nothing, so a job run twice reads once.
"""

from __future__ import annotations

import time
from decimal import Decimal
from uuid import UUID

import structlog
from sqlmodel import col, select

from backend.attest import services as attest
from backend.core import audit
from backend.core.metrics import RECEIPT_FAILURES, RECEIPT_SECONDS
from backend.db.models import Expense, Receipt
from backend.domain import expenses as rules
from backend.domain.attest import ItemKind, editable
from backend.domain.sellers import Remembered
from backend.expenses import sellers
from backend.worker.context import WorkerContext
from notifications.retry import RetryPolicy, attempts_left
from ocr.errors import OcrUnavailable, ReceiptImageError
from ocr.model import Receipt as ReadReceipt
from ocr.pool import ReceiptInterpreter

log = structlog.get_logger(__name__)
RETRY = RetryPolicy(max_attempts=3, base_seconds=6, factor=6)
"""Three readings; the job system waits 6, then 36 seconds before reading again."""
WAITING = ("queued", "interpreting")
FIND_LIMIT = 1000
"""Receipts deferred per finder run; the next run takes the rest."""


class TryAgain(Exception):
    """The reader, not the receipt, failed: the job system retries after a pause."""


def lock_for(receipt_id: UUID) -> str:
    return f"receipt:{receipt_id}"


def job_for(receipt_id: UUID) -> dict[str, str]:
    """The ``interpret_receipt`` job's options and argument: one waiting and one running per receipt."""
    lock = lock_for(receipt_id)
    return {"queueing_lock": lock, "lock": lock, "receipt_id": str(receipt_id)}


def _interpreter(ctx: WorkerContext) -> ReceiptInterpreter:
    interpreter = ctx.tools.get("interpreter")
    if interpreter is None:
        interpreter = ReceiptInterpreter(
            workers=ctx.settings.ocr_processes or None, memory_limit=ctx.settings.ocr_memory_mb * 1024 * 1024 or None
        )
        ctx.tools["interpreter"] = interpreter
    assert isinstance(interpreter, ReceiptInterpreter)
    return interpreter


async def waiting_receipts(ctx: WorkerContext, live_locks: set[str]) -> list[UUID]:
    """Receipts still to be read whose job is gone or was never deferred, oldest first."""
    async with ctx.sessions() as session:
        ids = (
            await session.execute(
                select(Receipt.id)
                .where(col(Receipt.state).in_(WAITING))
                .order_by(col(Receipt.created_at))
                .limit(FIND_LIMIT + len(live_locks))
            )
        ).scalars()
        return [i for i in ids if lock_for(i) not in live_locks][:FIND_LIMIT]


async def interpret_one(ctx: WorkerContext, receipt_id: UUID) -> bool:
    """Read one receipt and fill its drafts; False when there was nothing to do (read already, gone)."""
    async with ctx.sessions() as session:
        receipt = await session.get(Receipt, receipt_id)
        if receipt is None or receipt.state not in WAITING:
            return False
        if not attempts_left(RETRY, receipt.attempts):  # every reading so far crashed or was killed
            await _finish(ctx, receipt_id, state="failed", error_code="interpretation_crashed")
            return True
        receipt.state = "interpreting"
        receipt.attempts += 1
        attempts = receipt.attempts
        sha256 = receipt.sha256
        await session.commit()
    try:
        data = await ctx.storage.get(sha256)
        started = time.perf_counter()
        try:
            result = await _interpreter(ctx).interpret(data, today=ctx.clock.today())
        finally:
            RECEIPT_SECONDS.observe(time.perf_counter() - started)
    except OcrUnavailable:  # the reader, not the receipt: try again
        log.warning("receipt_reader_unavailable", receipt_id=str(receipt_id), attempt=attempts)
        RECEIPT_FAILURES.labels(OcrUnavailable.code).inc()
        await _retry_or_fail(ctx, receipt_id, attempts)
        return True
    except ReceiptImageError as exc:
        RECEIPT_FAILURES.labels(exc.code).inc()
        await _finish(ctx, receipt_id, state="failed", error_code=exc.code)
        return True
    except Exception:
        log.exception("receipt_interpretation_crashed", receipt_id=str(receipt_id), attempt=attempts)
        RECEIPT_FAILURES.labels("crashed").inc()
        await _retry_or_fail(ctx, receipt_id, attempts)
        return True
    await _finish(ctx, receipt_id, state="done", result=result)
    return True


async def _retry_or_fail(ctx: WorkerContext, receipt_id: UUID, attempts: int) -> None:
    if not attempts_left(RETRY, attempts):
        await _finish(ctx, receipt_id, state="failed", error_code="interpretation_crashed")
        return
    await _finish(ctx, receipt_id, state="queued")
    raise TryAgain(str(receipt_id))


async def _finish(
    ctx: WorkerContext,
    receipt_id: UUID,
    *,
    state: str,
    error_code: str | None = None,
    result: ReadReceipt | None = None,
) -> None:
    async with ctx.sessions() as session:
        receipt = await session.get(Receipt, receipt_id)
        if receipt is None:
            return
        now = ctx.clock.now()
        receipt.state = state
        receipt.error_code = error_code
        if result is not None:
            receipt.interpretation = result.to_json_dict()
            receipt.interpreted_at = now
            expenses = (await session.execute(select(Expense).where(col(Expense.receipt_id) == receipt.id))).scalars()
            for expense in expenses:
                if expense.claim_id is not None:
                    item = await attest.item_for(session, ItemKind.EXPENSE_CLAIM, expense.claim_id)
                    if not editable(attest.state(item)):
                        continue
                memory = await sellers.recall(session, expense.organisation_id, result)
                filled = fill_from_receipt(expense, result, memory[1] if memory else None)
                if memory and expense.remembered:
                    sellers.record_applied(
                        session, expense, memory[0], {name: filled[name] for name in expense.remembered}
                    )
                if filled:
                    audit.record(
                        session,
                        organisation_id=expense.organisation_id,
                        actor=None,
                        entity_type="expense",
                        entity_id=expense.id,
                        action="filled_from_receipt",
                        after=filled,
                    )
        await session.commit()


def fill_from_receipt(expense: Expense, read: ReadReceipt, remembered: Remembered | None = None) -> dict[str, object]:
    """Copy what was read into the fields the employee left empty; returns what changed.

    ``remembered`` is the organisation's earlier correction for this seller: its merchant,
    category and currency win over what was read, never over what the employee typed.
    """
    changes: dict[str, object] = {}
    memory = remembered or Remembered()
    from_memory: list[str] = []

    def take(name: str, value: object) -> None:
        if value is not None and getattr(expense, name) in (None, "", []):
            setattr(expense, name, value)
            changes[name] = value

    def preferred(name: str, value: str | None) -> str | None:
        chosen = memory.get(name)
        if chosen and chosen != value:
            from_memory.append(name)
            return chosen
        return value

    take("expense_date", read.date)
    merchant = preferred("merchant", read.merchant)
    take("merchant", merchant)
    take("org_number", read.org_number)
    take("amount", read.total)
    currency = preferred("currency", read.currency)
    if currency and expense.amount == read.total and expense.currency == "SEK":
        if currency != "SEK":
            expense.currency = currency
            changes["currency"] = currency
        elif "currency" in from_memory:  # kronor as corrected, whatever was read
            changes["currency"] = currency
    vat = [{"rate": str(row.rate.normalize()), "amount": str(row.amount)} for row in read.vat if row.amount is not None]
    take("vat", vat or None)
    category = preferred("category", read.category)
    if expense.category is None and category:
        expense.category = category
        changes["category"] = category
    expense.remembered = [name for name in from_memory if name in changes]
    if expense.amount is not None:
        rate = Decimal(expense.exchange_rate) if expense.exchange_rate else None
        expense.amount_sek = rules.amount_in_sek(expense.amount, expense.currency, rate)
    expense.confidence = {name: float(value) for name, value in read.confidence.items()}
    expense.filled_from_receipt = True
    return changes
