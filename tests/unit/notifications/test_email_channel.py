"""E-mail delivered to a local SMTP server (aiosmtpd) started by the test, on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import ipaddress
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifications.email_sender import EmailContent, EmailSender, SmtpConfig, render_email
from notifications.outcomes import Delivered, Failed, RetryLater
from notifications.payload import PushPayload
from notifications.retry import RetryPolicy
from tests.support.ports import any_port

SENDER = "Självservice <noreply@lon.example.se>"
DECIDED = PushPayload(
    title="Ditt utlägg är godkänt",
    body="Taxi Arlanda 2026-05-12, 475,00 kr <godkänt av Åsa>",
    url="/expenses/e-42",
)


class Inbox:
    """An aiosmtpd handler that keeps what it receives and can refuse recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=any_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def self_signed(tmp_path: Path) -> tuple[Path, Path, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tmp_path / "cert.pem", tmp_path / "key.pem", cert_pem


def plain_config(port: int) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, sender=SENDER, starttls=False, timeout_seconds=5)


async def test_an_email_arrives_with_text_and_html(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    content = render_email(DECIDED, "https://lon.example.se/app/")

    outcome = await EmailSender(plain_config(port)).send("Åsa Öberg <asa@example.se>", content)

    assert outcome == Delivered(status=250)
    [(mail_from, rcpt_tos, message)] = handler.messages
    assert mail_from == "noreply@lon.example.se"
    assert rcpt_tos == ["asa@example.se"]
    assert message["Subject"] == "Ditt utlägg är godkänt"
    assert message["From"] == SENDER
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "475,00 kr" in text.get_content()
    assert "https://lon.example.se/expenses/e-42" in text.get_content()
    assert '<a href="https://lon.example.se/expenses/e-42">' in html.get_content()
    assert "&lt;godkänt av Åsa&gt;" in html.get_content(), "text is escaped in HTML"


async def test_email_over_starttls_with_credentials(tmp_path: Path) -> None:
    cert_file, key_file, cert_pem = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"hemligt", handled=False)

    handler = Inbox()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=any_port(),
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    try:
        config = SmtpConfig(
            host="127.0.0.1",
            port=controller.port,
            sender=SENDER,
            starttls=True,
            username="lon",
            password="hemligt",
            timeout_seconds=5,
            ssl_context=ssl.create_default_context(cadata=cert_pem.decode()),
        )
        content = EmailContent(
            subject="Lönebesked", text="Ditt lönebesked finns.", html="<p>Ditt lönebesked finns.</p>"
        )

        outcome = await EmailSender(config).send("asa@example.se", content)
        wrong = await EmailSender(dataclasses.replace(config, password="fel")).send("asa@example.se", content)
    finally:
        controller.stop()

    assert outcome == Delivered(status=250)
    assert len(handler.messages) == 1
    assert logins[0] == (b"lon", b"hemligt")
    assert isinstance(wrong, Failed)
    assert wrong.status == 535


def test_the_smtp_password_never_shows_in_repr() -> None:
    config = SmtpConfig(host="smtp.example.se", sender=SENDER, username="lon", password="hemligt")

    assert "hemligt" not in repr(config)


async def test_a_refused_recipient_fails_and_a_deferred_one_is_retried(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    handler.refuse = {"gone@example.se": "550 5.1.1 No such user", "full@example.se": "452 4.2.2 Mailbox full"}
    sender = EmailSender(plain_config(port), jitter=lambda: 0.5)
    content = render_email(DECIDED, "https://lon.example.se/")

    refused = await sender.send("gone@example.se", content)
    deferred = await sender.send("full@example.se", content)

    assert refused == Failed(reason="recipient refused: SMTP 550", status=550)
    assert isinstance(deferred, RetryLater)
    assert deferred.status == 452
    assert handler.messages == []


async def test_an_unreachable_mail_server_is_retried_later_until_attempts_run_out() -> None:
    sender = EmailSender(plain_config(any_port()), policy=RetryPolicy(max_attempts=2))
    content = render_email(DECIDED, "https://lon.example.se/")

    first = await sender.send("asa@example.se", content, attempt=1)
    last = await sender.send("asa@example.se", content, attempt=2)

    assert isinstance(first, RetryLater)
    assert isinstance(last, Failed)


async def test_a_header_injection_attempt_is_refused_without_sending(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    content = EmailContent(subject="Hej\r\nBcc: all@example.se", text="x", html="<p>x</p>")

    outcome = await EmailSender(plain_config(port)).send("asa@example.se", content)

    assert isinstance(outcome, Failed)
    assert handler.messages == []
