"""Claiming work rows with a lease, safely across several worker processes.

One UPDATE marks up to ``limit`` ready rows as taken by this worker until the lease
ends. On PostgreSQL the inner select uses ``FOR UPDATE SKIP LOCKED`` so concurrent
workers take different rows; SQLite runs one writer at a time, which gives the same.
A worker that dies leaves rows whose lease simply runs out; another worker takes them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def claim(
    session: AsyncSession,
    model: Any,
    *,
    ready: ColumnElement[bool],
    order_by: Any,
    limit: int,
    worker: str,
    lease: timedelta,
    now: datetime,
) -> list[UUID]:
    """Take up to ``limit`` ready rows for ``lease``; returns their ids (committed)."""
    token = f"{worker}:{uuid.uuid4().hex[:8]}"
    free = or_(model.locked_until.is_(None), model.locked_until < now)
    candidates = select(model.id).where(ready, free).order_by(order_by).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    await session.execute(
        update(model)
        .where(model.id.in_(candidates))
        .values(locked_by=token, locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    ids = list((await session.execute(select(model.id).where(model.locked_by == token))).scalars())
    await session.commit()
    return ids


def release_values() -> dict[str, None]:
    """Column values that end a lease."""
    return {"locked_by": None, "locked_until": None}
