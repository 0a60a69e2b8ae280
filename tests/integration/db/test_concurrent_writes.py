"""Many writes at once queue instead of failing, on SQLite as on PostgreSQL: no 5xx, exactly the rows asked for."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.db.models import AttestItem, Expense, Receipt
from tests.conftest import ANNA, MARIA, Org, login
from tests.integration.expenses.test_expenses import ANNA_EXPENSE, count
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.images import receipt_image

pytestmark = pytest.mark.clockless

PARALLEL = 20


@asynccontextmanager
async def running(settings: Settings, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """The app on this event loop, so ``gather`` really sends the requests at the same time."""
    app = create_app(settings, clock)
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://localhost",
            timeout=60,
        ) as client,
    ):
        yield client


async def test_twenty_expenses_saved_at_once_are_all_saved(
    settings: Settings, clock: FixedClock, demo: Org, engine: AsyncEngine
) -> None:
    async with running(settings, clock) as client:
        anna = await login(client, ANNA)  # type: ignore[arg-type]

        responses = await asyncio.gather(
            *[client.put(f"/api/expenses/{uuid.uuid4()}", json=ANNA_EXPENSE, headers=anna) for _ in range(PARALLEL)]
        )

    assert [r.status_code for r in responses] == [201] * PARALLEL, [r.text for r in responses if r.status_code != 201]
    assert await count(engine, Expense) == PARALLEL


async def test_uploads_sent_twice_at_once_with_their_keys_store_each_receipt_once(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    anna = await login(client, ANNA)  # type: ignore[arg-type]
    sends = [
        (f"twin-{uuid.uuid4().hex}", receipt_image(seed_text=uuid.uuid4().hex, size=(450, 650))) for _ in range(10)
    ]

    responses = await asyncio.gather(
        *[
            client.post(
                "/api/receipts",
                files={"file": ("kvitto.jpg", content, "image/jpeg")},
                headers={**anna, "idempotency-key": key},
            )
            for key, content in sends + sends
        ]
    )

    statuses = [r.status_code for r in responses]
    assert all(status in (201, 409) for status in statuses), [r.text for r in responses]
    assert statuses[:10].count(201) + statuses[10:].count(201) >= 10
    for first, twin in zip(responses[:10], responses[10:], strict=True):
        if first.status_code == twin.status_code == 201:
            assert first.json() == twin.json()
    assert await count(engine, Receipt) == 10


async def test_twenty_approvals_at_once_each_succeed_once(
    settings: Settings, clock: FixedClock, demo: Org, engine: AsyncEngine
) -> None:
    async with running(settings, clock) as client:
        anna = await login(client, ANNA)  # type: ignore[arg-type]
        maria = await login(client, MARIA)  # type: ignore[arg-type]
        claims = [await submitted_claim(client, anna) for _ in range(PARALLEL)]
        items = [await inbox_item_for(client, maria, claim["id"]) for claim in claims]

        responses = await asyncio.gather(
            *[client.post(f"/api/attest/items/{item['id']}/approve", headers=maria) for item in items]
        )

    assert [r.status_code for r in responses] == [200] * PARALLEL, [r.text for r in responses if r.status_code != 200]
    async with engine.connect() as connection:
        approved = select(func.count()).select_from(AttestItem).where(col(AttestItem.state) == "approved")
        assert (await connection.execute(approved)).scalar_one() == PARALLEL
