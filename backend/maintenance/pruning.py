"""Deleting what the retention policy (``retention``) lets go, in bounded batches.

Each batch is one ``DELETE ... WHERE id IN (SELECT id ... LIMIT n)`` in a transaction of its own, so a
table with millions of old rows is emptied without one huge transaction, long locks or a swollen WAL,
and an interrupted prune has kept what it deleted. On PostgreSQL rows another transaction holds are
skipped (``SKIP LOCKED``), so pruning never waits for the API or a worker; they go next time.

Order matters: deliveries first, then notices (a notice's deliveries are deleted with it by the
foreign key, so a notice with a pending delivery is kept). The audit log is never pruned.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, and_, any_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from backend.config import Settings
from backend.db.models import Delivery, IdempotentRequest, Notice
from backend.maintenance.retention import FINISHED_DELIVERY_STATES, Cutoffs, batch_size, cutoffs

Prune = Callable[[async_sessionmaker[AsyncSession], datetime, Settings], Awaitable[int]]


def _limits(now: datetime, settings: Settings) -> Cutoffs:
    return cutoffs(now, settings.retention, settings.idempotency_keep_hours)


def batch_delete(model: Any, condition: ColumnElement[bool], size: int, *, postgresql: bool) -> Delete:
    """One batch: at most ``size`` matching rows, chosen by id (the statement ``bench/index_explain.py`` explains).

    On PostgreSQL the ids are handed over as ``= ANY(ARRAY(...))``, which deletes them through the primary
    key; with ``IN (subquery)`` the planner hash-joins the whole table against the batch, reading every row
    of it for every batch.
    """
    chosen = select(model.id).where(condition).limit(size)
    if not postgresql:
        return delete(model).where(model.id.in_(chosen.scalar_subquery())).execution_options(synchronize_session=False)
    chosen = chosen.with_for_update(skip_locked=True)
    return (
        delete(model)
        .where(model.id == any_(func.array(chosen.scalar_subquery())))
        .execution_options(synchronize_session=False)
    )


async def delete_in_batches(
    sessions: async_sessionmaker[AsyncSession], model: Any, condition: ColumnElement[bool], size: int
) -> int:
    """Delete every ``model`` row matching ``condition``, at most ``size`` per transaction; returns the count."""
    deleted = 0
    while True:
        async with sessions() as session:
            postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
            result = await session.execute(batch_delete(model, condition, size, postgresql=postgres))
            await session.commit()
        count = int(result.rowcount)  # type: ignore[attr-defined]
        deleted += count
        if count < size:
            return deleted


def finished_deliveries(limits: Cutoffs) -> ColumnElement[bool]:
    return and_(col(Delivery.state).in_(FINISHED_DELIVERY_STATES), col(Delivery.updated_at) < limits.deliveries)


def old_notices(limits: Cutoffs) -> ColumnElement[bool]:
    pending = exists().where(col(Delivery.notice_id) == col(Notice.id), col(Delivery.state) == "pending")
    return and_(
        col(Notice.created_at) < limits.any_notice,
        or_(
            and_(col(Notice.read_at).is_not(None), col(Notice.created_at) < limits.read_notices),
            and_(col(Notice.read_at).is_(None), col(Notice.created_at) < limits.unread_notices),
        ),
        ~pending,
    )


def expired_idempotency_keys(limits: Cutoffs) -> ColumnElement[bool]:
    return col(IdempotentRequest.created_at) < limits.idempotency_keys


async def prune_deliveries(sessions: async_sessionmaker[AsyncSession], now: datetime, settings: Settings) -> int:
    """Finished outbox rows (sent, failed, skipped, gone, superseded) after RETAIN_DELIVERIES_DAYS."""
    condition = finished_deliveries(_limits(now, settings))
    return await delete_in_batches(sessions, Delivery, condition, batch_size(settings.retention))


async def prune_notices(sessions: async_sessionmaker[AsyncSession], now: datetime, settings: Settings) -> int:
    """Read notices after RETAIN_READ_NOTICES_DAYS, unread ones after RETAIN_UNREAD_NOTICES_DAYS."""
    condition = old_notices(_limits(now, settings))
    return await delete_in_batches(sessions, Notice, condition, batch_size(settings.retention))


async def prune_idempotency_keys(sessions: async_sessionmaker[AsyncSession], now: datetime, settings: Settings) -> int:
    """Stored answers to Idempotency-Keys older than IDEMPOTENCY_KEEP_HOURS (never replayed again)."""
    condition = expired_idempotency_keys(_limits(now, settings))
    return await delete_in_batches(sessions, IdempotentRequest, condition, batch_size(settings.retention))


PRUNERS: dict[str, Prune] = {
    "deliveries": prune_deliveries,
    "notices": prune_notices,
    "idempotency_keys": prune_idempotency_keys,
}
"""Everything ``selfservice prune`` runs, in this order (deliveries before the notices they point at)."""


async def prune_all(sessions: async_sessionmaker[AsyncSession], now: datetime, settings: Settings) -> dict[str, int]:
    return {name: await prune(sessions, now, settings) for name, prune in PRUNERS.items()}
