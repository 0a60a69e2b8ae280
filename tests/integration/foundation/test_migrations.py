"""Migrations upgrade and downgrade cleanly, and the models match the newest migration."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from backend.config import DatabaseSettings
from backend.core.database import create_engine, session_maker
from backend.db import migrate
from backend.db.models import metadata
from backend.demo.seed import seed_demo
from tests.support.databases import backends, drop, postgres_url


def _fresh(backend: str, tmp_path: Path) -> DatabaseSettings:
    if backend == "sqlite":
        return DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}")
    return DatabaseSettings(url=postgres_url(), schema=f"mig_{uuid.uuid4().hex[:12]}")


def _tables(database: DatabaseSettings) -> set[str]:
    async def go() -> set[str]:
        engine = create_engine(database)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: set(inspect(c).get_table_names(schema=database.schema)))
        await engine.dispose()
        return names

    return asyncio.run(go())


def _diff(database: DatabaseSettings) -> list[object]:
    async def go() -> list[object]:
        engine = create_engine(database)

        def compare(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": migrate.ours})
            return list(compare_metadata(context, metadata))

        async with engine.connect() as connection:
            diff = await connection.run_sync(compare)
        await engine.dispose()
        return diff

    return asyncio.run(go())


@pytest.mark.parametrize("backend", backends())
def test_upgrade_downgrade_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    database = _fresh(backend, tmp_path)
    try:
        migrate.upgrade(database)
        assert {"organisation", "employee", "account", "auditevent"} <= _tables(database)

        migrate.downgrade(database, "base")
        assert _tables(database) <= {"alembic_version"}

        migrate.upgrade(database)
        assert "employee" in _tables(database)
    finally:
        drop(database)


@pytest.mark.parametrize("backend", backends())
def test_models_and_migrations_agree(backend: str, tmp_path: Path) -> None:
    """A model change without a migration fails here, not in production."""
    database = _fresh(backend, tmp_path)
    try:
        migrate.upgrade(database)
        assert _diff(database) == []
    finally:
        drop(database)


def test_postgres_schema_is_really_used(tmp_path: Path) -> None:
    """Guards the test setup itself: PostgreSQL runs must not silently fall back to SQLite."""
    if "postgresql" not in backends():
        pytest.fail("PostgreSQL is not among TEST_DATABASES; CI must test it")
    database = _fresh("postgresql", tmp_path)
    try:
        migrate.upgrade(database)

        async def go() -> str:
            engine = create_engine(database)
            async with engine.connect() as connection:
                value = (await connection.execute(text("select current_schema()"))).scalar_one()
            await engine.dispose()
            return str(value)

        assert asyncio.run(go()) == database.schema
    finally:
        drop(database)


@pytest.mark.parametrize("backend", backends())
def test_leave_titles_written_with_an_exponent_are_rewritten(backend: str, tmp_path: Path) -> None:
    """Revision c4d6e8f0a1b3: "(1E+1 dagar)" from before the day-count rule becomes "(10 dagar)"."""
    database = _fresh(backend, tmp_path)
    try:
        migrate.upgrade(database, "b3c5d7e9f1a2")

        async def seed_and_spoil() -> list[str]:
            engine = create_engine(database)
            try:
                await seed_demo(session_maker(engine), date(2026, 11, 23), employees=3, password_hash="x")
                async with engine.begin() as connection:
                    ids = (
                        await connection.execute(text("SELECT id FROM attestitem WHERE kind = 'leave_request'"))
                    ).scalars()
                    spoiled = [str(i) for i in ids][:2]
                    for item_id, old in zip(spoiled, ("Semester a (1E+1 dagar)", "Semester b (1 dagar)"), strict=True):
                        await connection.execute(
                            text("UPDATE attestitem SET title = :title WHERE id = :id"), {"title": old, "id": item_id}
                        )
                return spoiled
            finally:
                await engine.dispose()

        spoiled = asyncio.run(seed_and_spoil())
        migrate.upgrade(database)

        async def titles() -> list[str]:
            engine = create_engine(database)
            try:
                async with engine.connect() as connection:
                    found = await connection.execute(
                        text("SELECT id, title FROM attestitem WHERE kind = 'leave_request'")
                    )
                    by_id = {str(i): t for i, t in found.tuples()}
                return [by_id[i] for i in spoiled]
            finally:
                await engine.dispose()

        assert len(spoiled) == 2
        assert asyncio.run(titles()) == ["Semester a (10 dagar)", "Semester b (1 dag)"]
    finally:
        drop(database)
