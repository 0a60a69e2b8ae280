"""Every recorded push outcome moves notification_deliveries_total for its channel and outcome."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.notices.conftest import Deliver, Subscribe
from tests.support.fake_push_service import FakePushService, Respond
from tests.support.metrics import Samples, scrape, value

pytestmark = pytest.mark.clockless

OUTCOMES = ("delivered", "retry", "gone", "failed")


def counts(samples: Samples) -> dict[str, float]:
    return {o: value(samples, "notification_deliveries_total", channel="push", outcome=o) for o in OUTCOMES}


async def test_delivered_retried_and_gone_pushes_are_counted_by_outcome(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
) -> None:
    anna = as_role["employee"]
    await subscribe(anna)
    await subscribe(anna, default=Respond(410))
    await subscribe(anna, script=[Respond(429, {"Retry-After": "3600"})])
    before = counts(await scrape(client))

    response = await client.post("/api/notifications/test", headers=anna)
    assert response.status_code == 202, response.text
    await deliver()

    after = counts(await scrape(client))
    assert {o: after[o] - before[o] for o in OUTCOMES} == {"delivered": 1, "retry": 1, "gone": 1, "failed": 0}
