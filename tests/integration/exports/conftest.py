"""Helpers for the export tests: items approved before November's cut-off, through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.support.images import receipt_image
from tests.support.jobs import RunJobs, close_period

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


def _expense(receipt_id: str, day: str, amount: str) -> dict[str, str]:
    return {
        "receipt_id": receipt_id,
        "expense_date": day,
        "merchant": "ICA Supermarket",
        "amount": amount,
        "category": "meal",
    }


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
        f"/api/expenses/{expense_id}", json=_expense(uploaded.json()["id"], day, amount), headers=anna
    )
    assert filled.status_code == 200, filled.text
    claim_id = str(uuid.uuid4())
    claim = await client.put(
        f"/api/expense-claims/{claim_id}", json={"title": "Utlägg", "expense_ids": [expense_id]}, headers=anna
    )
    assert claim.status_code == 201, claim.text
    return {"anna_expense": expense_id, "anna_claim": claim_id, "receipt": uploaded.json()["id"], "day": day}


async def return_item(client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], item: str) -> None:
    """Payroll sends an approved (exported) item back: the correction path."""
    returned = await client.post(
        f"/api/attest/items/{item}/return", json={"reason": "Fel belopp"}, headers=as_role["payroll"]
    )
    assert returned.status_code == 200, returned.text


async def correct_and_approve(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    ids: dict[str, str],
    amount: str,
) -> None:
    """Anna changes the amount and resubmits; Maria approves it again before November's cut-off."""
    now = clock.now()
    clock.set(BEFORE_CUTOFF)
    try:
        changed = await client.put(
            f"/api/expenses/{ids['anna_expense']}",
            json=_expense(ids["receipt"], ids["day"], amount),
            headers=as_role["employee"],
        )
        assert changed.status_code == 200, changed.text
        submitted = await client.post(f"/api/expense-claims/{ids['anna_claim']}/submit", headers=as_role["employee"])
        assert submitted.status_code == 200, submitted.text
        approved = await client.post(f"/api/attest/items/{ids['item']}/approve", headers=as_role["manager"])
        assert approved.status_code == 200, approved.text
    finally:
        clock.set(now)


async def close_november(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> dict[str, object]:
    """Close November (reopening it first when closed) and run the close job; the new batch."""
    period = (await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"])).json()
    if period["state"] == "closed":
        reopened = await client.post(
            "/api/payroll/periods/2026-11/reopen", json={"reason": "Rättelse"}, headers=as_role["payroll"]
        )
        assert reopened.status_code == 200, reopened.text
    asked, after = await close_period(client, as_role["payroll"], "2026-11", run_jobs)
    assert asked.status_code == 202, asked.text
    assert after["state"] == "closed", after
    batch: dict[str, object] = after["batches"][-1]
    return batch


async def exported_per_item(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> dict[str, Decimal]:
    """The sum of belopp per item over every batch, read through the export rows."""
    sums: dict[str, Decimal] = {}
    for batch in (await client.get("/api/payroll/export-batches", headers=as_role["payroll"])).json():
        offset = 0
        while True:
            page = (
                await client.get(
                    f"/api/payroll/export-batches/{batch['id']}/rows?offset={offset}&limit=1000",
                    headers=as_role["payroll"],
                )
            ).json()
            for row in page["rows"]:
                sums[row["item_id"]] = sums.get(row["item_id"], Decimal(0)) + Decimal(row["amount"] or 0)
            offset += len(page["rows"])
            if offset >= page["total"]:
                break
    return sums
