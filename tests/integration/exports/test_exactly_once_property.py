"""Property: whatever happens between closes, an item is exported at most once at a time and every
close reconciles (the exported amounts of an item sum to its amount if approved now, else to zero)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from sqlalchemy import func
from sqlmodel import col, select

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import create_engine, session_maker
from backend.db.models import ExportedItem
from backend.worker.context import WorkerContext
from backend.worker.jobs import Jobs
from tests.conftest import ADMIN, ANNA, LENA, MARIA, Org, login
from tests.integration.exports.conftest import (
    approve_claim,
    close_november,
    correct_and_approve,
    exported_per_item,
    return_item,
)
from tests.support.jobs import RunJobs

amounts = st.integers(min_value=1, max_value=99_999).map(lambda ore: f"{Decimal(ore) / 100:.2f}")
steps = st.lists(
    st.one_of(
        st.tuples(st.just("approve"), amounts, st.just(0)),
        st.tuples(st.just("close"), st.just(""), st.just(0)),
        st.tuples(st.just("return"), st.just(""), st.integers(0, 5)),
        st.tuples(st.just("reapprove"), amounts, st.integers(0, 5)),
    ),
    min_size=1,
    max_size=8,
)


async def _active_exports_per_item(settings: Settings) -> int:
    engine = create_engine(settings.database)
    try:
        async with session_maker(engine)() as session:
            counts = await session.execute(
                select(func.count())
                .select_from(ExportedItem)
                .where(col(ExportedItem.reversed_in_batch_id).is_(None))
                .group_by(col(ExportedItem.attest_item_id))
            )
            return max(counts.scalars(), default=0)
    finally:
        await engine.dispose()


async def _scenario(settings: Settings, clock: FixedClock, plan: list[tuple[str, str, int]]) -> None:
    engine = create_engine(settings.database)
    jobs = Jobs(settings)
    context = WorkerContext.create(settings, engine, clock)
    try:
        await _steps(settings, clock, plan, RunJobs(jobs, context))
    finally:
        await context.close()
        await jobs.close()
        await engine.dispose()


async def _steps(settings: Settings, clock: FixedClock, plan: list[tuple[str, str, int]], run_jobs: RunJobs) -> None:
    async with AsyncTestClient(app=create_app(settings, clock), base_url="http://localhost") as client:
        as_role = {
            "employee": await login(client, ANNA),
            "manager": await login(client, MARIA),
            "payroll": await login(client, LENA),
            "admin": await login(client, ADMIN),
        }
        items: list[dict[str, Any]] = []  # ids, amount, approved
        for action, amount, index in [*plan, ("close", "", 0)]:
            if action == "approve":
                ids = await approve_claim(client, as_role, clock, amount=amount)
                items.append({"ids": ids, "amount": Decimal(amount), "approved": True})
            elif action == "return" and items:
                item = items[index % len(items)]
                if item["approved"]:
                    await return_item(client, as_role, item["ids"]["item"])
                    item["approved"] = False
            elif action == "reapprove" and items:
                item = items[index % len(items)]
                if not item["approved"]:
                    await correct_and_approve(client, as_role, clock, item["ids"], amount)
                    item.update(amount=Decimal(amount), approved=True)
            elif action == "close":
                await close_november(client, as_role, run_jobs)
                assert await _active_exports_per_item(settings) <= 1
                exported = await exported_per_item(client, as_role)
                for item in items:
                    expected = item["amount"] if item["approved"] else Decimal(0)
                    assert exported.get(item["ids"]["item"], Decimal(0)) == expected


def test_items_are_exported_once_and_every_close_reconciles(settings: Settings, clock: FixedClock, demo: Org) -> None:
    """Runs on both databases; the examples share Demo AB (the properties hold over all its items)."""

    @hypothesis_settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps)
    def check(plan: list[tuple[str, str, int]]) -> None:
        asyncio.run(_scenario(settings, clock, plan))

    check()
