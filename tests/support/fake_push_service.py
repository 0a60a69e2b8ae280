"""A local stand-in for a Web Push service (RFC 8030), strict about what it accepts.

It creates subscriptions the way a browser does (P-256 key pair + 16-byte auth
secret; it keeps the private key), and for each ``POST /push/<id>``:

- verifies ``Authorization: vapid t=<JWT>, k=<key>`` (RFC 8292) with PyJWT, an
  implementation independent of the sender's: ES256 signature against ``k``,
  ``aud`` equal to this service's origin, ``exp`` in the future and at most
  24 h ahead, ``sub`` a ``mailto:`` or ``https:`` URL;
- checks ``TTL`` and ``Content-Encoding: aes128gcm``, validates and records
  ``Urgency`` and ``Topic``, refuses bodies over 4096 bytes with 413;
- decrypts the body with ``http_ece`` (again independent of the sender) and
  keeps the plaintext per subscription.

Each subscription can be scripted: a list of behaviours used for the next
requests (``Respond(500)``, ``Respond(429, {"Retry-After": "3"})``, ``Hang()``),
then a default (``Respond(201)``; ``Respond(410)`` for a gone subscription). With
``respond_after`` every accepted push is kept at once and answered that many seconds later,
like a slow service: a sender killed meanwhile has sent messages it never learns about.

Run it in a thread for tests (``with FakePushService() as service:``), or as
a separate process for the benchmark::

    python -m tests.support.fake_push_service --bench --decrypt-every 100

which prints ``PORT <n>`` when it listens and serves ``/_control/...`` for
creating subscriptions and reading counters. In bench mode it decrypts only
every Nth message and verifies each distinct token's signature once (the
claims are still checked on every request); tests verify and decrypt all.

It speaks HTTP/1.1 and, like the real push services, HTTP/2: a connection that
opens with the HTTP/2 preface (cleartext "prior knowledge", as a sender talks
to ``http://`` endpoints with ``http2_prior_knowledge``) is served by the
``h2`` state machine, many streams at once on one connection.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

MAX_BODY_BYTES = 4096
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URGENCIES = {"very-low", "low", "normal", "high"}
_H2_PREFACE_HEAD = b"PRI * HTTP/2.0\r\n\r\n"
_H2_PREFACE_TAIL = b"SM\r\n\r\n"
_VAPID = re.compile(r"vapid\s+t=([^,\s]+)\s*,\s*k=([A-Za-z0-9_-]+)\s*$", re.IGNORECASE)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Respond:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hang:
    """Read the request and never answer (until the service stops)."""


Behaviour = Respond | Hang


@dataclass(frozen=True)
class FakeSubscription:
    """What the browser would hand the application: endpoint and public keys."""

    id: str
    endpoint: str
    p256dh: str
    auth: str

    def to_json(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass(frozen=True)
class ReceivedPush:
    """A request that passed validation, and what the service answered."""

    subscription_id: str
    answered: int
    ttl: int
    urgency: str | None
    topic: str | None
    claims: dict[str, Any]
    body_size: int
    plaintext: bytes | None
    """Decrypted payload (``None`` when not sampled in bench mode or not delivered)."""

    def json(self) -> Any:
        assert self.plaintext is not None
        return json.loads(self.plaintext)


@dataclass
class _Subscription:
    public: FakeSubscription
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    script: list[Behaviour]
    default: Behaviour
    max_body_bytes: int
    application_server_key: str | None


class _Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class FakePushService:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        decrypt_every: int = 1,
        cache_verified_tokens: bool = False,
        keep_records: bool = True,
        respond_after: float = 0.0,
    ) -> None:
        self._host = host
        self._respond_after = respond_after
        self._requested_port = port
        self._decrypt_every = decrypt_every
        self._cache_tokens = cache_verified_tokens
        self._keep_records = keep_records
        self._subscriptions: dict[str, _Subscription] = {}
        self._records: dict[str, list[ReceivedPush]] = {}
        self._rejections: list[str] = []
        self._verified_tokens: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._counters = {
            "requests": 0,
            "delivered": 0,
            "decrypted": 0,
            "signatures_verified": 0,
            "http2_connections": 0,
            "http1_connections": 0,
        }
        self._socket: socket.socket | None = None
        self._origin: str | None = None
        self._server: asyncio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- addresses -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._socket is not None, "not started"
        return int(self._socket.getsockname()[1])

    @property
    def origin(self) -> str:
        if self._origin is None:  # asked on every request: the port is fixed once bound
            self._origin = f"http://{self._host}:{self.port}"
        return self._origin

    # -- subscriptions and scripts -------------------------------------------------------------

    def new_subscription(
        self,
        *,
        script: Sequence[Behaviour] = (),
        default: Behaviour | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        application_server_key: str | None = None,
    ) -> FakeSubscription:
        """Subscribe like a browser: a fresh P-256 key pair and auth secret; the private half stays here.

        ``application_server_key``: when given, messages signed with another VAPID key get 403.
        """
        key = ec.generate_private_key(ec.SECP256R1())
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        auth = os.urandom(16)
        sub_id = secrets.token_urlsafe(16)
        public = FakeSubscription(
            id=sub_id, endpoint=f"{self.origin}/push/{sub_id}", p256dh=_b64url(point), auth=_b64url(auth)
        )
        with self._lock:
            self._subscriptions[sub_id] = _Subscription(
                public=public,
                private_key=key,
                auth_secret=auth,
                script=list(script),
                default=default or Respond(201),
                max_body_bytes=max_body_bytes,
                application_server_key=application_server_key,
            )
            self._records[sub_id] = []
        return public

    def program(self, subscription_id: str, script: Sequence[Behaviour], default: Behaviour | None = None) -> None:
        with self._lock:
            sub = self._subscriptions[subscription_id]
            sub.script = list(script)
            if default is not None:
                sub.default = default

    def received(self, subscription_id: str) -> list[ReceivedPush]:
        """Every validated request to this subscription, in order."""
        with self._lock:
            return list(self._records[subscription_id])

    def delivered(self, subscription_id: str) -> list[ReceivedPush]:
        return [r for r in self.received(subscription_id) if 200 <= r.answered < 300]

    @property
    def rejections(self) -> list[str]:
        """Why requests failed validation (bad VAPID, headers): a correct sender leaves this empty."""
        with self._lock:
            return list(self._rejections)

    def take_rejections(self) -> list[str]:
        """The rejections so far, forgotten once taken (for a test that expects some)."""
        with self._lock:
            taken, self._rejections = self._rejections, []
        return taken

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {**self._counters, "rejected": len(self._rejections), "rejections": self._rejections[:10]}

    # -- validation ------------------------------------------------------------------------------

    def _verify_vapid(self, authorization: str | None, sub: _Subscription) -> dict[str, Any]:
        if not authorization:
            raise _Rejected(401, "missing Authorization")
        match = _VAPID.fullmatch(authorization.strip())
        if match is None:
            raise _Rejected(401, f"Authorization is not 'vapid t=..., k=...': {authorization[:60]!r}")
        token, key = match.group(1), match.group(2)
        if sub.application_server_key is not None and key != sub.application_server_key:
            raise _Rejected(403, "VAPID key differs from the subscription's applicationServerKey")
        claims = self._verified_tokens.get((token, key)) if self._cache_tokens else None
        if claims is None:
            try:
                public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(key))
                claims = jwt.decode(
                    token,
                    key=public_key,
                    algorithms=["ES256"],
                    options={"require": ["aud", "exp", "sub"], "verify_aud": False, "verify_exp": False},
                )
            except (ValueError, jwt.PyJWTError) as exc:
                raise _Rejected(401, f"VAPID JWT does not verify: {exc}") from exc
            with self._lock:
                self._counters["signatures_verified"] += 1
            if self._cache_tokens:
                self._verified_tokens[(token, key)] = claims
        if claims["aud"] != self.origin:
            raise _Rejected(401, f"aud {claims['aud']!r} is not the endpoint origin {self.origin!r}")
        now = time.time()
        if not isinstance(claims["exp"], int) or claims["exp"] <= now:
            raise _Rejected(401, "exp is not in the future")
        if claims["exp"] > now + 24 * 60 * 60:
            raise _Rejected(401, "exp is more than 24 hours ahead")
        sub_claim = claims["sub"]
        if not (isinstance(sub_claim, str) and sub_claim.startswith(("mailto:", "https://"))):
            raise _Rejected(401, f"sub {sub_claim!r} is not a mailto: or https: URL")
        return dict(claims)

    @staticmethod
    def _check_headers(headers: dict[str, str]) -> tuple[int, str | None, str | None]:
        ttl = headers.get("ttl")
        if ttl is None or not ttl.isdigit():
            raise _Rejected(400, f"TTL header missing or not a non-negative integer: {ttl!r}")
        if headers.get("content-encoding", "").lower() != "aes128gcm":
            raise _Rejected(400, f"Content-Encoding must be aes128gcm, not {headers.get('content-encoding')!r}")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in _URGENCIES:
            raise _Rejected(400, f"bad Urgency {urgency!r}")
        topic = headers.get("topic")
        if topic is not None and not _TOPIC.fullmatch(topic):
            raise _Rejected(400, f"bad Topic {topic!r}")
        return int(ttl), urgency, topic

    # -- request handling ------------------------------------------------------------------------

    async def _handle_push(self, sub_id: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        with self._lock:
            self._counters["requests"] += 1
            sub = self._subscriptions.get(sub_id)
        if sub is None:
            return 404, {}
        try:
            claims = self._verify_vapid(headers.get("authorization"), sub)
            ttl, urgency, topic = self._check_headers(headers)
        except _Rejected as rejected:
            with self._lock:
                self._rejections.append(rejected.reason)
            return rejected.status, {}
        if len(body) > sub.max_body_bytes:
            behaviour: Behaviour = Respond(413)
        else:
            with self._lock:
                behaviour = sub.script.pop(0) if sub.script else sub.default
        if isinstance(behaviour, Hang):
            assert self._stopping is not None
            await self._stopping.wait()
            raise ConnectionAbortedError
        plaintext = None
        if 200 <= behaviour.status < 300:
            with self._lock:
                self._counters["delivered"] += 1
                sample = (self._counters["delivered"] - 1) % self._decrypt_every == 0
            if sample:
                try:
                    plaintext = http_ece.decrypt(
                        body, private_key=sub.private_key, auth_secret=sub.auth_secret, version="aes128gcm"
                    )
                except Exception as exc:  # http_ece raises ECEException and cryptography's InvalidTag
                    with self._lock:
                        self._rejections.append(f"body does not decrypt: {exc!r}")
                    return 400, {}
                with self._lock:
                    self._counters["decrypted"] += 1
        if self._keep_records:
            record = ReceivedPush(sub_id, behaviour.status, ttl, urgency, topic, claims, len(body), plaintext)
            with self._lock:
                self._records[sub_id].append(record)
        if self._respond_after:
            await asyncio.sleep(self._respond_after)
        response_headers = dict(behaviour.headers)
        if 200 <= behaviour.status < 300:
            response_headers.setdefault("Location", f"{self.origin}/message/{secrets.token_hex(8)}")
        return behaviour.status, response_headers

    async def _handle_control(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if method == "POST" and path == "/_control/subscriptions":
            request = json.loads(body or b"{}")
            subs = [
                self.new_subscription(application_server_key=request.get("application_server_key")).to_json()
                for _ in range(int(request.get("count", 1)))
            ]
            return 200, {"Content-Type": "application/json"}, json.dumps(subs).encode()
        if method == "GET" and path == "/_control/stats":
            return 200, {"Content-Type": "application/json"}, json.dumps(self.stats()).encode()
        return 404, {}, b""

    async def _route(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        path = target.split("?", 1)[0]
        if method == "POST" and path.startswith("/push/"):
            status, response_headers = await self._handle_push(path[len("/push/") :], headers, body)
            return status, response_headers, b""
        if path.startswith("/_control/"):
            return await self._handle_control(method, path, body)
        return 404, {}, b""

    async def _http2(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, preface: bytes) -> None:
        """Serve one HTTP/2 connection: every request stream is handled concurrently."""
        with self._lock:
            self._counters["http2_connections"] += 1
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="latin-1"))
        conn.initiate_connection()
        conn.update_settings({h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1000})
        requests: dict[int, tuple[dict[str, str], bytearray]] = {}
        pending: set[asyncio.Task[None]] = set()

        def flush() -> None:
            data = conn.data_to_send()
            if data:
                writer.write(data)

        async def answer(stream_id: int, headers: dict[str, str], body: bytes) -> None:
            method = headers.pop(":method", "GET")
            target = headers.pop(":path", "/")
            headers.setdefault("host", headers.get(":authority", ""))
            try:
                status, response_headers, response_body = await self._route(method, target, headers, body)
            except ConnectionAbortedError:  # a hanging stream, released when the service stops
                return
            out = [(":status", str(status)), ("content-length", str(len(response_body)))]
            out += [(name.lower(), value) for name, value in response_headers.items()]
            try:
                conn.send_headers(stream_id, out, end_stream=not response_body)
                if response_body:
                    conn.send_data(stream_id, response_body, end_stream=True)
            except h2.exceptions.StreamClosedError:  # the client gave up on it (timeout)
                return
            flush()

        events: list[h2.events.Event] = conn.receive_data(preface)
        flush()
        try:
            while True:
                for event in events:
                    if isinstance(event, h2.events.RequestReceived):
                        requests[event.stream_id] = (
                            {str(k).lower(): str(v) for k, v in event.headers or []},
                            bytearray(),
                        )
                    elif isinstance(event, h2.events.DataReceived):
                        if event.stream_id in requests:
                            requests[event.stream_id][1].extend(event.data or b"")
                        conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        if event.stream_id in requests:
                            headers, body = requests.pop(event.stream_id)
                            task = asyncio.ensure_future(answer(event.stream_id, headers, bytes(body)))
                            pending.add(task)
                            task.add_done_callback(pending.discard)
                    elif isinstance(event, h2.events.StreamReset):
                        requests.pop(event.stream_id, None)
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        return
                flush()
                await writer.drain()
                data = await reader.read(65536)
                if not data:
                    return
                events = conn.receive_data(data)
        finally:
            for task in pending:
                task.cancel()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            first = True
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if first and head == _H2_PREFACE_HEAD:
                    await self._http2(reader, writer, head + await reader.readexactly(len(_H2_PREFACE_TAIL)))
                    break
                if first:
                    with self._lock:
                        self._counters["http1_connections"] += 1
                first = False
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                if "transfer-encoding" in headers:
                    writer.write(b"HTTP/1.1 411 Length Required\r\ncontent-length: 0\r\n\r\n")
                    break
                length = int(headers.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                status, response_headers, response_body = await self._route(method, target, headers, body)
                reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Status"
                out = [f"HTTP/1.1 {status} {reason}", f"content-length: {len(response_body)}"]
                out += [f"{name}: {value}" for name, value in response_headers.items()]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + response_body)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
            ValueError,
            h2.exceptions.H2Error,
        ):
            pass
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    # -- lifecycle -------------------------------------------------------------------------------

    def _bind(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        self._socket = sock

    async def _open(self) -> None:
        assert self._socket is not None
        self._stopping = asyncio.Event()
        self._server = await asyncio.start_server(self._connection, sock=self._socket, backlog=1024)

    async def _close(self) -> None:
        assert self._stopping is not None
        assert self._server is not None
        self._stopping.set()
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        await self._server.wait_closed()

    async def serve_forever(self, ready: asyncio.Event | None = None) -> None:
        """Serve in the current event loop until cancelled (the separate-process mode)."""
        self._bind()
        await self._open()
        if ready is not None:
            ready.set()
        try:
            await asyncio.Event().wait()
        finally:
            await self._close()

    def start(self) -> FakePushService:
        """Serve from a background thread with its own event loop."""
        self._bind()
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                raise
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="fake-push-service", daemon=True)
        self._thread.start()
        ready.wait(timeout=10)
        if failure:
            raise RuntimeError("fake push service did not start") from failure[0]
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> FakePushService:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bench", action="store_true", help="cache verified tokens, keep no records")
    parser.add_argument("--decrypt-every", type=int, default=1)
    args = parser.parse_args(argv)
    service = FakePushService(
        port=args.port,
        decrypt_every=args.decrypt_every,
        cache_verified_tokens=args.bench,
        keep_records=not args.bench,
    )

    async def run() -> None:
        ready = asyncio.Event()
        task = asyncio.ensure_future(service.serve_forever(ready))
        await ready.wait()
        print(f"PORT {service.port}", flush=True)
        await task

    try:
        import uvloop  # optional: a faster loop when installed
    except ImportError:
        asyncio.run(run())
    else:
        uvloop.run(run())


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main(sys.argv[1:])
