"""The sign-in throttle's rules with plain values: waits double, are capped, and known browsers are vouched for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar.stores.memory import MemoryStore

from backend.core.clock import FixedClock
from backend.core.problems import Problem
from backend.core.throttle import Attempt, KnownDevices, LoginThrottle

pytestmark = pytest.mark.clockless

GUESSER = Attempt("anna@example.se", "198.51.100.7")


def throttle(clock: FixedClock) -> LoginThrottle:
    return LoginThrottle(
        MemoryStore(),
        clock,
        attempts_per_minute=1000,
        free_failures=5,
        free_account_failures=20,
        max_delay=timedelta(minutes=15),
    )


async def wait_seconds(limiter: LoginThrottle, attempt: Attempt) -> int:
    try:
        await limiter.check(attempt)
    except Problem as problem:
        held = problem
    else:
        return 0
    assert held.status == 429
    return int(held.headers["retry-after"])


async def test_the_wait_doubles_with_each_failure_and_stops_at_the_longest_wait() -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    limiter = throttle(clock)
    waits = []
    for _ in range(16):
        await limiter.failed(GUESSER)
        waits.append(await wait_seconds(limiter, GUESSER))

    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:9] == [1, 2, 4, 8, 16]
    assert waits[-1] == 15 * 60


async def test_the_same_account_from_another_address_is_not_held_up() -> None:
    limiter = throttle(FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    for _ in range(10):
        await limiter.failed(GUESSER)

    assert await wait_seconds(limiter, Attempt("ANNA@example.se ", "203.0.113.20")) == 0
    assert await wait_seconds(limiter, Attempt("anna@example.se", "198.51.100.7")) > 0


def test_a_known_browser_cookie_vouches_for_its_own_account_only() -> None:
    devices = KnownDevices("secret-" + "x" * 32)
    cookie = devices.issue("anna@example.se")

    assert devices.device("Anna@Example.se", cookie) is not None
    assert devices.device("maria@example.se", cookie) is None
    assert devices.device("anna@example.se", cookie[:-1] + ("0" if cookie[-1] != "0" else "1")) is None
    assert KnownDevices("another-secret-" + "y" * 32).device("anna@example.se", cookie) is None
    assert devices.issue("anna@example.se", cookie) == cookie  # the browser keeps its id
