"""The month close is a job: the request only asks; the job makes the batch once, or says why it could not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.db.models import AccountRole, ExportBatch
from backend.exports import closing
from tests.conftest import LENA, Org
from tests.integration.exports.conftest import approve_claim
from tests.support.jobs import RunJobs, close_period


class BrokenStore:
    """A content store that is down: the close cannot keep its files."""

    async def put_stream(self, pieces: AsyncIterator[bytes]) -> str:
        raise OSError("the store is down")


async def _batches(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return len((await connection.execute(select(ExportBatch.id))).all())


async def test_the_request_only_asks_and_the_job_makes_the_batch(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    engine: AsyncEngine,
    run_jobs: RunJobs,
) -> None:
    await approve_claim(client, as_role, clock)
    asked = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["payroll"])
    assert asked.status_code == 202, asked.text
    assert (asked.json()["state"], asked.json()["batches"]) == ("closing", [])
    assert await _batches(engine) == 0  # nothing made in the request

    await run_jobs("find_closes")

    period = (await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"])).json()
    assert (period["state"], len(period["batches"]), period["close_requested_at"]) == ("closed", 1, None)
    await run_jobs("find_closes")  # found closed: no second batch
    assert await _batches(engine) == 1


async def test_a_close_left_without_a_job_is_found_and_made_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    engine: AsyncEngine,
    settings: Settings,
    run_jobs: RunJobs,
) -> None:
    """The API process died after marking the period closing and before deferring its job."""
    await approve_claim(client, as_role, clock)
    asked = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["payroll"])
    assert asked.status_code == 202, asked.text
    if not settings.database.is_sqlite:  # on SQLite the job went to the app's own in-memory queue
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'close_period'"))

    await run_jobs("find_closes")

    period = (await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"])).json()
    assert (period["state"], [b["items"] for b in period["batches"]]) == ("closed", [1])


async def test_a_close_that_keeps_failing_opens_the_period_again_with_a_retryable_problem(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    engine: AsyncEngine,
    run_jobs: RunJobs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await approve_claim(client, as_role, clock)
    monkeypatch.setattr(closing, "RETRY", replace(closing.RETRY, max_attempts=1))  # this try is the last
    working = run_jobs.context.storage
    run_jobs.context.storage = BrokenStore()  # type: ignore[assignment]

    asked, period = await close_period(client, as_role["payroll"], "2026-11", run_jobs)

    assert asked.status_code == 202
    assert (period["state"], period["closable"], period["batches"], period["ready"]) == ("open", True, [], 1)
    assert (period["close_problem"]["status"], period["close_problem"]["code"]) == (503, "period.close_failed")
    assert "Försök stänga perioden igen" in period["close_problem"]["detail"]
    assert await _batches(engine) == 0  # nothing half-made
    assert await run_jobs.jobs.app.job_manager.list_jobs_async(task="close_period") == []  # given up: done

    run_jobs.context.storage = working  # the store is back: closing again works
    again, after = await close_period(client, as_role["payroll"], "2026-11", run_jobs)
    assert (again.status_code, after["state"], after["close_problem"]) == (202, "closed", None)


async def test_a_close_asked_for_by_someone_who_lost_the_payroll_role_is_not_made(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
    run_jobs: RunJobs,
) -> None:
    await approve_claim(client, as_role, clock)
    asked = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["payroll"])
    assert asked.status_code == 202, asked.text
    async with engine.begin() as connection:
        await connection.execute(delete(AccountRole).where(col(AccountRole.account_id) == demo.accounts[LENA]))

    await run_jobs("find_closes")

    period = (await client.get("/api/payroll/periods/2026-11", headers=as_role["admin"])).json()
    assert (period["state"], period["batches"], period["close_problem"]["code"]) == ("open", [], "forbidden")
    assert await _batches(engine) == 0
