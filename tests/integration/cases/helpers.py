"""Steps the error-report tests share: a report on a payslip line, on an item."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.support.flows import inbox_item_for, submitted_claim


async def payslip_line(client: AsyncTestClient[Litestar], anna: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The period and first line of Anna's preliminary payslip, as her payslip page shows them."""
    payslip = (await client.get("/api/payslips/preliminary", headers=anna)).json()
    return payslip["period"], payslip["lines"][0]


async def report_on_payslip(
    client: AsyncTestClient[Litestar], anna: dict[str, str], text: str = "Fel antal timmar på raden"
) -> dict[str, Any]:
    period, line = await payslip_line(client, anna)
    response = await client.post(
        "/api/cases",
        json={
            "subject_kind": "payslip_line",
            "text": text,
            "payslip_period": period,
            "line_key": line["code"],
            "line_text": line["text"],
        },
        headers=anna,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def approved_item(
    client: AsyncTestClient[Litestar], anna: dict[str, str], maria: dict[str, str]
) -> dict[str, Any]:
    """Anna's claim, attested by Maria: approved, not yet paid."""
    claim = await submitted_claim(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    assert approved.status_code == 200, approved.text
    return {**item, "claim_id": claim["id"]}


async def report_on_item(
    client: AsyncTestClient[Litestar], who: dict[str, str], item_id: str, text: str = "Beloppet är fel"
) -> dict[str, Any]:
    response = await client.post(
        "/api/cases", json={"subject_kind": "item", "item_id": item_id, "text": text}, headers=who
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
