"""Helpers for the export tests: items approved before November's cut-off, through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.support.images import receipt_image

BEFORE_CUTOFF = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
"""Approved then, an item reaches November's pay (cut-off 2026-11-08)."""


async def approve_claim(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    at: datetime = BEFORE_CUTOFF,
    amount: str = "134.50",
) -> dict[str, str]:
    """Anna's expense claim, submitted and approved by Maria on ``at``; the clock is put back after."""
    now = clock.now()
    clock.set(at)
    try:
        ids = await expense_claim(client, as_role["employee"], amount, at.date().isoformat())
        submitted = await client.post(f"/api/expense-claims/{ids['anna_claim']}/submit", headers=as_role["employee"])
        assert submitted.status_code == 200, submitted.text
        inbox = (await client.get("/api/attest/inbox", headers=as_role["manager"])).json()
        item = next(i for i in inbox["items"] if i["subject_id"] == ids["anna_claim"])
        approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
        assert approved.status_code == 200, approved.text
    finally:
        clock.set(now)
    return ids | {"item": item["id"]}


async def expense_claim(
    client: AsyncTestClient[Litestar], anna: dict[str, str], amount: str, day: str
) -> dict[str, str]:
    """A draft claim with one expense paid privately, with its receipt."""
    expense_id = str(uuid.uuid4())
    uploaded = await client.post(
        "/api/receipts",
        files={"file": ("r.jpg", receipt_image(seed_text=expense_id), "image/jpeg")},
        data={"expense_id": expense_id},
        headers=anna,
    )
    assert uploaded.status_code == 201, uploaded.text
    filled = await client.put(
        f"/api/expenses/{expense_id}",
        json={
            "receipt_id": uploaded.json()["id"],
            "expense_date": day,
            "merchant": "ICA Supermarket",
            "amount": amount,
            "category": "meal",
        },
        headers=anna,
    )
    assert filled.status_code == 200, filled.text
    claim_id = str(uuid.uuid4())
    claim = await client.put(
        f"/api/expense-claims/{claim_id}", json={"title": "Utlägg", "expense_ids": [expense_id]}, headers=anna
    )
    assert claim.status_code == 201, claim.text
    return {"anna_expense": expense_id, "anna_claim": claim_id}
