"""Web Push delivery: encrypt with the ``webpush`` library, POST with httpx, judge the answer.

``WebPush.get()`` in webpush 1.0.6 overwrites the instance's ``ttl``,
``subscriber`` and ``expiration`` when they are passed per call (and ignores a
per-call ``ttl`` of 0). So per-call values are never passed: one ``WebPush``
is built per TTL, with the TTL and subscriber fixed at construction, and
shared. Its VAPID signer is replaced by ``VapidSigner`` (see ``vapid.py``),
which reuses one token per push service instead of signing every message.
Urgency and Topic (RFC 8030 sections 5.3 and 5.4) are added here; the
library does not know them.

``send_once`` makes one attempt and says what to do next, for the outbox
worker that persists attempts; ``send_with_retries`` loops for simple callers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import re
import threading
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx
from webpush import WebPush, WebPushSubscription

from notifications.outcomes import Delivered, Failed, Gone, Outcome, RetryLater, TooLarge
from notifications.payload import MAX_PAYLOAD_BYTES, PushPayload
from notifications.push_transport import PushTransport
from notifications.retry import RetryPolicy, parse_retry_after, retry_delay
from notifications.vapid import VapidKeys, VapidSigner

MAX_TTL_SECONDS = 28 * 24 * 60 * 60
"""Four weeks: the longest TTL the big push services keep a message."""

MAX_SHRINKS_ON_413 = 3
_MAX_CACHED_TTLS = 64

_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Urgency(StrEnum):
    """RFC 8030 section 5.3: lets a device on battery hold back what can wait."""

    VERY_LOW = "very-low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


@dataclass(frozen=True)
class PushOptions:
    """Per-message delivery headers.

    ``topic`` makes the push service replace a still-undelivered message with
    the same topic (one pending "items to attest" per user, not five).
    """

    ttl: int = 24 * 60 * 60
    urgency: Urgency = Urgency.NORMAL
    topic: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.ttl <= MAX_TTL_SECONDS:
            msg = f"ttl must be between 0 and {MAX_TTL_SECONDS} seconds"
            raise ValueError(msg)
        if self.topic is not None and not _TOPIC.fullmatch(self.topic):
            msg = "topic must be 1-32 characters of the URL-safe base64 alphabet"
            raise ValueError(msg)


def topic_for(key: str) -> str:
    """A valid Topic for any key (e.g. ``f"attest-digest:{user_id}"``): base64url SHA-256, 32 chars."""
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest()).decode("ascii")[:32]


@dataclass(frozen=True)
class PushSubscription:
    """What the browser's ``PushSubscription.toJSON()`` gave: endpoint and the two keys."""

    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PreparedPush:
    """An encrypted message ready to POST."""

    url: str
    headers: dict[str, str]
    body: bytes


class InvalidSubscriptionError(ValueError):
    """The subscription can never receive a message (bad endpoint or keys)."""


class _CachedVapid:
    """Stands in for the library's ``VAPID`` object, which ``WebPush.get()`` asks for the header."""

    def __init__(self, signer: VapidSigner) -> None:
        self._signer = signer

    def get_authorization_header(self, endpoint: object, subscriber: object, expiration: object) -> str:
        return self._signer.authorization(str(endpoint))


class WebPushSender:
    """Sends encrypted push messages through one shared httpx transport (``PushTransport`` by default).

    At most ``max_connections`` requests are in flight; a request waits for a
    slot before its ``timeout_seconds`` deadline starts, so a large fan-out
    does not time out in the queue.
    """

    def __init__(
        self,
        keys: VapidKeys,
        subject: str,
        *,
        timeout_seconds: float = 10.0,
        policy: RetryPolicy | None = None,
        max_connections: int = 32,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_http: bool = False,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """``subject``: ``mailto:`` or ``https:`` contact for push services (RFC 8292).

        ``allow_http``: accept ``http://`` endpoints (tests); real push services
        are all HTTPS, and refusing others keeps a forged subscription from
        making the server POST to an internal address over plain HTTP.
        ``jitter`` draws the uniform number for backoff (tests pin it).
        ``client`` (e.g. HTTP/2) or ``transport`` replace the default ``PushTransport``;
        the sender closes a transport it was given, not a client.
        """
        if timeout_seconds <= 0:
            msg = "timeout_seconds must be positive"
            raise ValueError(msg)
        self._keys = keys
        self._signer = VapidSigner(keys, subject)
        self._timeout = timeout_seconds
        self._policy = policy or RetryPolicy()
        self._jitter = jitter
        self._schemes = ("https", "http") if allow_http else ("https",)
        self._slots = asyncio.Semaphore(max_connections)
        # Without a client of the caller's, requests go straight to a lean HTTP/1.1 transport
        # (``push_transport.py``): httpx's client layer (cookies, auth, redirects) and its
        # default transport (httpcore on anyio) cost ~1 ms of CPU per push here, most of a
        # push's cost, and a push service needs none of it (bench/results/push_fanout.json).
        self._client = client
        self._transport: httpx.AsyncBaseTransport | None = None
        if client is None:
            self._transport = transport or PushTransport(max_connections=max_connections)
        self._timeouts = dict.fromkeys(("connect", "read", "write", "pool"), timeout_seconds)
        self._by_ttl: dict[int, Any] = {}
        self._lock = threading.Lock()

    @property
    def policy(self) -> RetryPolicy:
        return self._policy

    @property
    def application_server_key(self) -> str:
        return self._keys.application_server_key

    async def __aenter__(self) -> WebPushSender:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()

    async def _post(self, prepared: PreparedPush) -> httpx.Response:
        if self._client is not None:
            return await self._client.post(prepared.url, content=prepared.body, headers=prepared.headers)
        assert self._transport is not None
        request = httpx.Request(
            "POST",
            prepared.url,
            content=prepared.body,
            headers=prepared.headers,
            extensions={"timeout": self._timeouts},
        )
        response = await self._transport.handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    def _webpush(self, ttl: int) -> Any:
        """The shared ``WebPush`` for one TTL, built with TTL and subscriber fixed (never passed per call)."""
        with self._lock:
            instance = self._by_ttl.get(ttl)
            if instance is None:
                instance = WebPush(
                    private_key=self._keys.private_pem(),
                    public_key=self._keys.public_pem(),
                    subscriber=self._signer.subject,
                    ttl=ttl,
                )
                instance.vapid = _CachedVapid(self._signer)
                if len(self._by_ttl) >= _MAX_CACHED_TTLS:  # callers computing TTLs from deadlines
                    self._by_ttl.clear()
                self._by_ttl[ttl] = instance
            return instance

    def prepare(self, subscription: PushSubscription, payload: PushPayload, options: PushOptions) -> PreparedPush:
        """Encrypt ``payload`` for ``subscription`` (aes128gcm, RFC 8291) and build the headers."""
        scheme = urlsplit(subscription.endpoint).scheme.lower()
        if scheme not in self._schemes:
            msg = f"push endpoint scheme {scheme!r} not allowed"
            raise InvalidSubscriptionError(msg)
        try:
            target = WebPushSubscription.model_validate(
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                }
            )
            message = self._webpush(options.ttl).get(payload.encoded(), target)
        except ValueError as exc:  # pydantic's ValidationError and a p256dh off the curve
            msg = f"invalid subscription: {exc.__class__.__name__}"
            raise InvalidSubscriptionError(msg) from exc
        headers = {str(name): str(value) for name, value in message.headers.items()}
        headers["urgency"] = options.urgency.value
        headers["content-type"] = "application/octet-stream"
        if options.topic is not None:
            headers["topic"] = options.topic
        return PreparedPush(url=subscription.endpoint, headers=headers, body=bytes(message.encrypted))

    async def send_once(
        self,
        subscription: PushSubscription,
        payload: PushPayload,
        options: PushOptions | None = None,
        *,
        attempt: int = 1,
    ) -> Outcome:
        """One delivery attempt (number ``attempt``, from 1); never raises for delivery problems.

        A 413 is answered within the attempt by shrinking the payload and
        sending again. ``RetryLater`` carries the delay the policy allows; once
        ``attempt`` reaches ``policy.max_attempts`` a transient failure is ``Failed``.
        """
        options = options or PushOptions()
        fitted = payload.shrink_to(MAX_PAYLOAD_BYTES)
        if fitted is None:
            return TooLarge(size=len(payload.encoded()))
        async with self._slots:
            for _ in range(MAX_SHRINKS_ON_413 + 1):
                try:
                    prepared = self.prepare(subscription, fitted, options)
                except InvalidSubscriptionError as exc:
                    return Gone(status=None, reason=str(exc))
                try:
                    async with asyncio.timeout(self._timeout):
                        response = await self._post(prepared)
                except (TimeoutError, httpx.TimeoutException):
                    return self._transient(attempt, f"no answer within {self._timeout:g} s", None, None)
                except httpx.TransportError as exc:
                    return self._transient(attempt, f"transport error: {exc.__class__.__name__}", None, None)
                except httpx.InvalidURL as exc:
                    return Gone(status=None, reason=f"invalid subscription: {exc}")
                status = response.status_code
                if status == 413:
                    size = len(fitted.encoded())
                    smaller = fitted.shrink_to(size // 2)
                    if smaller is None:
                        return TooLarge(size=size)
                    fitted = smaller
                    continue
                return self._judge(response, attempt, shrunk=fitted is not payload)
            return TooLarge(size=len(fitted.encoded()))

    def _judge(self, response: httpx.Response, attempt: int, *, shrunk: bool) -> Outcome:
        status = response.status_code
        if 200 <= status < 300:
            return Delivered(status=status, shrunk=shrunk, location=response.headers.get("location"))
        if status in (404, 410):
            return Gone(status=status, reason="subscription expired or unsubscribed")
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
            return self._transient(attempt, f"HTTP {status}", status, retry_after)
        return Failed(reason=f"HTTP {status}: {response.text[:200]}", status=status)

    def _transient(self, attempt: int, reason: str, status: int | None, retry_after: float | None) -> Outcome:
        delay = retry_delay(self._policy, attempt, u=self._jitter(), retry_after=retry_after)
        if delay is None:
            return Failed(reason=f"{reason}; gave up after {attempt} attempts", status=status)
        return RetryLater(after_seconds=delay, reason=reason, status=status)

    async def send_with_retries(
        self,
        subscription: PushSubscription,
        payload: PushPayload,
        options: PushOptions | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> Outcome:
        """Attempts until the result is final, waiting in-process between them (never ``RetryLater``)."""
        attempt = 1
        while True:
            outcome = await self.send_once(subscription, payload, options, attempt=attempt)
            if not isinstance(outcome, RetryLater):
                return outcome
            await sleep(outcome.after_seconds)
            attempt += 1

    async def send_many(
        self,
        messages: Iterable[tuple[PushSubscription, PushPayload, PushOptions | None]],
        *,
        concurrency: int = 64,
    ) -> Sequence[Outcome]:
        """One attempt for each message, ``concurrency`` at a time; outcomes in the messages' order."""
        queue = list(enumerate(messages))
        outcomes: list[Outcome | None] = [None] * len(queue)
        queue.reverse()

        async def worker() -> None:
            while queue:
                index, (subscription, payload, options) = queue.pop()
                outcomes[index] = await self.send_once(subscription, payload, options)

        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, len(queue))):
                group.create_task(worker())
        return [outcome for outcome in outcomes if outcome is not None]
