"""Fixtures for notifications: the local fake push service, a browser-like subscription, the worker.

The delivery task is driven directly with a ``WorkerContext`` on the test's own engine,
so a test decides when the worker runs (and what the clock says when it does).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.notices import channels
from backend.notices.delivery import deliver_notifications
from backend.storage import open_store
from backend.worker.context import WorkerContext
from notifications import RetryPolicy, WebPushSender
from tests.support.fake_push_service import FakePushService, FakeSubscription

POLICY = RetryPolicy(max_attempts=3, base_seconds=2.0, cap_seconds=60.0)


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service
        assert service.take_rejections() == [], "the app sent something a push service would refuse"


@pytest.fixture
async def worker(settings: Settings, engine: AsyncEngine, clock: FixedClock) -> AsyncIterator[WorkerContext]:
    """The worker's context with a sender that waits 3 s for an answer and retries at most 3 times.

    3 s, not less: the fake service shares this process, and on a busy CI machine an answer that
    takes over a second would be counted as a timeout and sent again, which is not what these tests
    are about.
    """
    sender = WebPushSender(
        channels.vapid_keys(settings),
        settings.vapid_subject,
        timeout_seconds=3.0,
        policy=POLICY,
        allow_http=True,
        jitter=lambda: 0.5,
    )
    ctx = WorkerContext(
        settings=settings,
        sessions=session_maker(engine),
        clock=clock,
        storage=open_store(None, settings.data_dir),
        name="test-worker",
        tools={"push_sender": sender},
    )
    yield ctx
    await sender.aclose()


Deliver = Callable[[], Awaitable[int]]


@pytest.fixture
def deliver(worker: WorkerContext) -> Deliver:
    """Run the delivery task until nothing is due (what the worker does every few seconds)."""

    async def run() -> int:
        total = 0
        while handled := await deliver_notifications(worker):
            total += handled
        return total

    return run


@dataclass
class Device:
    """A browser's subscription at the fake push service, registered with the app."""

    fake: FakeSubscription

    @property
    def id(self) -> str:
        return self.fake.id


Subscribe = Callable[..., Awaitable[Device]]


@pytest.fixture
def subscribe(client: AsyncTestClient[Litestar], push_service: FakePushService) -> Subscribe:
    async def make(headers: dict[str, str], **behaviour: Any) -> Device:
        key = (await client.get("/api/push/key", headers=headers)).json()["application_server_key"]
        fake = push_service.new_subscription(application_server_key=key, **behaviour)
        response = await client.post(
            "/api/push/subscriptions", json={**fake.to_json(), "expirationTime": None}, headers=headers
        )
        assert response.status_code == 201, response.text
        return Device(fake)

    return make


Outbox = Callable[..., Awaitable[list[Device]]]


@pytest.fixture
def outbox_of_tests(client: AsyncTestClient[Litestar], subscribe: Subscribe) -> Outbox:
    """``phones`` subscribed devices for the person, and ``rounds`` test notifications to each: an outbox to drain."""

    async def make(headers: dict[str, str], phones: int = 4, rounds: int = 6) -> list[Device]:
        devices = [await subscribe(headers) for _ in range(phones)]
        for _ in range(rounds):
            assert (await client.post("/api/notifications/test", headers=headers)).status_code == 202
        return devices

    return make
