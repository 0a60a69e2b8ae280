"""Many rows into one table at once: COPY on PostgreSQL, a Core executemany elsewhere (SQLite).

A month's export freezes hundreds of thousands of rows; an INSERT per row (even batched by the
driver) spends most of its time building parameters. COPY sends the rows as one stream in the
session's transaction (the raw asyncpg connection of the same session), so a rollback still undoes
everything. Values go through the columns' own type decorators (money as öre, exact decimals as
text, UTC timestamps) exactly as an INSERT would store them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql" or dialect.driver != "asyncpg":
        await session.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = [[row[name] for row in rows] for name in names]
    for index, name in enumerate(names):  # column by column: the per-value work stays in C where it can
        column_type = table.c[name].type
        process = column_type.bind_processor(dialect) if isinstance(column_type, TypeDecorator) else None
        if process is not None:
            columns[index] = list(map(process, columns[index]))
    records = list(zip(*columns, strict=True))
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None  # an open connection of this session
    await driver.copy_records_to_table(table.name, records=records, columns=names)
