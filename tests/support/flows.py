"""Whole user steps through the API, shared by tests that need their results."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.database import session_maker
from backend.db.models import Receipt
from tests.support.images import receipt_image

EXPENSE = {"expense_date": "2026-11-20", "merchant": "Restaurang Prinsen", "amount": "245.00", "category": "meal"}


async def submitted_claim(
    client: AsyncTestClient[Litestar] | Any,
    headers: dict[str, str],
    amount: str = "245.00",
    title: str = "November",
    expense_date: str = EXPENSE["expense_date"],
) -> dict[str, Any]:
    """An employee photographs a receipt, confirms the expense, and submits a one-expense claim."""
    uploaded = await client.post(
        "/api/receipts",
        files={"file": ("kvitto.jpg", receipt_image(seed_text=uuid.uuid4().hex), "image/jpeg")},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    expense_id = uploaded.json()["expense_id"]
    saved = await client.put(
        f"/api/expenses/{expense_id}",
        json={
            **EXPENSE,
            "amount": amount,
            "expense_date": expense_date,
            "merchant": f"Prinsen {uuid.uuid4().hex[:6]}",
            "receipt_id": uploaded.json()["id"],
        },
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    claim_id = str(uuid.uuid4())
    created = await client.put(
        f"/api/expense-claims/{claim_id}", json={"title": title, "expense_ids": [expense_id]}, headers=headers
    )
    assert created.status_code == 201, created.text
    submitted = await client.post(f"/api/expense-claims/{claim_id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


async def inbox_item_for(
    client: AsyncTestClient[Litestar] | Any, headers: dict[str, str], subject_id: str
) -> dict[str, Any]:
    inbox = (await client.get("/api/attest/inbox", headers=headers)).json()
    return next(item for item in inbox["items"] if item["subject_id"] == subject_id)


async def uploaded_receipt(client: AsyncTestClient[Litestar] | Any, headers: dict[str, str], seed: str) -> UUID:
    """An employee photographs a receipt (its text varies with ``seed``); returns the receipt's id."""
    response = await client.post(
        "/api/receipts", files={"file": ("kvitto.jpg", receipt_image(seed_text=seed), "image/jpeg")}, headers=headers
    )
    assert response.status_code == 201, response.text
    return UUID(response.json()["id"])


async def receipt_row(engine: AsyncEngine, receipt_id: UUID) -> Receipt:
    async with session_maker(engine)() as session:
        row = await session.get(Receipt, receipt_id)
        assert row is not None
        return row
