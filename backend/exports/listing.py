"""Reading batches back: the list, one batch, and its transactions page by page (export rows)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.problems import not_found
from backend.db.models import AttestItem, ExportBatch, ExportTransaction
from backend.exports.schemas import ExportRows, ExportRowView


async def batches(session: AsyncSession, organisation_id: UUID, period: str | None) -> list[ExportBatch]:
    statement = select(ExportBatch).where(col(ExportBatch.organisation_id) == organisation_id)
    if period is not None:
        statement = statement.where(col(ExportBatch.period) == period)
    return list(
        (await session.execute(statement.order_by(col(ExportBatch.period).desc(), col(ExportBatch.sequence).desc())))
        .scalars()
        .all()
    )


async def batch(session: AsyncSession, organisation_id: UUID, batch_id: UUID) -> ExportBatch:
    found = await session.get(ExportBatch, batch_id)
    if found is None or found.organisation_id != organisation_id:
        raise not_found()
    return found


async def latest(session: AsyncSession, organisation_id: UUID, period: str) -> ExportBatch | None:
    found = await batches(session, organisation_id, period)
    return found[0] if found else None


async def by_sequence(session: AsyncSession, organisation_id: UUID, period: str, sequence: int) -> ExportBatch | None:
    return (
        await session.execute(
            select(ExportBatch).where(
                col(ExportBatch.organisation_id) == organisation_id,
                col(ExportBatch.period) == period,
                col(ExportBatch.sequence) == sequence,
            )
        )
    ).scalar_one_or_none()


async def rows(session: AsyncSession, found: ExportBatch, offset: int, limit: int) -> ExportRows:
    """The batch's transactions in file order (``position``), with the item's title."""
    total = (
        await session.execute(
            select(func.count()).select_from(ExportTransaction).where(col(ExportTransaction.batch_id) == found.id)
        )
    ).scalar_one()
    result = await session.execute(
        sa_select(ExportTransaction, col(AttestItem.title))
        .outerjoin(AttestItem, col(AttestItem.id) == col(ExportTransaction.attest_item_id))
        .where(col(ExportTransaction.batch_id) == found.id)
        .order_by(col(ExportTransaction.position))
        .offset(offset)
        .limit(limit)
    )
    return ExportRows(
        total=int(total),
        offset=offset,
        limit=limit,
        rows=[
            ExportRowView(
                position=t.position,
                item_id=t.attest_item_id,
                item_title=title,
                employee_id=t.employee_id,
                employee=t.name,
                employee_number=t.employee_number,
                section=t.section,
                code=t.code,
                pay_type=t.pay_type,
                day=t.day,
                text=t.text,
                hours=t.hours,
                quantity=t.quantity,
                unit_price=t.unit_price,
                amount=t.amount,
                reversal=t.reversal,
            )
            for t, title in result.tuples()
        ],
    )
