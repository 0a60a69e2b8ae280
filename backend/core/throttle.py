"""Sign-in throttling that slows password guessing without letting a guesser lock the real user out.

The old rule (five failures lock the e-mail address for 15 minutes, right password refused
too) let anyone lock anyone out. Now three counters live in a Litestar store (memory, or
Redis when several processes share it), and none of them ever refuses forever:

- **attempts per client address** (any account, right or wrong): a budget per minute, so one
  address cannot try many accounts fast.
- **failures per account from one place**: after ``free_failures`` the wait before this place
  may try this account again doubles with each failure (1 s, 2 s, 4 s ... up to
  ``max_delay``). The place is the browser's *known-device* cookie when it carries a valid one
  for this account, else the client address. So a guesser slows only themselves: the real
  user at another address, or in their own browser behind the same office address, is not
  held up.
- **failures per account from everywhere**: a guesser spread over many addresses slows
  attempts for the account the same way, *except* from a browser that signed in to it before
  (the known-device cookie, OWASP's "device cookies"): the real user's usual browser keeps
  working whatever others do.

A throttled attempt is refused before the password is checked, with ``Retry-After``. Times
come from the injected clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from litestar.stores.base import Store

from backend.core.clock import Clock
from backend.core.i18n import Text
from backend.core.problems import Problem

DEVICE_COOKIE = "selfservice_device"
DEVICE_COOKIE_DAYS = 180


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who is trying to sign in to which account, from where."""

    email: str
    address: str
    device: str | None = None
    """The known-device id from a valid cookie for this account, if the browser sent one."""

    @property
    def account(self) -> str:
        return self.email.strip().lower()

    @property
    def place(self) -> str:
        return f"device:{self.device}" if self.device else f"address:{self.address}"


def too_many(retry_after: int) -> Problem:
    """The one 429 of sign-in: always with Retry-After (whole seconds, at least 1)."""
    return Problem(
        429,
        "login_throttled",
        Text(sv="För många inloggningsförsök", en="Too many sign-in attempts"),
        Text(
            sv=f"Vänta {retry_after} sekunder och försök igen.",
            en=f"Wait {retry_after} seconds and try again.",
        ),
        extra={"retry_after": retry_after},
        headers={"retry-after": str(retry_after)},
    )


class LoginThrottle:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        attempts_per_minute: int,
        free_failures: int,
        free_account_failures: int,
        max_delay: timedelta,
    ) -> None:
        self.store = store
        self.clock = clock
        self.attempts_per_minute = attempts_per_minute
        self.free_failures = free_failures
        self.free_account_failures = free_account_failures
        self.max_delay = max_delay.total_seconds()

    def _now(self) -> float:
        return self.clock.now().timestamp()

    async def _read(self, key: str) -> tuple[int, float]:
        raw = await self.store.get(key)
        if raw is None:
            return 0, 0.0
        count, since = json.loads(raw)
        return int(count), float(since)

    async def _write(self, key: str, count: int, since: float) -> None:
        # Kept a while after the longest wait; a quiet account forgets its failures.
        ttl = int(self.max_delay) * 4 + 60
        await self.store.set(key, json.dumps([count, since]).encode(), expires_in=ttl)

    def _wait(self, failures: int, free: int, last: float, now: float) -> float:
        if failures < free:
            return 0.0
        delay = min(2.0 ** min(failures - free, 30), self.max_delay)
        return max(0.0, last + delay - now)

    async def check_address(self, address: str) -> None:
        """Count one attempt from ``address``; 429 when its budget for this minute is spent."""
        key = f"login-address:{address}"
        now = self._now()
        count, started = await self._read(key)
        if now >= started + 60:
            count, started = 0, now
        if count >= self.attempts_per_minute:
            raise too_many(max(1, math.ceil(started + 60 - now)))
        await self._write(key, count + 1, started)

    async def check(self, attempt: Attempt) -> None:
        """429 when this place must wait before trying this account again (see the module)."""
        now = self._now()
        failures, last = await self._read(f"login-place:{attempt.account}:{attempt.place}")
        wait = self._wait(failures, self.free_failures, last, now)
        if attempt.device is None:
            everywhere, last_anywhere = await self._read(f"login-account:{attempt.account}")
            wait = max(wait, self._wait(everywhere, self.free_account_failures, last_anywhere, now))
        if wait > 0:
            raise too_many(max(1, math.ceil(wait)))

    async def failed(self, attempt: Attempt) -> None:
        now = self._now()
        for key in (f"login-place:{attempt.account}:{attempt.place}", f"login-account:{attempt.account}"):
            count, _ = await self._read(key)
            await self._write(key, count + 1, now)

    async def succeeded(self, attempt: Attempt) -> None:
        """The right password from this place: its own failures are forgotten (not others')."""
        await self.store.delete(f"login-place:{attempt.account}:{attempt.place}")


class KnownDevices:
    """Signed cookies that mark a browser as one that signed in to an account before.

    The value is ``<device id>.<signature over the account's e-mail and the device id>``: only
    the server's secret can make one, and it vouches for one account only, so a guesser's own
    cookie does nothing for anyone else's account. Checking it needs no database read.
    """

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"known-device:{secret}".encode()).digest()

    def _sign(self, email: str, device: str) -> str:
        message = f"{email.strip().lower()}\n{device}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def issue(self, email: str, current: str | None = None) -> str:
        """The cookie value after a sign-in: the browser's own device id kept when it was valid."""
        device = self.device(email, current) or secrets.token_urlsafe(16)
        return f"{device}.{self._sign(email, device)}"

    def device(self, email: str, value: str | None) -> str | None:
        """The device id when ``value`` is a valid cookie for this e-mail's account, else None."""
        device, _, signature = (value or "").partition(".")
        if not device or not hmac.compare_digest(signature, self._sign(email, device)):
            return None
        return device
