"""Migrations upgrade and downgrade cleanly, and the models match the newest migration."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
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
def test_item_titles_made_before_get_their_english_and_day_counts_their_words(backend: str, tmp_path: Path) -> None:
    """Revision c4d6e8f0a1b3: "(1E+1 dagar)" becomes "(10 dagar)"; weeks, trips and leave get English titles."""
    database = _fresh(backend, tmp_path)
    made = {
        "leave_request": "Semester 2026-12-07–2026-12-18 (1E+1 dagar)",
        "time_week": "Tidrapport 2026-W47",
        "travel_claim": "Resa 2026-11-16: Göteborg – Kundmöte",
        "expense_claim": "Espresso House 4 dec",
    }
    try:
        migrate.upgrade(database, "b3c5d7e9f1a2")

        async def seed() -> None:
            engine = create_engine(database)
            try:
                organisation_id = await seed_demo(
                    session_maker(engine), date(2026, 11, 23), employees=3, password_hash="x", history=False
                )
                employees = sa.table("employee", sa.column("id", sa.Uuid()), sa.column("organisation_id", sa.Uuid()))
                items = sa.table(
                    "attestitem",
                    *(sa.column(name, sa.Uuid()) for name in ("id", "organisation_id", "subject_id", "employee_id")),
                    *(sa.column(name, sa.String()) for name in ("kind", "state", "title")),
                    *(sa.column(name, sa.Integer()) for name in ("version", "times_returned")),
                    *(sa.column(name, sa.DateTime()) for name in ("created_at", "updated_at")),
                    *(sa.column(name, sa.DateTime()) for name in ("first_submitted_at", "submitted_at")),
                    sa.column("warnings", sa.JSON()),
                )
                async with engine.begin() as connection:
                    employee_id = (
                        await connection.execute(
                            sa.select(employees.c.id).where(employees.c.organisation_id == organisation_id).limit(1)
                        )
                    ).scalar_one()
                    now = datetime(2026, 11, 23, 9)
                    for kind, title in made.items():  # as the code before this revision wrote them
                        await connection.execute(
                            sa.insert(items).values(
                                id=uuid.uuid4(),
                                organisation_id=organisation_id,
                                subject_id=uuid.uuid4(),
                                employee_id=employee_id,
                                kind=kind,
                                state="submitted",
                                title=title,
                                version=1,
                                times_returned=0,
                                created_at=now,
                                updated_at=now,
                                first_submitted_at=now,
                                submitted_at=now,
                                warnings=[],
                            )
                        )
            finally:
                await engine.dispose()

        asyncio.run(seed())
        migrate.upgrade(database)

        async def titles() -> dict[str, tuple[str, str | None]]:
            engine = create_engine(database)
            try:
                async with engine.connect() as connection:
                    found = await connection.execute(text("SELECT kind, title, title_en FROM attestitem"))
                    return {kind: (title, english) for kind, title, english in found.tuples()}
            finally:
                await engine.dispose()

        assert asyncio.run(titles()) == {
            "leave_request": ("Semester 2026-12-07–2026-12-18 (10 dagar)", "Vacation 2026-12-07–2026-12-18 (10 days)"),
            "time_week": ("Tidrapport 2026-W47", "Time report 2026-W47"),
            "travel_claim": ("Resa 2026-11-16: Göteborg – Kundmöte", "Trip 2026-11-16: Göteborg – Kundmöte"),
            "expense_claim": ("Espresso House 4 dec", None),
        }
    finally:
        drop(database)


@pytest.mark.parametrize("backend", backends())
def test_a_case_about_an_item_and_a_pay_runs_lock_get_their_english(backend: str, tmp_path: Path) -> None:
    """Revision d5e7f9a1b2c4: a case keeps its item's English title, a pay run's lock reason gets its English."""
    database = _fresh(backend, tmp_path)
    uuid_columns = ("id", "organisation_id", "subject_id", "employee_id")
    items = sa.table(
        "attestitem",
        *(sa.column(name, sa.Uuid()) for name in uuid_columns),
        *(sa.column(name, sa.String()) for name in ("kind", "state", "title", "title_en")),
        *(sa.column(name, sa.Integer()) for name in ("version", "times_returned")),
        *(
            sa.column(name, sa.DateTime())
            for name in ("created_at", "updated_at", "first_submitted_at", "submitted_at")
        ),
        sa.column("warnings", sa.JSON()),
    )
    cases = sa.table(
        "errorcase",
        *(sa.column(name, sa.Uuid()) for name in ("id", "organisation_id", "reporter_account_id", "attest_item_id")),
        *(sa.column(name, sa.String()) for name in ("subject_kind", "title", "status")),
        sa.column("due_date", sa.Date()),
        sa.column("events", sa.Integer()),
        *(sa.column(name, sa.DateTime()) for name in ("created_at", "updated_at", "last_activity_at")),
    )
    locks = sa.table(
        "timelock",
        *(sa.column(name, sa.Uuid()) for name in ("id", "organisation_id")),
        *(sa.column(name, sa.Date()) for name in ("first_day", "last_day")),
        sa.column("reason", sa.String()),
        *(sa.column(name, sa.DateTime()) for name in ("created_at", "updated_at")),
    )
    try:
        migrate.upgrade(database, "c4d6e8f0a1b3")

        async def seed() -> None:
            engine = create_engine(database)
            try:
                organisation_id = await seed_demo(
                    session_maker(engine), date(2026, 11, 23), employees=3, password_hash="x", history=False
                )
                now = datetime(2026, 11, 23, 9)
                async with engine.begin() as connection:
                    accounts = sa.table("account", sa.column("id", sa.Uuid()), sa.column("employee_id", sa.Uuid()))
                    employee_id, account_id = (
                        await connection.execute(
                            sa.select(accounts.c.employee_id, accounts.c.id)
                            .where(accounts.c.employee_id.is_not(None))
                            .limit(1)
                        )
                    ).one()
                    item_id = uuid.uuid4()
                    await connection.execute(
                        sa.insert(items).values(
                            id=item_id, organisation_id=organisation_id, subject_id=uuid.uuid4(),
                            employee_id=employee_id, kind="time_week", state="submitted",
                            title="Tidrapport 2026-W47", title_en="Time report 2026-W47", version=1,
                            times_returned=0, created_at=now, updated_at=now, first_submitted_at=now,
                            submitted_at=now, warnings=[],
                        )
                    )  # fmt: skip
                    for title, about in (("Tidrapport 2026-W47", item_id), ("Fel OB-tillägg", None)):
                        await connection.execute(
                            sa.insert(cases).values(
                                id=uuid.uuid4(), organisation_id=organisation_id, reporter_account_id=account_id,
                                attest_item_id=about, subject_kind="item" if about else "other", title=title,
                                status="new", due_date=date(2026, 11, 30), events=1, created_at=now,
                                updated_at=now, last_activity_at=now,
                            )
                        )  # fmt: skip
                    for reason in ("Lönekörning 2026-11", "Inventering"):
                        await connection.execute(
                            sa.insert(locks).values(
                                id=uuid.uuid4(), organisation_id=organisation_id, first_day=date(2026, 11, 1),
                                last_day=date(2026, 11, 30), reason=reason, created_at=now, updated_at=now,
                            )
                        )  # fmt: skip
            finally:
                await engine.dispose()

        asyncio.run(seed())
        migrate.upgrade(database)

        async def english() -> tuple[set[tuple[str, str | None]], set[tuple[str, str | None]]]:
            engine = create_engine(database)
            try:
                async with engine.connect() as connection:
                    titles = await connection.execute(text("SELECT title, title_en FROM errorcase"))
                    reasons = await connection.execute(text("SELECT reason, reason_en FROM timelock"))
                    return set(titles.tuples()), set(reasons.tuples())
            finally:
                await engine.dispose()

        assert asyncio.run(english()) == (
            {("Tidrapport 2026-W47", "Time report 2026-W47"), ("Fel OB-tillägg", None)},
            {("Lönekörning 2026-11", "Pay run 2026-11"), ("Inventering", None)},
        )
    finally:
        drop(database)
