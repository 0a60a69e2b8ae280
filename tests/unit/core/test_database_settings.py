"""Connection pools that fit PostgreSQL's defaults, and what DATABASE_PGBOUNCER changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.config import AuthSettings, DatabaseSettings, Settings
from backend.core.database import _engine_kwargs, pgbouncer_connect_args
from backend.worker.jobs import DEFERRING_POOL, LISTENERS

pytestmark = pytest.mark.clockless

URL = "postgresql+asyncpg://selfservice@db/selfservice"
MAX_CONNECTIONS = 100
"""PostgreSQL's default."""
SUPERUSER_RESERVED = 3
ADMINISTRATION = 10
"""Left for migrations, a pruning cron, monitoring, psql and payroll workers computing an overview."""


def _database(tmp_path: Path) -> DatabaseSettings:
    return Settings.from_env(environment="test", data_dir=tmp_path, auth=AuthSettings(secret_key="s" * 40)).database


def test_ten_api_processes_and_four_workers_leave_room_for_administration(tmp_path: Path) -> None:
    settings = Settings.from_env(environment="test", data_dir=tmp_path, auth=AuthSettings(secret_key="s" * 40))
    database = settings.database
    api = database.pool_size + database.max_overflow + DEFERRING_POOL
    worker = database.worker_pool_size + database.worker_max_overflow + settings.jobs_pool_size + LISTENERS
    used = 10 * api + 4 * worker

    assert used <= MAX_CONNECTIONS - SUPERUSER_RESERVED - ADMINISTRATION


def test_pool_sizes_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_POOL_SIZE", "8")
    monkeypatch.setenv("DATABASE_WORKER_MAX_OVERFLOW", "0")
    database = _database(tmp_path)

    assert (database.pool_size, database.worker_max_overflow) == (8, 0)


def test_a_worker_uses_its_own_pool_sizes() -> None:
    worker = DatabaseSettings(
        url=URL, pool_size=4, max_overflow=2, worker_pool_size=2, worker_max_overflow=1
    ).for_worker()
    kwargs = _engine_kwargs(worker)

    assert (kwargs["pool_size"], kwargs["max_overflow"]) == (2, 1)


def test_behind_pgbouncer_no_statement_is_cached_and_every_name_is_new() -> None:
    connect_args = _engine_kwargs(DatabaseSettings(url=URL, pgbouncer=True))["connect_args"]
    name = connect_args["prepared_statement_name_func"]

    assert connect_args["statement_cache_size"] == 0
    assert connect_args["prepared_statement_cache_size"] == 0
    assert name() != name()
    assert connect_args.keys() == pgbouncer_connect_args().keys()


def test_without_pgbouncer_asyncpg_keeps_its_caches() -> None:
    connect_args = _engine_kwargs(DatabaseSettings(url=URL, schema="app"))["connect_args"]

    assert connect_args == {"server_settings": {"search_path": "app"}}


def test_a_schema_behind_pgbouncer_is_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match="ALTER ROLE"):
        DatabaseSettings(url=URL, schema="app", pgbouncer=True)
