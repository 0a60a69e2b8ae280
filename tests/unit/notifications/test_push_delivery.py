"""Web Push delivery against a local fake push service that verifies, decrypts and can misbehave."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from notifications.outcomes import Delivered, Failed, Gone, RetryLater, TooLarge
from notifications.payload import MAX_PAYLOAD_BYTES, MAX_PUSH_BODY_BYTES, PushPayload
from notifications.retry import RetryPolicy
from notifications.vapid import VapidKeys, b64url_encode
from notifications.webpush_sender import PushOptions, PushSubscription, Urgency, WebPushSender, topic_for
from tests.support.fake_push_service import FakePushService, Hang, Respond

Subscribe = Callable[..., tuple[str, PushSubscription]]
SUBJECT = "mailto:lon@example.se"  # as in conftest
TINY_POLICY = RetryPolicy(max_attempts=4, base_seconds=0.01, cap_seconds=0.05)

ATTEST = PushPayload(
    title="3 poster väntar på attest",
    body="Utlägg från Åsa Öberg och två tidrapporter. Lönekörning på fredag.",
    url="/attest?period=2026-05",
    tag="attest-digest",
    ids={"notification": "n-81", "manager": "u-12"},
)


async def test_a_push_arrives_decrypted_as_sent(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe()

    outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, Delivered)
    assert outcome.location is not None
    [received] = push_service.delivered(sub_id)
    assert received.json() == {
        "title": "3 poster väntar på attest",
        "body": "Utlägg från Åsa Öberg och två tidrapporter. Lönekörning på fredag.",
        "url": "/attest?period=2026-05",
        "tag": "attest-digest",
        "ids": {"notification": "n-81", "manager": "u-12"},
    }


async def test_vapid_token_names_the_push_service_origin_expires_within_a_day_and_gives_a_contact(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe(application_server_key=sender.application_server_key)

    await sender.send_once(subscription, ATTEST)

    [received] = push_service.received(sub_id)
    assert received.claims["aud"] == push_service.origin
    assert ":" in received.claims["aud"].removeprefix("http://"), "a non-default port belongs in aud"
    assert time.time() < received.claims["exp"] <= time.time() + 24 * 60 * 60
    assert received.claims["sub"] == SUBJECT


async def test_a_message_signed_with_another_vapid_key_is_refused(
    vapid_keys: VapidKeys, push_service: FakePushService, subscribe: Subscribe
) -> None:
    _, subscription = subscribe(application_server_key=VapidKeys.generate().application_server_key)

    async with WebPushSender(vapid_keys, SUBJECT, allow_http=True) as sender:
        outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, Failed)
    assert outcome.status == 403
    assert push_service.take_rejections() == ["VAPID key differs from the subscription's applicationServerKey"]


async def test_ttl_urgency_and_topic_arrive_as_set(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe()
    topic = topic_for("attest-digest:u-12")

    await sender.send_once(subscription, ATTEST, PushOptions(ttl=3600, urgency=Urgency.HIGH, topic=topic))
    await sender.send_once(subscription, ATTEST, PushOptions(ttl=600, urgency=Urgency.VERY_LOW))

    first, second = push_service.received(sub_id)
    assert (first.ttl, first.urgency, first.topic) == (3600, "high", topic)
    assert (second.ttl, second.urgency, second.topic) == (600, "very-low", None)


async def test_sends_with_different_ttls_keep_their_own_ttl(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    """webpush 1.0.6 overwrites its instance's TTL when given one per call; ours must not leak."""
    sub_id, subscription = subscribe()

    for ttl in (60, 86_400, 0, 60):
        await sender.send_once(subscription, ATTEST, PushOptions(ttl=ttl))

    assert [r.ttl for r in push_service.received(sub_id)] == [60, 86_400, 0, 60]


def test_topic_must_be_short_and_url_safe() -> None:
    with pytest.raises(ValueError, match="topic"):
        PushOptions(topic="attest digest")
    with pytest.raises(ValueError, match="topic"):
        PushOptions(topic="a" * 33)
    assert len(topic_for("any key at all, even with spaces and å")) == 32


@pytest.mark.parametrize("status", [404, 410])
async def test_an_expired_subscription_is_gone(sender: WebPushSender, subscribe: Subscribe, status: int) -> None:
    _, subscription = subscribe(default=Respond(status))

    outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, Gone)
    assert outcome.status == status


async def test_too_many_requests_with_retry_after_seconds_waits_that_long(
    sender: WebPushSender, subscribe: Subscribe
) -> None:
    _, subscription = subscribe(script=[Respond(429, {"Retry-After": "7"})])

    outcome = await sender.send_once(subscription, ATTEST)

    assert outcome == RetryLater(after_seconds=7.0, reason="HTTP 429", status=429)


async def test_too_many_requests_with_retry_after_date_waits_until_then(
    sender: WebPushSender, subscribe: Subscribe
) -> None:
    then = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=120)
    _, subscription = subscribe(script=[Respond(429, {"Retry-After": format_datetime(then, usegmt=True)})])

    outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, RetryLater)
    assert 100 < outcome.after_seconds <= 120


async def test_server_errors_twice_then_accepted_is_delivered_after_backoff(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe(script=[Respond(500), Respond(503)])
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    outcome = await sender.send_with_retries(subscription, ATTEST, sleep=sleep)

    assert isinstance(outcome, Delivered)
    assert [r.answered for r in push_service.received(sub_id)] == [500, 503, 201]
    # jitter pinned at 0.5: half of base * 2^(attempt-1)
    assert waits == [pytest.approx(0.005), pytest.approx(0.01)]


async def test_server_errors_until_attempts_run_out_fail(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe(default=Respond(502))

    outcome = await sender.send_with_retries(subscription, ATTEST)

    assert isinstance(outcome, Failed)
    assert outcome.status == 502
    assert len(push_service.received(sub_id)) == TINY_POLICY.max_attempts


async def test_the_last_allowed_attempt_does_not_ask_for_another(sender: WebPushSender, subscribe: Subscribe) -> None:
    _, subscription = subscribe(default=Respond(500))
    last_attempt = TINY_POLICY.max_attempts
    assert last_attempt is not None  # a delivery's policy gives up

    early = await sender.send_once(subscription, ATTEST, attempt=1)
    last = await sender.send_once(subscription, ATTEST, attempt=last_attempt)

    assert isinstance(early, RetryLater)
    assert isinstance(last, Failed)


async def test_a_push_service_that_never_answers_times_out_and_is_retried_later(
    vapid_keys: VapidKeys, push_service: FakePushService, subscribe: Subscribe
) -> None:
    _, subscription = subscribe(script=[Hang()])

    async with WebPushSender(vapid_keys, SUBJECT, timeout_seconds=0.2, policy=TINY_POLICY, allow_http=True) as sender:
        outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, RetryLater)
    assert outcome.reason == "no answer within 0.2 s"


async def test_an_unreachable_push_service_is_retried_later(sender: WebPushSender) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscription = PushSubscription(f"http://127.0.0.1:{port}/push/x", *_browser_keys())

    outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, RetryLater)
    assert outcome.reason.startswith("transport error")


async def test_payload_too_large_for_the_service_is_shrunk_and_sent_again(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe(max_body_bytes=400)
    payload = PushPayload(title="Utlägg returnerat", body="Kvittot saknas. " * 40, url="/expenses/e-9")

    outcome = await sender.send_once(subscription, payload)

    assert isinstance(outcome, Delivered)
    assert outcome.shrunk
    first, second = push_service.received(sub_id)
    assert first.answered == 413
    assert second.json() == {"title": "Utlägg returnerat", "url": "/expenses/e-9"}


async def test_payload_the_service_never_accepts_is_too_large(sender: WebPushSender, subscribe: Subscribe) -> None:
    _, subscription = subscribe(default=Respond(413))

    outcome = await sender.send_once(subscription, PushPayload(title="Lönebesked", body="x" * 100))

    assert isinstance(outcome, TooLarge)


async def test_a_push_body_never_exceeds_4096_bytes(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    sub_id, subscription = subscribe()
    huge = PushPayload(title="Å" * 5000, body="ö" * 5000, url="/payslips/2026-05")

    outcome = await sender.send_once(subscription, huge)

    assert isinstance(outcome, Delivered)
    [received] = push_service.delivered(sub_id)
    assert received.body_size <= MAX_PUSH_BODY_BYTES
    assert received.plaintext is not None
    assert len(received.plaintext) <= MAX_PAYLOAD_BYTES
    assert json.loads(received.plaintext)["title"].endswith("…")


async def test_a_refused_request_fails_without_retry(sender: WebPushSender, subscribe: Subscribe) -> None:
    _, subscription = subscribe(default=Respond(400))

    outcome = await sender.send_once(subscription, ATTEST)

    assert isinstance(outcome, Failed)
    assert outcome.status == 400


async def test_a_subscription_with_broken_keys_is_gone(sender: WebPushSender, push_service: FakePushService) -> None:
    broken = PushSubscription(f"{push_service.origin}/push/x", p256dh="bm90IGEga2V5", auth="c2VjcmV0")

    outcome = await sender.send_once(broken, ATTEST)

    assert isinstance(outcome, Gone)
    assert outcome.status is None


async def test_plain_http_endpoints_are_refused_unless_allowed(vapid_keys: VapidKeys) -> None:
    async with WebPushSender(vapid_keys, SUBJECT) as sender:
        outcome = await sender.send_once(PushSubscription("http://10.0.0.1/push/x", *_browser_keys()), ATTEST)

    assert outcome == Gone(status=None, reason="push endpoint scheme 'http' not allowed")


async def test_a_fan_out_reports_each_outcome_in_order(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    subscriptions = [subscribe()[1], subscribe(default=Respond(410))[1], subscribe()[1]]

    outcomes = await sender.send_many([(s, ATTEST, None) for s in subscriptions], concurrency=2)

    assert [type(o) for o in outcomes] == [Delivered, Gone, Delivered]


async def test_one_vapid_token_serves_many_messages_to_the_same_push_service(
    sender: WebPushSender, push_service: FakePushService, subscribe: Subscribe
) -> None:
    first_id, first = subscribe()
    second_id, second = subscribe()

    await sender.send_once(first, ATTEST)
    await sender.send_once(second, ATTEST)

    assert push_service.received(first_id)[0].claims == push_service.received(second_id)[0].claims


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def _browser_keys() -> tuple[str, str]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url_encode(point), b64url_encode(b"0123456789abcdef")
