"""A receipt-reading process that dies mid-receipt: the receipt is retried, never lost, and reading goes on."""

from __future__ import annotations

import asyncio
import os
import signal
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.expenses.interpretation import TryAgain, interpret_one
from backend.worker.context import WorkerContext
from ocr.pool import ReceiptInterpreter
from tests.support.flows import receipt_row
from tests.support.images import receipt_image

pytestmark = pytest.mark.clockless


async def until_interpreting(engine: AsyncEngine, receipt_id: UUID) -> None:
    for _ in range(600):
        if (await receipt_row(engine, receipt_id)).state == "interpreting":
            return
        await asyncio.sleep(0.01)
    pytest.fail("the receipt never started being read")


async def test_a_reader_killed_mid_receipt_is_replaced_and_the_receipt_is_read_on_retry(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
) -> None:
    uploaded = await client.post(
        "/api/receipts", files={"file": ("kvitto.jpg", receipt_image(), "image/jpeg")}, headers=as_role["employee"]
    )
    assert uploaded.status_code == 201, uploaded.text
    receipt_id = UUID(uploaded.json()["id"])
    context = WorkerContext.create(settings, engine, clock)
    # Not warmed up: the first receipt loads the models, so the kill lands while it is being read.
    interpreter = ReceiptInterpreter(workers=1, warm_up=False)
    context.tools["interpreter"] = interpreter
    try:
        reader_pid = await asyncio.wrap_future(interpreter.executor.submit(os.getpid))
        reading = asyncio.create_task(interpret_one(context, receipt_id))
        await until_interpreting(engine, receipt_id)
        os.kill(reader_pid, signal.SIGKILL)
        with pytest.raises(TryAgain):  # the job system retries the job after a pause
            await reading

        after_kill = await receipt_row(engine, receipt_id)
        assert (after_kill.state, after_kill.attempts, after_kill.error_code) == ("queued", 1, None)

        assert await interpret_one(context, receipt_id)  # the retried job
        read = await receipt_row(engine, receipt_id)
        new_pid = await asyncio.wrap_future(interpreter.executor.submit(os.getpid))
    finally:
        interpreter.close()

    assert (read.state, read.attempts, read.error_code) == ("done", 2, None)
    assert read.interpretation is not None
    assert new_pid != reader_pid
