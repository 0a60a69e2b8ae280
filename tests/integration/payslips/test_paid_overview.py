"""Payroll's overview of a paid period shows what was paid, not a new computation."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import problem
from tests.support.flows import inbox_item_for, submitted_claim


async def test_the_overview_of_a_paid_period_is_its_runs_as_stored(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    lena = as_role["payroll"]
    run = await client.post("/api/payroll/pay-runs", json={"period": "2026-11", "extra": False}, headers=lena)
    assert run.status_code == 201, run.text
    # Approved after the run: changes the coming pay, never the paid month's figures.
    claim = await submitted_claim(client, as_role["employee"], amount="450.00")
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])

    paid = await client.get("/api/payroll/overview", params={"period": "2026-11"}, headers=lena)
    coming = (await client.get("/api/payroll/overview", headers=lena)).json()

    assert paid.status_code == 200, paid.text
    body = paid.json()
    assert body["finalised"] is True
    assert (body["employees"], body["gross_pay"], body["net_pay"], body["tax"]) == (
        run.json()["employees"],
        run.json()["gross_pay"],
        run.json()["net_pay"],
        run.json()["tax"],
    )
    assert body["pending_items"] == 0
    assert coming["period"] == "2026-12"
    assert coming["finalised"] is False


async def test_a_period_before_the_first_run_has_no_overview(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/payroll/overview", params={"period": "2026-10"}, headers=as_role["payroll"])

    assert response.status_code == 404
    assert problem(response)["code"]
