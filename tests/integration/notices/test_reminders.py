"""Reminders from the cut-off: once per person and occasion, however often or wherever the task runs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.notices.reminders import attest_nudges, cutoff_reminders, send_attest_nudges, send_cutoff_reminders
from backend.worker.context import WorkerContext
from tests.conftest import Org
from tests.integration.notices.conftest import Deliver, Subscribe
from tests.integration.notices.helpers import notices
from tests.support.fake_push_service import FakePushService
from tests.support.flows import submitted_claim

MARIA = "maria.berg@demo.se"
ANNA = "anna.andersson@demo.se"
LENA = "lena.lind@demo.se"
# The demo organisation's cut-off is the 8th: 8 December decides December's pay.
THREE_DAYS_BEFORE = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)  # 08:00 in Stockholm
CUTOFF_MORNING = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
CUTOFF_AFTERNOON = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)  # 14:00


async def test_a_manager_with_waiting_items_is_reminded_three_days_before_the_cutoff_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    worker: WorkerContext,
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    phone = await subscribe(as_role["manager"])
    await submitted_claim(client, as_role["employee"], title="Taxi")
    await submitted_claim(client, as_role["employee"], title="Hotell")
    await deliver()  # the digest about the new items
    clock.set(THREE_DAYS_BEFORE)

    await send_cutoff_reminders(worker)
    await send_cutoff_reminders(worker)
    await deliver()

    [reminder] = await notices(engine, account_id=demo.accounts[MARIA], category="attest_reminder")
    assert reminder.title_sv == "Brytdatum om 3 dagar: 2 poster väntar på attest"
    assert reminder.body_sv == "Attestera senast 2026-12-08 så kommer de med lönen för december 2026."
    assert reminder.dedupe_key == "attest_reminder:2026-12:d3"
    _digest, pushed = push_service.delivered(phone.id)
    assert pushed.json()["title"] == reminder.title_sv
    assert pushed.json()["url"] == "/attest"


async def test_two_processes_running_the_round_at_once_write_each_reminder_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    demo: Org,
) -> None:
    await submitted_claim(client, as_role["employee"], title="Taxi")

    async def one_process() -> int:
        async with session_maker(engine)() as session:
            sent = await cutoff_reminders(session, THREE_DAYS_BEFORE)
            await session.commit()
            return sent

    results = await asyncio.gather(one_process(), one_process(), return_exceptions=True)

    reminders = await notices(engine, account_id=demo.accounts[MARIA], category="attest_reminder")
    assert len(reminders) == 1
    assert sum(r for r in results if isinstance(r, int)) >= 1


async def test_on_the_cutoff_day_managers_are_reminded_and_payroll_hears_what_is_still_waiting(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    worker: WorkerContext,
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    await submitted_claim(client, as_role["employee"], title="Taxi")

    clock.set(CUTOFF_MORNING)
    await send_cutoff_reminders(worker)
    payroll_in_the_morning = await notices(engine, account_id=demo.accounts[LENA])
    clock.set(CUTOFF_AFTERNOON)
    await send_cutoff_reminders(worker)

    [today] = await notices(engine, account_id=demo.accounts[MARIA], category="attest_reminder")
    assert today.title_sv == "Brytdatum i dag: 1 post väntar på attest"
    assert payroll_in_the_morning == []
    [escalation] = await notices(engine, account_id=demo.accounts[LENA], category="attest_reminder")
    assert escalation.title_sv == "1 post väntar fortfarande på attest på brytdagen"
    assert escalation.body_sv == "Hos 1 chefer. Det som inte attesteras i dag kommer med lönen för januari 2027."


async def test_an_employee_with_drafts_is_reminded_before_the_cutoff(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    worker: WorkerContext,
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    anna = as_role["employee"]
    for _ in range(2):
        saved = await client.put(f"/api/expenses/{uuid.uuid4()}", json={"amount": "120.00"}, headers=anna)
        assert saved.status_code in (200, 201), saved.text
    clock.set(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))

    await send_cutoff_reminders(worker)
    await send_cutoff_reminders(worker)

    [reminder] = await notices(engine, account_id=demo.accounts[ANNA], category="submit_reminder")
    assert reminder.title_sv == "Brytdatum i morgon: skicka in det som ska med på lönen"
    assert reminder.body_sv == "Du har 2 utkast som inte är inskickade (utlägg, resor eller tid)."
    assert reminder.url == "/expenses"


async def test_nobody_is_reminded_far_from_the_cutoff(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], worker: WorkerContext, engine: AsyncEngine
) -> None:
    await submitted_claim(client, as_role["employee"], title="Taxi")

    await send_cutoff_reminders(worker)  # 23 November: 15 days to go

    assert await notices(engine, category="attest_reminder") == []


async def test_the_weekly_nudge_names_items_waiting_longer_than_a_week_once_a_week(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    worker: WorkerContext,
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    await submitted_claim(client, as_role["employee"], title="Taxi")  # Monday 23 November
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # a week later, to the hour: not older than 7 days yet
    await send_attest_nudges(worker)
    too_early = await notices(engine, category="attest_nudge")
    clock.set(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))

    await send_attest_nudges(worker)
    async with session_maker(engine)() as session:
        again = await attest_nudges(session, datetime(2026, 12, 7, 11, 0, tzinfo=UTC))
        await session.commit()

    assert too_early == []
    [nudge] = await notices(engine, account_id=demo.accounts[MARIA], category="attest_nudge")
    assert nudge.title_sv == "1 post har väntat på attest i över en vecka"
    assert nudge.dedupe_key == "attest_nudge:2026-W50"
    assert again == 0
