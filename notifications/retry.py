"""When to try again: one policy type and one formula for every retry, exponential with a cap.

The pause after failed attempt n is ``min(cap_seconds, base_seconds * factor ** (n - 1))``. Deliveries
draw full jitter below it; the worker's jobs (``backend.worker.retry``) wait it whole; the web app's
outbox (``WEB_OUTBOX``) uses the same shape in TypeScript. It lives here because ``notifications``
may not import ``backend`` while the backend imports this package anyway, and a new top-level
package would need its own entry in the packaging (the installed console script finds only
``backend``, ``notifications`` and ``ocr``).

Pure functions (the random draw ``u`` is an argument) so the outbox worker can
compute and persist the next attempt time, and tests can pin it.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts every attempt, the first included; ``None`` never gives up."""

    max_attempts: int | None = 6
    base_seconds: float = 5.0
    """The pause after the first failed attempt."""
    cap_seconds: float = 900.0
    factor: float = 2.0
    """Each further pause is this many times the one before, up to ``cap_seconds``."""
    max_retry_after_seconds: float = 24 * 60 * 60
    """A push service's Retry-After is honoured up to this, against absurd values."""

    def __post_init__(self) -> None:
        if self.max_attempts is not None and self.max_attempts < 1:
            msg = "max_attempts must be at least 1"
            raise ValueError(msg)
        if self.base_seconds < 0 or self.cap_seconds < self.base_seconds:
            msg = "need 0 <= base_seconds <= cap_seconds"
            raise ValueError(msg)
        if not 1 <= self.factor <= 100:
            msg = "need 1 <= factor <= 100"
            raise ValueError(msg)


WEB_OUTBOX = RetryPolicy(max_attempts=None, base_seconds=5, factor=2, cap_seconds=300)
"""The web app's offline outbox (``OUTBOX_RETRY`` in pwa/src/offline/outbox-core.ts, no jitter): an item
waits until it is sent or a person discards it. tests/unit/pwa/test_outbox_retry.py keeps the two equal."""


def attempts_left(policy: RetryPolicy, attempts: int) -> bool:
    """Whether the policy allows another attempt after ``attempts`` of them."""
    return policy.max_attempts is None or attempts < policy.max_attempts


def pause_seconds(policy: RetryPolicy, attempt: int) -> float:
    """The pause after failed attempt number ``attempt`` (the first is 1), before any jitter."""
    if attempt < 1:
        msg = "attempt numbers start at 1"
        raise ValueError(msg)
    return min(policy.cap_seconds, policy.base_seconds * policy.factor ** min(attempt - 1, 62))


def backoff_seconds(policy: RetryPolicy, attempt: int, u: float) -> float:
    """Full jitter (uniform in 0..``pause_seconds``), after failed attempt number ``attempt``.

    Full jitter spreads the retries of a fan-out that failed together, so a push
    service recovering from an outage is not hit by all of them at once.
    """
    if not 0.0 <= u <= 1.0:
        msg = "u must be a uniform draw in [0, 1]"
        raise ValueError(msg)
    return u * pause_seconds(policy, attempt)


def retry_delay(policy: RetryPolicy, attempt: int, *, u: float, retry_after: float | None = None) -> float | None:
    """Seconds to wait after failed attempt ``attempt``; ``None`` when no attempt is left.

    A Retry-After from the service wins over the backoff; ``u=1`` waits the whole pause (no jitter).
    """
    if not attempts_left(policy, attempt):
        return None
    if retry_after is not None:
        return min(max(retry_after, 0.0), policy.max_retry_after_seconds)
    return backoff_seconds(policy, attempt, u)


def next_attempt_at(
    policy: RetryPolicy,
    attempt: int,
    now: datetime,
    *,
    u: float,
    retry_after: float | None = None,
) -> datetime | None:
    """The UTC time of the next attempt after failed attempt ``attempt``, or ``None`` to give up."""
    if now.tzinfo is None:
        msg = "now must be timezone-aware"
        raise ValueError(msg)
    delay = retry_delay(policy, attempt, u=u, retry_after=retry_after)
    if delay is None:
        return None
    return now.astimezone(UTC) + timedelta(seconds=delay)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After (RFC 9110 section 10.2.3) as seconds from ``now``: delay-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)
