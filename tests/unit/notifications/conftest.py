"""Fixtures for the notification specifications: a VAPID key pair, a fake push service, a sender.

The fake push service listens on 127.0.0.1 only; nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from notifications.retry import RetryPolicy
from notifications.vapid import VapidKeys
from notifications.webpush_sender import PushSubscription, WebPushSender
from tests.support.fake_push_service import FakePushService

TINY_POLICY = RetryPolicy(max_attempts=4, base_seconds=0.01, cap_seconds=0.05)  # as in test_push_delivery.py
SUBJECT = "mailto:lon@example.se"


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return VapidKeys.generate()


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service
        assert service.take_rejections() == [], "the sender sent something a push service would refuse"


@pytest.fixture(params=["push_transport", "httpx_default"])
async def sender(
    vapid_keys: VapidKeys, push_service: FakePushService, request: pytest.FixtureRequest
) -> AsyncIterator[WebPushSender]:
    """Every sender specification holds over the lean transport the sender uses and over httpx's own."""
    transport = httpx.AsyncHTTPTransport() if request.param == "httpx_default" else None
    async with WebPushSender(
        vapid_keys,
        SUBJECT,
        timeout_seconds=2.0,
        policy=TINY_POLICY,
        allow_http=True,
        jitter=lambda: 0.5,
        transport=transport,
    ) as sender:
        yield sender


Subscribe = Callable[..., tuple[str, PushSubscription]]


@pytest.fixture
def subscribe(push_service: FakePushService) -> Subscribe:
    """Subscribe like a browser; returns the fake service's id and what the backend would store."""

    def make(**behaviour: Any) -> tuple[str, PushSubscription]:
        browser = push_service.new_subscription(**behaviour).to_json()  # PushSubscription.toJSON()
        stored = PushSubscription(browser["endpoint"], browser["keys"]["p256dh"], browser["keys"]["auth"])
        return browser["endpoint"].rsplit("/", 1)[1], stored

    return make
