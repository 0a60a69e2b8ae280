"""Engine and session configuration for SQLite (embedded default) and PostgreSQL.

advanced-alchemy's Litestar plugin owns the engine's lifecycle and gives each request
a session (``db_session``); the CLI, the worker and tests use ``session_maker``.
"""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from backend.config import DatabaseSettings
from backend.db.models import metadata


def _engine_kwargs(settings: DatabaseSettings) -> dict[str, Any]:
    if settings.is_sqlite:
        # One file, many readers, one writer: WAL and a generous busy timeout.
        return {"connect_args": {"timeout": 30}}
    kwargs: dict[str, Any] = {
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_pre_ping": True,
    }
    if settings.schema:
        kwargs["connect_args"] = {"server_settings": {"search_path": settings.schema}}
    return kwargs


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    engine = create_async_engine(settings.url, echo=settings.echo, **_engine_kwargs(settings))
    if settings.is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def plugin_config(settings: DatabaseSettings, engine: AsyncEngine | None = None) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config: request-scoped sessions; services commit explicitly."""
    return SQLAlchemyAsyncConfig(
        engine_instance=engine or create_engine(settings),
        session_config=AsyncSessionConfig(expire_on_commit=False),
        engine_config=EngineConfig(),
        metadata=metadata,
        create_all=False,
        # Its listener stamps updated_at with the machine's time; ours (``Record.updated_at``'s onupdate)
        # reads the installed clock, as every other timestamp does.
        enable_touch_updated_timestamp_listener=False,
    )
