"""The fake push service also speaks HTTP/2 (as real push services do), and the sender can use it."""

from __future__ import annotations

import httpx

from notifications.outcomes import Delivered
from notifications.payload import PushPayload
from notifications.vapid import VapidKeys
from notifications.webpush_sender import PushSubscription, WebPushSender
from tests.support.fake_push_service import FakePushService

SUBJECT = "mailto:lon@example.se"


async def test_pushes_over_one_http2_connection_arrive_decrypted(vapid_keys: VapidKeys) -> None:
    with FakePushService() as service:
        browsers = [
            service.new_subscription(application_server_key=vapid_keys.application_server_key) for _ in range(5)
        ]
        client = httpx.AsyncClient(http1=False, http2=True, timeout=5)
        async with WebPushSender(vapid_keys, SUBJECT, allow_http=True, client=client) as sender:
            outcomes = await sender.send_many(
                [
                    (PushSubscription(b.endpoint, b.p256dh, b.auth), PushPayload(title=f"Notis {n}", url="/"), None)
                    for n, b in enumerate(browsers)
                ]
            )
        await client.aclose()

        assert all(isinstance(o, Delivered) for o in outcomes), outcomes
        assert [service.delivered(b.id)[0].json()["title"] for b in browsers] == [f"Notis {n}" for n in range(5)]
        assert service.stats()["http2_connections"] == 1
        assert service.take_rejections() == []
