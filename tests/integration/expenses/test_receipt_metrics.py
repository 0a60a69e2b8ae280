"""Reading a receipt moves receipt_interpretation_seconds; a receipt the reader cannot read moves the failures."""

from __future__ import annotations

from uuid import UUID

import obstore
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import Receipt
from backend.expenses.interpretation import interpret_one
from backend.storage import ContentStore
from backend.worker.context import WorkerContext
from ocr.pool import ReceiptInterpreter
from tests.support.images import receipt_image
from tests.support.metrics import scrape, value

pytestmark = pytest.mark.clockless

READ = "receipt_interpretation_seconds_count"
FAILED = "receipt_interpretation_failures_total"


async def _upload(client: AsyncTestClient[Litestar], headers: dict[str, str], seed: str) -> UUID:
    response = await client.post(
        "/api/receipts", files={"file": ("kvitto.jpg", receipt_image(seed_text=seed), "image/jpeg")}, headers=headers
    )
    assert response.status_code == 201, response.text
    return UUID(response.json()["id"])


async def _row(engine: AsyncEngine, receipt_id: UUID) -> Receipt:
    async with session_maker(engine)() as session:
        receipt = await session.get(Receipt, receipt_id)
        assert receipt is not None
        return receipt


async def test_a_read_receipt_and_an_unreadable_one_are_timed_and_the_failure_counted_by_reason(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
) -> None:
    before = await scrape(client)
    readable = await _upload(client, as_role["employee"], "first")
    damaged = await _upload(client, as_role["employee"], "second")
    context = WorkerContext.create(settings, engine, clock)
    stored = context.storage  # the stored copy of the second receipt is damaged after upload (a bad disk)
    sha256 = (await _row(engine, damaged)).sha256
    obstore.put(stored.store, ContentStore._path(sha256), receipt_image(seed_text="second")[:2000])
    interpreter = ReceiptInterpreter(workers=1)
    context.tools["interpreter"] = interpreter
    try:
        assert await interpret_one(context, readable)
        assert await interpret_one(context, damaged)
    finally:
        interpreter.close()

    after = await scrape(client)
    read, unreadable = await _row(engine, readable), await _row(engine, damaged)
    assert (read.state, read.error_code) == ("done", None)
    assert (unreadable.state, unreadable.error_code) == ("failed", "unreadable_image")
    assert value(after, READ) - value(before, READ) == 2
    assert value(after, FAILED, reason="unreadable_image") - value(before, FAILED, reason="unreadable_image") == 1
