"""E-mail, the optional second channel: plain text + simple HTML over SMTP.

Uses the standard library's ``smtplib`` in a worker thread (``asyncio.to_thread``)
rather than ``aiosmtplib``: the volume is a few messages per user per day, one
blocking connection per message in a thread is plenty, and it adds no
dependency to keep up to date.

Returns the same outcomes as the push sender: SMTP 4xx and connection trouble
are ``RetryLater``, 5xx (refused recipient, bad credentials) is ``Failed``.
"""

from __future__ import annotations

import asyncio
import html
import random
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urljoin

from notifications.outcomes import Delivered, Failed, Outcome, RetryLater
from notifications.payload import PushPayload
from notifications.retry import RetryPolicy, retry_delay


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the outgoing mail server.

    ``starttls`` upgrades a plain connection (port 587); ``implicit_tls`` speaks
    TLS from the start (port 465). Credentials are optional; the password never
    shows in ``repr``.
    """

    host: str
    sender: str
    """The From header, e.g. ``Självservice <noreply@example.se>``."""
    port: int = 587
    starttls: bool = True
    implicit_tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    """Defaults to the system's trusted CAs with host-name checking."""

    def __post_init__(self) -> None:
        if self.starttls and self.implicit_tls:
            msg = "choose STARTTLS or implicit TLS, not both"
            raise ValueError(msg)
        if (self.username is None) != (self.password is None):
            msg = "give both username and password, or neither"
            raise ValueError(msg)
        if "@" not in parseaddr(self.sender)[1]:
            msg = f"sender is not an e-mail address: {self.sender!r}"
            raise ValueError(msg)


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def render_email(payload: PushPayload, app_url: str) -> EmailContent:
    """The e-mail twin of a push payload: same title and body, the deep link made absolute."""
    link = urljoin(app_url, payload.url)
    text = f"{payload.body}\n\n{link}\n" if payload.body else f"{link}\n"
    body_html = f"<p>{html.escape(payload.body)}</p>\n" if payload.body else ""
    page = (
        '<!doctype html>\n<html lang="sv">\n<body style="font-family: sans-serif">\n'
        f'<h1 style="font-size: 1.2em">{html.escape(payload.title)}</h1>\n'
        f"{body_html}"
        f'<p><a href="{html.escape(link, quote=True)}">{html.escape(link)}</a></p>\n'
        "</body>\n</html>\n"
    )
    return EmailContent(subject=payload.title, text=text, html=page)


def build_message(config: SmtpConfig, to: str, content: EmailContent) -> EmailMessage:
    """A multipart/alternative message; raises ``ValueError`` for header injection or a bad address."""
    if "@" not in parseaddr(to)[1]:
        msg = f"not an e-mail address: {to!r}"
        raise ValueError(msg)
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = content.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(config.sender)[1].rpartition("@")[2])
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    return message


class EmailSender:
    def __init__(
        self,
        config: SmtpConfig,
        *,
        policy: RetryPolicy | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._config = config
        self._policy = policy or RetryPolicy()
        self._jitter = jitter

    async def send(self, to: str, content: EmailContent, *, attempt: int = 1) -> Outcome:
        """One delivery attempt (number ``attempt``, from 1); never raises for delivery problems."""
        try:
            message = build_message(self._config, to, content)
        except ValueError as exc:
            return Failed(reason=str(exc))
        try:
            await asyncio.to_thread(self._send_blocking, message)
        except smtplib.SMTPRecipientsRefused as exc:
            code = max((code for code, _ in exc.recipients.values()), default=550)
            if 400 <= code < 500:
                return self._transient(attempt, f"recipient deferred: SMTP {code}", code)
            return Failed(reason=f"recipient refused: SMTP {code}", status=code)
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                return self._transient(attempt, f"SMTP {exc.smtp_code}", exc.smtp_code)
            return Failed(reason=f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}", status=exc.smtp_code)
        except (smtplib.SMTPNotSupportedError, ssl.SSLError, ssl.CertificateError) as exc:
            return Failed(reason=f"TLS or server capability problem: {exc}")
        except (smtplib.SMTPException, OSError) as exc:
            return self._transient(attempt, f"connection problem: {exc.__class__.__name__}", None)
        return Delivered(status=250)

    def _transient(self, attempt: int, reason: str, status: int | None) -> Outcome:
        delay = retry_delay(self._policy, attempt, u=self._jitter())
        if delay is None:
            return Failed(reason=f"{reason}; gave up after {attempt} attempts", status=status)
        return RetryLater(after_seconds=delay, reason=reason, status=status)

    def _send_blocking(self, message: EmailMessage) -> None:
        config = self._config
        context = config.ssl_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if config.implicit_tls:
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds)
        with smtp:
            smtp.ehlo()
            if config.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.username is not None and config.password is not None:
                smtp.login(config.username, config.password)
            smtp.send_message(message)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
