"""The channel objects a process needs: VAPID keys, one Web Push sender, the e-mail sender.

The VAPID private key comes from ``VAPID_PRIVATE_KEY`` or is generated on first start
into ``DATA_DIR/vapid_private_key.pem`` (mode 0600). It is never logged: ``VapidKeys``
shows only the public key.
"""

from __future__ import annotations

import functools
from pathlib import Path

from backend.config import Settings
from backend.core.secret_files import write_once
from notifications import EmailSender, RetryPolicy, SmtpConfig, VapidKeys, WebPushSender

KEY_FILE = "vapid_private_key.pem"


@functools.cache
def _keys(configured: str | None, data_dir: Path) -> VapidKeys:
    if configured:
        return VapidKeys.from_text(configured)
    return stored_keys(data_dir)


def stored_keys(data_dir: Path) -> VapidKeys:
    """The key pair kept in ``DATA_DIR``, created on first start (every process ends up with the same)."""
    path = data_dir / KEY_FILE
    write_once(path, lambda: VapidKeys.generate().private_pem())
    return VapidKeys.from_file(path)


def vapid_keys(settings: Settings) -> VapidKeys:
    return _keys(settings.vapid_private_key, settings.data_dir)


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(max_attempts=max(1, settings.push_max_attempts))


def allows_http_endpoints(settings: Settings) -> bool:
    """Plain-HTTP push endpoints only in tests (the local fake push service)."""
    return settings.environment == "test"


def push_sender(settings: Settings) -> WebPushSender:
    """One per worker process; closed with ``aclose()`` when the worker stops."""
    return WebPushSender(
        vapid_keys(settings),
        settings.vapid_subject,
        timeout_seconds=settings.push_timeout_seconds,
        policy=retry_policy(settings),
        max_connections=settings.push_connections,
        allow_http=allows_http_endpoints(settings),
    )


def email_sender(settings: Settings) -> EmailSender | None:
    """``None`` when no SMTP server is configured: the e-mail channel is then off."""
    if not settings.smtp_host:
        return None
    config = SmtpConfig(
        host=settings.smtp_host,
        sender=settings.smtp_from,
        port=settings.smtp_port,
        starttls=settings.smtp_security == "starttls",
        implicit_tls=settings.smtp_security == "tls",
        username=settings.smtp_username,
        password=settings.smtp_password,
    )
    return EmailSender(config, policy=retry_policy(settings))
