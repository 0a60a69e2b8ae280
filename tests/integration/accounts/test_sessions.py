"""A sign-in as a whole: renewals retire the token they replace, logout ends every token of it, and a
browser's logout needs the CSRF header like every other change."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.auth import RENEWAL_GRACE
from backend.core.clock import FixedClock
from tests.conftest import ANNA, login, problem

pytestmark = pytest.mark.clockless


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_a_browsers_logout_without_the_csrf_header_is_refused(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    forged = await client.post("/api/auth/logout")
    still_signed_in = await client.get("/api/me")
    logout = await client.post("/api/auth/logout", headers={"x-csrf-token": client.cookies["selfservice_csrf"]})

    assert forged.status_code == 403
    assert problem(forged)["code"] == "csrf_failed"
    assert still_signed_in.status_code == 200
    assert logout.status_code == 204


async def test_a_refresh_retires_the_token_it_replaced(client: AsyncTestClient[Litestar], clock: FixedClock) -> None:
    old = await login(client, ANNA)

    refreshed = await client.post("/api/auth/refresh", headers=old)
    new = bearer(refreshed.json()["token"])
    on_its_way = await client.get("/api/me", headers=old)  # a request sent before the renewal's answer
    clock.set(clock.now() + RENEWAL_GRACE)

    assert refreshed.status_code == 200
    assert on_its_way.status_code == 200
    assert (await client.get("/api/me", headers=old)).status_code == 401
    assert (await client.post("/api/auth/refresh", headers=old)).status_code == 401
    assert (await client.get("/api/me", headers=new)).status_code == 200


async def test_two_tabs_opened_together_both_stay_signed_in(client: AsyncTestClient[Litestar]) -> None:
    cookie = await login(client, ANNA)

    first_tab = await client.post("/api/auth/session", headers=cookie)
    second_tab = await client.post("/api/auth/session", headers=cookie)  # the same old cookie, a moment later

    assert first_tab.json()["signed_in"] is True
    assert second_tab.json()["signed_in"] is True


async def test_the_start_up_check_retires_the_token_it_renewed(
    client: AsyncTestClient[Litestar], clock: FixedClock
) -> None:
    old = await login(client, ANNA)

    renewed = await client.post("/api/auth/session", headers=old)
    clock.set(clock.now() + RENEWAL_GRACE)

    assert renewed.json()["signed_in"] is True
    assert (await client.get("/api/me", headers=old)).status_code == 401
    assert (await client.get("/api/me", headers=bearer(renewed.json()["token"]))).status_code == 200


async def test_logout_ends_every_token_of_the_sign_in_but_not_other_sign_ins(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await login(client, ANNA)
    renewed = bearer((await client.post("/api/auth/refresh", headers=first)).json()["token"])
    renewed_again = bearer((await client.post("/api/auth/refresh", headers=renewed)).json()["token"])
    on_another_device = await login(client, ANNA)

    logout = await client.post("/api/auth/logout", headers=first)  # even the oldest token ends the sign-in

    assert logout.status_code == 204
    assert (await client.get("/api/me", headers=renewed_again)).status_code == 401
    assert (await client.post("/api/auth/refresh", headers=renewed_again)).status_code == 401
    assert (await client.post("/api/auth/session", headers=renewed_again)).json()["signed_in"] is False
    assert (await client.get("/api/me", headers=on_another_device)).status_code == 200
