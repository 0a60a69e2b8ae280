"""Sign-in throttling slows guessers without locking the real user out (backend/core/throttle.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.core.clock import FixedClock
from tests.conftest import ANNA, problem

pytestmark = pytest.mark.clockless

RIGHT = "demo1234"
ADDRESS = "x-test-client-address"


class ClientAddressFromHeader:
    """Lets a test speak from any client address, as requests from many machines would."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            for name, value in scope["headers"]:
                if name == ADDRESS.encode():
                    scope["client"] = (value.decode(), 40000)
        await self.app(scope, receive, send)


@pytest.fixture
def addressed_app(app: Litestar) -> Litestar:
    app.asgi_handler = ClientAddressFromHeader(app.asgi_handler)
    return app


@pytest.fixture
async def web(addressed_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=addressed_app, base_url="http://localhost") as client:
        yield client


async def sign_in(client: AsyncTestClient[Litestar], address: str, password: str, email: str = ANNA) -> int:
    response = await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers={ADDRESS: address}
    )
    if response.status_code == 429:
        assert int(response.headers["retry-after"]) >= 1
        assert problem(response)["code"] == "login_throttled"
    return response.status_code


async def test_fifty_failures_from_one_address_do_not_keep_the_user_out_from_hers(
    web: AsyncTestClient[Litestar],
) -> None:
    statuses = [await sign_in(web, "198.51.100.7", f"guess-{n}") for n in range(50)]

    assert set(statuses) == {401, 429}
    assert await sign_in(web, "203.0.113.20", RIGHT) == 200


async def test_failures_from_one_place_double_the_wait_which_then_ends(
    web: AsyncTestClient[Litestar], clock: FixedClock
) -> None:
    for n in range(5):
        assert await sign_in(web, "198.51.100.7", f"guess-{n}") == 401

    held = await web.post("/api/auth/login", json={"email": ANNA, "password": RIGHT}, headers={ADDRESS: "198.51.100.7"})
    assert held.status_code == 429
    assert held.headers["retry-after"] == "1"

    clock.set(clock.now() + timedelta(seconds=1))
    assert await sign_in(web, "198.51.100.7", "guess-5") == 401
    held = await web.post("/api/auth/login", json={"email": ANNA, "password": RIGHT}, headers={ADDRESS: "198.51.100.7"})
    assert held.headers["retry-after"] == "2"

    clock.set(clock.now() + timedelta(seconds=2))
    assert await sign_in(web, "198.51.100.7", RIGHT) == 200


async def test_a_guesser_on_many_addresses_slows_new_browsers_but_not_the_users_own(
    web: AsyncTestClient[Litestar],
) -> None:
    assert await sign_in(web, "203.0.113.20", RIGHT) == 200
    [own_browser] = [cookie for cookie in web.cookies.jar if cookie.name == "selfservice_device"]
    web.cookies.clear()

    statuses = [await sign_in(web, f"198.51.100.{n}", f"guess-{n}") for n in range(25)]

    assert statuses == [401] * 20 + [429] * 5  # from everywhere, 20 failures before new places wait
    assert await sign_in(web, "192.0.2.99", RIGHT) == 429
    web.cookies.jar.set_cookie(own_browser)
    assert await sign_in(web, "192.0.2.99", RIGHT) == 200


async def test_another_accounts_known_browser_cookie_does_not_help(web: AsyncTestClient[Litestar]) -> None:
    assert await sign_in(web, "198.51.100.1", RIGHT, email="maria.berg@demo.se") == 200
    for n in range(25):
        await sign_in(web, f"198.51.100.{n}", f"guess-{n}")

    assert await sign_in(web, "198.51.100.1", RIGHT) == 429


async def test_too_many_attempts_from_one_address_wait_for_the_next_minute(
    web: AsyncTestClient[Litestar], clock: FixedClock
) -> None:
    statuses = [await sign_in(web, "198.51.100.7", "x", email=f"x{i}@demo.se") for i in range(12)]

    assert statuses == [401] * 10 + [429, 429]
    clock.set(clock.now() + timedelta(seconds=60))
    assert await sign_in(web, "198.51.100.7", RIGHT) == 200
