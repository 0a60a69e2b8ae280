"""What a delivery attempt came to, by meaning rather than by status code.

Senders return one of these instead of raising, so the outbox worker can
``match`` on it and persist the consequence (done, delete the subscription,
try again at a time, give up).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delivered:
    """The push service (or SMTP server) accepted the message."""

    status: int | None = None
    shrunk: bool = False
    """The payload was cut down (body dropped, title shortened) to be accepted."""
    location: str | None = None
    """Push services name the message they queued (RFC 8030 section 5)."""


@dataclass(frozen=True)
class Gone:
    """The subscription no longer exists (404/410) or can never work: the caller deletes it."""

    status: int | None
    reason: str


@dataclass(frozen=True)
class TooLarge:
    """The push service refused the message as too large even after shrinking it."""

    size: int
    """Plaintext bytes of the smallest version tried."""


@dataclass(frozen=True)
class RetryLater:
    """A transient failure: try again after ``after_seconds``."""

    after_seconds: float
    reason: str
    status: int | None = None


@dataclass(frozen=True)
class Failed:
    """A permanent failure, or retries exhausted: do not try this message again."""

    reason: str
    status: int | None = None


Outcome = Delivered | Gone | TooLarge | RetryLater | Failed
