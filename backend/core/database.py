"""Engine and session configuration for SQLite (embedded default) and PostgreSQL.

advanced-alchemy's Litestar plugin owns the engine's lifecycle and gives each request
a session (``db_session``); the CLI, the worker and tests use ``session_maker``.
"""

from __future__ import annotations

import asyncio
import weakref
from contextvars import ContextVar
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

from backend.config import DatabaseSettings
from backend.db.models import metadata

SQLITE_BUSY_TIMEOUT_MS = 5000
"""How long SQLite waits for another *process* (a separate worker, the CLI) to finish writing."""

_may_write: ContextVar[bool] = ContextVar("sqlite_may_write", default=True)
"""False while a GET/HEAD/OPTIONS request runs: its transactions read a WAL snapshot and take no lock."""


def _engine_kwargs(settings: DatabaseSettings) -> dict[str, Any]:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    kwargs: dict[str, Any] = {
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_pre_ping": True,
    }
    if settings.schema:
        kwargs["connect_args"] = {"server_settings": {"search_path": settings.schema}}
    return kwargs


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # The driver's own transaction handling is off: ``_SqliteWriters.begin`` says BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class _SqliteWriters:
    """One writer at a time on an SQLite file, queued in order instead of failing.

    SQLite allows one writer. A plain (deferred) transaction that read first and then writes after
    another writer committed fails at once with "database is locked" (its snapshot is stale), and
    waiters poll. So every transaction that may write starts with ``BEGIN IMMEDIATE`` after taking
    this process's writer lock (an ``asyncio.Lock``, so waiting costs nothing and is first come,
    first served); the busy timeout only covers other processes. Reads during GET requests begin
    deferred and never wait.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
        self._holders: weakref.WeakKeyDictionary[asyncio.Lock, asyncio.Task[Any]] = weakref.WeakKeyDictionary()

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    def begin(self, conn: Connection) -> None:
        lock = self._lock()
        task = asyncio.current_task()
        if not _may_write.get() or (lock.locked() and self._holders.get(lock) is task):
            # A read, or a second session of the task that holds the lock: waiting for ourselves would hang.
            conn.exec_driver_sql("BEGIN")
            return
        await_only(lock.acquire())
        if task is not None:
            self._holders[lock] = task
        conn.info["sqlite_writer_lock"] = lock
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn: Connection) -> None:
        self.release(conn.info)

    def release(self, info: dict[Any, Any]) -> None:
        lock = info.pop("sqlite_writer_lock", None)
        if lock is not None:
            self._holders.pop(lock, None)
            lock.release()

    def listen(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        event.listen(sync, "begin", self.begin)
        event.listen(sync, "commit", self.end)
        event.listen(sync, "rollback", self.end)
        # A connection returned or dropped mid-transaction must not keep the lock.
        event.listen(sync.pool, "reset", self._on_reset)
        event.listen(sync.pool, "invalidate", self._on_reset)
        event.listen(sync.pool, "checkin", self._on_checkin)
        event.listen(sync.pool, "close", self._on_checkin)

    def _on_reset(self, _dbapi_connection: Any, record: ConnectionPoolEntry | None, _state: Any) -> None:
        self._on_checkin(_dbapi_connection, record)

    def _on_checkin(self, _dbapi_connection: Any, record: ConnectionPoolEntry | None) -> None:
        if record is not None:
            self.release(record.info)


class ReadsDoNotQueue:
    """ASGI wrapper: GET, HEAD and OPTIONS requests read without joining the SQLite writers' queue."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            token = _may_write.set(False)
            try:
                await self.app(scope, receive, send)
            finally:
                _may_write.reset(token)
            return
        await self.app(scope, receive, send)


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    engine = create_async_engine(settings.url, echo=settings.echo, **_engine_kwargs(settings))
    if settings.is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        _SqliteWriters().listen(engine)
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
