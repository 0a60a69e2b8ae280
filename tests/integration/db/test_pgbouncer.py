"""The API through a real PgBouncer in transaction pooling, with DATABASE_PGBOUNCER on (PostgreSQL only).

Each transaction may run on another server connection, so asyncpg's numbered, cached prepared statements
go missing or collide there; the setting turns the caches off and names each statement uniquely. The
first test shows the bouncer really pools by transaction (the same steps fail without the setting); the
last signs in, lists, creates and reads back through it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.app import create_app
from backend.config import DatabaseSettings, Settings
from backend.core.clock import FixedClock
from backend.core.database import create_engine
from tests.conftest import ANNA, MARIA, Org, login
from tests.support.pgbouncer import PgBouncer, pgbouncer

pytestmark = [pytest.mark.clockless, pytest.mark.parametrize("database", ["postgresql"], indirect=True)]


@pytest.fixture(scope="module")
def bouncer(database: DatabaseSettings) -> Iterator[PgBouncer]:
    assert database.schema is not None
    with pgbouncer(database.url, database.schema, pool_size=2) as running:
        yield running


def through(bouncer: PgBouncer, *, on: bool) -> DatabaseSettings:
    """The app's database settings pointed at the bouncer; the schema is its connect_query's business."""
    return DatabaseSettings(url=bouncer.url, pgbouncer=on, pool_size=3, max_overflow=0)


async def cached_statement_on_the_next_server_connection(settings: DatabaseSettings) -> str:
    """A prepares (and caches) a statement on server connection 1; while B holds that one, A's next
    transaction runs on server connection 2, where that statement was never prepared."""
    engine = create_engine(settings)
    query = text("SELECT current_schema()")
    try:
        async with engine.connect() as a, engine.connect() as b:
            await a.execute(query)
            await a.commit()
            await b.execute(text("SELECT 1"))  # B's transaction takes server connection 1 and keeps it
            return str((await a.execute(query)).scalar_one())
    finally:
        await engine.dispose()


async def test_without_the_setting_a_cached_statement_is_missing_on_the_next_server_connection(
    bouncer: PgBouncer,
) -> None:
    with pytest.raises(DBAPIError, match="does not exist"):
        await cached_statement_on_the_next_server_connection(through(bouncer, on=False))


async def test_with_the_setting_the_same_steps_work(bouncer: PgBouncer, database: DatabaseSettings) -> None:
    schema = await cached_statement_on_the_next_server_connection(through(bouncer, on=True))

    assert schema == database.schema  # set by PgBouncer's connect_query on each server connection


async def test_sign_in_list_and_create_through_pgbouncer(
    bouncer: PgBouncer, settings: Settings, clock: FixedClock, demo: Org
) -> None:
    """Between the steps another client holds a server connection, so the app's next transactions run on
    the other one (without the setting: "prepared statement ... does not exist", a 500)."""
    app = create_app(replace(settings, database=through(bouncer, on=True)), clock)
    other = create_engine(through(bouncer, on=True))
    expense = {"expense_date": "2026-11-20", "merchant": "Restaurang Prinsen", "amount": "245.00", "category": "meal"}
    expense_id = str(uuid.uuid4())
    try:
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            maria = await login(client, MARIA)
            listed = await client.get("/api/expenses", headers=anna)
            async with other.connect() as holding:
                await holding.execute(text("SELECT 1"))  # a transaction: one server connection taken
                created = await client.put(f"/api/expenses/{expense_id}", json=expense, headers=anna)
                again = await client.get("/api/expenses", headers=anna)
            inbox = await client.get("/api/attest/inbox", headers=maria)
            me = await client.get("/api/me", headers=anna)
    finally:
        await other.dispose()

    assert listed.json() == []
    assert created.status_code == 201, created.text
    assert [e["id"] for e in again.json()] == [expense_id]
    assert inbox.status_code == 200, inbox.text
    assert me.json()["email"] == ANNA
