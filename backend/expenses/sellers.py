"""Learning from corrections: an organisation's fixes to a seller's receipts fill in its next ones.

The rules (what a seller key is, what counts as a correction) are in
``backend.domain.sellers``; this module reads and writes ``SellerMemory`` rows, always
within one organisation, and records every change in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.db.models import Expense, Receipt, SellerMemory
from backend.domain import sellers as rules
from ocr.model import Receipt as ReadReceipt


def keys_of_reading(interpretation: Mapping[str, Any]) -> list[rules.SellerKey]:
    """The seller keys of a stored interpretation (``vat_id`` only once the reader provides it)."""
    return rules.seller_keys(
        interpretation.get("org_number"), interpretation.get("vat_id"), interpretation.get("merchant")
    )


def keys_of_receipt(read: ReadReceipt) -> list[rules.SellerKey]:
    return rules.seller_keys(read.org_number, getattr(read, "vat_id", None), read.merchant)


async def _rows(session: AsyncSession, organisation_id: UUID, keys: list[rules.SellerKey]) -> list[SellerMemory]:
    if not keys:
        return []
    matches = [and_(col(SellerMemory.key_kind) == k.kind, col(SellerMemory.key) == k.value) for k in keys]
    statement = select(SellerMemory).where(col(SellerMemory.organisation_id) == organisation_id, or_(*matches))
    return list((await session.execute(statement)).scalars())


def _remembered(row: SellerMemory) -> rules.Remembered:
    return rules.Remembered(merchant=row.merchant, category=row.category, currency=row.currency)


async def recall(
    session: AsyncSession, organisation_id: UUID, read: ReadReceipt
) -> tuple[rules.SellerKey, rules.Remembered] | None:
    """What this organisation corrected for the receipt's seller, by the strongest key that has a memory."""
    rows = await _rows(session, organisation_id, rules.lookup_keys(keys_of_receipt(read)))
    found = {rules.SellerKey(cast(rules.KeyKind, row.key_kind), row.key): _remembered(row) for row in rows}
    return rules.strongest(found)


def record_applied(session: AsyncSession, expense: Expense, key: rules.SellerKey, applied: Mapping[str, Any]) -> None:
    """The trail says which fields came from an earlier correction, and by which seller key."""
    audit.record(
        session,
        organisation_id=expense.organisation_id,
        actor=None,
        entity_type="expense",
        entity_id=expense.id,
        action="filled_from_seller_memory",
        after={**applied, "seller_key_kind": key.kind, "seller_key": key.value},
    )


async def learn(
    session: AsyncSession,
    principal: Principal,
    expense: Expense,
    before: Mapping[str, Any],
    remembered_before: list[str],
) -> dict[str, str]:
    """Remember what the employee corrected on a read receipt, under every key its seller is known by."""
    if expense.receipt_id is None:
        return {}
    receipt = await session.get(Receipt, expense.receipt_id)
    if receipt is None or receipt.organisation_id != expense.organisation_id or not receipt.interpretation:
        return {}
    read = receipt.interpretation
    after = {name: getattr(expense, name) for name in rules.LEARNED_FIELDS}
    learned = rules.corrections(
        {name: read.get(name) for name in rules.LEARNED_FIELDS}, before, after, remembered_before
    )
    keys = keys_of_reading(read)
    if not learned or not keys:
        return learned
    existing = {(row.key_kind, row.key): row for row in await _rows(session, expense.organisation_id, keys)}
    for key in keys:
        row = existing.get((key.kind, key.value))
        if row is None:
            row = SellerMemory(organisation_id=expense.organisation_id, key_kind=key.kind, key=key.value)
            session.add(row)
            old: dict[str, Any] = {}
            action = "learned"
        else:
            old = {name: getattr(row, name) for name in learned}
            action = "updated"
        for name, value in learned.items():
            setattr(row, name, value)
        row.updated_by_account_id = principal.account_id
        await session.flush()
        audit.record(
            session,
            organisation_id=expense.organisation_id,
            actor=principal,
            entity_type="seller_memory",
            entity_id=row.id,
            action=action,
            before=old or None,
            after={**learned, "key_kind": key.kind, "key": key.value, "expense_id": expense.id},
        )
    return learned
