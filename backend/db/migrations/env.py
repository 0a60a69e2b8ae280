"""Alembic environment: async engines for SQLite and PostgreSQL, batch mode for SQLite."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from backend.config import DatabaseSettings, Settings
from backend.core.database import create_engine
from backend.db import migrate
from backend.db.models import metadata

config = context.config


def _database() -> DatabaseSettings:
    database = config.attributes.get("database")
    return database if isinstance(database, DatabaseSettings) else Settings.from_env().database


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render JSON columns portably (JSONB on PostgreSQL, JSON elsewhere) without vendor extras."""
    if type_ == "type" and isinstance(obj, sa.JSON):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')"
    return False


def _run(connection: Connection, schema: str | None) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_name=migrate.ours,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        version_table_schema=schema,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _online() -> None:
    database = _database()
    engine = create_engine(database)
    async with engine.connect() as connection:
        if database.schema and connection.dialect.name == "postgresql":
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"'))
            await connection.commit()
        await connection.run_sync(_run, database.schema)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_database().url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_online())
