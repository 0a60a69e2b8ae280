"""A lean HTTP/1.1 keep-alive transport for httpx, for Web Push POSTs.

Push requests are small POSTs answered by a status and a few headers, thousands of
them to a handful of push services. httpx's default transport (httpcore on anyio)
spends ~1 ms of CPU per such request on this machine: cancel scopes, pool
bookkeeping that is O(connections) per request, h11's validation, and two socket
writes (headers, then body). This transport is an ``httpx.AsyncBaseTransport`` on
asyncio protocols that writes each request in one ``write`` and parses the answer
itself, at a fraction of that (``bench/results/push_fanout.json``).

What it does and does not do:

- HTTP/1.1 only (ALPN offers ``http/1.1``), ``http`` and ``https`` (the default
  trusted CAs, host-name checking), persistent connections per origin, at most
  ``max_connections`` per origin in use at once (further requests wait for one).
- Request bodies must be in memory (``content=bytes``), as push bodies are.
- Responses are read whole: ``Content-Length``, ``chunked``, or until the server
  closes; headers over 64 KiB or bodies over 1 MiB are a protocol error.
- A connection is reused only when the response said nothing against it
  (``Connection: close``, HTTP/1.0, a body delimited by closing). A request that
  fails on a connection is not sent again here: POST is not idempotent, and the
  caller's retry policy decides.
- Timeouts come from the request's ``timeout`` extension (httpx's ``connect``
  and ``read``); a timed-out or cancelled request closes its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import time
from collections import deque
from typing import Any, cast

import httpx

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
_DEFAULT_PORTS = {b"http": 80, b"https": 443}


@functools.cache
def _http11_tls_context() -> ssl.SSLContext:
    """httpx's default trust (certifi), offering only HTTP/1.1 in ALPN; built once per process."""
    context = httpx.create_ssl_context()
    context.set_alpn_protocols(["http/1.1"])
    return context


class _ProtocolError(Exception):
    pass


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection: a request at a time, the response parsed as bytes arrive."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buffer = bytearray()
        self._waiter: asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bytes, bool]] | None = None
        self._head: tuple[int, list[tuple[bytes, bytes]], bool, int | None, bool] | None = None
        self._chunks: bytearray | None = None
        self._chunk_pos = 0

    # -- asyncio.Protocol --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self._fail(_ProtocolError("data without a request"))  # unsolicited: do not reuse
            return
        self._buffer += data
        try:
            self._parse(eof=False)
        except _ProtocolError as exc:
            self._fail(exc)

    def eof_received(self) -> bool:
        if self._waiter is not None and not self._waiter.done():
            try:
                self._parse(eof=True)
            except _ProtocolError as exc:
                self._fail(exc)
        self.closed = True
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            try:
                self._parse(eof=True)
            except _ProtocolError as error:
                self._fail(error)

    # -- requests --------------------------------------------------------------------------------

    def send(self, data: bytes) -> asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bytes, bool]]:
        assert self.transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self._buffer.clear()
        self._head = None
        self._chunks = None
        self._chunk_pos = 0
        self.transport.write(data)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, exc: Exception) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    def _finish(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes, reusable: bool) -> None:
        assert self._waiter is not None
        if not self._waiter.done():
            self._waiter.set_result((status, headers, body, reusable and not self.closed))

    def _parse(self, *, eof: bool) -> None:
        buffer = self._buffer
        while self._head is None:
            end = buffer.find(b"\r\n\r\n")
            if end > MAX_HEADER_BYTES or (end < 0 and len(buffer) > MAX_HEADER_BYTES):
                raise _ProtocolError("response headers too large")
            if end < 0:
                if eof:
                    raise _ProtocolError("connection closed before a response")
                return
            head = bytes(buffer[:end])
            del buffer[: end + 4]
            status, headers, keep_alive = _parse_head(head)
            if 100 <= status < 200:  # informational (100 Continue): the real answer follows
                continue
            chunked = False
            length: int | None = None
            for name, value in headers:
                lowered = name.lower()
                if lowered == b"transfer-encoding":
                    chunked = value.strip().lower().endswith(b"chunked")
                elif lowered == b"content-length":
                    if not value.strip().isdigit():
                        raise _ProtocolError("bad Content-Length")
                    length = int(value)
            if status in (204, 304):
                chunked, length = False, 0
            if chunked:
                length = None
            elif length is None:
                keep_alive = False  # the body ends when the server closes
            if length is not None and length > MAX_BODY_BYTES:
                raise _ProtocolError("response body too large")
            self._head = (status, headers, keep_alive, length, chunked)
        status, headers, keep_alive, length, chunked = self._head
        if chunked:
            body = self._dechunk(eof=eof)
            if body is not None:
                self._finish(status, headers, body, keep_alive and not buffer)
            return
        if length is not None:
            if len(buffer) >= length:
                self._finish(status, headers, bytes(buffer[:length]), keep_alive and len(buffer) == length)
            elif eof:
                raise _ProtocolError("connection closed in the middle of the body")
            return
        if len(buffer) > MAX_BODY_BYTES:
            raise _ProtocolError("response body too large")
        if eof:
            self._finish(status, headers, bytes(buffer), False)

    def _dechunk(self, *, eof: bool) -> bytes | None:
        """The whole body once the last chunk (and trailers) arrived, else ``None``."""
        buffer = self._buffer
        if self._chunks is None:
            self._chunks = bytearray()
        while True:
            line_end = buffer.find(b"\r\n", self._chunk_pos)
            if line_end < 0:
                break
            size_text = bytes(buffer[self._chunk_pos : line_end]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as exc:
                raise _ProtocolError("bad chunk size") from exc
            if size == 0:  # the last chunk, then trailers (usually none) and an empty line
                end = buffer.find(b"\r\n\r\n", line_end)
                if end < 0:
                    break
                del buffer[: end + 4]
                return bytes(self._chunks)
            start = line_end + 2
            if len(buffer) < start + size + 2:
                break
            self._chunks += buffer[start : start + size]
            if len(self._chunks) > MAX_BODY_BYTES:
                raise _ProtocolError("response body too large")
            self._chunk_pos = start + size + 2
        if eof:
            raise _ProtocolError("connection closed in the middle of a chunked body")
        return None


def _parse_head(head: bytes) -> tuple[int, list[tuple[bytes, bytes]], bool]:
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit() or len(parts[1]) != 3:
        raise _ProtocolError(f"not an HTTP/1.x status line: {lines[0][:60]!r}")
    keep_alive = parts[0] == b"HTTP/1.1"
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise _ProtocolError("malformed header line")
        value = value.strip()
        headers.append((name, value))
        if name.lower() == b"connection":
            tokens = {token.strip().lower() for token in value.split(b",")}
            if b"close" in tokens:
                keep_alive = False
            elif b"keep-alive" in tokens:
                keep_alive = True
    return int(parts[1]), headers, keep_alive


class _Origin:
    __slots__ = ("busy", "idle", "slots")

    def __init__(self, limit: int) -> None:
        self.slots = asyncio.Semaphore(limit)
        self.idle: deque[tuple[_Connection, float]] = deque()
        """Kept-alive connections and when they became idle, oldest first."""
        self.busy = 0


class PushTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=PushTransport())`` or ``await transport.handle_async_request(request)``."""

    def __init__(
        self,
        *,
        max_connections: int = 32,
        ssl_context: ssl.SSLContext | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        keepalive_seconds: float = 60.0,
    ) -> None:
        if max_connections < 1:
            msg = "max_connections must be at least 1"
            raise ValueError(msg)
        self._limit = max_connections
        self._ssl = ssl_context
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._keepalive = keepalive_seconds
        self._origins: dict[tuple[bytes, bytes, int], _Origin] = {}
        self._closed = False
        self._last_sweep = time.monotonic()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            msg = "the transport is closed"
            raise RuntimeError(msg)
        url = request.url
        scheme = url.raw_scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"unsupported scheme {scheme!r}", request=request)
        port = url.port or _DEFAULT_PORTS[scheme]
        key = (scheme, url.raw_host, port)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(self._limit)
        message = _serialise(request)
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        read_timeout = timeouts.get("read", self._read_timeout)
        origin.busy += 1  # waiting or sending: the sweep keeps this origin
        try:
            async with origin.slots:
                connection = self._idle_connection(origin)
                if connection is None:
                    connection = await self._connect(request, scheme, url.raw_host, port, timeouts)
                done = False
                try:
                    async with asyncio.timeout(read_timeout):
                        status, headers, body, reusable = await connection.send(message)
                    done = True
                except TimeoutError as exc:
                    raise httpx.ReadTimeout("no response in time", request=request) from exc
                except _ProtocolError as exc:
                    raise httpx.RemoteProtocolError(str(exc), request=request) from exc
                finally:
                    if not done:  # failed, timed out or cancelled: the connection's state is unknown
                        connection.close()
                if reusable and not self._closed:
                    origin.idle.append((connection, time.monotonic()))
                else:
                    connection.close()
        finally:
            origin.busy -= 1
        if time.monotonic() - self._last_sweep > 5:
            self._sweep()
        return httpx.Response(status, headers=headers, content=body, request=request)

    def _idle_connection(self, origin: _Origin) -> _Connection | None:
        """The most recently used connection still open and within its keep-alive time."""
        now = time.monotonic()
        while origin.idle:
            connection, since = origin.idle.pop()
            if not connection.closed and now - since <= self._keepalive:
                return connection
            connection.close()
        return None

    def _sweep(self) -> None:
        """Close connections idle longer than ``keepalive_seconds``; forget origins with none left."""
        now = self._last_sweep = time.monotonic()
        for key, origin in list(self._origins.items()):
            while origin.idle and (origin.idle[0][0].closed or now - origin.idle[0][1] > self._keepalive):
                origin.idle.popleft()[0].close()
            if not origin.idle and not origin.busy:
                del self._origins[key]

    async def _connect(
        self, request: httpx.Request, scheme: bytes, host: bytes, port: int, timeouts: dict[str, Any]
    ) -> _Connection:
        loop = asyncio.get_running_loop()
        hostname = host.decode("ascii")
        tls = None
        if scheme == b"https":
            tls = self._ssl or _http11_tls_context()
        try:
            async with asyncio.timeout(timeouts.get("connect", self._connect_timeout)):
                _, protocol = await loop.create_connection(
                    _Connection, hostname, port, ssl=tls, server_hostname=hostname if tls else None
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"could not connect to {hostname}:{port} in time", request=request) from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(f"{exc.__class__.__name__}: {exc}", request=request) from exc
        return protocol

    async def aclose(self) -> None:
        self._closed = True
        for origin in self._origins.values():
            while origin.idle:
                origin.idle.pop()[0].close()
        self._origins.clear()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0)  # let the transports finish closing


def _serialise(request: httpx.Request) -> bytes:
    """The request line, headers and body as one buffer (so one ``write``, one TCP segment train)."""
    body = request.content  # raises httpx.RequestNotRead for a streaming body
    target = request.url.raw_path
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), target)]
    has_length = False
    for name, value in request.headers.raw:
        if b"\r" in name or b"\n" in name or b"\r" in value or b"\n" in value or b":" in name:
            msg = "header with a line break or colon in its name"
            raise httpx.LocalProtocolError(msg, request=request)
        if name.lower() == b"transfer-encoding":
            msg = "only bodies of known length are sent"
            raise httpx.LocalProtocolError(msg, request=request)
        has_length = has_length or name.lower() == b"content-length"
        lines.append(name + b": " + value)
    if not has_length:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
