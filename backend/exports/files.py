"""An export batch's files, streamed from its frozen rows: PAXml for payroll, SIE for bookkeeping.

The close renders each file once and stores it under its sha256; a download streams the stored
bytes, or renders them again from the same rows (the same bytes) when the store has lost them.
Rows are read back in windows (``ROW_PAGE`` positions, ``VOUCHER_PAGE`` vouchers), so memory
stays bounded whatever the batch's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select as sa_select
from sqlalchemy import tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from backend.db.models import (
    ExportBatch,
    ExportTransaction,
    ExportVoucherRow,
)
from backend.domain.exports.model import (
    Dimensions,
    PayrollTransaction,
    Person,
    Section,
    Voucher,
    VoucherRow,
)
from backend.domain.exports.paxml import PaxmlHeader, render_paxml
from backend.domain.exports.sie import SieHeader, render_sie
from backend.exports import headers
from backend.exports.streaming import stream
from backend.storage import ContentStore

ROW_PAGE = 5000
VOUCHER_PAGE = 1000
SECTIONS = [Section.TIME, Section.PAY]
"""PAXml carries the time transactions first, then the pay transactions (the writer's order)."""


_TRANSACTION_COLUMNS = (
    col(ExportTransaction.position),
    col(ExportTransaction.attest_item_id),
    col(ExportTransaction.section),
    col(ExportTransaction.employee_number),
    col(ExportTransaction.personal_identity_number),
    col(ExportTransaction.name),
    col(ExportTransaction.code),
    col(ExportTransaction.pay_type),
    col(ExportTransaction.day),
    col(ExportTransaction.text),
    col(ExportTransaction.hours),
    col(ExportTransaction.quantity),
    col(ExportTransaction.unit_price),
    col(ExportTransaction.amount),
    col(ExportTransaction.cost_centre),
    col(ExportTransaction.project),
    col(ExportTransaction.reversal),
)


_SECTION_OF = {section.value: section for section in Section}  # a dict lookup: Section(value) is slow per row


def _transaction(row: Sequence[Any]) -> PayrollTransaction:
    (_, item_id, section, number, pin, name, code, pay_type, day, text, hours, quantity, price, amount, cc, pr, rev) = (
        row
    )
    return PayrollTransaction(
        item_id=str(item_id),
        section=_SECTION_OF[section],
        person=Person(number, pin, name),
        code=code,
        pay_type=pay_type,
        day=day,
        text=text,
        hours=hours,
        quantity=quantity,
        unit_price=price,
        amount=amount,
        dimensions=Dimensions(cc, pr),
        reversal=rev,
    )


_VOUCHER_COLUMNS = (
    col(ExportVoucherRow.voucher),
    col(ExportVoucherRow.attest_item_id),
    col(ExportVoucherRow.voucher_day),
    col(ExportVoucherRow.voucher_text),
    col(ExportVoucherRow.reversal),
    col(ExportVoucherRow.account),
    col(ExportVoucherRow.amount),
    col(ExportVoucherRow.text),
    col(ExportVoucherRow.cost_centre),
    col(ExportVoucherRow.project),
)


def _voucher_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[UUID, Voucher]]:
    """Rows of ``_VOUCHER_COLUMNS`` (ordered by voucher and position) as vouchers, with the item each is for."""
    grouped: dict[tuple[UUID, int], list[Sequence[Any]]] = {}
    for row in rows:  # by item and number: rows of several batches can share a number (reversals)
        grouped.setdefault((row[1], row[0]), []).append(row)
    made = []
    for members in grouped.values():
        _, item_id, day, text, reversal = members[0][:5]
        lines = tuple(
            VoucherRow(account, amount, line, Dimensions(cc, pr)) for *_, account, amount, line, cc, pr in members
        )
        made.append((item_id, Voucher(item_id=str(item_id), day=day, text=text, rows=lines, reversal=reversal)))
    return made


async def transactions_of(
    session: AsyncSession, pairs: Sequence[tuple[UUID, UUID]]
) -> dict[UUID, list[PayrollTransaction]]:
    """The rows exported for (item, batch) pairs, in their order: what that export sent.

    Not the rows reversing an earlier export of the item in the same batch (a corrected item is
    reversed and sent anew in one batch): reversing this export must negate only what it sent.
    """
    found: dict[UUID, list[PayrollTransaction]] = {}
    rows = await session.execute(
        sa_select(*_TRANSACTION_COLUMNS, col(ExportTransaction.batch_id))
        .where(
            tuple_(col(ExportTransaction.attest_item_id), col(ExportTransaction.batch_id)).in_(pairs),
            col(ExportTransaction.reversal).is_(False),
        )
        .order_by(col(ExportTransaction.batch_id), col(ExportTransaction.position))
    )
    for row in rows.tuples():
        found.setdefault(row[1], []).append(_transaction(row[:-1]))
    return found


async def vouchers_of(session: AsyncSession, pairs: Sequence[tuple[UUID, UUID]]) -> dict[UUID, list[Voucher]]:
    """The vouchers booked for (item, batch) pairs: what that export booked, not reversals in the same batch."""
    rows = await session.execute(
        sa_select(*_VOUCHER_COLUMNS)
        .where(
            tuple_(col(ExportVoucherRow.attest_item_id), col(ExportVoucherRow.batch_id)).in_(pairs),
            col(ExportVoucherRow.reversal).is_(False),
        )
        .order_by(col(ExportVoucherRow.batch_id), col(ExportVoucherRow.voucher), col(ExportVoucherRow.position))
    )
    found: dict[UUID, list[Voucher]] = {}
    for item_id, voucher in _voucher_rows(rows.tuples()):
        found.setdefault(item_id, []).append(voucher)
    return found


def paxml_bytes(session: AsyncSession, batch: ExportBatch) -> AsyncIterator[bytes]:
    """The batch's PAXml file, streamed from its rows (time section first, then pay)."""
    batch_id = batch.id

    last = batch.transactions

    async def page(key: tuple[int, int] | None) -> tuple[list[PayrollTransaction], tuple[int, int] | None]:
        """One section's rows in a window of ``ROW_PAGE`` positions: each page reads its window of the
        (batch, position) index and no more (a LIMIT after ``position > x`` had PostgreSQL read every
        later row per page, quadratic in the batch)."""
        section, after = key or (0, 0)
        rows = await session.execute(
            sa_select(*_TRANSACTION_COLUMNS)
            .where(
                col(ExportTransaction.batch_id) == batch_id,
                col(ExportTransaction.position) > after,
                col(ExportTransaction.position) <= after + ROW_PAGE,
                col(ExportTransaction.section) == SECTIONS[section].value,
            )
            .order_by(col(ExportTransaction.position))
        )
        found = [_transaction(row) for row in rows.tuples()]
        if after + ROW_PAGE < last:
            return found, (section, after + ROW_PAGE)
        return found, (section + 1, 0) if section + 1 < len(SECTIONS) else None

    header: PaxmlHeader = headers.paxml(batch)
    return stream(lambda transactions: render_paxml(header, transactions), page)


def sie_bytes(session: AsyncSession, batch: ExportBatch) -> AsyncIterator[bytes]:
    """The batch's SIE file, streamed from its voucher rows, a page of whole vouchers at a time."""
    batch_id = batch.id

    async def page(after: int | None) -> tuple[list[Voucher], int | None]:
        start = after or 0
        rows = await session.execute(
            sa_select(*_VOUCHER_COLUMNS)
            .where(
                col(ExportVoucherRow.batch_id) == batch_id,
                col(ExportVoucherRow.voucher) > start,
                col(ExportVoucherRow.voucher) <= start + VOUCHER_PAGE,
            )
            .order_by(col(ExportVoucherRow.voucher), col(ExportVoucherRow.position))
        )
        found = [voucher for _, voucher in _voucher_rows(rows.tuples())]
        return found, start + VOUCHER_PAGE if start + VOUCHER_PAGE < batch.vouchers else None

    async def render() -> AsyncIterator[bytes]:
        header: SieHeader = await headers.sie(session, batch)
        async for piece in stream(lambda made: render_sie(header, made), page):
            yield piece

    return render()


async def file_bytes(
    session: AsyncSession, batch: ExportBatch, kind: str, storage: ContentStore | None
) -> AsyncIterator[bytes]:
    """The batch's file: the bytes the close stored, or (none stored: an older batch, storage lost)
    rendered again from the frozen rows, which gives the same bytes."""
    stored = batch.paxml_sha256 if kind == "paxml" else batch.sie_sha256
    if storage is not None and stored and await storage.exists(stored):
        async for piece in storage.stream(stored):
            yield piece
        return
    async for piece in paxml_bytes(session, batch) if kind == "paxml" else sie_bytes(session, batch):
        yield piece


async def sha256(pieces: AsyncIterator[bytes]) -> str:
    digest = hashlib.sha256()
    async for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def file_name(batch: ExportBatch, kind: str) -> str:
    return (
        f"paxml-{batch.period}-{batch.sequence}.xml" if kind == "paxml" else f"sie-{batch.period}-{batch.sequence}.se"
    )
