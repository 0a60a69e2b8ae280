"""From a decision in the inbox to the employee's phone: the outbox, the worker and a real push."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.database import session_maker
from backend.notices.events import notify_payslips_ready
from tests.conftest import NOW, Org
from tests.integration.notices.conftest import Deliver, Subscribe
from tests.support.fake_push_service import FakePushService
from tests.support.flows import inbox_item_for, submitted_claim


async def test_maria_approves_annas_claim_and_anna_gets_a_push_she_can_decrypt(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(anna)
    claim = await submitted_claim(client, anna, amount="245.00", title="Kundmiddag")
    item = await inbox_item_for(client, maria, claim["id"])

    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    await deliver()

    assert approved.status_code == 200
    [push] = push_service.delivered(phone.id)
    payload = push.json()
    assert payload["title"] == "Attesterad: Kundmiddag"
    assert payload["body"] == "Maria Berg har attesterat ditt utlägg. Betalas med lönen för december 2026."
    assert payload["url"] == f"/expenses/claims/{claim['id']}"
    assert payload["tag"] == "item_decided"
    assert payload["ids"]["item"] == item["id"]
    assert push.claims["sub"].startswith("mailto:")
    assert push.claims["aud"] == push_service.origin
    assert push.ttl == 3 * 24 * 3600
    listed = (await client.get("/api/notifications", headers=anna)).json()
    assert listed["unread"] == 1
    assert listed["items"][0]["id"] == payload["ids"]["notice"]


async def test_a_finalised_pay_run_tells_each_employee_once_that_the_payslip_is_ready(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    phone = await subscribe(as_role["employee"])
    anna = demo.employees["anna.andersson@demo.se"]
    run_id = uuid.uuid4()

    async with session_maker(engine)() as session:
        first = await notify_payslips_ready(session, demo.id, [anna], "2026-12", run_id=run_id, now=NOW)
        again = await notify_payslips_ready(session, demo.id, [anna], "2026-12", run_id=run_id, now=NOW)
        await session.commit()
    await deliver()

    assert (first, again) == (1, 0)
    [push] = push_service.delivered(phone.id)
    assert push.json()["title"] == "Lönespecifikationen för december 2026 finns"
    assert push.json()["url"] == "/payslip?period=2026-12"
    assert push.urgency == "low"
