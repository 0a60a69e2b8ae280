"""Pruning on SQLite and PostgreSQL: exactly the old finished rows go, in bounded batches, the rest stays."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import product
from typing import Any
from uuid import UUID, uuid4

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from backend.cli import main
from backend.config import RetentionSettings, Settings
from backend.core.clock import Clock, FixedClock
from backend.core.database import session_maker
from backend.db.models import Delivery, IdempotentRequest, Notice
from backend.maintenance.pruning import prune_all, prune_deliveries, prune_idempotency_keys, prune_notices
from backend.maintenance.retention import FINISHED_DELIVERY_STATES, cutoffs, delivery_goes, notice_goes
from tests.conftest import ANNA, MARIA, Org

pytestmark = pytest.mark.clockless

POLICY = RetentionSettings(delivery_days=30, read_notice_days=180, unread_notice_days=365, batch_size=5000)
AGES = (0.5, 29, 31, 179, 181, 364, 366, 1000)
"""Days: on either side of every retention."""


def _notice(org: Org, account: UUID, created_at: datetime, read_at: datetime | None) -> Notice:
    return Notice(
        organisation_id=org.id,
        account_id=account,
        category="item_decided",
        title_sv="Beslut",
        title_en="Decision",
        dedupe_key=f"test:{uuid4()}",
        created_at=created_at,
        updated_at=read_at or created_at,
        read_at=read_at,
    )


def _delivery(org: Org, notice: Notice, state: str, finished_at: datetime) -> Delivery:
    return Delivery(
        organisation_id=org.id,
        account_id=notice.account_id,
        notice_id=notice.id,
        channel="email",
        category=notice.category,
        payload={"title": notice.title_en},
        state=state,
        next_attempt_at=finished_at,
        created_at=notice.created_at,
        updated_at=finished_at,
    )


async def _add(engine: AsyncEngine, rows: list[Any]) -> None:
    async with session_maker(engine)() as session:
        session.add_all([row for row in rows if isinstance(row, Notice)])
        await session.flush()
        session.add_all([row for row in rows if not isinstance(row, Notice)])
        await session.commit()


async def _ids(engine: AsyncEngine, model: Any) -> set[UUID]:
    async with session_maker(engine)() as session:
        return set((await session.execute(select(model.id))).scalars())


def _with(settings: Settings, **retention: int) -> Settings:
    return replace(settings, retention=replace(POLICY, **retention))


async def test_finished_deliveries_go_after_their_retention_and_pending_ones_stay(
    engine: AsyncEngine, demo: Org, clock: FixedClock, settings: Settings
) -> None:
    now = clock.now()
    account = demo.accounts[ANNA]
    notice = _notice(demo, account, now - timedelta(days=2), None)  # recent: the notice itself stays
    deliveries = [
        _delivery(demo, notice, state, now - timedelta(days=age))
        for state, age in product(("pending", *FINISHED_DELIVERY_STATES), AGES)
    ]
    await _add(engine, [notice, *deliveries])
    limits = cutoffs(now, POLICY, settings.idempotency_keep_hours)
    expected = {d.id for d in deliveries if not delivery_goes(d.state, d.updated_at, limits)}

    deleted = await prune_deliveries(session_maker(engine), now, _with(settings))

    assert await _ids(engine, Delivery) == expected
    assert deleted == len(deliveries) - len(expected)
    assert all(d.id in expected for d in deliveries if d.state == "pending")
    assert await prune_deliveries(session_maker(engine), now, _with(settings)) == 0  # nothing left to do


async def test_old_notices_go_by_whether_they_were_read_unless_something_is_still_to_be_sent(
    engine: AsyncEngine, demo: Org, clock: FixedClock, settings: Settings
) -> None:
    now = clock.now()
    notices = [
        _notice(demo, account, now - timedelta(days=age), read)
        for account, age, read in product(
            (demo.accounts[ANNA], demo.accounts[MARIA]), AGES, (None, now - timedelta(hours=1))
        )
    ]
    waiting = _notice(demo, demo.accounts[ANNA], now - timedelta(days=2000), now - timedelta(days=1999))
    sent = _notice(demo, demo.accounts[ANNA], now - timedelta(days=2000), None)
    pending = _delivery(demo, waiting, "pending", now + timedelta(hours=1))
    finished = _delivery(demo, sent, "sent", now - timedelta(days=1999))
    await _add(engine, [*notices, waiting, sent, pending, finished])
    limits = cutoffs(now, POLICY, settings.idempotency_keep_hours)
    expected = {n.id for n in notices if not notice_goes(n.created_at, n.read_at, False, limits)} | {waiting.id}

    deleted = await prune_notices(session_maker(engine), now, _with(settings))

    assert await _ids(engine, Notice) == expected
    assert deleted == len(notices) + 2 - len(expected)
    # The pending delivery kept its notice; the finished one went with its notice (the foreign key's cascade).
    assert await _ids(engine, Delivery) == {pending.id}


async def test_expired_idempotency_keys_go_and_live_ones_stay(
    engine: AsyncEngine, demo: Org, clock: FixedClock, settings: Settings
) -> None:
    now = clock.now()
    hours = (1, 23, 25, 24 * 40)
    keys = [
        IdempotentRequest(
            account_id=demo.accounts[ANNA],
            key=f"key-{age}-hours",
            fingerprint="0" * 64,
            status_code=201,
            body=b"{}",
            created_at=now - timedelta(hours=age),
            updated_at=now - timedelta(hours=age),
        )
        for age in hours
    ]
    await _add(engine, keys)

    deleted = await prune_idempotency_keys(session_maker(engine), now, replace(settings, idempotency_keep_hours=24))

    assert deleted == 2
    assert await _ids(engine, IdempotentRequest) == {keys[0].id, keys[1].id}


@pytest.mark.parametrize("old", [7, 8])
async def test_rows_are_deleted_in_batches_each_in_its_own_transaction(
    engine: AsyncEngine, demo: Org, clock: FixedClock, settings: Settings, old: int
) -> None:
    now = clock.now()
    notice = _notice(demo, demo.accounts[ANNA], now, None)
    gone = [_delivery(demo, notice, "sent", now - timedelta(days=40 + i)) for i in range(old)]
    kept = [_delivery(demo, notice, "sent", now - timedelta(days=1)), _delivery(demo, notice, "pending", now)]
    await _add(engine, [notice, *gone, *kept])
    deletes: list[int] = []
    commits: list[int] = []

    def after(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(cursor.rowcount)

    def committed(_conn: Any) -> None:
        commits.append(len(deletes))

    event.listen(engine.sync_engine, "after_cursor_execute", after)
    event.listen(engine.sync_engine, "commit", committed)
    try:
        deleted = await prune_deliveries(session_maker(engine), now, _with(settings, batch_size=2))
    finally:
        event.remove(engine.sync_engine, "after_cursor_execute", after)
        event.remove(engine.sync_engine, "commit", committed)

    assert deleted == old
    # Full batches until one comes back short (an empty one when the count divides evenly).
    assert deletes == [2] * (old // 2) + [old % 2]
    assert commits == list(range(1, len(deletes) + 1))  # one transaction per batch
    assert await _ids(engine, Delivery) == {d.id for d in kept}


async def test_selfservice_prune_runs_everything_once_and_prints_the_counts(
    engine: AsyncEngine, demo: Org, settings: Settings
) -> None:
    now = Clock().now()  # the command reads the real clock, as cron runs it
    notice = _notice(demo, demo.accounts[ANNA], now - timedelta(days=400), None)
    await _add(engine, [notice, _delivery(demo, notice, "sent", now - timedelta(days=399))])
    database = settings.database
    env = {"DATA_DIR": str(settings.data_dir), "APP_ENV": "test", "DATABASE_URL": database.url}
    if database.schema:
        env["DATABASE_SCHEMA"] = database.schema

    result = await asyncio.to_thread(CliRunner().invoke, main, ["prune"], env=env)  # it runs its own event loop

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["deliveries\t1", "notices\t1", "idempotency_keys\t0"]
    async with session_maker(engine)() as session:
        assert (await session.execute(select(func.count()).select_from(Notice))).scalar_one() == 0


async def test_prune_all_keeps_what_is_recent(
    engine: AsyncEngine, demo: Org, clock: FixedClock, settings: Settings
) -> None:
    now = clock.now()
    notice = _notice(demo, demo.accounts[ANNA], now - timedelta(days=1), now)
    await _add(engine, [notice, _delivery(demo, notice, "sent", now - timedelta(days=1))])

    assert await prune_all(session_maker(engine), now, _with(settings)) == {
        "deliveries": 0,
        "notices": 0,
        "idempotency_keys": 0,
    }
    async with session_maker(engine)() as session:
        assert (await session.execute(select(col(Notice.id)))).scalar_one() == notice.id
