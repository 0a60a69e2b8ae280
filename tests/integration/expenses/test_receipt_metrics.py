"""Reading a receipt moves receipt_interpretation_seconds; a receipt the reader cannot read moves the failures."""

from __future__ import annotations

import obstore
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.expenses.interpretation import interpret_one
from backend.storage import ContentStore
from backend.worker.context import WorkerContext
from ocr.pool import ReceiptInterpreter
from tests.support.flows import receipt_row, uploaded_receipt
from tests.support.images import receipt_image
from tests.support.metrics import scrape, value

pytestmark = pytest.mark.clockless

READ = "receipt_interpretation_seconds_count"
FAILED = "receipt_interpretation_failures_total"


async def test_a_read_receipt_and_an_unreadable_one_are_timed_and_the_failure_counted_by_reason(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
) -> None:
    before = await scrape(client)
    readable = await uploaded_receipt(client, as_role["employee"], "first")
    damaged = await uploaded_receipt(client, as_role["employee"], "second")
    context = WorkerContext.create(settings, engine, clock)
    stored = context.storage  # the stored copy of the second receipt is damaged after upload (a bad disk)
    sha256 = (await receipt_row(engine, damaged)).sha256
    obstore.put(stored.store, ContentStore._path(sha256), receipt_image(seed_text="second")[:2000])
    interpreter = ReceiptInterpreter(workers=1)
    context.tools["interpreter"] = interpreter
    try:
        assert await interpret_one(context, readable)
        assert await interpret_one(context, damaged)
    finally:
        interpreter.close()

    after = await scrape(client)
    read, unreadable = await receipt_row(engine, readable), await receipt_row(engine, damaged)
    assert (read.state, read.error_code) == ("done", None)
    assert (unreadable.state, unreadable.error_code) == ("failed", "unreadable_image")
    assert value(after, READ) - value(before, READ) == 2
    assert value(after, FAILED, reason="unreadable_image") - value(before, FAILED, reason="unreadable_image") == 1
