"""Export batches: what a close freezes, exactly once, and its files are made from the frozen rows (``files.py``).

A close makes one batch: first the reversal of every exported item that was corrected since
(payroll returned it: its return count grew), with exactly the rows exported before, negated;
then every approved or locked item of the period (or earlier) not exported yet, with the rows the
export rules build now. ``ExportedItem`` has at most one active row per item (a unique index),
so an item can never be exported twice. Any problem (no personnummer, an unmapped code...) refuses
the whole close with the full list: the caller's transaction rolls back and nothing is marked.

Each file is rendered once, by the close, from the frozen rows and stored in the content store
under its sha256 (``paxml_sha256``, ``sie_sha256``); downloads stream those bytes. A batch whose
file is not stored (made without storage, or storage lost) is rendered again from the same rows,
which gives the same bytes. If the close then rolls back, the stored object is an orphan that no
batch names (content-addressed, so harmless).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Text
from backend.core.problems import FieldError, invalid
from backend.db.bulk import insert_rows
from backend.db.models import (
    AttestItem,
    ExportBatch,
    ExportedItem,
    ExportTransaction,
    ExportVoucherRow,
    Organisation,
)
from backend.domain.attest import AttestState
from backend.domain.calendar import PayPeriod
from backend.domain.errors import DomainError
from backend.domain.exports.bookkeeping import vouchers
from backend.domain.exports.chart import Chart
from backend.domain.exports.mapping import CodeMapping
from backend.domain.exports.model import (
    ItemFacts,
    PayrollTransaction,
    Voucher,
    reversed_transaction,
    reversed_voucher,
)
from backend.domain.exports.payroll import payroll_transactions, problems
from backend.exports import headers
from backend.exports.configuration import chart_for, mapping_for
from backend.exports.facts import ITEM_COLUMNS, ItemRow, codes, item_facts
from backend.exports.files import paxml_bytes, sha256, sie_bytes, transactions_of, vouchers_of
from backend.storage import ContentStore

ITEM_PAGE = 1000
INSERT_PAGE = 5000
"""Rows written per insert while a batch is made."""
EXPORTABLE = [AttestState.APPROVED.value, AttestState.LOCKED.value]
# Core tables for bulk inserts (COPY on PostgreSQL): the ORM's bulk path cost a third of the close.
TRANSACTIONS: Table = ExportTransaction.__table__  # type: ignore[attr-defined]
VOUCHER_ROWS: Table = ExportVoucherRow.__table__  # type: ignore[attr-defined]
EXPORTED_ITEMS: Table = ExportedItem.__table__  # type: ignore[attr-defined]


def not_exported() -> ColumnElement[bool]:
    """An attest item that no active export carries (never exported, or its export was reversed)."""
    return ~(
        sa_select(col(ExportedItem.id))
        .where(col(ExportedItem.attest_item_id) == col(AttestItem.id), col(ExportedItem.reversed_in_batch_id).is_(None))
        .exists()
    )


@dataclass
class _Totals:
    position: int = 0
    voucher: int = 0
    items: set[UUID] = field(default_factory=set)
    reversals: int = 0
    amount: Decimal = Decimal(0)
    refusals: list[FieldError] = field(default_factory=list)
    transaction_rows: list[dict[str, Any]] = field(default_factory=list)
    voucher_rows: list[dict[str, Any]] = field(default_factory=list)


def _stamp(now: datetime) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "created_at": now, "updated_at": now}


class BatchMaker:
    """Makes one batch in the caller's transaction; the caller commits, or rolls back on a refusal."""

    def __init__(
        self,
        session: AsyncSession,
        organisation: Organisation,
        principal: Principal | None,
        storage: ContentStore | None = None,
    ) -> None:
        self.session = session
        self.organisation = organisation
        self.principal = principal
        self.storage = storage

    async def make(self, period: PayPeriod, now: datetime, created_by: str) -> ExportBatch:
        session = self.session
        sequence = (
            await session.execute(
                select(func.max(col(ExportBatch.sequence))).where(
                    col(ExportBatch.organisation_id) == self.organisation.id, col(ExportBatch.period) == str(period)
                )
            )
        ).scalar_one_or_none() or 0
        mapping = await mapping_for(session, self.organisation.id)
        chart = await chart_for(session, self.organisation.id)
        batch = ExportBatch(
            organisation_id=self.organisation.id,
            period=str(period),
            sequence=sequence + 1,
            created_by_account_id=self.principal.account_id if self.principal else None,
            created_by=created_by,
            made_on=now.astimezone(STOCKHOLM).date(),
            organisation_name=self.organisation.name,
            org_number=self.organisation.org_number,
            created_at=now,
            updated_at=now,
        )
        session.add(batch)
        await session.flush()
        totals = _Totals()
        await self._reverse_corrected(batch, now, totals)
        await self._export_new(batch, period, mapping, chart, now, totals)
        if totals.refusals:
            raise invalid(
                totals.refusals,
                Text(
                    sv="Exporten stoppades: rätta uppgifterna nedan (inget har markerats som exporterat).",
                    en="The export was refused: correct what is listed below (nothing was marked as exported).",
                ),
            )
        batch.items = len(totals.items)
        batch.transactions = totals.position
        batch.vouchers = totals.voucher
        batch.reversals = totals.reversals
        batch.total_amount = totals.amount
        batch.account_names = await headers.account_names(session, batch.id, chart, self.organisation.id)
        await session.flush()
        # Each file is rendered once, here: stored under its sha256, which downloads then stream.
        keep = self.storage.put_stream if self.storage is not None else sha256
        batch.paxml_sha256 = await keep(paxml_bytes(session, batch))
        batch.sie_sha256 = await keep(sie_bytes(session, batch))
        await session.flush()
        return batch

    async def _flush_rows(self, totals: _Totals, force: bool = False) -> None:
        if totals.transaction_rows and (force or len(totals.transaction_rows) >= INSERT_PAGE):
            await insert_rows(self.session, TRANSACTIONS, totals.transaction_rows)
            totals.transaction_rows = []
        if totals.voucher_rows and (force or len(totals.voucher_rows) >= INSERT_PAGE):
            await insert_rows(self.session, VOUCHER_ROWS, totals.voucher_rows)
            totals.voucher_rows = []

    def _add(
        self,
        batch: ExportBatch,
        employee_id: UUID,
        item_id: UUID,
        transactions: Iterable[PayrollTransaction],
        made: Iterable[Voucher],
        now: datetime,
        totals: _Totals,
    ) -> None:
        amount = Decimal(0)
        for t in transactions:
            totals.position += 1
            amount += t.amount or Decimal(0)
            totals.transaction_rows.append(
                _stamp(now)
                | {
                    "batch_id": batch.id,
                    "position": totals.position,
                    "attest_item_id": item_id,
                    "employee_id": employee_id,
                    "section": t.section.value,
                    "employee_number": t.person.employee_number,
                    "personal_identity_number": t.person.personal_identity_number,
                    "name": t.person.name,
                    "code": t.code,
                    "pay_type": t.pay_type,
                    "day": t.day,
                    "text": t.text[:500],
                    "hours": t.hours,
                    "quantity": t.quantity,
                    "unit_price": t.unit_price,
                    "amount": t.amount,
                    "cost_centre": t.dimensions.cost_centre,
                    "project": t.dimensions.project,
                    "reversal": t.reversal,
                }
            )
        for v in made:
            totals.voucher += 1
            for number, row in enumerate(v.rows, 1):
                totals.voucher_rows.append(
                    _stamp(now)
                    | {
                        "batch_id": batch.id,
                        "voucher": totals.voucher,
                        "position": number,
                        "attest_item_id": item_id,
                        "voucher_day": v.day,
                        "voucher_text": v.text[:500],
                        "reversal": v.reversal,
                        "account": row.account,
                        "amount": row.amount,
                        "text": row.text[:500],
                        "cost_centre": row.dimensions.cost_centre,
                        "project": row.dimensions.project,
                    }
                )
        totals.amount += amount
        totals.items.add(item_id)

    async def _reverse_corrected(self, batch: ExportBatch, now: datetime, totals: _Totals) -> None:
        """Exported items returned since: their exported rows, negated, and the export marked reversed."""
        corrected = (
            await self.session.execute(
                sa_select(
                    col(ExportedItem.id),
                    col(ExportedItem.attest_item_id),
                    col(ExportedItem.batch_id),
                    col(AttestItem.employee_id),
                )
                .join(AttestItem, col(AttestItem.id) == col(ExportedItem.attest_item_id))
                .where(
                    col(ExportedItem.organisation_id) == self.organisation.id,
                    col(ExportedItem.reversed_in_batch_id).is_(None),
                    col(AttestItem.times_returned) > col(ExportedItem.times_returned),
                )
                .order_by(col(ExportedItem.attest_item_id))
            )
        ).all()
        for start in range(0, len(corrected), ITEM_PAGE):
            page = corrected[start : start + ITEM_PAGE]
            pairs = [(item_id, batch_id) for _, item_id, batch_id, _ in page]
            sent = await transactions_of(self.session, pairs)
            booked = await vouchers_of(self.session, pairs)
            for _, item_id, _, employee_id in page:
                self._add(
                    batch,
                    employee_id,
                    item_id,
                    [reversed_transaction(t) for t in sent.get(item_id, [])],
                    [reversed_voucher(v, batch.made_on) for v in booked.get(item_id, [])],
                    now,
                    totals,
                )
                totals.reversals += 1
            await self.session.execute(
                update(ExportedItem)
                .where(col(ExportedItem.id).in_([exported_id for exported_id, _, _, _ in page]))
                .values(reversed_in_batch_id=batch.id, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            await self._flush_rows(totals)

    async def _export_new(
        self, batch: ExportBatch, period: PayPeriod, mapping: CodeMapping, chart: Chart, now: datetime, totals: _Totals
    ) -> None:
        """Approved and locked items of the period or earlier that no active export carries, page by page."""
        dims = await codes(self.session, self.organisation.id)
        last: UUID | None = None
        while True:
            statement = (
                sa_select(*ITEM_COLUMNS)
                .where(
                    col(AttestItem.organisation_id) == self.organisation.id,
                    col(AttestItem.state).in_(EXPORTABLE),
                    col(AttestItem.pay_period) <= str(period),
                    not_exported(),
                )
                .order_by(col(AttestItem.id))
                .limit(ITEM_PAGE)
            )
            if last is not None:
                statement = statement.where(col(AttestItem.id) > last)
            items = [ItemRow(*row) for row in (await self.session.execute(statement)).tuples()]
            if not items:
                break
            last = items[-1].id
            facts = await item_facts(self.session, self.organisation, items, dims)
            found = problems(facts, mapping)
            totals.refusals += [headers.refusal(problem) for problem in found]
            refused = {headers.refused_item(problem) for problem in found}
            exported = []
            for item, fact in zip(items, facts, strict=True):
                if totals.refusals and fact.item_id in refused:
                    continue
                built = _build(fact, mapping, chart, totals)
                if built is None or totals.refusals:
                    continue  # a refused export writes nothing more; the problems are still all collected
                self._add(batch, item.employee_id, item.id, built[0], built[1], now, totals)
                exported.append(
                    _stamp(now)
                    | {
                        "organisation_id": self.organisation.id,
                        "attest_item_id": item.id,
                        "batch_id": batch.id,
                        "item_version": item.version,
                        "times_returned": item.times_returned,
                        "reversed_in_batch_id": None,
                    }
                )
            if exported and not totals.refusals:
                await insert_rows(self.session, EXPORTED_ITEMS, exported)
            await self._flush_rows(totals)
        await self._flush_rows(totals, force=True)


def _build(
    fact: ItemFacts, mapping: CodeMapping, chart: Chart, totals: _Totals
) -> tuple[list[PayrollTransaction], list[Voucher]] | None:
    """The item's transactions and vouchers, or None with the reason added to the refusals."""
    try:
        return payroll_transactions(fact, mapping), vouchers(fact, chart)
    except DomainError as exc:
        totals.refusals.append(
            FieldError(
                f"items.{fact.item_id}",
                exc.code,
                Text(
                    sv=f"{fact.person.name} ({fact.person.employee_number}), {fact.title}: {exc.message.sv}",
                    en=f"{fact.person.name} ({fact.person.employee_number}), {fact.title}: {exc.message.en}",
                ),
            )
        )
        return None
