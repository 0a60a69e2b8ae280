"""What the worker does with each answer a push service can give, against the same strict fake service."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from tests.conftest import NOW
from tests.integration.notices.conftest import Deliver, Subscribe
from tests.integration.notices.helpers import deliveries, devices, notices
from tests.support.fake_push_service import FakePushService, Hang, Respond
from tests.support.flows import inbox_item_for, submitted_claim


async def _test_push(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> None:
    response = await client.post("/api/notifications/test", headers=headers)
    assert response.status_code == 202, response.text


async def test_a_gone_subscription_404_or_410_is_deleted_and_not_tried_again(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
) -> None:
    anna = as_role["employee"]
    expired = await subscribe(anna, default=Respond(410))
    unknown = await subscribe(anna, default=Respond(404))
    working = await subscribe(anna)

    await _test_push(client, anna)
    await deliver()
    await _test_push(client, anna)
    await deliver()

    assert [d.endpoint for d in await devices(engine)] == [working.fake.endpoint]
    assert [r.answered for r in push_service.received(expired.id)] == [410]
    assert [r.answered for r in push_service.received(unknown.id)] == [404]
    assert len(push_service.delivered(working.id)) == 2
    states = sorted(d.state for d in await deliveries(engine))
    assert states == ["gone", "gone", "sent", "sent"]


async def test_429_is_tried_again_after_retry_after(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna, script=[Respond(429, {"Retry-After": "120"})])

    await _test_push(client, anna)
    await deliver()
    [waiting] = await deliveries(engine)
    clock.set(NOW + timedelta(seconds=119))
    await deliver()
    too_early = [r.answered for r in push_service.received(phone.id)]
    clock.set(NOW + timedelta(seconds=120))
    await deliver()

    assert waiting.state == "pending"
    assert waiting.attempts == 1
    assert waiting.last_status == 429
    assert waiting.next_attempt_at == NOW + timedelta(seconds=120)
    assert too_early == [429]
    assert [r.answered for r in push_service.received(phone.id)] == [429, 201]
    assert [d.state for d in await deliveries(engine)] == ["sent"]


async def test_a_500_is_retried_with_backoff_and_then_delivered(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna, script=[Respond(500)])

    await _test_push(client, anna)
    await deliver()
    [retrying] = await deliveries(engine)
    clock.set(retrying.next_attempt_at)
    await deliver()

    # Full jitter with the draw pinned at 0.5: half of base 2 s after the first failure.
    assert retrying.next_attempt_at == NOW + timedelta(seconds=1)
    assert retrying.last_error == "HTTP 500"
    assert [r.answered for r in push_service.received(phone.id)] == [500, 201]
    [sent] = await deliveries(engine)
    assert (sent.state, sent.attempts) == ("sent", 2)


async def test_after_the_bound_of_attempts_the_delivery_is_given_up_and_recorded(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna, default=Respond(503))

    await _test_push(client, anna)
    for minute in range(1, 6):
        await deliver()
        clock.set(NOW + timedelta(minutes=minute))

    assert [r.answered for r in push_service.received(phone.id)] == [503, 503, 503]
    [failed] = await deliveries(engine)
    assert failed.state == "failed"
    assert failed.attempts == 3
    assert failed.last_error == "HTTP 503; gave up after 3 attempts"


async def test_a_hanging_push_service_times_out_and_the_message_goes_out_later(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna, script=[Hang()])

    await _test_push(client, anna)
    await deliver()
    [waiting] = await deliveries(engine)
    clock.set(waiting.next_attempt_at)
    await deliver()

    assert waiting.state == "pending"
    assert waiting.last_error == "no answer within 3 s"
    assert len(push_service.delivered(phone.id)) == 1
    assert [d.state for d in await deliveries(engine)] == ["sent"]


async def test_413_shrinks_the_message_until_the_push_service_takes_it(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    small = await subscribe(anna, max_body_bytes=600)
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])
    reason = "Kvittot saknar moms och datum. " * 30

    await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": reason[:900]}, headers=maria)
    await deliver()

    [refused, received] = push_service.received(small.id)
    assert (refused.answered, received.answered) == (413, 201)
    assert received.body_size <= 600
    assert received.json()["title"] == "Skickad tillbaka: Taxi"
    assert "body" not in received.json(), "the body goes first; the reason is still in the app"
    [notice] = await notices(engine, category="item_decided")
    assert notice.body_sv.startswith("Maria Berg: Kvittot saknar moms")
