"""Reading the outbox and the notices straight from the database, for assertions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.core.database import session_maker
from backend.db.models import Delivery, Notice, PushDevice


async def deliveries(engine: AsyncEngine, **where: Any) -> list[Delivery]:
    async with session_maker(engine)() as session:
        statement = select(Delivery).order_by(col(Delivery.created_at), col(Delivery.id))
        for name, value in where.items():
            statement = statement.where(getattr(Delivery, name) == value)
        return list((await session.execute(statement)).scalars())


async def notices(engine: AsyncEngine, **where: Any) -> list[Notice]:
    async with session_maker(engine)() as session:
        statement = select(Notice).order_by(col(Notice.created_at), col(Notice.id))
        for name, value in where.items():
            statement = statement.where(getattr(Notice, name) == value)
        return list((await session.execute(statement)).scalars())


async def devices(engine: AsyncEngine) -> list[PushDevice]:
    async with session_maker(engine)() as session:
        return list((await session.execute(select(PushDevice))).scalars())
