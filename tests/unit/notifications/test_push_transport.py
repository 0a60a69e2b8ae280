"""The lean HTTP/1.1 transport the push sender posts with: keep-alive, every way a response can end, TLS."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifications.push_transport import PushTransport

Answer = Callable[[int], bytes]
"""The raw bytes a scripted server writes for its n-th request (from 0)."""


class ScriptedServer:
    """An HTTP/1.1 server that answers with exactly the bytes a test gives, and counts connections."""

    def __init__(self, answer: Answer, *, close_after: bool = False, hang: bool = False) -> None:
        self.answer = answer
        self.close_after = close_after
        self.hang = hang
        self.connections = 0
        self.requests: list[bytes] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                self.requests.append(head + body)
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                await asyncio.sleep(0.01)
                if self.hang:
                    await asyncio.sleep(3600)
                self.in_flight -= 1
                writer.write(self.answer(len(self.requests) - 1))
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def start(self, tls: ssl.SSLContext | None = None) -> int:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0, ssl=tls)
        return int(self.server.sockets[0].getsockname()[1])

    def close(self) -> None:
        assert self.server is not None
        self.server.close()


Serve = Callable[..., Awaitable[tuple[ScriptedServer, str]]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    servers: list[ScriptedServer] = []

    async def start(answer: Answer, **options: bool) -> tuple[ScriptedServer, str]:
        server = ScriptedServer(answer, **options)
        port = await server.start()
        servers.append(server)
        return server, f"http://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.close()


def created(_: int) -> bytes:
    return b"HTTP/1.1 201 Created\r\nLocation: /m/1\r\nContent-Length: 0\r\n\r\n"


async def post(transport: PushTransport, url: str, body: bytes = b"x" * 100, **timeouts: float) -> httpx.Response:
    request = httpx.Request("POST", url, content=body, headers={"TTL": "60"}, extensions={"timeout": timeouts})
    return await transport.handle_async_request(request)


async def test_many_pushes_share_one_kept_alive_connection_and_each_goes_out_whole(serve: Serve) -> None:
    server, origin = await serve(created)
    transport = PushTransport(max_connections=4)

    answers = [await post(transport, f"{origin}/push/{n}", body=bytes([65 + n]) * 3000) for n in range(5)]
    await transport.aclose()

    assert [a.status_code for a in answers] == [201] * 5
    assert answers[0].headers["location"] == "/m/1"
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /push/0 HTTP/1.1\r\n")
    assert b"\r\nttl: 60\r\n" in first.lower()
    assert b"\r\ncontent-length: 3000\r\n" in first.lower()
    assert first.endswith(b"A" * 3000)


async def test_no_more_requests_are_in_flight_to_one_origin_than_allowed(serve: Serve) -> None:
    server, origin = await serve(created)
    transport = PushTransport(max_connections=3)

    answers = await asyncio.gather(*(post(transport, f"{origin}/push/{n}") for n in range(12)))
    await transport.aclose()

    assert {a.status_code for a in answers} == {201}
    assert server.most_in_flight == 3
    assert server.connections == 3


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\nbad payload", b"bad payload"),
        (b"HTTP/1.1 410 Gone\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nexpi\r\n3;x=y\r\nred\r\n0\r\n\r\n", b"expired"),
        (b"HTTP/1.1 429 Too Many\r\nRetry-After: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n", b""),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", b"ok"),
        (b"HTTP/1.1 204 No Content\r\n\r\n", b""),
    ],
    ids=["content-length", "chunked", "chunked-with-trailer", "100-continue", "204"],
)
async def test_every_way_a_response_body_is_delimited_is_read_and_the_connection_kept(
    serve: Serve, raw: bytes, body: bytes
) -> None:
    server, origin = await serve(lambda _: raw)
    transport = PushTransport()

    first = await post(transport, f"{origin}/push/a")
    second = await post(transport, f"{origin}/push/b")
    await transport.aclose()

    assert first.content == second.content == body
    assert server.connections == 1


async def test_a_response_ending_with_the_connection_is_read_and_a_new_connection_made(serve: Serve) -> None:
    server, origin = await serve(lambda _: b"HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\ntry later", close_after=True)
    transport = PushTransport()

    first = await post(transport, f"{origin}/push/a")
    second = await post(transport, f"{origin}/push/b")
    await transport.aclose()

    assert (first.status_code, first.content) == (500, b"try later")
    assert second.status_code == 500
    assert server.connections == 2


async def test_a_connection_the_push_service_closed_while_idle_is_not_reused(serve: Serve) -> None:
    server, origin = await serve(created, close_after=True)
    transport = PushTransport()

    await post(transport, f"{origin}/push/a")
    await asyncio.sleep(0.05)  # the service's FIN arrives while the connection is idle
    answer = await post(transport, f"{origin}/push/b")
    await transport.aclose()

    assert answer.status_code == 201
    assert server.connections == 2


async def test_a_connection_idle_longer_than_the_keepalive_time_is_closed_not_reused(serve: Serve) -> None:
    server, origin = await serve(created)
    transport = PushTransport(keepalive_seconds=0.05)

    await post(transport, f"{origin}/push/a")
    await asyncio.sleep(0.1)
    await post(transport, f"{origin}/push/b")
    await transport.aclose()

    assert server.connections == 2


@pytest.mark.parametrize(
    "raw",
    [
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nshort",
        b"HTTP/1.1 201 Created\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nX: " + b"y" * 70_000 + b"\r\n\r\n",
    ],
    ids=["not-http", "truncated-body", "bad-length", "huge-headers"],
)
async def test_a_broken_response_is_a_protocol_error(serve: Serve, raw: bytes) -> None:
    _, origin = await serve(lambda _: raw, close_after=True)
    transport = PushTransport()

    with pytest.raises(httpx.RemoteProtocolError):
        await post(transport, f"{origin}/push/a")
    await transport.aclose()


async def test_no_answer_in_time_is_a_read_timeout_and_the_connection_is_dropped(serve: Serve) -> None:
    server, origin = await serve(created, hang=True)
    transport = PushTransport()

    with pytest.raises(httpx.ReadTimeout):
        await post(transport, f"{origin}/push/a", read=0.2)
    server.hang = False
    answer = await post(transport, f"{origin}/push/b", read=2)
    await transport.aclose()

    assert answer.status_code == 201
    assert server.connections == 2


async def test_nobody_listening_is_a_connect_error() -> None:
    transport = PushTransport()

    with pytest.raises(httpx.ConnectError):
        await post(transport, "http://127.0.0.1:9/push/a")
    await transport.aclose()


async def test_headers_with_line_breaks_are_never_written() -> None:
    transport = PushTransport()
    request = httpx.Request("POST", "http://127.0.0.1:9/p", content=b"x", headers={"Topic": "a"})
    request.headers["Topic"] = "a\r\nX-Injected: 1"

    with pytest.raises(httpx.LocalProtocolError):
        await transport.handle_async_request(request)
    await transport.aclose()


def _certificate(tmp_path: Path) -> tuple[ssl.SSLContext, bytes]:
    """A self-signed certificate for 127.0.0.1: the server's context and the PEM a client may trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake push service")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return server, cert_pem


async def test_https_to_a_trusted_certificate_works_and_an_untrusted_one_is_refused(tmp_path: Path) -> None:
    server_tls, cert_pem = _certificate(tmp_path)
    server = ScriptedServer(created)
    port = await server.start(server_tls)
    trusting = PushTransport(ssl_context=ssl.create_default_context(cadata=cert_pem.decode()))
    default = PushTransport()
    try:
        answers = [await post(trusting, f"https://127.0.0.1:{port}/push/{n}") for n in range(3)]
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await post(default, f"https://127.0.0.1:{port}/push/x")
    finally:
        await trusting.aclose()
        await default.aclose()
        server.close()

    assert [a.status_code for a in answers] == [201] * 3
    assert server.connections == 1, "one kept-alive TLS connection (the refused handshake never got that far)"
