"""Engine and session configuration for SQLite (embedded default) and PostgreSQL.

advanced-alchemy's Litestar plugin owns the engine's lifecycle and gives each request
a session (``db_session``); the CLI, the worker and tests use ``session_maker``.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

from backend.config import DatabaseSettings
from backend.db.models import metadata

SQLITE_BUSY_TIMEOUT_MS = 5000
"""How long SQLite waits for another *process* (a separate worker, the CLI) to finish writing."""

_READS = ("SELECT", "PRAGMA", "EXPLAIN")


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid.uuid4().hex}__"


def pgbouncer_connect_args() -> dict[str, Any]:
    """asyncpg behind PgBouncer in transaction mode: each transaction may run on another server connection.

    So no prepared statement may be reused from a cache (asyncpg's own, and SQLAlchemy's on top of it), and
    each gets a unique name: asyncpg's numbered names (``__asyncpg_stmt_1__``) would meet another client's
    statement of the same name left on the server connection ("prepared statement ... already exists").
    """
    return {
        "statement_cache_size": 0,
        "prepared_statement_cache_size": 0,
        "prepared_statement_name_func": _unique_statement_name,
    }


def _engine_kwargs(settings: DatabaseSettings) -> dict[str, Any]:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    connect_args: dict[str, Any] = pgbouncer_connect_args() if settings.pgbouncer else {}
    if settings.schema:
        # A startup parameter: PgBouncer refuses it unless told to pass it on (README, "Running at scale").
        connect_args["server_settings"] = {"search_path": settings.schema}
    return {
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_pre_ping": True,
        "connect_args": connect_args,
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # The driver's own transaction handling is off: ``_SqliteWriters`` says BEGIN IMMEDIATE itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class _SqliteWriters:
    """One writer at a time on an SQLite file, queued in order instead of failing or polling.

    As the driver always did, statements before a transaction's first write run on their own
    (WAL: readers never wait). At the first write this process's writer lock is taken (an
    ``asyncio.Lock``: waiting costs nothing and is first come, first served) and the transaction
    begins with ``BEGIN IMMEDIATE``, so it holds SQLite's write lock from its first statement and
    cannot fail later on a stale snapshot. The lock is let go when the transaction ends. The busy
    timeout only covers other processes (a separate worker, the CLI).
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

    def before_execute(
        self, conn: Connection, cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
    ) -> None:
        if conn.info.get("sqlite_writing") or not conn.in_transaction():
            return
        if statement.lstrip().upper().startswith(_READS):
            return
        conn.info["sqlite_writing"] = True
        lock = self._lock()
        task = asyncio.current_task()
        if not (lock.locked() and self._holders.get(lock) is task):  # a task's second session must not wait for it
            await_only(lock.acquire())
            if task is not None:
                self._holders[lock] = task
            conn.info["sqlite_writer_lock"] = lock
        cursor.execute("BEGIN IMMEDIATE")

    def end(self, conn: Connection) -> None:
        self.release(conn.info)

    def release(self, info: dict[Any, Any]) -> None:
        info.pop("sqlite_writing", None)
        lock = info.pop("sqlite_writer_lock", None)
        if lock is not None:
            self._holders.pop(lock, None)
            lock.release()

    def listen(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", self.before_execute)
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


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    engine = create_async_engine(settings.url, echo=settings.echo, **_engine_kwargs(settings))
    if settings.is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        _SqliteWriters().listen(engine)
    return engine


def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def plugin_config(settings: DatabaseSettings, engine: AsyncEngine | None = None) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config: request-scoped sessions; services commit explicitly.

    advanced-alchemy keeps class-wide sets of the keys its configs use, so that several
    databases in one app get distinct keys; each new config picks the next free key
    recursively. An app here has one database, and a process that makes many apps (the test
    suite makes over a thousand) hit Python's recursion limit, so the sets start empty.
    """
    for registry in (
        "_SESSION_SCOPE_KEY_REGISTRY",
        "_ENGINE_APP_STATE_KEY_REGISTRY",
        "_SESSIONMAKER_APP_STATE_KEY_REGISTRY",
    ):
        getattr(SQLAlchemyAsyncConfig, registry).clear()
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
