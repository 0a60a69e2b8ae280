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
from tests.integration.notices.helpers import notices
from tests.support.fake_push_service import FakePushService
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.jobs import RunJobs, pay_run

ANNA = "anna.andersson@demo.se"


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
    assert payload["body"] == (
        "Maria Berg har attesterat ditt utlägg. Betalas med den ordinarie lönen för december 2026 den 23 december 2026."
    )
    assert payload["url"] == f"/expenses/claims/{claim['id']}"
    assert payload["tag"] == "item_decided"
    assert payload["ids"]["item"] == item["id"]
    assert push.claims["sub"].startswith("mailto:")
    assert push.claims["aud"] == push_service.origin
    assert push.ttl == 3 * 24 * 3600
    listed = (await client.get("/api/notifications", headers=anna)).json()
    assert listed["unread"] == 1
    assert listed["items"][0]["id"] == payload["ids"]["notice"]


async def test_a_finalised_pay_run_tells_each_paid_employee_that_the_payslip_is_ready(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    demo: Org,
    run_jobs: RunJobs,
) -> None:
    phone = await subscribe(as_role["employee"])

    run = await pay_run(client, as_role["payroll"], {"period": "2026-11"}, run_jobs)
    await deliver()

    assert run.status_code == 201, run.text
    [push] = push_service.delivered(phone.id)
    assert push.json()["title"] == "Lönespecifikationen för november 2026 finns"
    assert push.json()["url"] == f"/payslip?period=2026-11&run={run.json()['id']}"
    assert push.json()["body"] == "Betalas ut med den ordinarie lönen den 25 november 2026."
    assert push.json()["ids"]["run"] == run.json()["id"]
    assert push.urgency == "low"
    ready = await notices(engine, category="payslip_ready")
    assert len(ready) == run.json()["employees"] > 1, "one notice per employee the run paid"
    assert demo.accounts[ANNA] in {n.account_id for n in ready}
    listed = (await client.get("/api/notifications", headers=as_role["employee"])).json()
    assert listed["items"][0]["url"] == f"/payslip?period=2026-11&run={run.json()['id']}"


async def test_a_pay_run_that_is_refused_notifies_nobody(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    run_jobs: RunJobs,
) -> None:
    payroll = as_role["payroll"]
    first = await pay_run(client, payroll, {"period": "2026-11"}, run_jobs)
    paid = len(await notices(engine, category="payslip_ready"))

    again = await pay_run(client, payroll, {"period": "2026-11"}, run_jobs)
    wrong_period = await pay_run(client, payroll, {"period": "2027-03"}, run_jobs)

    assert first.status_code == 201
    assert (again.status_code, wrong_period.status_code) == (409, 422)
    assert len(await notices(engine, category="payslip_ready")) == paid


async def test_payslip_notices_are_written_once_per_employee_and_run_however_often_asked(
    engine: AsyncEngine, demo: Org
) -> None:
    anna = demo.employees[ANNA]
    run_id = uuid.uuid4()

    async with session_maker(engine)() as session:
        first = await notify_payslips_ready(session, demo.id, [anna], "2026-12", run_id=run_id, now=NOW)
        again = await notify_payslips_ready(session, demo.id, [anna], "2026-12", run_id=run_id, now=NOW)
        await session.commit()

    assert (first, again) == (1, 0)
    [notice] = await notices(engine, category="payslip_ready")
    assert notice.title_sv == "Lönespecifikationen för december 2026 finns"
