"""Real databases for tests: a fresh SQLite file or a private PostgreSQL schema per run.

Migrations run once per run and backend (the same Alembic path production uses); each
test starts from empty tables.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from backend.config import DatabaseSettings, normalise_database_url
from backend.db import migrate
from backend.db.models import metadata

JOB_TABLES = ["procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers"]
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """TEST_POSTGRES_URL, or DATABASE_URL when it names PostgreSQL, or the local server."""
    explicit = os.environ.get("TEST_POSTGRES_URL")
    if explicit:
        return normalise_database_url(explicit)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres", "postgresql")):
        return normalise_database_url(database_url)
    return normalise_database_url(DEFAULT_POSTGRES)


def backends() -> list[str]:
    """TEST_DATABASES=sqlite,postgresql (default both). CI must not skip PostgreSQL."""
    return [name.strip() for name in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",") if name.strip()]


def prepare(backend: str, workdir: Path) -> DatabaseSettings:
    """Create an empty, migrated database for ``backend`` and return its settings."""
    if backend == "sqlite":
        database = DatabaseSettings(url=f"sqlite+aiosqlite:///{workdir / 'test.db'}")
    elif backend == "postgresql":
        # 15 connections: the race tests hold ten transactions open at once (the production default is smaller).
        database = DatabaseSettings(
            url=postgres_url(), schema=f"test_{uuid.uuid4().hex[:12]}", pool_size=5, max_overflow=10
        )
    else:
        msg = f"unknown test database {backend!r}"
        raise ValueError(msg)
    migrate.upgrade(database)
    return database


def drop(database: DatabaseSettings) -> None:
    if database.schema:

        async def go() -> None:
            engine = create_async_engine(database.url)
            async with engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
            await engine.dispose()

        asyncio.run(go())


# Each TRUNCATE gives every table and index a new file, so PostgreSQL's catalog gets a few hundred
# dead rows per test. A server with autovacuum off (this machine's is) never reclaims them: pg_class
# grew to 330 000 dead rows (33 MB) in a day, and catalog lookups slow down with it. The tests vacuum
# the catalog tables they churn, at the start and every so often.
CHURNED_CATALOG = ("pg_class", "pg_attribute", "pg_type", "pg_depend", "pg_index", "pg_constraint")
VACUUM_EVERY = 25
_emptied = 0


async def vacuum_catalog(engine: AsyncEngine) -> None:
    """Reclaim the catalog's dead rows (VACUUM cannot run in a transaction; skipped without the right)."""
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        names = ", ".join(f"pg_catalog.{name}" for name in CHURNED_CATALOG)
        await autocommit.execute(text(f"VACUUM {names}"))


async def empty_tables(engine: AsyncEngine) -> None:
    global _emptied
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    if engine.dialect.name == "postgresql" and _emptied % VACUUM_EVERY == 0:
        await vacuum_catalog(engine)
    _emptied += 1
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            tables += JOB_TABLES  # the job system's queue starts empty too
            await connection.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in tables) + " CASCADE"))
        else:
            for name in tables:
                await connection.execute(text(f'DELETE FROM "{name}"'))


def with_schema(database: DatabaseSettings, schema: str | None) -> DatabaseSettings:
    return replace(database, schema=schema)
