"""New items reach a manager as a digest (one push per interval, with a Topic); quiet hours hold pushes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from notifications import topic_for
from tests.conftest import NOW, Org
from tests.integration.notices.conftest import Deliver, Subscribe
from tests.integration.notices.helpers import deliveries, notices
from tests.support.fake_push_service import FakePushService
from tests.support.flows import inbox_item_for, submitted_claim

MARIA = "maria.berg@demo.se"


async def test_several_submissions_make_one_push_per_interval_and_every_item_is_in_the_list(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    clock: FixedClock,
    demo: Org,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(maria)

    await submitted_claim(client, anna, title="Taxi")
    await deliver()
    await submitted_claim(client, anna, title="Hotell")
    await submitted_claim(client, anna, title="Tåg")
    await deliver()
    within_the_hour = len(push_service.delivered(phone.id))
    clock.set(NOW + timedelta(minutes=60))
    await deliver()

    first, second = push_service.delivered(phone.id)
    assert within_the_hour == 1
    assert first.json()["title"] == "1 ny post att attestera"
    assert second.json()["title"] == "2 nya poster att attestera"
    assert first.json()["url"] == "/attest"
    assert first.topic == second.topic == topic_for(f"attest-digest:{demo.accounts[MARIA]}")
    listed = (await client.get("/api/notifications", headers=maria)).json()
    assert listed["unread"] == 3
    assert [n["title"] for n in listed["items"]] == ["Anna Andersson: utlägg att attestera"] * 3
    assert {n["body"].split(" · ")[0] for n in listed["items"]} == {"Taxi", "Hotell", "Tåg"}


async def test_a_newer_digest_replaces_one_still_waiting_in_the_outbox(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    from tests.support.fake_push_service import Respond

    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(maria, script=[Respond(429, {"Retry-After": "7200"})])

    await submitted_claim(client, anna, title="Taxi")
    await deliver()
    clock.set(NOW + timedelta(minutes=61))
    await submitted_claim(client, anna, title="Hotell")
    await deliver()

    states = [(d.state, d.payload["title"]) for d in await deliveries(engine, category="attest_digest")]
    assert states == [("superseded", "1 ny post att attestera"), ("sent", "1 ny post att attestera")]
    assert [r.answered for r in push_service.received(phone.id)] == [429, 201]


async def test_quiet_hours_hold_the_push_but_not_the_notice_in_the_app(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(anna)
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])
    evening = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # 21:30 in Stockholm
    clock.set(evening)

    await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": "Kvitto saknas"}, headers=maria)
    await deliver()
    at_night = len(push_service.delivered(phone.id))
    in_the_app = (await client.get("/api/notifications", headers=anna)).json()
    [held] = await deliveries(engine, category="item_decided")
    clock.set(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # 07:00 in Stockholm
    await deliver()

    assert at_night == 0
    assert in_the_app["unread"] == 1
    assert in_the_app["items"][0]["body"] == "Maria Berg: Kvitto saknas"
    assert held.next_attempt_at == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert held.attempts == 0
    [push] = push_service.delivered(phone.id)
    assert push.json()["title"] == "Skickad tillbaka: Taxi"
    assert push.urgency == "high"


async def test_a_category_chosen_for_quiet_hours_is_pushed_at_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    clock: FixedClock,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(anna)
    chosen = await client.put(
        "/api/notifications/preferences",
        json={"categories": [{"category": "item_decided", "push": True, "during_quiet_hours": True}]},
        headers=anna,
    )
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])
    clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))

    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    await deliver()

    assert chosen.status_code == 200, chosen.text
    assert len(push_service.delivered(phone.id)) == 1


async def test_push_turned_off_for_a_category_sends_nothing_but_the_list_still_shows_it(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    phone = await subscribe(anna)
    await client.put(
        "/api/notifications/preferences",
        json={"categories": [{"category": "item_decided", "push": False}]},
        headers=anna,
    )
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])

    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    await deliver()

    assert push_service.received(phone.id) == []
    assert len(await notices(engine, category="item_decided")) == 1
