"""The fake push service refuses what a real one would, so the delivery specifications can fail."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from notifications.payload import PushPayload
from notifications.vapid import VapidKeys, VapidSigner, origin_of
from notifications.webpush_sender import PushOptions, PushSubscription, WebPushSender
from tests.support.fake_push_service import FakePushService

Subscribe = Callable[..., tuple[str, PushSubscription]]
PAYLOAD = PushPayload(title="Lönebesked", url="/payslips")


async def post(prepared_url: str, headers: dict[str, str], body: bytes) -> int:
    async with httpx.AsyncClient() as client:
        return (await client.post(prepared_url, headers=headers, content=body)).status_code


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda h, origin: {**h, "ttl": "soon"}, "TTL header"),
        (lambda h, origin: {k: v for k, v in h.items() if k != "ttl"}, "TTL header"),
        (lambda h, origin: {**h, "content-encoding": "aesgcm"}, "Content-Encoding"),
        (lambda h, origin: {**h, "urgency": "urgent"}, "Urgency"),
        (lambda h, origin: {**h, "topic": "no spaces please"}, "Topic"),
        (lambda h, origin: {k: v for k, v in h.items() if k != "authorization"}, "missing Authorization"),
    ],
)
async def test_bad_headers_are_refused(
    sender: WebPushSender,
    push_service: FakePushService,
    subscribe: Subscribe,
    tamper: Callable[..., dict[str, str]],
    reason: str,
) -> None:
    _, subscription = subscribe()
    prepared = sender.prepare(subscription, PAYLOAD, PushOptions())

    status = await post(prepared.url, tamper(prepared.headers, push_service.origin), prepared.body)

    assert status in (400, 401)
    [rejection] = push_service.take_rejections()
    assert reason in rejection


@pytest.mark.parametrize(
    ("audience", "lifetime", "subject", "reason"),
    [
        ("https://fcm.googleapis.com/x", 3600, "mailto:lon@example.se", "aud"),
        (None, 25 * 3600, "mailto:lon@example.se", "24 hours"),
        (None, -60, "mailto:lon@example.se", "future"),
        (None, 3600, "lon@example.se", "sub"),
    ],
)
async def test_vapid_tokens_with_bad_claims_are_refused(
    sender: WebPushSender,
    vapid_keys: VapidKeys,
    push_service: FakePushService,
    subscribe: Subscribe,
    audience: str | None,
    lifetime: int,
    subject: str,
    reason: str,
) -> None:
    _, subscription = subscribe()
    prepared = sender.prepare(subscription, PAYLOAD, PushOptions())
    signer = VapidSigner(vapid_keys, "mailto:lon@example.se")
    signer._subject = subject  # bypass the sender's own checks to forge a bad token
    token = signer._token(origin_of(audience or subscription.endpoint), int(time.time()) + lifetime)
    headers = {**prepared.headers, "authorization": f"vapid t={token}, k={vapid_keys.application_server_key}"}

    assert await post(prepared.url, headers, prepared.body) == 401
    [rejection] = push_service.take_rejections()
    assert reason in rejection


async def test_a_token_signed_by_another_key_is_refused(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe, vapid_keys: VapidKeys
) -> None:
    _, subscription = subscribe()
    prepared = sender.prepare(subscription, PAYLOAD, PushOptions())
    forged = VapidSigner(VapidKeys.generate(), "mailto:lon@example.se").authorization(subscription.endpoint)
    token = forged.removeprefix("vapid t=").split(",")[0]
    headers = {**prepared.headers, "authorization": f"vapid t={token}, k={vapid_keys.application_server_key}"}

    assert await post(prepared.url, headers, prepared.body) == 401
    [rejection] = push_service.take_rejections()
    assert "does not verify" in rejection


async def test_a_body_encrypted_for_someone_else_is_refused(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    _, ours = subscribe()
    _, theirs = subscribe()
    prepared = sender.prepare(theirs, PAYLOAD, PushOptions())

    assert await post(ours.endpoint, prepared.headers, prepared.body) == 400
    [rejection] = push_service.take_rejections()
    assert "does not decrypt" in rejection


async def test_a_body_over_4096_bytes_is_too_large(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    _, subscription = subscribe()
    prepared = sender.prepare(subscription, PAYLOAD, PushOptions())

    assert await post(prepared.url, prepared.headers, prepared.body + b"\0" * 4096) == 413
