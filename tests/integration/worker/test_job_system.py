"""The job system drives receipt reading: a job per receipt, found again when lost, retried after a pause,
and run again when its worker stops answering (PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from procrastinate import jobs as procrastinate_jobs
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import Receipt
from backend.expenses.interpretation import job_for
from backend.worker.context import WorkerContext
from backend.worker.jobs import RECEIPTS, ROUTINE, Jobs
from ocr.errors import OcrUnavailable
from ocr.model import Receipt as ReadReceipt
from ocr.pool import ReceiptInterpreter
from tests.support.flows import receipt_row, uploaded_receipt
from tests.support.jobs import drain

pytestmark = pytest.mark.clockless


class UnavailableReader(ReceiptInterpreter):
    """A reader that is down (Tesseract missing, its processes dying): the failure to inject."""

    def __init__(self) -> None:  # no reading processes: it never reads
        self.calls = 0

    async def interpret(
        self, data: bytes, *, today: date | None = None, limit_seconds: float | None = 120.0
    ) -> ReadReceipt:
        self.calls += 1
        raise OcrUnavailable("reader down")

    def close(self, *, wait: bool = True) -> None:
        pass


def postgresql_only(settings: Settings) -> None:
    if settings.database.is_sqlite:
        pytest.skip("SQLite runs one process's jobs in memory: heartbeats and shared schedules are PostgreSQL's")


@pytest.fixture
async def jobs(settings: Settings) -> Any:
    jobs = Jobs(settings)
    yield jobs
    await jobs.close()


async def test_the_finder_gives_each_waiting_receipt_one_job_and_each_is_read_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
    jobs: Jobs,
) -> None:
    ids = [await uploaded_receipt(client, as_role["employee"], seed) for seed in ("first", "second")]
    context = WorkerContext.create(settings, engine, clock)
    context.tools["interpreter"] = ReceiptInterpreter(workers=1)
    try:
        await drain(jobs, context, queues=[ROUTINE])  # the finder runs twice: the second finds jobs waiting
        await jobs.defer("find_receipts")
        await drain(jobs, context, queues=[ROUTINE])
        assert sorted(await jobs.live_locks(RECEIPTS)) == sorted(f"receipt:{i}" for i in ids)

        await drain(jobs, context, queues=[RECEIPTS], concurrency=2)
    finally:
        await context.close()

    read = [await receipt_row(engine, i) for i in ids]
    assert [(r.state, r.attempts) for r in read] == [("done", 1), ("done", 1)]
    assert await jobs.live_locks(RECEIPTS) == set()
    assert await jobs.statuses("interpret_receipt") == []  # all succeeded (and were deleted)


async def test_a_reader_that_is_down_leaves_the_receipt_waiting_for_a_retry_after_a_pause(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
    jobs: Jobs,
) -> None:
    receipt_id = await uploaded_receipt(client, as_role["employee"], "down")
    context = WorkerContext.create(settings, engine, clock)
    reader = UnavailableReader()
    context.tools["interpreter"] = reader
    await jobs.defer("interpret_receipt", **job_for(receipt_id))  # on PostgreSQL the upload has deferred it already
    await drain(jobs, context, queues=[RECEIPTS])

    [retry] = await jobs.app.job_manager.list_jobs_async(task="interpret_receipt")
    waiting = await receipt_row(engine, receipt_id)
    assert reader.calls == 1
    assert (waiting.state, waiting.attempts, waiting.error_code) == ("queued", 1, None)
    assert retry.status == "todo"
    assert retry.attempts == 1
    assert retry.scheduled_at is not None  # after the pause, not at once


async def test_a_receipt_whose_readings_all_died_is_marked_failed_with_a_reason(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
    jobs: Jobs,
) -> None:
    """Killed workers leave ``interpreting`` with attempts counted; the job that finds it spent fails it."""
    receipt_id = await uploaded_receipt(client, as_role["employee"], "spent")
    async with session_maker(engine)() as session:
        row = await session.get(Receipt, receipt_id)
        assert row is not None
        row.state, row.attempts = "interpreting", 3
        await session.commit()
    context = WorkerContext.create(settings, engine, clock)
    context.tools["interpreter"] = UnavailableReader()
    await jobs.defer("interpret_receipt", **job_for(receipt_id))  # on PostgreSQL the upload has deferred it already
    await drain(jobs, context, queues=[RECEIPTS])

    failed = await receipt_row(engine, receipt_id)
    assert (failed.state, failed.error_code) == ("failed", "interpretation_crashed")


async def test_the_job_of_a_worker_that_stopped_answering_runs_again_elsewhere(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
    jobs: Jobs,
) -> None:
    postgresql_only(settings)
    receipt_id = await uploaded_receipt(client, as_role["employee"], "stalled")
    await jobs.defer("interpret_receipt", **job_for(receipt_id))  # on PostgreSQL the upload has deferred it already
    manager = jobs.app.job_manager
    dead_worker = await manager.register_worker()
    taken = await manager.fetch_job(queues=[RECEIPTS], worker_id=dead_worker)
    assert taken is not None  # the worker took the job, then froze or was killed
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = :id"),
            {"id": dead_worker},
        )
    assert await jobs.statuses("interpret_receipt") == ["doing"]

    context = WorkerContext.create(settings, engine, clock)
    context.tools["interpreter"] = ReceiptInterpreter(workers=1)
    try:
        await jobs.defer("recover")
        await drain(jobs, context)
    finally:
        await context.close()

    read = await receipt_row(engine, receipt_id)
    assert (read.state, read.attempts) == ("done", 1)
    assert await jobs.statuses("interpret_receipt") == []


async def test_a_periodic_task_is_deferred_once_per_schedule_however_many_workers_defer_it(
    settings: Settings, engine: AsyncEngine
) -> None:
    postgresql_only(settings)
    workers = [Jobs(settings) for _ in range(3)]
    try:
        deferred = []
        for worker in workers:
            await worker.open()
            job = procrastinate_jobs.Job(
                id=None,
                queue=ROUTINE,
                lock=None,
                queueing_lock=None,
                task_name="attest_nudges",
                task_kwargs={"timestamp": 1_796_000_000},
            )
            deferred.append(await worker.app.job_manager.defer_periodic_job(job, "attest_nudges", 1_796_000_000))
    finally:
        for worker in workers:
            await worker.close()

    assert len([job_id for job_id in deferred if job_id is not None]) == 1
